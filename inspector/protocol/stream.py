"""Incremental frame parser for one direction of a connection.

Feed it bytes in chunks of any size (one byte at a time works); it returns each frame once its
last byte has arrived, with the frame's offset in the direction's byte stream. It records
violations and keeps going: an inspector never stops at the first broken rule.

Memory: only bytes that really arrived are buffered. A header that declares 2^63 bytes costs
nothing until those bytes show up; `finish()` then reports the frame as truncated.
"""

from __future__ import annotations

from .constants import MASKING_KEY_SIZE, MAX_7BIT_LENGTH, OPCODE_MASK, PAYLOAD_LEN_16BIT, Direction
from .frame import (
    LENGTH_FORM_7,
    LENGTH_FORM_16,
    LENGTH_FORM_64,
    Frame,
    build_cut_header_frame,
    build_frame,
    clean_header_shapes,
    long_length_is_clean,
    parse_header,
)


class HeldBytes:
    """Where a parser stands in its direction's byte stream: the bytes it holds for a frame that is
    not complete yet, and the stream offset they start at. FrameParser and HixieParser share it."""

    def __init__(self, direction: Direction, offset: int) -> None:
        self.direction = direction
        self._buffer = bytearray()
        self._base = offset  # stream offset of _buffer[0]

    @property
    def stream_offset(self) -> int:
        """Offset of the next byte this parser expects."""
        return self._base + len(self._buffer)

    @property
    def pending(self) -> int:
        """Bytes held for a frame that is not complete yet."""
        return len(self._buffer)


