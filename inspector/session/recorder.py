"""The one place where what a ConnectionDecoder found becomes session events.

Capture (per TCP flow) and the client (per connection) each keep a Recorder and hand it the decoder's
items with the packets and time that brought them. The first item opens the connection: it takes the
next id and a ConnectionOpened comes first. Frames take their packets from a `Carriers` when the
producer knows them (capture); a message takes the packets and time of its last frame.
"""

from __future__ import annotations

from ..protocol.constants import Direction
from ..protocol.frame import Frame
from ..protocol.handshake import Handshake
from ..protocol.messages import Message
from .events import (
    Connection,
    ConnectionClosed,
    ConnectionOpened,
    DecoderItem,
    FrameSeen,
    HandshakeSeen,
    MessageSeen,
    NoteSeen,
    SessionEvent,
)


class SessionIds:
    """Connection ids, 1, 2, ... in the order connections open; one per session."""

    __slots__ = ("next_id",)

    def __init__(self) -> None:
        self.next_id = 1

    def take(self) -> int:
        taken = self.next_id
        self.next_id = taken + 1
        return taken

    @property
    def taken(self) -> int:
        return self.next_id - 1


class Carriers:
    """Knows which packets carried a frame's bytes (capture/flows.py's Flow is one)."""

    def frame(self, frame: Frame, packets: list[int], time: float) -> tuple[list[int], float]:
        """The packets that carried the frame and the time of the one that completed it; `packets`
        and `time` (the packet being decoded) when that is not known."""
        return packets, time


class Recorder:
    """Turns one connection's decoder items into events. See the module docstring."""

    __slots__ = ("closed", "connection", "ids", "last_time", "refused")

    def __init__(self, connection: Connection, ids: SessionIds) -> None:
        self.connection = connection
        self.ids = ids
        self.refused = False  # the handshake was refused: no frames will follow
        self.closed = False
        self.last_time = 0.0  # of the latest packet that gave an event

    def take(self, items: list[DecoderItem], packets: list[int], time: float, out: list[SessionEvent],
             carriers: Carriers | None = None) -> None:
        """Append the events for `items`, which the packets `packets` at `time` completed."""
        if not items:
            return
        connection = self.connection
        if not connection.id:
            self._open(packets, time, out)
        if time > self.last_time:
            self.last_time = time
        last_packets = packets
        last_time = time
        for item in items:
            if type(item) is Frame:
                if carriers is not None:
                    last_packets, last_time = carriers.frame(item, packets, time)
                out.append(FrameSeen(connection, item, last_packets, last_time))
            elif type(item) is Message:
                out.append(MessageSeen(connection, item, last_packets, last_time))
            elif type(item) is Handshake:
                if item.refused:
                    self.refused = True
                out.append(HandshakeSeen(connection, item, packets, time))

    def note(self, kind: str, direction: Direction, offset: int, length: int, message: str, packets: list[int],
             time: float, out: list[SessionEvent]) -> None:
        """A note about the capture; dropped while the connection is not open (nothing to attach it to)."""
        if self.connection.id:
            out.append(NoteSeen(self.connection, direction, kind, offset, length, message, packets, time))

    def close(self, time: float, out: list[SessionEvent]) -> None:
        """The connection is over: one ConnectionClosed, if it was ever opened."""
        if self.connection.id and not self.closed:
            self.closed = True
            out.append(ConnectionClosed(self.connection, max(time, self.last_time)))

    def _open(self, packets: list[int], time: float, out: list[SessionEvent]) -> None:
        self.connection.id = self.ids.take()
        out.append(ConnectionOpened(self.connection, packets, time))
