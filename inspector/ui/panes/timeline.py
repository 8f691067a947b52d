"""The timeline: every frame of the session (all connections, capture order) as a tick on one strip.

A tick's colour says the frame's direction (client above the middle line, server below), a red
mark above it a violation, a dark mark below it a Close frame. A million frames do not fit in a
thousand pixels, so the strip is drawn by pixel buckets: each pixel column stands for a range of
frames and shows what kinds occur in it (`bytearray.find` over per-kind flags, in C, per column).
Clicking or dragging moves the session's cursor; the keys step through the session with a Cursor.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from PySide6.QtCore import QObject, QRect, Qt, Signal, Slot
from PySide6.QtGui import QAction, QColor, QKeyEvent, QKeySequence, QMouseEvent, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import QSizePolicy, QWidget

from ...session.cursor import Cursor, Unit
from ...session.store import MARK_CLIENT, MARK_CLOSE, MARK_VIOLATION
from ..session_model import SessionModel

CLIENT_COLOUR = QColor("#1e88e5")
SERVER_COLOUR = QColor("#43a047")
VIOLATION_COLOUR = QColor("#e53935")
STRIP_HEIGHT = 44
MARGIN = 6  # room at either end so the first and last ticks and the cursor stay visible
MARK = 5  # height of the violation and Close marks


def _flag_table(mark: int) -> bytes:
    """A `bytes.translate` table turning a frame's MARK_* bits into 1 where `mark` is set, else 0."""
    return bytes(1 if value & mark else 0 for value in range(256))


_CLIENT_FLAGS = _flag_table(MARK_CLIENT)
_VIOLATION_FLAGS = _flag_table(MARK_VIOLATION)
_CLOSE_FLAGS = _flag_table(MARK_CLOSE)


class FrameKinds:
    """Per frame of the session (in capture order), one byte per kind: 1 where the frame has it.
    `grow()` adds the frames of events appended since (a capture still loading, a live capture)."""

    def __init__(self, session: SessionModel) -> None:
        self.store = session.store
        self.count = 0
        self.client = bytearray()
        self.violation = bytearray()
        self.close = bytearray()
        self._messages_seen: dict[int, int] = {}  # per connection id, its violating messages already marked
        self.grow()

    def grow(self) -> None:
        store = self.store
        if store is None:
            return
        # The store marked each frame as it was added: three translations in C, not a Python loop per frame
        # (a million-frame load adds tens of thousands of frames between two growths).
        added = store.frame_marks[self.count:].tobytes()
        self.client += added.translate(_CLIENT_FLAGS)
        self.violation += added.translate(_VIOLATION_FLAGS)
        self.close += added.translate(_CLOSE_FLAGS)
        self.count = len(self.client)
        self._mark_violating_messages()  # messages completed since: their frames now break a rule

    def _mark_violating_messages(self) -> None:
        """Set the violation mark on the frames of messages that newly break a rule."""
        store = self.store
        assert store is not None
        for view in store.connections:
            known = self._messages_seen.get(view.id, 0)
            numbers = list(view.message_violations)[known:]
            self._messages_seen[view.id] = known + len(numbers)
            starts, frames = view.message_frame_starts, view.message_frames
            for number in numbers:
                for index in frames[starts[number]:starts[number + 1]]:
                    row = view.row_of_index(index)
                    if row < 0:
                        continue
                    self.violation[bisect_left(store.frame_positions, view.frame_positions[row])] = 1

    def buckets(self, columns: int) -> list[tuple[int, bool, bool, bool, bool]]:
        """Per pixel column that shows frames: (x, has client, has server, has violation, has Close)."""
        found = []
        count = self.count
        if count == 0 or columns <= 0:
            return found
        if count <= columns:
            for number in range(count):
                x = (2 * number + 1) * columns // (2 * count)
                client = bool(self.client[number])
                found.append((x, client, not client, bool(self.violation[number]), bool(self.close[number])))
            return found
        for x in range(columns):
            start, end = x * count // columns, (x + 1) * count // columns
            client = self.client.find(1, start, end) >= 0
            server = self.client.find(0, start, end) >= 0
            found.append((x, client, server, self.violation.find(1, start, end) >= 0,
                          self.close.find(1, start, end) >= 0))
        return found


