"""Per-TCP-connection state and the tests that decide whether a connection is WebSocket at all.

Theory of operation: a flow is keyed by its 4-tuple; side 0 is whoever sent the first packet we saw.
While UNDECIDED, each side's first bytes are held (bounded) and looked at:

- HTTP request line from one side -> that side is the client. Once the request's header block is
  complete, an `Upgrade: websocket` header makes the flow WEBSOCKET; anything else is plain HTTP and
  the flow becomes IGNORED, so its (possibly huge) body costs one dict lookup per packet.
- a SYN but no HTTP request -> not WebSocket (an RFC 6455 connection always starts with the request).
- no SYN and no HTTP (the capture began mid-connection) -> the bytes must hold a chain of plausible
  WebSocket frames by the decoder's own resync rule (FrameProbe); which side masks its frames tells
  client from server (RFC 6455 5.1).

Both looks remember where they stopped (RequestHead, FrameProbe), so holding a head costs linear work.

WebSocket is never inferred from a port number.
"""

from __future__ import annotations

import re
from collections import deque
from enum import Enum
from typing import Final

from ..protocol.constants import RSV1_BIT, Direction
from ..protocol.frame import Frame
from ..protocol.resync import FrameStartFinder
from ..session.events import Connection
from ..session.recorder import Carriers, Recorder
from .reassembly import StreamReassembler

MAX_REQUEST_HEAD: Final = 64 << 10  # an HTTP request head larger than this is not a WebSocket handshake
MAX_MIDSTREAM_PROBE: Final = 64 << 10  # bytes looked at per side while looking for frames in a mid-stream flow
MAX_RESYNC_SCAN: Final = 4096  # the frames of a mid-stream flow must start within its first bytes
REQUEST_START_LIMIT: Final = 21  # a method of up to 20 letters, then a space
REQUEST_LINE_LIMIT: Final = 8300  # a request line longer than this (8 KiB of target) is not a handshake
HEAD_END_MAX: Final = 4  # the longest blank line that ends a head: CR LF CR LF
NOT_FOUND: Final = -1  # FrameProbe.starts: not found yet
NO_START: Final = -2  # FrameProbe.starts: settled, none

# RFC 9112 Section 3: method SP request-target SP HTTP-version CRLF
REQUEST_LINE: Final = re.compile(rb"[!#$%&'*+.^_`|~0-9A-Za-z-]{1,20} [^ \r\n]{1,8192} HTTP/\d\.\d\r?\n")
REQUEST_START: Final = re.compile(rb"[A-Z]{1,20}( |$)")
UPGRADE_WEBSOCKET: Final = re.compile(rb"(?im)^upgrade[ \t]*:[^\r\n]*websocket")
HEAD_END: Final = re.compile(rb"\r?\n\r?\n")


class State(Enum):
    UNDECIDED = "undecided"
    WEBSOCKET = "websocket"
    IGNORED = "ignored"


class HttpVerdict(Enum):
    NEED_MORE = "need-more"
    NOT_HTTP = "not-http"
    UPGRADE = "upgrade"
    PLAIN = "plain"


class RequestHead:
    """`http_verdict`, remembering where it stopped: each call reads only the bytes added since the last,
    so the held head costs linear work however finely TCP cut it."""

    def __init__(self) -> None:
        self.verdict = HttpVerdict.NEED_MORE  # the others are final: more bytes never change them
        self.line_end = -1  # where the request line ends, once found
        self.searched = 0  # where the next search (for the line's end, then the head's) starts

    def judge(self, head: bytes | bytearray) -> HttpVerdict:
        if self.verdict is HttpVerdict.NEED_MORE:
            self.verdict = self._judge(head)
        return self.verdict

    def _judge(self, head: bytes | bytearray) -> HttpVerdict:
        if self.line_end < 0:
            if not REQUEST_START.match(head[:REQUEST_START_LIMIT]):
                return HttpVerdict.NOT_HTTP
            line_end = head.find(b"\n", self.searched, REQUEST_LINE_LIMIT)
            if line_end < 0:
                self.searched = min(len(head), REQUEST_LINE_LIMIT)
                return HttpVerdict.NEED_MORE if len(head) < REQUEST_LINE_LIMIT else HttpVerdict.NOT_HTTP
            if not REQUEST_LINE.match(head, 0, line_end + 1):
                return HttpVerdict.NOT_HTTP
            self.line_end = line_end
            self.searched = line_end - 1 if line_end else 0
        end = HEAD_END.search(head, self.searched)
        if end is None:
            # The blank line is at most 4 bytes: one that began in these bytes starts in their last 3.
            self.searched = max(self.searched, len(head) - (HEAD_END_MAX - 1))
            return HttpVerdict.NEED_MORE if len(head) < MAX_REQUEST_HEAD else HttpVerdict.PLAIN
        return HttpVerdict.UPGRADE if UPGRADE_WEBSOCKET.search(head, 0, end.end()) else HttpVerdict.PLAIN


def http_verdict(head: bytes | bytearray) -> HttpVerdict:
    """Is this the start of an HTTP request asking to upgrade to WebSocket? (One look at `head`.)"""
    return RequestHead().judge(head)


class Probe(Enum):
    CLIENT_FRAMES = "client-frames"  # masked frames: this side is the client (RFC 6455 §5.1)
    SERVER_FRAMES = "server-frames"  # unmasked frames: this side is the server
    WAIT = "wait"  # the bytes so far cannot tell
    NOT_WEBSOCKET = "not-websocket"


