"""Per-direction TCP reassembly by sequence number.

Theory of operation: each direction keeps `offset`, the stream offset of the next byte it will
deliver, and the 32-bit sequence number that byte has. A segment's sequence number becomes a stream
offset through the signed 32-bit distance to that expected number, so wraparound needs no special
case. Then:

- in order          -> delivered at once (the fast path: no copying, no buffering);
- before `offset`   -> a retransmission; its new tail, if any, is delivered. Bytes that overlap what
                       was already delivered are compared with it: the first copy wins and a
                       different second copy is reported as a CONFLICT;
- after `offset`    -> buffered (out of order) until the hole before it is filled.

A hole that never fills is a lost segment. It is given up on when the buffered bytes exceed a bound,
at RST, at the end of the capture, and (the pipeline decides) once both sides have sent FIN: `flush`
reports each hole as a GAP of so many missing bytes and delivery resumes after it. Every delivered
chunk keeps the packet number and time of the segment that carried it, so the caller can say which
packets carried each WebSocket frame.
"""

from __future__ import annotations

import heapq
from collections import deque
from typing import Final, NamedTuple

from .layers import FIN, RST, SYN

SEQ_MOD: Final = 1 << 32  # RFC 9293 Section 3.4: sequence numbers are 32-bit, modulo 2^32
SEQ_MASK: Final = SEQ_MOD - 1
SEQ_HALF: Final = 1 << 31
MAX_OUT_OF_ORDER: Final = 8 << 20  # buffered bytes beyond a hole before the hole is declared lost
RECENT_BYTES: Final = 256 << 10  # delivered bytes kept to compare retransmitted copies against

DATA: Final = 0
GAP: Final = 1
CONFLICT: Final = 2


class Chunk(NamedTuple):
    kind: int  # DATA, GAP or CONFLICT
    offset: int  # stream offset where it starts
    data: bytes  # DATA: the bytes; otherwise empty
    length: int  # DATA: len(data); GAP: missing bytes; CONFLICT: bytes that differ in position
    number: int  # packet number that carried it (GAP: the packet that made us give up, or 0)
    time: float


