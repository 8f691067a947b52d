"""What the two table panes (connections, frames) share: whole-row single selection, compact rows."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QTableView

ROW_HEIGHT = 22


def set_up_table(view: QTableView) -> None:
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(ROW_HEIGHT)
    view.horizontalHeader().setStretchLastSection(True)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)  # a long payload preview is cut at the edge, not wrapped out of sight


def selected_row(view: QTableView) -> int:
    """The selected row, or -1."""
    rows = view.selectionModel().selectedRows()
    return rows[0].row() if rows else -1
