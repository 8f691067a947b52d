"""From packets to WebSocket events: the one pipeline that capture files and live capture share.

    RawPacket -> layers.decode_tcp -> flow table (4-tuple) -> StreamReassembler per direction
              -> flows: is it WebSocket, who is the client -> ConnectionDecoder
              -> session.recorder.Recorder -> session events (session/events.py)

Feed packets one at a time with `feed`; call `finish` at the end. Nothing is kept per frame: each
event is handed out and forgotten, so memory does not grow with the capture. Per direction, a short
deque maps stream offsets to the packets that carried them; it is trimmed as frames complete.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Final

from ..protocol.connection import ConnectionDecoder
from ..protocol.constants import Direction
from ..protocol.frame import Frame
from ..session.events import Connection, DecoderItem, SessionEvent
from ..session.recorder import Recorder, SessionIds
from .flows import Flow, FrameProbe, HttpVerdict, Probe, State
from .layers import ACK, FIN, RST, SYN, decode_tcp_fast, format_address
from .packets import RawPacket
from .reassembly import DATA, GAP, Chunk

MAX_SPANS: Final = 65536  # delivered chunks remembered per direction while waiting for a frame to complete
CLIENT: Final = Direction.CLIENT
SERVER: Final = Direction.SERVER
WEBSOCKET: Final = State.WEBSOCKET


class CaptureDecoder:
    """Turns packets into session events. See the module docstring."""

    def __init__(self, *, inflate_limit: int | None = None) -> None:
        self._flows: dict[tuple[bytes, int, bytes, int], Flow] = {}
        self._ids = SessionIds()
        self._inflate_limit = inflate_limit
        self.packets = 0
        self.tcp_packets = 0

    # -- public -----------------------------------------------------------------------------

    @property
    def connections_found(self) -> int:
        """WebSocket connections reported so far (their ids run from 1 to this)."""
        return self._ids.taken

    @property
    def tracked_flows(self) -> int:
        """TCP connections currently followed (ended ones are forgotten)."""
        return len(self._flows)

    def feed(self, packet: RawPacket) -> list[SessionEvent]:
        self.packets += 1
        segment = decode_tcp_fast(packet.linktype, packet.data)
        if segment is None:
            return []
        self.tcp_packets += 1
        src, dst, sport, dport, seq, _ack, flags, payload = segment
        flows = self._flows
        flow = flows.get((src, sport, dst, dport))
        side = 0
        if flow is None:
            flow = flows.get((dst, dport, src, sport))
            side = 1
        if flow is not None and flow.state is WEBSOCKET and not flags & (SYN | FIN | RST):
            # Nearly every packet of a capture: the next in-order bytes of a known WebSocket connection.
            fast = self._next_in_order(flow, side, seq, payload, packet)
            if fast is not None:
                return fast
        out: list[SessionEvent] = []
        if (
            flow is not None
            and flags & SYN
            and not flags & ACK
            and side == 0
            and (flow.streams[0].offset or flow.streams[1].offset)
        ):
            # A new SYN on a 4-tuple that already carried data: the old connection is over (port reuse).
            self._end_flow(flow, packet.time, out)
            flow = None
        if flow is None:
            if not payload and not flags & SYN:
                return out  # a late ACK or RST of a connection already ended: nothing to start from
            flow = Flow(((src, sport), (dst, dport)))
            flows[(src, sport, dst, dport)] = flow
            side = 0
        if flow.state is State.IGNORED:
            stream = flow.streams[side]
            if flags & (FIN | RST):  # forget the flow once both sides are done
                stream.closed = True
                if flow.closed or flags & RST:
                    self._end_flow(flow, packet.time, out)
            return out
        if flags & SYN:
            flow.syn_seen = True
            if flow.client_side is None:
                flow.client_side = side if not flags & ACK else 1 - side
        streams = flow.streams
        chunks = streams[side].segment(seq, flags, payload, packet.number, packet.time)
        if chunks:
            self._chunks(flow, side, chunks, out)
        if flags & FIN and streams[0].fin_seen and streams[1].fin_seen and not flow.closed:
            # Both sides said goodbye, yet a hole remains: the segment is lost, not late.
            for stream_side in (0, 1):
                held = streams[stream_side].flush(packet.number, packet.time)
                if held:
                    self._chunks(flow, stream_side, held, out)
                streams[stream_side].closed = True
        if flow.closed:
            if flow.state is State.UNDECIDED:
                self._decide(flow, out, final=True)
            self._end_flow(flow, packet.time, out)
        return out

    def _next_in_order(
        self, flow: Flow, side: int, seq: int, payload: bytes, packet: RawPacket
    ) -> list[SessionEvent] | None:
        """What segment -> _chunks -> _deliver -> _feed do for one in-order DATA chunk, without building
        the chunk list; None when the segment is not the next in order (the general path takes it)."""
        start = flow.streams[side].in_order(seq, payload)
        if start < 0:
            return None
        if not payload:
            return []
        spans = flow.spans[side]
        number = packet.number
        time = packet.time
        spans.append((start + len(payload), number, time))
        if len(spans) > MAX_SPANS:
            spans.popleft()
        connection = flow.connection
        recorder = flow.recorder
        assert connection is not None and recorder is not None  # a WEBSOCKET flow has both
        items = connection.decoder.feed(self._direction(flow, side), payload)
        if not items:
            return []
        out: list[SessionEvent] = []
        first = items[0]
        if type(first) is Frame and first.offset >= start:
            # Every frame began in this packet, so this packet alone carried each one: Flow.frame would
            # say so, after dropping every older span. One packets list serves all of these events.
            if len(spans) > 1:
                last = spans.pop()
                spans.clear()
                spans.append(last)
            recorder.take(items, [number], time, out)
        else:
            self._take(flow, items, [number], time, out)
        return out

    def finish(self) -> list[SessionEvent]:
        out: list[SessionEvent] = []
        for flow in list(self._flows.values()):
            for side in (0, 1):
                chunks = flow.streams[side].flush()
                if chunks and flow.state is not State.IGNORED:
                    self._chunks(flow, side, chunks, out)
            if flow.state is State.UNDECIDED:
                self._decide(flow, out, final=True)
            self._end_flow(flow, 0.0, out)
        return out

    def run(self, packets: Iterable[RawPacket]) -> Iterator[SessionEvent]:
        """Every event for a packet source, finish included."""
        for packet in packets:
            events = self.feed(packet)
            if events:
                yield from events
        yield from self.finish()

    # -- per flow ---------------------------------------------------------------------------

    def _chunks(self, flow: Flow, side: int, chunks: list[Chunk], out: list[SessionEvent]) -> None:
        if flow.state is State.UNDECIDED:
            head = flow.head[side]
            spans = flow.spans[side]
            for chunk in chunks:
                if chunk.kind == DATA:
                    head += chunk.data
                    spans.append((chunk.offset + chunk.length, chunk.number, chunk.time))
                elif chunk.kind == GAP:
                    flow.ignore()  # lost bytes before we even know what this is: give up on it
                    return
            self._decide(flow, out)
            return
        if flow.state is State.WEBSOCKET:
            self._deliver(flow, side, chunks, out)

    def _decide(self, flow: Flow, out: list[SessionEvent], final: bool = False) -> None:
        """Look at the held bytes; become WEBSOCKET, IGNORED, or keep waiting."""
        heads = flow.head
        client = flow.client_side
        sides = (client,) if client is not None else (0, 1)
        for side in sides:
            head = heads[side]
            if not head:
                continue
            verdict = flow.requests[side].judge(head)
            if verdict is HttpVerdict.NEED_MORE and not final:
                return
            if verdict is HttpVerdict.UPGRADE:
                flow.client_side = side
                self._start(flow, out, expect_handshake=True)
                return
            if verdict is not HttpVerdict.NOT_HTTP:
                flow.ignore()  # plain HTTP (or a request head that never ends)
                return
            if flow.syn_seen:
                flow.ignore()  # the connection's start was captured and it did not begin with a request
                return
        if flow.syn_seen:
            return  # waiting for the client's first bytes
        # Mid-stream: the capture began after the handshake. Look for frame headers on each side.
        for side in (0, 1):
            head = heads[side]
            seen = flow.probed[side]
            if not head or (len(head) == seen and not final):
                continue
            flow.probed[side] = len(head)
            probe = flow.probes[side]
            if probe is None:
                probe = flow.probes[side] = FrameProbe()
            found = probe.feed(head[seen:], final)  # only the bytes it has not seen
            if found is Probe.WAIT:
                continue
            if found is Probe.NOT_WEBSOCKET:
                flow.ignore()
                return
            flow.client_side = side if found is Probe.CLIENT_FRAMES else 1 - side
            self._start(flow, out, expect_handshake=False)
            return

    def _start(self, flow: Flow, out: list[SessionEvent], *, expect_handshake: bool) -> None:
        flow.state = State.WEBSOCKET
        client = flow.client_side or 0
        (client_ip, client_port), (server_ip, server_port) = flow.addresses[client], flow.addresses[1 - client]
        if self._inflate_limit is None:
            decoder = ConnectionDecoder(expect_handshake=expect_handshake)
        else:
            decoder = ConnectionDecoder(expect_handshake=expect_handshake, inflate_limit=self._inflate_limit)
        connection = Connection(
            0, format_address(client_ip, client_port), format_address(server_ip, server_port), decoder
        )
        flow.connection = connection
        flow.recorder = Recorder(connection, self._ids)
        # Hand over the held bytes, client first: the request precedes the response on the wire.
        for side in (client, 1 - client):
            head = flow.head[side]
            if head:
                spans = flow.spans[side]
                last = spans[-1] if spans else (0, 0, 0.0)
                self._feed(flow, side, bytes(head), last[1], last[2], out)
                head.clear()

    def _deliver(self, flow: Flow, side: int, chunks: list[Chunk], out: list[SessionEvent]) -> None:
        spans = flow.spans[side]
        for chunk in chunks:
            kind = chunk.kind
            if kind == DATA:
                spans.append((chunk.offset + chunk.length, chunk.number, chunk.time))
                if len(spans) > MAX_SPANS:  # bytes no frame has claimed (a long resync): forget the oldest
                    spans.popleft()
                self._feed(flow, side, chunk.data, chunk.number, chunk.time, out)
            else:  # GAP or CONFLICT
                self._note(flow, side, chunk, out)

    def _direction(self, flow: Flow, side: int) -> Direction:
        return CLIENT if side == flow.client_side else SERVER

    def _feed(self, flow: Flow, side: int, data: bytes, number: int, time: float, out: list[SessionEvent]) -> None:
        connection = flow.connection
        assert connection is not None
        items = connection.decoder.feed(self._direction(flow, side), data)
        if items:
            self._take(flow, items, [number], time, out)

    def _note(self, flow: Flow, side: int, chunk: Chunk, out: list[SessionEvent]) -> None:
        """A lost segment (GAP) or a retransmission with different bytes (CONFLICT), as a note; a gap also
        goes to the decoder, which may cut a frame short."""
        connection = flow.connection
        recorder = flow.recorder
        assert connection is not None and recorder is not None
        direction = self._direction(flow, side)
        if chunk.kind == GAP:
            connection.gaps += 1
            recorder.note("gap", direction, chunk.offset, chunk.length,
                          f"{chunk.length} bytes from the {direction} were not captured (lost TCP segment)",
                          [], chunk.time, out)
            items = connection.decoder.gap(direction, chunk.length)
            if items:
                self._take(flow, items, [chunk.number], chunk.time, out)
        else:
            connection.conflicts += 1
            recorder.note("overlap-conflict", direction, chunk.offset, chunk.length,
                          f"packet {chunk.number} resent {chunk.length} bytes differently; the first copy was kept",
                          [chunk.number], chunk.time, out)

    def _take(self, flow: Flow, items: list[DecoderItem], packets: list[int], time: float,
              out: list[SessionEvent]) -> None:
        recorder = flow.recorder
        assert recorder is not None
        recorder.take(items, packets, time, out, flow)
        if recorder.refused and flow.state is State.WEBSOCKET:
            # A refused handshake has no frames; stop following the connection (its HTTP body may be big).
            flow.ignore()

    def _end_flow(self, flow: Flow, time: float, out: list[SessionEvent]) -> None:
        """The flow is over: the decoder's last words (truncated frames, unfinished messages), then the close."""
        connection = flow.connection
        recorder = flow.recorder
        if connection is not None and recorder is not None:
            if flow.state is State.WEBSOCKET:
                flow.state = State.IGNORED
                items = connection.decoder.finish()
                if items:  # no packet completed these: they carry time 0.0 unless their bytes' packets are known
                    recorder.take(items, [], 0.0, out, flow)
            recorder.close(time, out)
        self._forget(flow)

    def _forget(self, flow: Flow) -> None:
        (a, ap), (b, bp) = flow.addresses
        if self._flows.get((a, ap, b, bp)) is flow:
            del self._flows[(a, ap, b, bp)]
