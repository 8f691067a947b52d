"""Finding frame boundaries in a byte stream whose start was not seen (no handshake, or after a gap).

A frame header has little redundancy, so one plausible header proves nothing. We accept an offset
when a *chain* holds up: the frame there is plausible and is followed by a second plausible header,
or it ends exactly where the stream ends. "Plausible" uses only rules a real peer keeps: the mask bit
matches the direction (RFC 6455 Section 5.1), the opcode is defined (Section 5.2), no undefined RSV
bit is set, the length is written minimally, and control frames are short and final (Section 5.5).
A frame longer than `MAX_ANCHOR_FRAME` cannot start a chain: confirming it would mean holding all of it.

The start found is a function of the byte stream alone, never of how TCP cut it: an offset that
cannot be judged yet (its header, its frame or the next header has not fully arrived) waits for more
bytes, and only the end of the stream (`finish`) settles what is still open. The search never goes
back: each offset is judged once, plus one cheap re-check per call while it waits, so the work is
linear in the bytes seen (`examined` counts the judgements, for the tests that hold it to that).
"""

from __future__ import annotations

from typing import Final

from .constants import (
    FIN_BIT,
    KNOWN_OPCODES,
    LENGTH_64_MSB,
    MASK_BIT,
    MAX_7BIT_LENGTH,
    MAX_16BIT_LENGTH,
    MAX_HEADER_SIZE,
    OPCODE_MASK,
    PAYLOAD_LEN_MASK,
    RSV1_BIT,
    RSV_BITS,
    Direction,
    Opcode,
    is_control_opcode,
)
from .frame import LENGTH_FORM_16, LENGTH_FORM_64, parse_header

# Our own bound, not the RFC's: the longest frame (header and payload) that can start a resync. It
# also bounds what a search holds: the bytes from the offset being judged to the header after its frame.
MAX_ANCHOR_FRAME: Final = 256 * 1024

# judge_header's answers besides a frame's end offset.
NEED_MORE: Final = -1  # the bytes present cannot tell yet
IMPLAUSIBLE: Final = -2  # no real peer's frame starts here

_CLOSE: Final = int(Opcode.CLOSE)


def judge_header(data: bytes | bytearray, pos: int, direction: Direction, allowed_rsv: int) -> int:
    """The end offset of the frame if a plausible header starts at `pos` (its masking key included),
    IMPLAUSIBLE when the bytes there already rule it out, NEED_MORE when they are too few to say."""
    size = len(data)
    if pos + 2 > size:
        return NEED_MORE
    first = data[pos]
    second = data[pos + 1]
    masked = second & MASK_BIT
    if bool(masked) != (direction is Direction.CLIENT):
        return IMPLAUSIBLE
    opcode = first & OPCODE_MASK
    rsv = first & RSV_BITS
    if opcode not in KNOWN_OPCODES or rsv & ~allowed_rsv:
        return IMPLAUSIBLE
    length = second & PAYLOAD_LEN_MASK
    if is_control_opcode(opcode):
        # Section 5.5: at most 125 bytes (so a 7-bit length), final, never compressed (RFC 7692 Section 6.1).
        if rsv & RSV1_BIT or not first & FIN_BIT or length > MAX_7BIT_LENGTH:
            return IMPLAUSIBLE
        if opcode == _CLOSE and length == 1:  # Section 5.5.1: a Close body is empty or starts with a code
            return IMPLAUSIBLE
    elif opcode == Opcode.CONTINUATION and rsv & RSV1_BIT:
        return IMPLAUSIBLE  # RFC 7692 Section 6.1: never on a continuation
    header_length, length, form, _ = parse_header(bytes(data[pos : pos + MAX_HEADER_SIZE]), 0)
    if header_length == 0:
        return NEED_MORE
    # Section 5.2: the length is written in the fewest bytes, and a 64-bit one has its top bit clear.
    if form == LENGTH_FORM_16 and length <= MAX_7BIT_LENGTH:
        return IMPLAUSIBLE
    if form == LENGTH_FORM_64 and (length <= MAX_16BIT_LENGTH or length & LENGTH_64_MSB):
        return IMPLAUSIBLE
    if pos + header_length > size:
        return NEED_MORE
    return pos + header_length + length


