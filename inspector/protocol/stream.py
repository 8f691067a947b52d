"""Incremental frame parser for one direction of a connection.

Feed it bytes in chunks of any size (one byte at a time works); it returns each frame once its
last byte has arrived, with the frame's offset in the direction's byte stream. It records
violations and keeps going: an inspector never stops at the first broken rule.

Memory: only bytes that really arrived are buffered. A header that declares 2^63 bytes costs
nothing until those bytes show up; `finish()` then reports the frame as truncated.
"""

from __future__ import annotations

from .constants import MAX_HEADER_SIZE, OPCODE_MASK, Direction
from .frame import (
    LENGTH_FORM_7,
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
        if buffer:
            buffer += data
            if len(buffer) < self._needed:
                return []
            # Work on one immutable copy: slicing bytes gives bytes in one step, where a bytearray
            # slice would need a second copy for each header and payload.
            chunk = bytes(buffer)
            buffer.clear()
        else:
            chunk = data if isinstance(data, bytes) else bytes(data)
        clean = self._clean_shapes()
        frames: list[Frame] = []
        pos = 0
        size = len(chunk)
        base = self._base
        direction = self.direction
        while True:  # once per frame
            header_length, length, form, key_offset = parse_header(chunk, pos)
            body_start = pos + header_length
            end = body_start + length
            if header_length == 0 or end > size:
                break
            first = chunk[pos]
            masked = 1 if key_offset >= 0 else 0
            if clean[first << 1 | masked] and (
                form == LENGTH_FORM_7 or long_length_is_clean(first & OPCODE_MASK, length, form)
            ):
                # No stateless rule can be broken (see clean_header_shapes), so build_frame's checks are
                # skipped, and the payload stays masked until it is first read.
                key = chunk[pos + key_offset : body_start] if masked else None
                frame = Frame(direction, base + pos, chunk[pos:body_start], chunk[body_start:end], length_form=form,
                              payload_length=length, masking_key=key, unmasked=False)
            else:
                frame = build_frame(direction, base + pos, chunk[pos:body_start], length, form, key_offset,
                                    chunk[body_start:end], False, self.allowed_rsv)
            frames.append(frame)
            pos = end
        if pos < size:
            rest = chunk[pos:] if pos else chunk
            buffer += rest
            # Once the header is known, wait for the whole frame before looking again.
            header_length, length, _, _ = parse_header(rest, 0)
            self._needed = header_length + length if header_length else 0
        else:
            self._needed = 0
        self._base = base + pos
        return frames

    def _clean_shapes(self) -> bytes:
        """clean_header_shapes for this parser, looked up once, not per call (that is a cache lookup)."""
        clean = self._clean
        if clean is None or self.allowed_rsv != self._clean_rsv:
            clean = self._clean = clean_header_shapes(self.direction, self.allowed_rsv)
            self._clean_rsv = self.allowed_rsv
        return clean

    def finish(self) -> list[Frame]:
        """The stream ended: what is left becomes one truncated frame, even if only its header began."""
        if self._buffer and self._header_cut():
            cut = build_cut_header_frame(self.direction, self._base, bytes(self._buffer), self.allowed_rsv)
            self.discard()
            return [cut]
        frame = self.take_partial()
        return [frame] if frame is not None else []

    def _held_header(self) -> tuple[int, int, int, int]:
        """parse_header of the bytes held."""
        return parse_header(bytes(self._buffer[:MAX_HEADER_SIZE]), 0)

    def _header_cut(self) -> bool:
        header_length = self._held_header()[0]
        return header_length == 0 or header_length > len(self._buffer)

    def take_partial(self) -> Frame | None:
        """Hand over the incomplete frame held so far (as truncated) and empty the buffer."""
        buffer = self._buffer
        header_length, payload_length, form, key_offset = self._held_header()
        frame = None
        if 0 < header_length <= len(buffer):
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
