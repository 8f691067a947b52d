"""The frames pane: the selected connection's frames, one row each, in capture order."""

from __future__ import annotations

from PySide6.QtCore import QItemSelection, QItemSelectionModel, Qt, Slot
from PySide6.QtWidgets import QHeaderView, QTableView, QWidget

from ..frame_filter import RowSubsetProxy
from ..models import FramesModel, direction_labels
from ..session_model import SessionModel
from .tables import selected_row, set_up_table

# Widths of the columns but Payload, which takes what is left.
# Opcode fits "Reserved non-control (3)" and "Connection Close (8)".
COLUMN_WIDTHS = (40, 74, 42, 170, 110, 56, 0, 90)
PAYLOAD_COLUMN = 6
DIRECTION_COLUMN = 2
TEXT_PADDING = 16  # a cell's or header's margins around its text


class FramesPane(QTableView):
    def _text_width(self, column: int) -> int:
        """What a translation needs: the column's title, and for the direction column its labels."""
        title = str(self.table_model.headerData(column, Qt.Orientation.Horizontal))
        texts = [title, *(direction_labels().values() if column == DIRECTION_COLUMN else ())]
        return max(self.fontMetrics().horizontalAdvance(text) for text in texts) + TEXT_PADDING

    def __init__(self, session: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._marking = False
        self.table_model = FramesModel()
        self.shown_model = RowSubsetProxy(self)  # the rows a display filter keeps
        self.shown_model.setSourceModel(self.table_model)
        self.setModel(self.shown_model)
        set_up_table(self)
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(PAYLOAD_COLUMN, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate(COLUMN_WIDTHS):
            if column != PAYLOAD_COLUMN:
                self.setColumnWidth(column, max(width, self._text_width(column)))
        session.connection_changed.connect(self._on_connection_changed)
        session.store_grew.connect(self.table_model.grow)
        session.frame_changed.connect(self._on_frame_changed)
        session.reveal_changed.connect(self._on_reveal_changed)
        session.message_changed.connect(self._on_message_changed)
        session.filter_changed.connect(self._on_filter_changed)
        self.selectionModel().selectionChanged.connect(self._on_selected)

    @Slot()
    def _on_connection_changed(self) -> None:
        store = self.session.store
        times = store.times if store is not None else None
        self.table_model.set_connection(self.session.connection, times, self.session.reveal)
        self.shown_model.set_rows(self.session.visible_rows())

    @Slot()
    def _on_filter_changed(self) -> None:
        self.shown_model.set_rows(self.session.visible_rows())
        self._on_frame_changed()

    @Slot()
    def _on_reveal_changed(self) -> None:
        self.table_model.reveal_up_to(self.session.reveal)

    @Slot()
    def _on_message_changed(self) -> None:
        """Mark all the selected message's frames; the first one stays the selected frame."""
        message = self.session.message
        if message is None:
            return
        selection = QItemSelection()
        shown = self.shown_model
        last_column = shown.columnCount() - 1
        for source_row in self.session.message_rows(message):
            row = shown.row_of_source(source_row)
            if 0 <= row < shown.rowCount():
                selection.select(shown.index(row, 0), shown.index(row, last_column))
        self._marking = True  # the extra rows are marks, not a new frame selection
        try:
            self.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.Select)
        finally:
            self._marking = False

    @Slot()
    def _on_frame_changed(self) -> None:
        row = self.shown_model.row_of_source(self.session.frame_row) if self.session.frame_row >= 0 else -1
        if row != selected_row(self):
            if row < 0:
                self.clearSelection()
            else:
                self.selectRow(row)

    def selected_source_row(self) -> int:
        """The selected frame's row in its connection (not in the filtered table), or -1."""
        row = selected_row(self)
        return self.shown_model.source_row(row) if row >= 0 else -1

    @Slot(QItemSelection, QItemSelection)
    def _on_selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = selected.indexes()
        if rows and not self._marking:
            self.session.select_frame(self.shown_model.source_row(rows[0].row()))
