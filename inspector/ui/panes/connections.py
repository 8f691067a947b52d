"""The connections pane: one row per WebSocket connection of the session."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, Qt, Slot
from PySide6.QtWidgets import QTableView, QWidget

from ..models import ConnectionsModel
from ..session_model import SessionModel
from .tables import selected_row, set_up_table

ADDRESS_COLUMNS = (1, 2)  # client, server
MIN_ADDRESS_WIDTH = 70


class ConnectionsPane(QTableView):
    def __init__(self, session: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.table_model = ConnectionsModel()
        self.setModel(self.table_model)
        set_up_table(self)
        self.setTextElideMode(Qt.TextElideMode.ElideMiddle)  # an address keeps its port in sight
        session.store_changed.connect(self._on_store_changed)
        session.store_grew.connect(self.table_model.grow)
        session.connection_changed.connect(self._on_connection_changed)
        self.selectionModel().selectionChanged.connect(self._on_selected)

    @Slot()
    def _on_store_changed(self) -> None:
        self.table_model.set_store(self.session.store)
        self.resizeColumnsToContents()
        self.fit_addresses()

    def fit_addresses(self) -> None:
        """Narrow the two address columns, not the counts, when the columns are wider than the pane."""
        total = sum(self.columnWidth(c) for c in range(self.table_model.columnCount()))
        room = self.viewport().width()
        if total <= room:
            return
        excess = total - room
        for column in ADDRESS_COLUMNS:
            width = self.columnWidth(column)
            self.setColumnWidth(column, max(MIN_ADDRESS_WIDTH, width - (excess + 1) // len(ADDRESS_COLUMNS)))

    def resizeEvent(self, event: object) -> None:  # Qt's name
        super().resizeEvent(event)  # type: ignore[arg-type]
        if self.table_model.rowCount():
            self.resizeColumnsToContents()
            self.fit_addresses()

    @Slot()
    def _on_connection_changed(self) -> None:
        record = self.session.connection
        row = self.table_model.row_of(record) if record is not None else -1
        if row >= 0 and row != selected_row(self):
            self.selectRow(row)

    @Slot(QItemSelection, QItemSelection)
    def _on_selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = selected.indexes()
        if rows:
            self.session.select_connection(self.table_model.record(rows[0].row()))