class FrameProbe:
    """Do one side's bytes, seen from the middle of a connection, look like WebSocket frames?

    The rule is the decoder's own resynchronisation (protocol/resync.py): a start is where a chain of
    plausible frames begins, searched once as a client's (masked) and once as a server's. The earlier
    start wins, if it lies within the first MAX_RESYNC_SCAN bytes; at most MAX_MIDSTREAM_PROBE bytes
    are looked at. The finders are fed as bytes arrive and never look back, so the work is linear, and
    the verdict depends on the bytes alone, not on how TCP cut them: an answer is given only once no
    later byte (within the limit) can change it.
    """

    def __init__(self) -> None:
        # A mid-stream connection is decoded as if permessage-deflate were agreed (RSV1 allowed), so
        # the probe allows what the decoder's own search will.
        self.finders = [FrameStartFinder(Direction.CLIENT, RSV1_BIT), FrameStartFinder(Direction.SERVER, RSV1_BIT)]
        self.starts = [NOT_FOUND, NOT_FOUND]  # per finder: its start, NOT_FOUND, or NO_START once settled
        self.fed = 0
        self.verdict = Probe.WAIT
        self.start = NOT_FOUND  # where the frames begin, once the verdict is a direction

    def feed(self, data: bytes | bytearray, final: bool = False) -> Probe:
        """Look at the next bytes of this side; `final` when no more will come."""
        if self.verdict is not Probe.WAIT:
            return self.verdict
        room = MAX_MIDSTREAM_PROBE - self.fed
        chunk = bytes(data[:room]) if len(data) > room else bytes(data)
        self.fed += len(chunk)
        final = final or self.fed >= MAX_MIDSTREAM_PROBE
        for index, finder in enumerate(self.finders):
            if self.starts[index] != NOT_FOUND:
                continue
            found = finder.feed(chunk)
            if found is None and final:
                found = finder.finish()
            if found is not None:
                self.starts[index] = found[0]
            elif final:
                self.starts[index] = NO_START
        self.verdict = self._decide()
        return self.verdict

    def _reach(self, index: int) -> int:
        """Offsets before this are settled for one finder: its start (or none) is at or after it."""
        start = self.starts[index]
        if start == NO_START:
            return MAX_MIDSTREAM_PROBE + 1
        return start if start != NOT_FOUND else self.finders[index].skipped

    def _decide(self) -> Probe:
        candidates = [(start, index) for index, start in enumerate(self.starts) if 0 <= start <= MAX_RESYNC_SCAN]
        if candidates:
            start, index = min(candidates)
            if self._reach(1 - index) >= start:  # the other search cannot find an earlier start any more
                self.start = start
                return Probe.CLIENT_FRAMES if index == 0 else Probe.SERVER_FRAMES
            return Probe.WAIT
        if all(self._reach(index) > MAX_RESYNC_SCAN for index in (0, 1)):
            return Probe.NOT_WEBSOCKET
        return Probe.WAIT


def probe_frames(data: bytes | bytearray, *, final: bool = False) -> Probe:
    """FrameProbe's verdict on these bytes in one look."""
    return FrameProbe().feed(data, final)


class Flow(Carriers):
    """One TCP connection as the pipeline tracks it; it knows which packets carried each frame."""

    __slots__ = (
        "addresses", "client_side", "connection", "head", "probed", "probes", "recorder", "requests", "spans", "state",
        "streams", "syn_seen",
    )

    def __init__(self, addresses: tuple[tuple[bytes, int], tuple[bytes, int]]) -> None:
        self.addresses = addresses  # (side 0 address, port), (side 1 address, port)
        self.streams = (StreamReassembler(), StreamReassembler())
        self.state = State.UNDECIDED
        self.client_side: int | None = None
        self.syn_seen = False
        self.head = (bytearray(), bytearray())  # bytes held per side while UNDECIDED
        self.requests = (RequestHead(), RequestHead())  # per side: is the head an upgrade request?
        self.probes: list[FrameProbe | None] = [None, None]  # per side, made when a mid-stream look begins
        self.probed = [0, 0]  # head length when each side was last probed
        # Per side: (stream end offset, packet number, time) of delivered chunks not yet fully
        # consumed by frames. Trimmed as frames complete, so it stays short.
        self.spans: tuple[deque[tuple[int, int, float]], deque[tuple[int, int, float]]] = (deque(), deque())
        self.connection: Connection | None = None
        self.recorder: Recorder | None = None  # once the flow is WebSocket

    @property
    def closed(self) -> bool:
        return self.streams[0].closed and self.streams[1].closed

    def ignore(self) -> None:
        self.state = State.IGNORED
        self.head[0].clear()
        self.head[1].clear()
        self.spans[0].clear()
        self.spans[1].clear()

    def frame(self, frame: Frame, packets: list[int], time: float) -> tuple[list[int], float]:
        """The packets that carried the frame's bytes, and the time of the one that completed it.

        Drops the spans that end before the frame starts: frames come in stream order, so no later
        frame needs them. `packets` and `time` (the packet being decoded) stand in when no span is
        left: bytes handed over at once when the flow became WebSocket, or lost in a gap.
        """
        client = self.client_side or 0
        spans = self.spans[client if frame.direction is Direction.CLIENT else 1 - client]
        start = frame.offset
        while spans and spans[0][0] <= start:
            spans.popleft()
        if not spans:
            return packets, time
        first = spans[0]
        end = start + frame.wire_length
        if first[0] >= end:  # the common case: one packet carried the whole frame
            return [first[1]], first[2]
        carriers: list[int] = []
        last = first
        for span in spans:
            if not carriers or carriers[-1] != span[1]:
                carriers.append(span[1])
            last = span
            if span[0] >= end:
                break
        return carriers, last[2]
