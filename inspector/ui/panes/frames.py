"""The frames pane: the selected connection's frames, one row each, in capture order."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Slot
from PySide6.QtWidgets import QHeaderView, QTableView, QWidget

from ..models import FramesModel
from ..session_model import SessionModel
from .tables import selected_row, set_up_table

# Widths of the columns but Payload, which takes what is left.
COLUMN_WIDTHS = (45, 78, 45, 130, 118, 60, 0, 90)
PAYLOAD_COLUMN = 6


class FramesPane(QTableView):
    def __init__(self, session: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.table_model = FramesModel()
        self.setModel(self.table_model)
        set_up_table(self)
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(PAYLOAD_COLUMN, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate(COLUMN_WIDTHS):
            if column != PAYLOAD_COLUMN:
                self.setColumnWidth(column, width)
        session.connection_changed.connect(self._on_connection_changed)
        session.store_grew.connect(self.table_model.grow)
        session.frame_changed.connect(self._on_frame_changed)
        self.selectionModel().selectionChanged.connect(self._on_selected)

    @Slot()
    def _on_connection_changed(self) -> None:
        store = self.session.store
        self.table_model.set_connection(self.session.connection, store.times if store is not None else None)

    @Slot()
    def _on_frame_changed(self) -> None:
        if self.session.frame_row != selected_row(self):
            self.selectRow(self.session.frame_row)

    @Slot(QItemSelection, QItemSelection)
    def _on_selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = selected.indexes()
        if rows:
            self.session.select_frame(rows[0].row())
