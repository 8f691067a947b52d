"""A session kept in memory for browsing: every event in one global order, with per-connection views.

The dump streams events and forgets them; a viewer needs to go back to any frame, and playback needs
the session as it happened across connections. `events` is that order, exactly as produced; the
views and the position lists index into it, so stepping is a bisect and nothing is copied. Plain
data (no Qt): the window's models stay thin adapters over it.
"""

from __future__ import annotations

from bisect import bisect_left

from ..protocol.frame import Frame
from ..protocol.messages import Message
from .events import (
    Connection,
    ConnectionClosed,
    ConnectionOpened,
    EventHandler,
    FrameSeen,
    HandshakeSeen,
    MessageSeen,
    NoteSeen,
    SessionEvent,
)
from .timebase import TimeBase


class FrameRecord:
    """A frame, where and when it was seen, and the data message it belongs to once that completed."""

    __slots__ = ("frame", "message", "packets", "position", "time")

    def __init__(self, frame: Frame, packets: list[int], time: float, position: int = -1) -> None:
        self.frame = frame
        self.packets = packets
        self.time = time
        self.position = position  # index into SessionStore.events
        self.message: Message | None = None


class ConnectionView:
    """One connection's share of the session: its events' positions, frames, messages and notes."""

    def __init__(self, connection: Connection, first_time: float) -> None:
        self.connection = connection
        self.first_time = first_time
        self.positions: list[int] = []  # indices into SessionStore.events, increasing
        self.frames: list[FrameRecord] = []
        self.messages: list[Message] = []
        self.message_positions: list[int] = []
        self.notes: list[NoteSeen] = []
        self.closed_at: int | None = None  # position of its ConnectionClosed
        # Violations of the frames and messages counted so far; a table asks for the count on every paint.
        self._violations = 0
        self._counted_frames = 0
        self._counted_messages = 0

    @property
    def id(self) -> int:
        return self.connection.id

    def violation_count(self) -> int:
        """The connection's, its frames' and its messages' violations. Counted once per frame and
        message as they arrive (a frame is flagged before it is handed over); `recount` starts over."""
        frames, messages = self.frames, self.messages
        count = self._violations
        for index in range(self._counted_frames, len(frames)):
            count += len(frames[index].frame.violations)
        for index in range(self._counted_messages, len(messages)):
            count += len(messages[index].violations)
        self._violations, self._counted_frames, self._counted_messages = count, len(frames), len(messages)
        return count + len(self.connection.violations)

    def recount(self) -> None:
        self._violations = self._counted_frames = self._counted_messages = 0

    def add_frame(self, record: FrameRecord) -> None:
        self.frames.append(record)

    def frame_at(self, index: int) -> FrameRecord | None:
        """The record of the frame whose `Frame.index` is `index`. The connection numbers its frames
        0, 1, ... in the order it hands them over, so that is the record's place in `frames`."""
        frames = self.frames
        if 0 <= index < len(frames):
            record = frames[index]
            if record.frame.index == index:
                return record
        # Some numbers missing (hand-built stores): the numbers still increase along the list.
        place = bisect_left(frames, index, key=_frame_index)
        if place < len(frames) and frames[place].frame.index == index:
            return frames[place]
        return None

    def add_message(self, message: Message) -> None:
        self.messages.append(message)
        for index in message.frame_indices:
            record = self.frame_at(index)
            if record is not None:
                record.message = message


def _frame_index(record: FrameRecord) -> int:
    return record.frame.index


ConnectionRecord = ConnectionView  # the window's name for it


class SessionStore(EventHandler):
    """Every event of a session, in order, plus what a viewer looks up (see the module docstring)."""

    def __init__(self, source: str = "") -> None:
        self.source = source
        self.packets = 0
        self.times = TimeBase()  # what relative times count from: the first packet's time
        self.truncated = False  # the file ends inside a packet record; `packets` are the complete ones
        self.events: list[SessionEvent] = []
        self.running_time: list[float] = []  # per event, the latest time so far (end-of-capture events carry 0.0)
        self.connections: list[ConnectionView] = []
        self.by_id: dict[int, ConnectionView] = {}
        self.opened_positions: list[int] = []
        self.frame_positions: list[int] = []
        self.message_positions: list[int] = []
        self._view: ConnectionView | None = None
        self._position = -1

    def add(self, event: SessionEvent) -> None:
        position = len(self.events)
        self.events.append(event)
        running = self.running_time
        previous = running[-1] if running else event.time
        running.append(event.time if event.time > previous else previous)
        view = self.by_id.get(event.connection.id)
        if view is None:
            view = ConnectionView(event.connection, event.time)
            self.by_id[event.connection.id] = view
            self.connections.append(view)
        view.positions.append(position)
        self._view = view
        self._position = position
        event.deliver(self)

    def extend(self, events: list[SessionEvent]) -> None:
        for event in events:
            self.add(event)

    # -- EventHandler: what each kind adds to the views ---------------------------------------

    def opened(self, event: ConnectionOpened) -> None:
        self.opened_positions.append(self._position)

    def handshake(self, event: HandshakeSeen) -> None:
        pass

    def frame(self, event: FrameSeen) -> None:
        view = self._view
        assert view is not None
        view.add_frame(FrameRecord(event.frame, event.packets, event.time, self._position))
        self.frame_positions.append(self._position)

    def message(self, event: MessageSeen) -> None:
        view = self._view
        assert view is not None
        view.add_message(event.message)
        view.message_positions.append(self._position)
        self.message_positions.append(self._position)

    def note(self, event: NoteSeen) -> None:
        view = self._view
        assert view is not None
        view.notes.append(event)

    def closed(self, event: ConnectionClosed) -> None:
        view = self._view
        assert view is not None
        view.closed_at = self._position

    def finish(self) -> None:
        """The session is complete: counts that were kept as events arrived are taken again in full."""
        for view in self.connections:
            view.recount()

    @property
    def start_time(self) -> float | None:
        """The first packet's time (seconds since the epoch), the base of the relative times shown."""
        return self.times.start

    @property
    def frame_count(self) -> int:
        return len(self.frame_positions)
