"""Qt item models: thin adapters over the plain session data (SessionStore, Field trees).

They follow Qt's Simple Tree Model rules: the parent is always in column 0 and rowCount is 0
for other columns. Payload text only ever travels through DisplayRole, which views draw as
plain text; tooltips (which Qt may read as rich text) never contain payload bytes.

Column titles are marked with QT_TRANSLATE_NOOP under their model's class name and translated when
a view asks for them, so an installed translation shows without building the models again.
"""

from __future__ import annotations

import datetime as _dt
from bisect import bisect_right

from PySide6.QtCore import (
    QT_TRANSLATE_NOOP,
    QAbstractItemModel,
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from ..protocol.constants import Direction, close_code_name, opcode_name
from ..protocol.fieldtree import Field
from ..report.text_tree import escape_text
from ..session.store import ConnectionRecord, FrameRecord, SessionStore
from ..session.timebase import TimeBase
from .widgets.palette import key_byte_colour

_PREVIEW_CHARS = 80
# A field's value is cut after this many characters: the 70,000-character text (or its 140,000 hex
# digits) in a tree cell and in the explanation pane made every click take a tenth of a second.
VALUE_CHARS = 400
MAX_QT_INTEGER = 2**63 - 1  # a signed 64-bit integer, the largest number a Qt item holds
# Translucent, so the palette's own text colour reads on it in a light and in a dark palette.
_VIOLATION_BRUSH = QBrush(QColor(229, 57, 53, 70))

AnyIndex = QModelIndex | QPersistentModelIndex
# The masking key's value cell: its bytes as [(hex, colour of key byte k)], drawn by the fields pane's delegate.
KEY_BYTES_ROLE = Qt.ItemDataRole.UserRole + 1
MASKING_KEY_FIELD = "websocket.masking_key"


def _preview(record: FrameRecord) -> str:
    frame = record.frame
    message = record.message
    code = frame.close_code
    if code is not None:
        reason = escape_text(frame.close_reason.decode("utf-8", errors="replace")[:_PREVIEW_CHARS])
        return f"{code} {close_code_name(code)}" + (f" · {reason}" if reason else "")
    if message is not None and message.compressed:
        if message.frame_indices[:1] != [frame.index]:  # its deflate bytes mean nothing on their own
            part = message.frame_indices.index(frame.index) + 1
            text = QCoreApplication.translate("FramesModel", "(part {0} of {1} of a compressed message)")
            return text.format(part, len(message.frame_indices))
        data = message.data
        prefix = QCoreApplication.translate("FramesModel", "(inflated) ")
    else:
        data = frame.payload
        prefix = ""
    if not data:
        return ""
    if frame.opcode == 0x2:
        return prefix + data[: _PREVIEW_CHARS // 3].hex(" ")
    text = data[: _PREVIEW_CHARS * 4].decode("utf-8", errors="replace")
    return prefix + escape_text(text[:_PREVIEW_CHARS])


def field_value(node: Field) -> str:
    """A field's value and meaning on one line, cut at VALUE_CHARS, control characters escaped."""
    text = node.summary
    if len(text) > VALUE_CHARS:
        return escape_text(text[:VALUE_CHARS]) + f"… ({len(text) - VALUE_CHARS} more characters)"
    return escape_text(text)


def _flags(record: FrameRecord) -> str:
    frame = record.frame
    parts = ["FIN" if frame.fin else "fin=0"]
    parts += [name for name, on in (("RSV1", frame.rsv1), ("RSV2", frame.rsv2), ("RSV3", frame.rsv3)) if on]
    if frame.masked:
        parts.append("MASK")
    return " ".join(parts)


class _Table(QAbstractTableModel):
    """A flat table with fixed column titles; subclasses say how many rows and what is in them."""

    HEADERS: tuple[str, ...] = ()

    def row_total(self) -> int:
        raise NotImplementedError

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else self.row_total()

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate(type(self).__name__, self.HEADERS[section])
        return None


class ConnectionsModel(_Table):
    HEADERS = (
        QT_TRANSLATE_NOOP("ConnectionsModel", "#"),
        QT_TRANSLATE_NOOP("ConnectionsModel", "Client"),
        QT_TRANSLATE_NOOP("ConnectionsModel", "Server"),
        QT_TRANSLATE_NOOP("ConnectionsModel", "Protocol"),
        QT_TRANSLATE_NOOP("ConnectionsModel", "Frames"),
        QT_TRANSLATE_NOOP("ConnectionsModel", "Violations"),
    )

    def __init__(self) -> None:
        super().__init__()
        self._store: SessionStore | None = None
        self._rows: list[ConnectionRecord] = []

    def set_store(self, store: SessionStore | None) -> None:
        self.beginResetModel()
        self._store = store
        self._rows = list(store.connections) if store else []
        self.endResetModel()

    def grow(self) -> None:
        """The store got more events: new connections become rows, the counts of the others change."""
        if self._store is None:
            return
        connections = self._store.connections
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self.HEADERS) - 1))
        if len(connections) > len(self._rows):
            self.beginInsertRows(QModelIndex(), len(self._rows), len(connections) - 1)
            self._rows.extend(connections[len(self._rows):])
            self.endInsertRows()

    def record(self, row: int) -> ConnectionRecord:
        return self._rows[row]

    def row_of(self, record: ConnectionRecord) -> int:
        """The row showing `record`, or -1."""
        return next((row for row, shown in enumerate(self._rows) if shown is record), -1)

    def row_total(self) -> int:
        return len(self._rows)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        record = self._rows[index.row()]
        connection = record.connection
        if role == Qt.ItemDataRole.DisplayRole:
            handshake = connection.handshake
            protocol = connection.protocol
            if handshake is not None and handshake.refused:
                protocol += QCoreApplication.translate("ConnectionsModel", " (refused {0})").format(handshake.status)
            elif handshake is None:
                protocol += QCoreApplication.translate("ConnectionsModel", " (no handshake seen)")
            values = (
                connection.id,
                connection.client,
                connection.server,
                protocol,
                len(record.frames),
                record.violation_count(),
            )
            return values[index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and record.violation_count():
            return _VIOLATION_BRUSH
        return None


def direction_labels() -> dict[Direction, str]:
    """The frames' direction column, in the window's language."""
    return {
        Direction.CLIENT: QCoreApplication.translate("FramesModel", "C → S"),
        Direction.SERVER: QCoreApplication.translate("FramesModel", "S → C"),
    }


class FramesModel(_Table):
    HEADERS = (
        QT_TRANSLATE_NOOP("FramesModel", "#"),
        QT_TRANSLATE_NOOP("FramesModel", "Time"),
        QT_TRANSLATE_NOOP("FramesModel", "Dir"),
        QT_TRANSLATE_NOOP("FramesModel", "Opcode"),
        QT_TRANSLATE_NOOP("FramesModel", "Flags"),
        QT_TRANSLATE_NOOP("FramesModel", "Length"),
        QT_TRANSLATE_NOOP("FramesModel", "Payload"),
        QT_TRANSLATE_NOOP("FramesModel", "Violations"),
    )

    def __init__(self) -> None:
        super().__init__()
        self._record: ConnectionRecord | None = None
        self._times = TimeBase()
        self._directions: dict[Direction, str] = {}
        self._reveal: int | None = None  # the last session position shown (a playback's); None: all
        self._shown = 0

    def _count_up_to(self, reveal: int | None) -> int:
        if self._record is None:
            return 0
        positions = self._record.frame_positions
        return len(positions) if reveal is None else bisect_right(positions, reveal)

    def reveal_up_to(self, position: int | None) -> None:
        """Show only the frames seen up to session position `position` (None: all): rows come and go, no reset."""
        self._reveal = position
        shown = self._count_up_to(position)
        if shown > self._shown:
            self.beginInsertRows(QModelIndex(), self._shown, shown - 1)
            self._shown = shown
            self.endInsertRows()
        elif shown < self._shown:
            self.beginRemoveRows(QModelIndex(), shown, self._shown - 1)
            self._shown = shown
            self.endRemoveRows()

    def set_connection(self, record: ConnectionRecord | None, times: TimeBase | None = None,
                       reveal: int | None = None) -> None:
        """Show `record`'s frames, their times counted by `times` (the store's: from the capture's first packet),
        up to session position `reveal` (see reveal_up_to)."""
        self.beginResetModel()
        self._record = record
        if record is not None:
            record.take_relinked()  # every row is drawn anew
        self._reveal = reveal
        self._shown = self._count_up_to(self._reveal)
        self._times = times if times is not None else TimeBase()
        self._directions = direction_labels()
        self.endResetModel()

    def grow(self) -> None:
        """The connection got more frames (its store is loading): append their rows, up to a playback's
        reveal. A frame's message may have completed since its row was drawn: those rows are redrawn."""
        if self._record is None:
            return
        first = self._record.take_relinked()  # rows above it show what they showed
        if first < self._shown:
            self.dataChanged.emit(self.index(first, 0), self.index(self._shown - 1, len(self.HEADERS) - 1))
        self.reveal_up_to(self._reveal)

    def frame_record(self, row: int) -> FrameRecord:
        assert self._record is not None
        return self._record.frames[row]

    def row_total(self) -> int:
        return self._shown

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or self._record is None:
            return None
        record = self._record.frames[index.row()]
        frame = record.frame
        if role == Qt.ItemDataRole.DisplayRole:
            column = index.column()
            if column == 0:
                return frame.index
            if column == 1:
                return f"{self._times.since_start(record.time):.6f}"
            if column == 2:
                return self._directions[frame.direction]
            if column == 3:
                return f"{opcode_name(frame.opcode)} ({frame.opcode})"
            if column == 4:
                return _flags(record)
            if column == 5:
                length = frame.payload_length  # a header may claim up to 2^64 - 1, past what Qt holds as a number
                return length if length <= MAX_QT_INTEGER else str(length)
            if column == 6:
                return _preview(record)
            codes = [v.code for v in frame.violations]
            if record.message is not None and record.message.frame_indices[-1:] == [frame.index]:
                codes += [v.code for v in record.message.violations]
            return ", ".join(codes)
        if role == Qt.ItemDataRole.BackgroundRole and (
            frame.violations or (record.message is not None and record.message.violations)
        ):
            return _VIOLATION_BRUSH
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 1:
            stamp = _dt.datetime.fromtimestamp(record.time, tz=_dt.UTC).isoformat()
            text = QCoreApplication.translate("FramesModel", "{0} · packets {1}")
            return text.format(stamp, ", ".join(map(str, record.packets)))
        return None


class FieldTreeModel(QAbstractItemModel):
    HEADERS = (QT_TRANSLATE_NOOP("FieldTreeModel", "Field"), QT_TRANSLATE_NOOP("FieldTreeModel", "Value"))

    def __init__(self) -> None:
        super().__init__()
        self._root: Field | None = None
        self._parents: dict[int, Field | None] = {}

    def set_root(self, root: Field | None) -> None:
        self.beginResetModel()
        self._root = root
        self._parents = {}
        if root is not None:
            self._parents[id(root)] = None
            for node in root.walk():
                for child in node.children:
                    self._parents[id(child)] = node
        self.endResetModel()

    def field(self, index: AnyIndex) -> Field | None:
        if not index.isValid():
            return None
        return index.internalPointer()  # type: ignore[no-any-return]

    def _children(self, parent: Field | None) -> list[Field]:
        if parent is None:
            return [self._root] if self._root is not None else []
        return parent.children

    def index(self, row: int, column: int, parent: AnyIndex = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return QModelIndex()
        children = self._children(self.field(parent))
        if 0 <= row < len(children) and 0 <= column < len(self.HEADERS):
            return self.createIndex(row, column, children[row])
        return QModelIndex()

    def parent(self, index: AnyIndex = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        node = self.field(index)
        if node is None:
            return QModelIndex()
        parent = self._parents.get(id(node))
        if parent is None:
            return QModelIndex()
        grandparent = self._parents.get(id(parent))
        row = self._children(grandparent).index(parent)
        return self.createIndex(row, 0, parent)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self._children(self.field(parent)))

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("FieldTreeModel", self.HEADERS[section])
        return None

    def index_of(self, node: Field) -> QModelIndex:
        """The index of `node` in column 0, or an invalid one when the tree does not hold it."""
        if id(node) not in self._parents:
            return QModelIndex()
        parent = self._parents[id(node)]
        parent_index = self.index_of(parent) if parent is not None else QModelIndex()
        return self.index(self._children(parent).index(node), 0, parent_index)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        node = self.field(index)
        if node is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if index.column() == 0:
                return node.name
            return field_value(node)
        if role == Qt.ItemDataRole.BackgroundRole and node.violations:
            return _VIOLATION_BRUSH
        if role == KEY_BYTES_ROLE and index.column() == 1 and node.filter_name == MASKING_KEY_FIELD \
                and isinstance(node.value, bytes):
            return [(f"{byte:02x}", key_byte_colour(k)) for k, byte in enumerate(node.value)]
        return None
