"""The masking table: for each payload byte i, `masked ⊕ key[i mod 4] = unmasked` (RFC 6455 §5.3).

Rows are made on demand: the first FIRST_ROWS bytes, then FETCH_BATCH more each time the view
scrolls to the end or the learner asks; a 70,000-byte payload never becomes 70,000 rows at once.
"""

from __future__ import annotations

from typing import Final

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...protocol.constants import MASKING_KEY_SIZE, Direction
from ...protocol.fieldtree import Field
from ...protocol.frame import Frame
from .palette import KEY_BYTE_TEXT, key_byte_colour

FIRST_ROWS: Final = 256
FETCH_BATCH: Final = 256

COLUMN_INDEX, COLUMN_MASKED, COLUMN_KEY, COLUMN_UNMASKED, COLUMN_CHAR = range(5)
# Which field of the frame each column shows, for field_clicked and select_field.
COLUMN_FIELDS: Final = {
    COLUMN_MASKED: "websocket.masked_payload",
    COLUMN_KEY: "websocket.masking_key",
    COLUMN_UNMASKED: "websocket.unmasked_payload",
    COLUMN_CHAR: "websocket.unmasked_payload",
}
_SPACE_MARK = "␣"  # a space would look like an empty cell
_NOT_PRINTABLE_MARK = "·"

AnyIndex = QModelIndex | QPersistentModelIndex


def byte_character(byte: int) -> str:
    """One unmasked byte as a character: printable ASCII as itself, a space and the rest as marks."""
    if byte == 0x20:
        return _SPACE_MARK
    return chr(byte) if 0x20 < byte < 0x7F else _NOT_PRINTABLE_MARK