class FrameStartFinder:
    """Searches one direction's bytes for the first offset where a plausible chain of frames begins.

    Feed it the bytes as they arrive; `feed` and `finish` return (stream offset of the start, the
    bytes from there on) once it is found, and the finder is then spent. Bytes before the offset being
    judged are given up (`skipped`) and not kept.
    """

    def __init__(self, direction: Direction, allowed_rsv: int = 0, *, offset: int = 0, held: bytes = b"") -> None:
        self.direction = direction
        self.allowed_rsv = allowed_rsv
        self._buffer = bytearray(held)
        self._base = offset  # stream offset of _buffer[0]
        self._pos = 0  # the offset being judged; every one before it was ruled out
        self._needed = 0  # buffer length at which that offset is worth judging again
        self.skipped = 0  # bytes given up so far
        self.examined = 0  # headers judged so far: the work done, which must stay linear in the bytes

    @property
    def stream_offset(self) -> int:
        """Offset of the next byte this finder expects."""
        return self._base + len(self._buffer)

    def feed(self, data: bytes | bytearray) -> tuple[int, bytes] | None:
        self._buffer += data
        if len(self._buffer) < self._needed:
            return None
        return self._search(final=False)

    def finish(self) -> tuple[int, bytes] | None:
        """The stream ended: settle the offsets still waiting for bytes; what is not a start is skipped."""
        found = self._search(final=True)
        if found is None:
            self.abandon()
        return found

    def abandon(self) -> int:
        """Give up the bytes held (a capture gap follows them); returns how many were newly skipped."""
        dropped = len(self._buffer) - self._pos
        self.skipped += dropped
        self._base += len(self._buffer)
        self._buffer.clear()
        self._pos = 0
        self._needed = 0
        return dropped

    def _search(self, *, final: bool) -> tuple[int, bytes] | None:
        data = self._buffer
        size = len(data)
        pos = self._pos
        direction = self.direction
        allowed = self.allowed_rsv
        needed = 0
        found = False
        while pos < size:
            self.examined += 1
            end = judge_header(data, pos, direction, allowed)
            if end == NEED_MORE:
                if final:
                    pos += 1
                    continue
                needed = size + 1  # the header is cut short: any new byte may settle it
                break
            if end == IMPLAUSIBLE or end - pos > MAX_ANCHOR_FRAME:
                pos += 1
                continue
            if end >= size:
                if final and end == size:
                    found = True  # the chain ends exactly with the stream
                    break
                if final:
                    pos += 1
                    continue
                needed = end + 2  # the frame, and the first two bytes of the next header
                break
            self.examined += 1
            after = judge_header(data, end, direction, allowed)
            if after >= 0:
                found = True
                break
            if after == NEED_MORE and not final:
                needed = size + 1
                break
            pos += 1
        self.skipped += pos - self._pos
        if found:
            start = self._base + pos
            held = bytes(data[pos:])
            self._base += size
            data.clear()
            self._pos = 0
            self._needed = 0
            return start, held
        # Drop the ruled-out bytes once they are the larger part: each byte is moved at most once.
        if pos > size - pos:
            del data[:pos]
            self._base += pos
            needed = max(0, needed - pos)
            pos = 0
        self._pos = pos
        self._needed = needed
        return None


def find_frame_start(
    data: bytes | bytearray, direction: Direction, allowed_rsv: int = 0, *, final: bool = True
) -> int | None:
    """The first offset in `data` where a plausible chain of frames begins, or None.

    With `final`, `data` is the whole stream; otherwise None may also mean "not yet": a start that
    cannot be confirmed before more bytes arrive.
    """
    finder = FrameStartFinder(direction, allowed_rsv)
    found = finder.feed(data)
    if found is None and final:
        found = finder.finish()
    return None if found is None else found[0]
