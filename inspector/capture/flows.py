"""Per-TCP-connection state and the tests that decide whether a connection is WebSocket at all.

Theory of operation: a flow is keyed by its 4-tuple; side 0 is whoever sent the first packet we saw.
While UNDECIDED, each side's first bytes are held (bounded) and looked at:

- HTTP request line from one side -> that side is the client. Once the request's header block is
  complete, an `Upgrade: websocket` header makes the flow WEBSOCKET; anything else is plain HTTP and
  the flow becomes IGNORED, so its (possibly huge) body costs one dict lookup per packet.
- a SYN but no HTTP request -> not WebSocket (an RFC 6455 connection always starts with the request).
- no SYN and no HTTP (the capture began mid-connection) -> the bytes must look like a chain of
  WebSocket frame headers; which side masks its frames tells client from server (RFC 6455 5.1).

WebSocket is never inferred from a port number.
"""

from __future__ import annotations

import re
from collections import deque
from enum import Enum
from typing import Final

from ..protocol.constants import Direction
from ..protocol.frame import Frame
from ..session.events import Connection
from ..session.recorder import Carriers, Recorder
from .reassembly import StreamReassembler

MAX_REQUEST_HEAD: Final = 64 << 10  # an HTTP request head larger than this is not a WebSocket handshake
MAX_MIDSTREAM_PROBE: Final = 64 << 10  # bytes held per side while looking for frames in a mid-stream flow
MAX_RESYNC_SCAN: Final = 4096  # start positions tried when the capture began inside a frame
MIN_FRAME_CHAIN: Final = 3  # consecutive plausible headers that count as "this is WebSocket"

# RFC 9112 Section 3: method SP request-target SP HTTP-version CRLF
REQUEST_LINE: Final = re.compile(rb"[!#$%&'*+.^_`|~0-9A-Za-z-]{1,20} [^ \r\n]{1,8192} HTTP/\d\.\d\r?\n")
REQUEST_START: Final = re.compile(rb"[A-Z]{1,20}( |$)")
UPGRADE_WEBSOCKET: Final = re.compile(rb"(?im)^upgrade[ \t]*:[^\r\n]*websocket")
HEAD_END: Final = re.compile(rb"\r?\n\r?\n")

# RFC 6455 Section 5.2
KNOWN_OPCODES: Final = frozenset((0x0, 0x1, 0x2, 0x8, 0x9, 0xA))
CONTROL_BIT: Final = 0x8
MAX_CONTROL_PAYLOAD: Final = 125


class State(Enum):
    UNDECIDED = "undecided"
    WEBSOCKET = "websocket"
    IGNORED = "ignored"


class HttpVerdict(Enum):
    NEED_MORE = "need-more"
    NOT_HTTP = "not-http"
    UPGRADE = "upgrade"
    PLAIN = "plain"


def http_verdict(head: bytes | bytearray) -> HttpVerdict:
    """Is this the start of an HTTP request asking to upgrade to WebSocket?"""
    if not REQUEST_START.match(head[:21]):
        return HttpVerdict.NOT_HTTP
    line_end = head.find(b"\n", 0, 8300)
    if line_end < 0:
        return HttpVerdict.NEED_MORE if len(head) < 8300 else HttpVerdict.NOT_HTTP
    if not REQUEST_LINE.match(head, 0, line_end + 1):
        return HttpVerdict.NOT_HTTP
    end = HEAD_END.search(head, line_end - 1 if line_end else 0)
    if end is None:
        return HttpVerdict.NEED_MORE if len(head) < MAX_REQUEST_HEAD else HttpVerdict.PLAIN
    return HttpVerdict.UPGRADE if UPGRADE_WEBSOCKET.search(head, 0, end.end()) else HttpVerdict.PLAIN


def _plausible_chain(data: bytes | bytearray, start: int) -> tuple[int, bool | None, bool]:
    """Walk frame headers from `start`: (complete frames, mask bit, reached the end exactly)."""
    size = len(data)
    pos = start
    count = 0
    masked: bool | None = None
    while pos + 2 <= size:
        first, second = data[pos], data[pos + 1]
        opcode = first & 0x0F
        if opcode not in KNOWN_OPCODES:
            break
        rsv = first & 0x70
        if rsv and (rsv != 0x40 or opcode & CONTROL_BIT):  # only RSV1, only on data frames (RFC 7692)
            break
        mask = bool(second & 0x80)
        if masked is not None and mask != masked:
            break
        length = second & 0x7F
        header = 2
        if length == 126:
            if pos + 4 > size:
                break
            length = (data[pos + 2] << 8) | data[pos + 3]
            header = 4
            if length < 126:
                break
        elif length == 127:
            if pos + 10 > size:
                break
            length = int.from_bytes(data[pos + 2 : pos + 10], "big")
            header = 10
            if length < 0x10000 or length >> 63:
                break
        if opcode & CONTROL_BIT and (length > MAX_CONTROL_PAYLOAD or not first & 0x80):
            break
        end = pos + header + (4 if mask else 0) + length
        if end > size:
            break
        masked = mask
        count += 1
        pos = end
    return count, masked, count > 0 and pos == size


def probe_frames(data: bytes | bytearray) -> bool | str | None:
    """Do these bytes (one direction, seen from the middle) look like WebSocket frames?

    Returns the mask bit of the frames found (True: the sender is the client), "wait" when more
    bytes are needed to say, or None when they do not look like WebSocket.
    """
    limit = min(len(data), MAX_RESYNC_SCAN)
    for start in range(limit):
        count, masked, exact = _plausible_chain(data, start)
        if count >= MIN_FRAME_CHAIN or (exact and start == 0):
            return masked
    return "wait" if len(data) < MAX_MIDSTREAM_PROBE else None


class Flow(Carriers):
    """One TCP connection as the pipeline tracks it; it knows which packets carried each frame."""

    __slots__ = (
        "addresses", "client_side", "connection", "head", "probed", "recorder", "spans", "state", "streams", "syn_seen",
    )

    def __init__(self, addresses: tuple[tuple[bytes, int], tuple[bytes, int]]) -> None:
        self.addresses = addresses  # (side 0 address, port), (side 1 address, port)
        self.streams = (StreamReassembler(), StreamReassembler())
        self.state = State.UNDECIDED
        self.client_side: int | None = None
        self.syn_seen = False
        self.head = (bytearray(), bytearray())  # bytes held per side while UNDECIDED
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
