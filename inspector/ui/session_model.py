"""What the window shows: the loaded session and the selection in it, as one object every pane listens to.

The panes never talk to each other. A pane that the user clicks in asks this model to select
(a connection, a frame, a field); the model announces the change, and every pane, the clicked one
included, brings itself in line. A selection that is already current is not announced again, so a
pane answering an announcement by selecting the same thing ends the round trip.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right

from PySide6.QtCore import QObject, Signal

from ..protocol.fieldtree import Field, frame_fields
from ..protocol.messages import Message
from ..session.store import ConnectionRecord, FrameRecord, SessionStore


class SessionModel(QObject):
    store_changed = Signal()  # a new store (or none): the connection list changes
    store_grew = Signal()  # the store being loaded got more events: rows are appended, none change place
    connection_changed = Signal()  # the selected connection changed; no frame is selected yet
    frame_changed = Signal()  # the selected frame and its field tree changed; no field is selected yet
    field_changed = Signal()  # the selected field changed
    position_changed = Signal()  # the cursor moved: `position` in store.events
    reveal_changed = Signal()  # how much of the session a playback has shown so far changed
    message_changed = Signal()  # the selected message changed (its frames are the ones to mark)
    filter_changed = Signal()  # the frames a display filter keeps changed (or the filter was cleared)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.store: SessionStore | None = None
        self.connection: ConnectionRecord | None = None
        self.frame_row = -1  # the selected frame's position in the connection's frames
        self.frame: FrameRecord | None = None
        self.tree: Field | None = None  # the selected frame's field tree
        self.field: Field | None = None
        self.position = -1  # the cursor, an index into store.events (-1: before the first event)
        self.reveal: int | None = None  # during a playback, the last event position shown; None shows all
        self.message: Message | None = None
        self._seeking = False
        self.kept: dict[int, list[int]] | None = None  # per connection id, the rows a filter keeps; None: all
        self._previous: tuple[SessionStore | None, ConnectionRecord | None, int] | None = None

    def set_store(self, store: SessionStore | None) -> None:
        """Show `store` and select its first connection and that connection's first frame. Showing the
        store already shown (one that was loading and is complete now) only announces its growth."""
        self._previous = None
        if store is not None and store is self.store:
            self.grow()
            return
        self._show(store)

    def begin_store(self, store: SessionStore) -> None:
        """Show a store that is still loading; `restore_previous` goes back to what was shown before."""
        previous = self.store, self.connection, self.frame_row
        self._show(store)
        self._previous = previous

    def restore_previous(self) -> None:
        """The load begun by `begin_store` was cancelled or failed: show the session shown before it."""
        if self._previous is None:
            return
        store, connection, row = self._previous
        self._previous = None
        self._show(store)
        if connection is not None:
            self.select_connection(connection)
            self.select_frame(row)

    def grow(self) -> None:
        """The store got more events: the panes append rows; a connection that had no frames selects its first."""
        self.store_grew.emit()
        if self.connection is None and self.store is not None and self.store.connections:
            self.select_connection(self.store.connections[0])
        elif self.connection is not None and self.frame is None and self.connection.frames:
            self.select_frame(0)

    def _show(self, store: SessionStore | None) -> None:
        self.store = store
        self.connection = None
        self.position, self.reveal, self.message = -1, None, None
        self.kept = None
        self.store_changed.emit()
        self.select_connection(store.connections[0] if store is not None and store.connections else None)

    def select_connection(self, record: ConnectionRecord | None) -> None:
        if record is not None and record is self.connection:
            return
        self.connection = record
        self.frame_row, self.frame, self.tree, self.field = -1, None, None, None
        self.connection_changed.emit()
        if record is not None and record.frame_positions and self.revealed(record.frame_positions[0]):
            self.select_frame(0)

    def select_frame(self, row: int) -> None:
        """Select the connection's frame at `row` (out of range: nothing happens)."""
        if self.connection is None or not 0 <= row < len(self.connection.frames):
            return
        record = self.connection.frames[row]
        if record is self.frame:
            return
        self.frame_row, self.frame = row, record
        if self.message is not None and record.message is not self.message:
            self.message = None  # the selection left the selected message; the messages view follows the frame
        self.tree = frame_fields(record.frame, message=record.message)
        self.field = None
        if not self._seeking:
            self._move(record.position)
        self.frame_changed.emit()
        self.select_field(self.tree)

    def select_field(self, node: Field | None) -> None:
        if node is None or node is self.field:
            return
        self.field = node
        self.field_changed.emit()

    def set_filter(self, kept: dict[int, list[int]] | None) -> None:
        """Keep only these rows of each connection (None: every row) and announce it."""
        self.kept = kept
        self.filter_changed.emit()

    def visible_rows(self) -> list[int] | None:
        """The selected connection's rows the filter keeps, or None when no filter is set."""
        if self.kept is None or self.connection is None:
            return None
        return self.kept.get(self.connection.id, [])

    def step_frame(self, delta: int) -> None:
        """Move the frame selection by `delta` among the connection's shown frames, stopping at their ends."""
        if self.connection is None or not self.connection.frames:
            return
        rows = self.visible_rows()
        if rows is None:
            last = len(self.connection.frames) - 1
            self.select_frame(min(max(self.frame_row + delta, 0), last) if self.frame_row >= 0 else 0)
            return
        if not rows:
            return
        here = bisect_left(rows, self.frame_row) if self.frame_row >= 0 else 0
        if delta < 0 or (here < len(rows) and rows[here] == self.frame_row):
            here += delta
        elif delta > 0:
            here += delta - 1  # the selection is hidden: the next shown frame is one step forward
        self.select_frame(rows[min(max(here, 0), len(rows) - 1)])

    def select_session_frame(self, number: int) -> bool:
        """Select frame `number` of the whole session, counted from 0 in capture order (False: no such frame)."""
        store = self.store
        if store is None or not 0 <= number < len(store.frame_positions):
            return False
        position = store.frame_positions[number]
        view = store.view_at(position)
        row = bisect_left(view.frame_positions, position)
        self.select_connection(view)
        self.select_frame(row)
        return True

    def select_field_named(self, filter_name: str) -> bool:
        """Select the selected frame's field of this filter name (False: the frame has none)."""
        node = self.tree.find(filter_name) if self.tree is not None else None
        self.select_field(node)
        return node is not None

    # -- the cursor over the whole session (timeline, playback) -------------------------------

    def revealed(self, position: int) -> bool:
        return self.reveal is None or position <= self.reveal

    def select_position(self, position: int) -> None:
        """Put the cursor at event `position`: select its connection and that connection's latest frame there."""
        store = self.store
        if store is None or not 0 <= position < len(store.events):
            return
        view = store.view_at(position)
        self._seeking = True
        try:
            if self.reveal is not None:
                self.set_reveal(position)
            self.select_connection(view)
            if view is not None:
                row = bisect_right(view.frame_positions, position) - 1
                if row >= 0:
                    self.select_frame(row)
        finally:
            self._seeking = False
        self._move(position)

    def set_reveal(self, position: int | None) -> None:
        """Show the session up to event `position` only (None: all of it), as a playback reaches it."""
        if position != self.reveal:
            self.reveal = position
            self.reveal_changed.emit()

    def select_message(self, message: Message | None) -> None:
        """Select a message of the selected connection: its first frame becomes the selected frame."""
        if message is self.message:
            return
        self.message = message
        if message is not None and self.connection is not None:
            rows = self.message_rows(message)
            if rows:
                self.select_frame(rows[0])
        self.message_changed.emit()

    def message_rows(self, message: Message) -> list[int]:
        """The rows in the connection's frames of `message`'s frames."""
        if self.connection is None:
            return []
        indices = self.connection.frame_indices
        rows = [bisect_left(indices, index) for index in message.frame_indices]
        return [row for row in rows if row < len(indices)]

    def _move(self, position: int) -> None:
        if position != self.position:
            self.position = position
            self.position_changed.emit()
