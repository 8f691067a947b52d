"""The messages view: each data message of the selected connection, the frames it came from, its data.

A message's rows are its fragments (RFC 6455 §5.4) and, where they fell between them, the control
frames of the same direction (§5.4: control frames may be injected in the middle of a fragmented
message). Below the tree: the message's reassembled data, inflated when it was compressed
(RFC 7692), and its UTF-8 check. Selecting a message selects its frames in the session.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractItemModel,
    QCoreApplication,
    QItemSelection,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Slot,
)
from PySide6.QtWidgets import QAbstractItemView, QPlainTextEdit, QSplitter, QTreeView, QWidget

from ...protocol.constants import Direction, Opcode, opcode_name
from ...protocol.messages import Message
from ...report.text_tree import escape_text
from ...session.store import ConnectionRecord, FrameRecord
from ..session_model import SessionModel

AnyIndex = QModelIndex | QPersistentModelIndex
PREVIEW_CHARS = 80
DETAIL_BYTES = 64 * 1024  # the detail pane shows this much of a message; the rest is counted
TOP = 0  # internalId of a message row; a frame row's is its message's row + 1
UTF8_CODES = ("invalid-utf8", "utf8")


def _context(text: str) -> str:
    return QCoreApplication.translate("MessagesModel", text)


def message_frames(record: ConnectionRecord, message: Message) -> list[tuple[FrameRecord, bool]]:
    """The frames from `message`'s first fragment to its last, in order: (frame, is a fragment of it).
    The others are control frames of the same direction that fell between the fragments."""
    if not message.frame_indices:
        return []
    indices = record.frame_indices
    first = bisect_left(indices, message.frame_indices[0])
    last = message.frame_indices[-1]
    fragments = set(message.frame_indices)
    found = []
    for row in range(first, len(indices)):
        index = indices[row]
        if index > last:
            break
        if record.direction(row) != message.direction:
            continue
        if index in fragments:
            found.append((record.frames[row], True))
        elif record.opcode(row) & 0x8:  # RFC 6455 §5.5: control opcodes have the high bit set
            found.append((record.frames[row], False))
    return found


def utf8_check(message: Message) -> str:
    if message.opcode != Opcode.TEXT:
        return _context("not text")
    bad = [v for v in message.violations if any(code in v.code for code in UTF8_CODES)]
    if bad:
        return _context("invalid UTF-8: {0}").format(bad[0].message)
    if not message.complete:
        return _context("incomplete")
    return _context("valid UTF-8")


def message_preview(message: Message) -> str:
    data = message.data
    if message.text is not None:
        return escape_text(message.text[:PREVIEW_CHARS])
    return data[: PREVIEW_CHARS // 3].hex(" ")


class MessagesModel(QAbstractItemModel):
    HEADERS = (
        QT_TRANSLATE_NOOP("MessagesModel", "Message / frame"),
        QT_TRANSLATE_NOOP("MessagesModel", "Dir"),
        QT_TRANSLATE_NOOP("MessagesModel", "Kind"),
        QT_TRANSLATE_NOOP("MessagesModel", "Bytes"),
        QT_TRANSLATE_NOOP("MessagesModel", "UTF-8"),
        QT_TRANSLATE_NOOP("MessagesModel", "Data"),
    )

    def __init__(self) -> None:
        super().__init__()
        self._record: ConnectionRecord | None = None
        self._messages: Sequence[Message] = []
        self._count = 0  # the messages shown: those complete when the connection was selected
        self._frames: dict[int, list[tuple[FrameRecord, bool]]] = {}  # by message row, filled when asked

    def set_connection(self, record: ConnectionRecord | None) -> None:
        self.beginResetModel()
        self._record = record
        self._messages = record.messages if record is not None else []
        self._count = len(self._messages)
        self._frames = {}
        self.endResetModel()

    def grow(self) -> None:
        """The connection completed more messages (a capture loading or live): append their rows. A message's
        frames do not change once it is complete, but control frames may have been listed before the rest came."""
        record = self._record
        if record is None or len(record.messages) == self._count:
            return
        self._messages = record.messages
        self.beginInsertRows(QModelIndex(), self._count, len(record.messages) - 1)
        self._count = len(record.messages)
        self.endInsertRows()

    def message(self, row: int) -> Message:
        return self._messages[row]

    def row_of(self, message: Message) -> int:
        if self._record is None:
            return -1
        number = self._record.message_number(message)
        return number if number < self._count else -1

    def frame_index(self, record: FrameRecord) -> QModelIndex:
        """The row of frame `record` under the message it belongs to (invalid when it belongs to none)."""
        row = self.row_of(record.message) if record.message is not None else -1
        if row < 0:
            return QModelIndex()
        parent = self.index(row, 0)
        for child, (shown, _fragment) in enumerate(self.frames_of(row)):
            if shown.frame.index == record.frame.index:  # records are rebuilt on demand: compare what they hold
                return self.index(child, 0, parent)
        return parent

    def frames_of(self, row: int) -> list[tuple[FrameRecord, bool]]:
        found = self._frames.get(row)
        if found is None:
            assert self._record is not None
            found = self._frames[row] = message_frames(self._record, self._messages[row])
        return found

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not 0 <= column < len(self.HEADERS) or row < 0:
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, TOP) if row < self._count else QModelIndex()
        if parent.internalId() != TOP or parent.column() != 0:
            return QModelIndex()
        if row >= len(self.frames_of(parent.row())):
            return QModelIndex()
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid() or index.internalId() == TOP:
            return QModelIndex()
        return self.createIndex(index.internalId() - 1, 0, TOP)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return self._count
        if parent.internalId() != TOP or parent.column() != 0:
            return 0
        return len(self.frames_of(parent.row()))

    def hasChildren(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        """Asked for every message the tree lays out (thousands while a capture loads): answered from the
        store's numbers, where rowCount would find each message's frames. The same answer: a message has rows
        when its first fragment is among the connection's frames (message_frames starts from it)."""
        if not parent.isValid():
            return self._count > 0
        if parent.internalId() != TOP or parent.column() != 0 or self._record is None:
            return False
        row = parent.row()
        found = self._frames.get(row)
        if found is not None:
            return bool(found)
        record = self._record
        starts = record.message_frame_starts
        start = starts[row]
        return starts[row + 1] > start and record.row_of_index(record.message_frames[start]) >= 0

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("MessagesModel", self.HEADERS[section])
        return None

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        if index.internalId() == TOP:
            return self._message_cell(self._messages[index.row()], index.row(), index.column())
        frame_record, fragment = self.frames_of(index.internalId() - 1)[index.row()]
        return self._frame_cell(frame_record, fragment, index.column())

    def _message_cell(self, message: Message, row: int, column: int) -> object:
        if column == 0:
            return _context("message {0} ({1} frames)").format(row + 1, len(message.frame_indices))
        if column == 1:
            return _direction(message.direction)
        if column == 2:
            kind = opcode_name(message.opcode) if message.opcode else _context("continued")
            return kind + (_context(", inflated") if message.compressed else "")
        if column == 3:
            return len(message.data)
        if column == 4:
            return utf8_check(message)
        return message_preview(message)

    def _frame_cell(self, record: FrameRecord, fragment: bool, column: int) -> object:
        frame = record.frame
        if column == 0:
            return _context("frame {0}").format(frame.index)
        if column == 1:
            return _direction(frame.direction)
        if column == 2:
            role = _context("fragment") if fragment else _context("control, between the fragments")
            return _context("{0} FIN={1}: {2}").format(opcode_name(frame.opcode), int(frame.fin), role)
        if column == 3:
            return frame.payload_length
        return ""


