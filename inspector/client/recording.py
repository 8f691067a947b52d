"""What the client saw: every chunk of bytes each side sent, with its time, and the session events the
decoder made of them.

This is the one seam between the engine and whatever consumes a session (the `send` command, a
pcapng writer, a session store): the engine only calls `Recording.record`, and consumers read
`chunks` and `events`. Both directions go through the same lenient `ConnectionDecoder` that decodes
captures, and its items become events through the same `session.recorder.Recorder` that capture
uses, so a frame the client sent is judged and recorded like one the server sent, or one in a file.
The client has no packets: its events carry an empty `packets` list and the time of the chunk.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from inspector.protocol.connection import ConnectionDecoder, Event
from inspector.protocol.constants import DEFAULT_INFLATE_LIMIT, Direction
from inspector.protocol.frame import Frame
from inspector.session.events import Connection, FrameSeen, SessionEvent
from inspector.session.recorder import Recorder, SessionIds

NO_PACKETS: list[int] = []  # shared by every client event: nothing appends to it


@dataclass(frozen=True, slots=True)
class Chunk:
    """Bytes one side sent: one write by the client, or one read by the client from the server."""

    number: int  # 1-based, both directions together, in the order they happened
    time: float  # seconds since the epoch
    direction: Direction
    data: bytes


def address_text(host: str, port: int) -> str:
    """"host:port", with an IPv6 host in brackets, as capture writes a connection's ends."""
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


@dataclass
class Recording:
    """Both directions of one client session, in order, and its events (see the module docstring)."""

    inflate_limit: int = DEFAULT_INFLATE_LIMIT
    chunks: list[Chunk] = field(default_factory=list)
    events: list[SessionEvent] = field(default_factory=list)
    decoder: ConnectionDecoder = field(init=False)
    connection: Connection = field(init=False)
    recorder: Recorder = field(init=False)
    received: int = 0  # bytes the server sent
    finished: bool = False

    def __post_init__(self) -> None:
        self.decoder = ConnectionDecoder(inflate_limit=self.inflate_limit)
        self.connection = Connection(0, "", "", self.decoder)
        self.recorder = Recorder(self.connection, SessionIds())

    def connected(self, client: tuple[str, int], server: tuple[str, int]) -> None:
        """The TCP connection is up: name its ends."""
        self.connection.client = address_text(*client)
        self.connection.server = address_text(*server)

    def record(self, direction: Direction, data: bytes, time: float) -> list[Event]:
        """Store one chunk and decode it; returns what the decoder completed (its events are in `events`)."""
        number = len(self.chunks) + 1
        self.chunks.append(Chunk(number, time, direction, data))
        if direction is Direction.SERVER:
            self.received += len(data)
        found = self.decoder.feed(direction, data)
        self.recorder.take(found, NO_PACKETS, time, self.events)
        return found

    def finish(self, time: float) -> list[Event]:
        """The connection is over: report truncated frames and unfinished messages (once), then the close."""
        if self.finished:
            return []
        self.finished = True
        found = self.decoder.finish()
        self.recorder.take(found, NO_PACKETS, time, self.events)
        self.recorder.close(time, self.events)
        return found

    def stream(self, direction: Direction) -> bytes:
        """Everything one side sent, joined."""
        return b"".join(c.data for c in self.chunks if c.direction is direction)

    def frames(self, direction: Direction | None = None) -> list[Frame]:
        return [e.frame for e in self.events
                if type(e) is FrameSeen and (direction is None or e.direction is direction)]