class Stepper(QObject):
    """Moves the session's cursor by frame, message or connection across the whole session."""

    def __init__(self, session: SessionModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session

    def step(self, unit: Unit, delta: int) -> bool:
        store = self.session.store
        if store is None:
            return False
        cursor = Cursor(store, self.session.position)
        if not cursor.step(unit, delta):
            return False
        self.session.select_position(cursor.position)
        return True

    def go_to_frame(self, number: int) -> None:
        """Select the session's frame `number` (counted from 0 in capture order), clamped to the ends."""
        store = self.session.store
        if store is None or not store.frame_positions:
            return
        number = min(max(number, 0), len(store.frame_positions) - 1)
        self.session.select_position(store.frame_positions[number])

    def actions(self, parent: QWidget) -> list[QAction]:
        """Window-wide shortcuts: Shift+F8 / F7 by message, Ctrl+F8 / F7 by connection (F8 / F7 alone
        already step frames within the connection)."""
        made = []
        for text, key, unit, delta in (
            (self.tr("Next &Message"), "Shift+F8", Unit.MESSAGE, 1),
            (self.tr("Previous M&essage"), "Shift+F7", Unit.MESSAGE, -1),
            (self.tr("Next &Connection"), "Ctrl+F8", Unit.CONNECTION, 1),
            (self.tr("Previous C&onnection"), "Ctrl+F7", Unit.CONNECTION, -1),
            (self.tr("Next Frame in the &Session"), "Alt+F8", Unit.FRAME, 1),
            (self.tr("Previous Frame in the S&ession"), "Alt+F7", Unit.FRAME, -1),
        ):
            action = QAction(text, parent, shortcut=QKeySequence(key))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
            action.triggered.connect(lambda _checked=False, u=unit, d=delta: self.step(u, d))
            parent.addAction(action)
            made.append(action)
        return made


class TimelineStrip(QWidget):
    """The painted strip (see the module docstring). Keys, when it has the focus: Left / Right by
    frame, with Shift by message, with Ctrl by connection; Home / End to the first / last frame."""

    frame_clicked = Signal(int)

    def __init__(self, session: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.stepper = Stepper(session, self)
        self.kinds = FrameKinds(session)
        self._buckets: tuple[int, list[tuple[int, bool, bool, bool, bool]]] = (-1, [])
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumHeight(STRIP_HEIGHT)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip(self.tr("Every frame of the session: from the client above the line (blue), from the server "
                                "below it (green); a red mark on top for a violation, a mark at the bottom for a Close."
                                " Click or drag to move; Left/Right by frame, with Shift by message, with Ctrl by "
                                "connection; Home/End to the first/last frame."))
        session.store_changed.connect(self._on_store_changed)
        session.store_grew.connect(self._on_store_grew)
        session.position_changed.connect(self.update)
        session.reveal_changed.connect(self.update)

    @Slot()
    def _on_store_changed(self) -> None:
        self.kinds = FrameKinds(self.session)
        self._buckets = (-1, [])
        self.update()

    @Slot()
    def _on_store_grew(self) -> None:
        self.kinds.grow()
        self._buckets = (-1, [])
        self.update()

    def current_frame(self) -> int:
        """The number of the session's frame at or before the cursor (-1: none)."""
        store = self.session.store
        return bisect_right(store.frame_positions, self.session.position) - 1 if store is not None else -1

    def _columns(self) -> int:
        return max(self.width() - 2 * MARGIN, 1)

    def _x_of(self, number: int) -> int:
        count = max(self.kinds.count, 1)
        return MARGIN + (2 * number + 1) * self._columns() // (2 * count)

    def _number_at(self, x: float) -> int:
        return int((x - MARGIN) * self.kinds.count // self._columns())

    def paintEvent(self, event: QPaintEvent) -> None:  # Qt's name
        painter = QPainter(self)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        middle = self.height() // 2
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(MARGIN, middle, self.width() - MARGIN, middle)
        columns = self._columns()
        if self._buckets[0] != columns:
            self._buckets = (columns, self.kinds.buckets(columns))
        reveal = self.session.reveal
        shown = self.kinds.count
        if reveal is not None and self.session.store is not None:
            shown = bisect_right(self.session.store.frame_positions, reveal)
        shown_x = self._x_of(shown - 1) if shown > 0 else 0
        tick = middle - MARK - 2
        dark = palette.color(QPalette.ColorRole.Text)
        pen_width = 3 if self.kinds.count * 6 <= columns else 1  # few frames: ticks wide enough to see
        for x, client, server, violation, close in self._buckets[1]:
            x += MARGIN
            faded = x > shown_x
            left = x - pen_width // 2
            if client:
                painter.fillRect(QRect(left, middle - tick, pen_width, tick), _faded(CLIENT_COLOUR, faded))
            if server:
                painter.fillRect(QRect(left, middle + 1, pen_width, tick), _faded(SERVER_COLOUR, faded))
            if violation:
                painter.fillRect(QRect(x - 2, 0, 5, MARK), _faded(VIOLATION_COLOUR, faded))
            if close:
                painter.fillRect(QRect(x - 2, self.height() - MARK, 5, MARK), _faded(dark, faded))
        current = self.current_frame()
        if current >= 0:
            painter.setPen(palette.color(QPalette.ColorRole.Highlight))
            x = self._x_of(current)
            painter.drawRect(x - 3, 0, 6, self.height() - 1)
        if self.hasFocus():
            painter.setPen(palette.color(QPalette.ColorRole.Highlight))
            painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:  # Qt's name
        if event.button() == Qt.MouseButton.LeftButton:
            self._go_to(event.position().x())

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # Qt's name
        if event.buttons() & Qt.MouseButton.LeftButton:
            self._go_to(event.position().x())

    def _go_to(self, x: float) -> None:
        if self.kinds.count:
            number = min(max(self._number_at(x), 0), self.kinds.count - 1)
            self.stepper.go_to_frame(number)
            self.frame_clicked.emit(number)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # Qt's name
        key, modifiers = event.key(), event.modifiers()
        if key in (Qt.Key.Key_Home, Qt.Key.Key_End):
            self.stepper.go_to_frame(0 if key == Qt.Key.Key_Home else self.kinds.count - 1)
            return
        if key not in (Qt.Key.Key_Left, Qt.Key.Key_Right):
            super().keyPressEvent(event)
            return
        delta = 1 if key == Qt.Key.Key_Right else -1
        if modifiers & Qt.KeyboardModifier.ControlModifier:
            self.stepper.step(Unit.CONNECTION, delta)
        elif modifiers & Qt.KeyboardModifier.ShiftModifier:
            self.stepper.step(Unit.MESSAGE, delta)
        else:
            self.stepper.step(Unit.FRAME, delta)


def _faded(colour: QColor, faded: bool) -> QColor:
    """Frames a playback has not reached yet are drawn pale."""
    if not faded:
        return colour
    pale = QColor(colour)
    pale.setAlpha(70)
    return pale