def _direction(direction: Direction) -> str:
    return _context("C → S") if direction == Direction.CLIENT else _context("S → C")


class MessagesPane(QSplitter):
    """The tree of messages over the selected message's data."""

    def __init__(self, session: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Vertical, parent)
        self.session = session
        self.tree_model = MessagesModel()
        self.tree = QTreeView()
        self.tree.setModel(self.tree_model)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.detail = QPlainTextEdit()
        self.detail.setReadOnly(True)
        self.detail.setPlaceholderText(self.tr("Select a message to see its reassembled data"))
        self.addWidget(self.tree)
        self.addWidget(self.detail)
        self.setSizes([300, 120])
        self._following = False  # the tree's selection is following the frame selection, not asking for one
        session.connection_changed.connect(self._on_connection_changed)
        session.store_grew.connect(self.tree_model.grow)
        session.message_changed.connect(self._on_message_changed)
        session.frame_changed.connect(self._on_frame_changed)
        self.tree.selectionModel().selectionChanged.connect(self._on_selected)

    @Slot()
    def _on_connection_changed(self) -> None:
        self.tree_model.set_connection(self.session.connection)
        for column, width in enumerate((175, 45, 185, 55, 90)):
            self.tree.setColumnWidth(column, width)
        self.detail.clear()

    @Slot()
    def _on_frame_changed(self) -> None:
        """A frame was selected elsewhere: select its row under the message it belongs to, and show that message."""
        record = self.session.frame
        if record is None or (record.message is self.session.message and record.message is not None):
            return  # the frame of the message just selected here (or nothing)
        index = self.tree_model.frame_index(record)
        self._following = True
        try:
            if index.isValid():
                self.tree.expand(index.parent())
                self.tree.setCurrentIndex(index)
                self.tree.scrollTo(index)
            else:
                self.tree.clearSelection()
                self.tree.setCurrentIndex(QModelIndex())
        finally:
            self._following = False
        message = record.message
        if message is not None and index.isValid():
            self.detail.setPlainText(self.describe(message))
        else:
            self.detail.clear()

    @Slot(QItemSelection, QItemSelection)
    def _on_selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes or self._following:
            return
        index = indexes[0]
        row = index.row() if index.internalId() == TOP else index.internalId() - 1
        self.session.select_message(self.tree_model.message(row))

    @Slot()
    def _on_message_changed(self) -> None:
        message = self.session.message
        if message is None:
            self.detail.clear()
            return
        row = self.tree_model.row_of(message)
        current = self.tree.currentIndex()
        shown = current.row() if current.internalId() == TOP else current.internalId() - 1
        if row >= 0 and (not current.isValid() or shown != row):
            self.tree.setCurrentIndex(self.tree_model.index(row, 0))
        self.detail.setPlainText(self.describe(message))

    def describe(self, message: Message) -> str:
        """The message's data as plain text (text as it decodes, binary in hex), after its UTF-8 check."""
        data = message.data
        lines = [self.tr("{0} bytes{1} · {2}").format(
            len(data), self.tr(", reassembled and inflated") if message.compressed else self.tr(", reassembled"),
            utf8_check(message))]
        shown = data[:DETAIL_BYTES]
        if message.opcode == Opcode.TEXT:
            lines.append(shown.decode("utf-8", errors="replace"))
        else:
            lines.append(shown.hex(" "))
        if len(data) > DETAIL_BYTES:
            lines.append(self.tr("… {0} more bytes").format(len(data) - DETAIL_BYTES))
        return "\n".join(lines)
