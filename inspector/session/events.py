"""What a session is made of: typed events, each with its connection, direction, packets and time.

A consumer subclasses `EventHandler` and calls `event.deliver(handler)`: the event calls the one
method for its kind, so no consumer switches on types by hand. Subclasses of EventHandler must be
compiled with it (setup.py COMPILED): an interpreted class cannot inherit from a compiled one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import final

from ..protocol.connection import ConnectionDecoder
from ..protocol.constants import Direction
from ..protocol.frame import Frame
from ..protocol.handshake import Handshake
from ..protocol.messages import Message
from ..protocol.violations import Violation

# What ConnectionDecoder.feed, gap and finish return.
DecoderItem = Handshake | Frame | Message


@dataclass(eq=False)
class Connection:
    """A WebSocket connection found in the traffic. Its decoder holds the protocol facts."""

    id: int  # 0 until the connection is opened (its first event); then 1, 2, ... in order of opening
    client: str  # "address:port"
    server: str
    decoder: ConnectionDecoder
    gaps: int = 0  # lost TCP segments (holes in either direction)
    conflicts: int = 0  # retransmissions whose bytes differed from the first copy

    @property
    def protocol(self) -> str:
        return self.decoder.protocol

    @property
    def handshake(self) -> Handshake | None:
        return self.decoder.handshake

    @property
    def violations(self) -> list[Violation]:
        return self.decoder.all_violations


class SessionEvent:
    """One thing that happened in a session. `packets` are 1-based packet numbers ([] when the
    event came from the client, which has no packets); `time` is seconds since the epoch."""

    __slots__ = ("connection", "direction", "packets", "time")

    connection: Connection
    direction: Direction | None  # None for events of the connection as a whole
    packets: list[int]
    time: float

    def deliver(self, handler: EventHandler) -> None:
        raise NotImplementedError


@final
class ConnectionOpened(SessionEvent):
    __slots__ = ()

    def __init__(self, connection: Connection, packets: list[int], time: float) -> None:
        self.connection = connection
        self.direction = None
        self.packets = packets
        self.time = time

    def deliver(self, handler: EventHandler) -> None:
        handler.opened(self)


@final
class HandshakeSeen(SessionEvent):
    """The opening handshake completed (accepted or refused)."""

    __slots__ = ("handshake",)

    def __init__(self, connection: Connection, handshake: Handshake, packets: list[int], time: float) -> None:
        self.connection = connection
        self.direction = None
        self.handshake = handshake
        self.packets = packets
        self.time = time

    def deliver(self, handler: EventHandler) -> None:
        handler.handshake(self)


@final
class FrameSeen(SessionEvent):
    __slots__ = ("frame",)

    def __init__(self, connection: Connection, frame: Frame, packets: list[int], time: float) -> None:
        self.connection = connection
        self.direction = frame.direction
        self.frame = frame
        self.packets = packets
        self.time = time

    def deliver(self, handler: EventHandler) -> None:
        handler.frame(self)


@final
class MessageSeen(SessionEvent):
    __slots__ = ("message",)

    def __init__(self, connection: Connection, message: Message, packets: list[int], time: float) -> None:
        self.connection = connection
        self.direction = message.direction
        self.message = message
        self.packets = packets
        self.time = time

    def deliver(self, handler: EventHandler) -> None:
        handler.message(self)


@final
class NoteSeen(SessionEvent):
    """Something the capture itself shows, not a rule the peers broke: a lost segment, a conflicting
    retransmission. Not part of the JSON dump schema; the text listing prints it."""

    __slots__ = ("kind", "length", "message", "offset")

    def __init__(self, connection: Connection, direction: Direction, kind: str, offset: int, length: int,
                 message: str, packets: list[int], time: float) -> None:
        self.connection = connection
        self.direction = direction
        self.kind = kind  # "gap" or "overlap-conflict"
        self.offset = offset  # stream offset in that direction
        self.length = length  # missing bytes, or differing bytes
        self.message = message
        self.packets = packets
        self.time = time

    def deliver(self, handler: EventHandler) -> None:
        handler.note(self)


@final
class ConnectionClosed(SessionEvent):
    """The connection's TCP flow ended (or the traffic did): nothing more will come for it."""

    __slots__ = ()

    def __init__(self, connection: Connection, time: float) -> None:
        self.connection = connection
        self.direction = None
        self.packets = []
        self.time = time

    def deliver(self, handler: EventHandler) -> None:
        handler.closed(self)


class EventHandler:
    """A consumer of events; each method does nothing until a subclass says otherwise."""

    def opened(self, event: ConnectionOpened) -> None:
        pass

    def handshake(self, event: HandshakeSeen) -> None:
        pass

    def frame(self, event: FrameSeen) -> None:
        pass

    def message(self, event: MessageSeen) -> None:
        pass

    def note(self, event: NoteSeen) -> None:
        pass

    def closed(self, event: ConnectionClosed) -> None:
        pass
