"""`dump --filter`: which of the pipeline's events a display filter lets through to the writer.

What passes, as a Wireshark user expects from a display filter over reassembled data:
- a frame, when the filter matches it; the frame that completes a data message is tested with that
  message (its text, its violations), as Wireshark shows reassembled data on the last fragment;
- a message, when the frame that completed it passed (a message cut short by a capture gap or by
  the end of the capture, or a pre-RFC message, has no such frame and does not pass);
- a connection, just before its first frame that passes: connections with no such frame are left out;
- a capture note (a lost segment), once its connection has been written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from inspector.capture.packets import RawPacket
from inspector.capture.pipeline import CaptureDecoder
from inspector.filter import DisplayFilter
from inspector.protocol.frame import Frame
from inspector.protocol.messages import Message
from inspector.session.events import ConnectionOpened, FrameSeen, MessageSeen, NoteSeen, SessionEvent

Write = Callable[[list[SessionEvent], int | None], None]


class FrameSelection:
    def __init__(self, display_filter: DisplayFilter) -> None:
        self.matches = display_filter.matches
        self.waiting: dict[int, SessionEvent] = {}  # connections announced, no frame passed yet
        self.written: set[int] = set()  # connections let through
        self.announced: set[int] = set()  # every connection seen, passed or not

    def write(self, packets: Iterable[RawPacket], decoder: CaptureDecoder, write: Write, wanted: int | None) -> None:
        """Decode `packets` and hand the events that pass to `write` (a dump writer's write_all)."""
        for packet in packets:
            events = decoder.feed(packet)
            if events:
                events = self.select(events)
                if events:
                    write(events, wanted)
        write(self.select(decoder.finish()), wanted)

    def select(self, events: list[SessionEvent]) -> list[SessionEvent]:
        passed: list[SessionEvent] = []
        matches = self.matches
        completed_by_passed: Message | None = None  # the message the last frame that passed completes
        count = len(events)
        for position, event in enumerate(events):
            connection = event.connection.id
            if type(event) is FrameSeen:
                frame = event.frame
                following = events[position + 1] if position + 1 < count else None
                completed = None
                if type(following) is MessageSeen and _completes(frame, following.message):
                    completed = following.message
                if matches(frame, connection, completed):
                    waiting = self.waiting.pop(connection, None)
                    if waiting is not None:
                        self.written.add(connection)
                        passed.append(waiting)
                    passed.append(event)
                    completed_by_passed = completed
            elif type(event) is MessageSeen:
                if event.message is completed_by_passed:
                    passed.append(event)
            elif type(event) is ConnectionOpened:
                self.announced.add(connection)
                self.waiting[connection] = event
            elif type(event) is NoteSeen and connection in self.written:
                passed.append(event)
        return passed


def _completes(frame: Frame, message: Message) -> bool:
    """Whether `frame` is the last frame of `message` (both of one connection's direction)."""
    return message.direction is frame.direction and bool(message.frame_indices) and \
        message.frame_indices[-1] == frame.index