class MaskingModel(QAbstractTableModel):
    """One row per payload byte of a masked frame; rows appear FETCH_BATCH at a time (canFetchMore)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._masked = b""
        self._unmasked = b""
        self._key = b""
        self._rows = 0  # rows made so far

    def set_frame(self, frame: Frame | None) -> None:
        self.beginResetModel()
        if frame is not None and frame.masking_key is not None:
            self._key = frame.masking_key
            self._masked = frame.masked_payload
            self._unmasked = frame.payload
        else:
            self._key = self._masked = self._unmasked = b""
        self._rows = min(FIRST_ROWS, len(self._masked))
        self.endResetModel()

    @property
    def total_bytes(self) -> int:
        return len(self._masked)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(COLUMN_FIELDS) + 1

    def canFetchMore(self, parent: AnyIndex) -> bool:
        return not parent.isValid() and self._rows < len(self._masked)

    def fetchMore(self, parent: AnyIndex) -> None:
        if not self.canFetchMore(parent):
            return
        more = min(FETCH_BATCH, len(self._masked) - self._rows)
        self.beginInsertRows(QModelIndex(), self._rows, self._rows + more - 1)
        self._rows += more
        self.endInsertRows()

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.row() >= self._rows:
            return None
        row, column = index.row(), index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return Qt.AlignmentFlag.AlignCenter
        if column == COLUMN_KEY:
            if role == Qt.ItemDataRole.BackgroundRole:
                return key_byte_colour(row)
            if role == Qt.ItemDataRole.ForegroundRole:
                return KEY_BYTE_TEXT
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.tr("key[{0}] = {1} ⊕ {2}").format(
                    row % MASKING_KEY_SIZE, f"{self._masked[row]:02x}", f"{self._unmasked[row]:02x}"
                )
        return None

    def _display(self, row: int, column: int) -> str:
        if column == COLUMN_INDEX:
            return str(row)
        if column == COLUMN_MASKED:
            return f"{self._masked[row]:02x}"
        if column == COLUMN_KEY:
            return f"{self._key[row % MASKING_KEY_SIZE]:02x}"
        if column == COLUMN_UNMASKED:
            return f"{self._unmasked[row]:02x}"
        return byte_character(self._unmasked[row])

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = (
            self.tr("i"),
            self.tr("masked"),
            self.tr("⊕ key[i mod 4]"),
            self.tr("= unmasked"),
            self.tr("char"),
        )
        return titles[section] if 0 <= section < len(titles) else None


class MaskingTable(QWidget):
    """The masking model in a table, under the equation and the four key bytes in their colours."""

    field_clicked = Signal(str)  # the filter name of the field a clicked cell shows
    byte_selected = Signal(int)  # the payload index of a clicked row

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = MaskingModel(self)
        self.equation = QLabel(self.tr("masked ⊕ key[i mod 4] = unmasked   (RFC 6455 §5.3)"))
        self.equation.setTextFormat(Qt.TextFormat.PlainText)
        font = self.equation.font()
        font.setBold(True)
        self.equation.setFont(font)
        self.key_labels = [self._key_label(k) for k in range(MASKING_KEY_SIZE)]
        key_row = QHBoxLayout()
        key_row.addWidget(QLabel(self.tr("key:")))
        for label in self.key_labels:
            key_row.addWidget(label)
        key_row.addStretch(1)
        self.note = QLabel()
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        # The key column's title is the longest; a narrow pane gives it its width, the others share the rest.
        self.table.horizontalHeader().setSectionResizeMode(COLUMN_KEY, QHeaderView.ResizeMode.ResizeToContents)
        self.table.clicked.connect(self._cell_clicked)
        self.shown = QLabel()
        self.shown.setTextFormat(Qt.TextFormat.PlainText)
        self.more_button = QPushButton(self.tr("Show {0} more").format(FETCH_BATCH))
        self.more_button.clicked.connect(self.show_more)
        footer = QHBoxLayout()
        footer.addWidget(self.shown, 1)
        footer.addWidget(self.more_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.equation)
        layout.addLayout(key_row)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addLayout(footer)
        self.model.rowsInserted.connect(self._update_footer)
        self.model.modelReset.connect(self._update_footer)
        self.show_frame(None)

    def _key_label(self, k: int) -> QLabel:
        label = QLabel()
        label.setTextFormat(Qt.TextFormat.PlainText)
        colour = key_byte_colour(k).name()
        label.setStyleSheet(f"background: {colour}; color: {KEY_BYTE_TEXT.name()}; padding: 1px 6px;")
        return label

    def show_frame(self, frame: Frame | None, fields: Field | None = None) -> None:
        """Show `frame`'s bytes (its field tree is not needed here; the parameter keeps the widgets alike)."""
        del fields
        self.model.set_frame(frame)
        masked = frame is not None and frame.masking_key is not None
        self.equation.setVisible(masked)
        for k, label in enumerate(self.key_labels):
            label.setVisible(masked)
            if masked and frame is not None and frame.masking_key is not None:
                label.setText(self.tr("key[{0}] = {1}").format(k, f"{frame.masking_key[k]:02x}"))
        self.table.setVisible(masked)
        self.note.setText(self._note(frame))
        self.note.setVisible(bool(self.note.text()))

    def _note(self, frame: Frame | None) -> str:
        if frame is None:
            return self.tr("Select a frame to see how its payload was masked.")
        if frame.masking_key is None:
            if frame.direction is Direction.SERVER:
                return self.tr("This frame is not masked: servers never mask (RFC 6455 §5.1).")
            return self.tr("This frame is not masked, though a client must mask every frame (RFC 6455 §5.1).")
        if not frame.payload:
            return self.tr("This frame is masked but carries no payload bytes to unmask.")
        if frame.truncated:
            return self.tr("The capture ends inside this frame: {0} of {1} payload bytes are present.").format(
                len(frame.payload), frame.payload_length
            )
        return ""

    def show_more(self) -> None:
        self.model.fetchMore(QModelIndex())

    def select_field(self, filter_name: str) -> None:
        """Select the column that shows field `filter_name`, if one does."""
        column = next((c for c, name in COLUMN_FIELDS.items() if name == filter_name), None)
        if column is None:
            self.table.clearSelection()
        else:
            self.table.selectColumn(column)

    def _cell_clicked(self, index: QModelIndex) -> None:
        self.byte_selected.emit(index.row())
        name = COLUMN_FIELDS.get(index.column())
        if name:
            self.field_clicked.emit(name)

    def _update_footer(self) -> None:
        total, rows = self.model.total_bytes, self.model.rowCount()
        self.shown.setText(self.tr("Showing bytes 0 to {0} of {1}.").format(max(rows - 1, 0), total))
        self.shown.setVisible(total > 0)
        self.more_button.setVisible(rows < total)
