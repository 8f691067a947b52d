"""What the client saw: every chunk of bytes each side sent, with its time, and what the decoder made of it.

This is the one seam between the engine and whatever consumes a session (the `send` command, a
pcapng writer, later a session store): the engine only calls `Recording.record`, and consumers read
`chunks` and `events`. Both directions go through the same lenient `ConnectionDecoder` that decodes
captures, so a frame the client sent is judged by the same rules as one the server sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from inspector.protocol.connection import ConnectionDecoder, Event
from inspector.protocol.constants import DEFAULT_INFLATE_LIMIT, Direction
from inspector.protocol.frame import Frame


@dataclass(frozen=True, slots=True)
class Chunk:
    """Bytes one side sent: one write by the client, or one read by the client from the server."""

    number: int  # 1-based, both directions together, in the order they happened
    time: float  # seconds since the epoch
    direction: Direction
    data: bytes


@dataclass(frozen=True, slots=True)
class TimedEvent:
    """A handshake, frame or message the decoder completed, with the chunk that completed it."""

    time: float
    chunk: int
    item: Event


@dataclass
class Recording:
    """Both directions of one client session, in order, and the decoded events (see the module docstring)."""

    inflate_limit: int = DEFAULT_INFLATE_LIMIT
    chunks: list[Chunk] = field(default_factory=list)
    events: list[TimedEvent] = field(default_factory=list)
    decoder: ConnectionDecoder = field(init=False)
    received: int = 0  # bytes the server sent
    finished: bool = False

    def __post_init__(self) -> None:
        self.decoder = ConnectionDecoder(inflate_limit=self.inflate_limit)

    def record(self, direction: Direction, data: bytes, time: float) -> list[Event]:
        """Store one chunk and decode it; returns the events it completed."""
        number = len(self.chunks) + 1
        self.chunks.append(Chunk(number, time, direction, data))
        if direction is Direction.SERVER:
            self.received += len(data)
        found = self.decoder.feed(direction, data)
        self.events.extend(TimedEvent(time, number, item) for item in found)
        return found

    def finish(self, time: float) -> list[Event]:
        """The connection is over: report truncated frames and unfinished messages (once)."""
        if self.finished:
            return []
        self.finished = True
        number = len(self.chunks)
        found = self.decoder.finish()
        self.events.extend(TimedEvent(time, number, item) for item in found)
        return found

    def stream(self, direction: Direction) -> bytes:
        """Everything one side sent, joined."""
        return b"".join(c.data for c in self.chunks if c.direction is direction)

    def frames(self, direction: Direction | None = None) -> list[Frame]:
        return [e.item for e in self.events
                if type(e.item) is Frame and (direction is None or e.item.direction is direction)]