class StreamReassembler:
    """One direction of one TCP connection."""

    def __init__(self, *, max_out_of_order: int = MAX_OUT_OF_ORDER) -> None:
        self.started = False
        self.closed = False  # FIN delivered in order, or RST seen
        self.offset = 0  # stream offset of the next byte to deliver (gaps count as bytes)
        self.gaps = 0
        self.conflicts = 0
        self._next_seq = 0
        self._fin_offset = -1
        self._max = max_out_of_order
        self._heap: list[tuple[int, int, bytes, int, float]] = []  # (offset, arrival, data, number, time)
        self._arrivals = 0
        self._buffered = 0
        self._recent: deque[tuple[int, bytes]] = deque()
        self._recent_bytes = 0

    @property
    def fin_seen(self) -> bool:
        """A FIN arrived, possibly ahead of a hole."""
        return self._fin_offset >= 0

    @property
    def buffered(self) -> int:
        """Out-of-order bytes waiting for a hole to fill."""
        return self._buffered

    def segment(self, seq: int, flags: int, payload: bytes, number: int, time: float) -> list[Chunk]:
        if not self.started:
            if flags & SYN:
                seq = (seq + 1) & SEQ_MASK  # the SYN takes one sequence number; data (TFO) follows it
            elif flags & RST and not payload:
                return []
            self._next_seq = seq
            self.started = True
        elif flags & SYN:
            seq = (seq + 1) & SEQ_MASK
            if not payload:
                return []  # a retransmitted SYN
        if self.closed:
            return []
        distance = (seq - self._next_seq) & SEQ_MASK
        if distance >= SEQ_HALF:
            distance -= SEQ_MOD
        start = self.offset + distance
        out: list[Chunk] = []
        if flags & FIN:
            self._fin_offset = start + len(payload)
        if payload:
            if distance == 0 and not self._heap:
                self._deliver(payload, number, time, out)
            elif distance > 0:
                self._buffer(start, payload, number, time, out)
            else:
                self._accept(start, payload, number, time, out)
                self._drain(out)
        if flags & RST:
            out.extend(self.flush(number, time))
            self.closed = True
        elif self._fin_offset >= 0 and self.offset >= self._fin_offset:
            self.closed = True
        return out

    def in_order(self, seq: int, payload: bytes) -> int:
        """The fast path of `segment` for a segment without SYN, FIN or RST: if it is exactly the
        next one expected and nothing is waiting or closing, take it and return its stream offset
        (the caller then has its one DATA chunk). Otherwise take nothing and return -1: the caller
        goes through `segment`. Saves building a Chunk and a list for nearly every packet."""
        if seq != self._next_seq or self._heap or self.closed or self._fin_offset >= 0 or not self.started:
            return -1
        offset = self.offset
        size = len(payload)
        if not size:  # a pure ACK: nothing to take
            return offset
        self.offset = offset + size
        self._next_seq = (seq + size) & SEQ_MASK
        recent = self._recent
        recent.append((offset, payload))
        self._recent_bytes += size
        while self._recent_bytes > RECENT_BYTES and len(recent) > 1:
            self._recent_bytes -= len(recent.popleft()[1])
        return offset

    def flush(self, number: int = 0, time: float = 0.0) -> list[Chunk]:
        """Give up on every hole: report each as a GAP and deliver what was buffered after it."""
        out: list[Chunk] = []
        while self._heap:
            self._skip_to(self._heap[0][0], number, time, out)
            self._drain(out)
        return out

    # -- internals ----------------------------------------------------------------------------

    def _deliver(self, data: bytes, number: int, time: float, out: list[Chunk]) -> None:
        offset = self.offset
        size = len(data)
        out.append(Chunk(DATA, offset, data, size, number, time))
        self.offset = offset + size
        self._next_seq = (self._next_seq + size) & SEQ_MASK
        recent = self._recent
        recent.append((offset, data))
        self._recent_bytes += size
        while self._recent_bytes > RECENT_BYTES and len(recent) > 1:
            self._recent_bytes -= len(recent.popleft()[1])

    def _accept(self, start: int, data: bytes, number: int, time: float, out: list[Chunk]) -> None:
        """Data starting at or before `offset`: check the already-delivered part, deliver the rest."""
        seen = self.offset - start
        if seen > 0:
            differing = self._differing(start, data[:seen])
            if differing:
                self.conflicts += 1
                out.append(Chunk(CONFLICT, start, b"", differing, number, time))
            if seen >= len(data):
                return
            data = data[seen:]
        self._deliver(data, number, time, out)

    def _differing(self, start: int, data: bytes) -> int:
        """How many bytes of `data` (at stream offset `start`) differ from what was delivered there."""
        end = start + len(data)
        differing = 0
        for offset, old in reversed(self._recent):
            old_end = offset + len(old)
            if old_end <= start:
                break
            low, high = max(start, offset), min(end, old_end)
            if low < high:
                new_part = data[low - start : high - start]
                old_part = old[low - offset : high - offset]
                if new_part != old_part:
                    differing += sum(1 for a, b in zip(new_part, old_part, strict=True) if a != b)
        return differing

    def _buffer(self, start: int, data: bytes, number: int, time: float, out: list[Chunk]) -> None:
        self._arrivals += 1
        heapq.heappush(self._heap, (start, self._arrivals, data, number, time))
        self._buffered += len(data)
        # A hole this far behind will not be filled by a retransmission we still hope to see.
        while self._buffered > self._max and self._heap:
            self._skip_to(self._heap[0][0], number, time, out)
            self._drain(out)

    def _skip_to(self, start: int, number: int, time: float, out: list[Chunk]) -> None:
        missing = start - self.offset
        if missing <= 0:
            return
        self.gaps += 1
        out.append(Chunk(GAP, self.offset, b"", missing, number, time))
        self.offset = start
        self._next_seq = (self._next_seq + missing) & SEQ_MASK
        self._recent.clear()
        self._recent_bytes = 0

    def _drain(self, out: list[Chunk]) -> None:
        heap = self._heap
        while heap and heap[0][0] <= self.offset:
            start, _, data, number, time = heapq.heappop(heap)
            self._buffered -= len(data)
            self._accept(start, data, number, time, out)