class FrameParser(HeldBytes):
    def __init__(self, direction: Direction, *, allowed_rsv: int = 0, offset: int = 0) -> None:
        super().__init__(direction, offset)
        self.allowed_rsv = allowed_rsv  # RSV bits an extension negotiated for this connection
        self._needed = 0  # bytes the pending frame needs in total, once its header is known
        self._clean: bytes | None = None  # clean_header_shapes(direction, _clean_rsv)
        self._clean_rsv = allowed_rsv

    def feed(self, data: bytes | bytearray | memoryview) -> list[Frame]:
        buffer = self._buffer
        if not buffer:  # fast path: see _whole_frame
            frame = self._whole_frame(data)
            if frame is not None:
                return [frame]
        if buffer:
            buffer += data
            if len(buffer) < self._needed:
                return []
            # Work on one immutable copy: slicing bytes gives bytes in one step, where a bytearray
            # slice would need a second copy for each header and payload.
            data = bytes(buffer)
            buffer.clear()
        elif type(data) is not bytes:
            data = bytes(data)
        frames: list[Frame] = []
        pos = 0
        size = len(data)
        base = self._base
        direction = self.direction
        allowed = self.allowed_rsv
        clean = self._clean
        if clean is None or allowed != self._clean_rsv:  # once per parser, not per call (a cache lookup)
            clean = self._clean = clean_header_shapes(direction, allowed)
            self._clean_rsv = allowed
        while True:
            # The header, as parse_header reads it, inlined: this loop runs once per frame.
            available = size - pos
            if available < 2:
                break
            first = data[pos]
            second = data[pos + 1]
            length = second & 0x7F
            if length <= MAX_7BIT_LENGTH:
                header_length, form = 2, LENGTH_FORM_7
            elif length == PAYLOAD_LEN_16BIT:
                if available < 4:
                    break
                length = (data[pos + 2] << 8) | data[pos + 3]
                header_length, form = 4, LENGTH_FORM_16
            else:
                if available < 10:
                    break
                length = int.from_bytes(data[pos + 2 : pos + 10], "big")
                header_length, form = 10, LENGTH_FORM_64
            masked = second >> 7
            if masked:
                header_length += MASKING_KEY_SIZE
            body_start = pos + header_length
            end = body_start + length
            if end > size:
                break
            if clean[first << 1 | masked] and (
                form == LENGTH_FORM_7 or long_length_is_clean(first & OPCODE_MASK, length, form)
            ):
                # Fast path: no stateless rule can be broken (see clean_header_shapes).
                key = data[body_start - MASKING_KEY_SIZE : body_start] if masked else None
                # unmasked=False: Frame.payload unmasks when it is first read
                frame = Frame(direction, base + pos, data[pos:body_start], data[body_start:end], length_form=form,
                              payload_length=length, masking_key=key, unmasked=False)
            else:
                frame = build_frame(
                    direction,
                    base + pos,
                    data[pos:body_start],
                    length,
                    form,
                    header_length - MASKING_KEY_SIZE if masked else -1,
                    data[body_start:end],
                    False,
                    allowed,
                )
            frames.append(frame)
            pos = end
        if pos < size:
            buffer += data[pos:] if pos else data
            # Once the header is known, wait for the whole frame before looking again.
            parsed = parse_header(buffer, 0)
            self._needed = parsed[0] + parsed[1] if parsed is not None else 0
        else:
            self._needed = 0
        self._base = base + pos
        return frames

    def _whole_frame(self, data: bytes | bytearray | memoryview) -> Frame | None:
        """Fast path for the commonest call: nothing buffered, and `data` is exactly one whole frame with
        a 7- or 16-bit length and a clean header shape (an interactive peer sends one message per TCP
        segment). Returns the Frame the loop in `feed` would build, or None, having taken nothing.

        Why: the loop's setup (hoisted locals, buffer bookkeeping, the tail's parse_header) cost as
        much again as the header parse for such a call."""
        size = len(data)
        if size < 2 or type(data) is not bytes:
            return None
        second = data[1]
        masked = second >> 7
        length = second & 0x7F
        header_length = 6 if masked else 2
        form = LENGTH_FORM_7
        if length > MAX_7BIT_LENGTH:
            if length != PAYLOAD_LEN_16BIT or size < 4:
                return None
            length = (data[2] << 8) | data[3]
            header_length += 2
            form = LENGTH_FORM_16
        if header_length + length != size:
            return None
        first = data[0]
        clean = self._clean  # None until the loop in `feed` has built it once
        if clean is None or self.allowed_rsv != self._clean_rsv or not clean[first << 1 | masked]:
            return None
        if form == LENGTH_FORM_16 and not long_length_is_clean(first & OPCODE_MASK, length, form):
            return None
        key = data[header_length - MASKING_KEY_SIZE : header_length] if masked else None
        offset = self._base
        self._base = offset + size
        return Frame(self.direction, offset, data[:header_length], data[header_length:], length_form=form,
                     payload_length=length, masking_key=key, unmasked=False)  # unmasked on first use

    def finish(self) -> list[Frame]:
        """The stream ended: what is left becomes one truncated frame, even if only its header began."""
        if self._buffer and self._header_cut():
            cut = build_cut_header_frame(self.direction, self._base, bytes(self._buffer), self.allowed_rsv)
            self.discard()
            return [cut]
        frame = self.take_partial()
        return [frame] if frame is not None else []

    def _header_cut(self) -> bool:
        parsed = parse_header(self._buffer, 0)
        return parsed is None or parsed[0] > len(self._buffer)

    def take_partial(self) -> Frame | None:
        """Hand over the incomplete frame held so far (as truncated) and empty the buffer."""
        buffer = self._buffer
        parsed = parse_header(buffer, 0)
        frame = None
        if parsed is not None and parsed[0] <= len(buffer):
            header_length, payload_length, form, key_offset = parsed
            frame = build_frame(
                self.direction,
                self._base,
                bytes(buffer[:header_length]),
                payload_length,
                form,
                key_offset,
                bytes(buffer[header_length:]),
                True,
                self.allowed_rsv,
            )
        self.discard()
        return frame

    def discard(self) -> bytes:
        """Drop the buffered bytes (after a gap, say) and return them."""
        dropped = bytes(self._buffer)
        self._base += len(self._buffer)
        self._buffer.clear()
        self._needed = 0
        return dropped

    def skip(self, count: int) -> None:
        """Advance the stream offset over `count` bytes that were never seen (a capture gap)."""
        self.discard()
        self._base += count
