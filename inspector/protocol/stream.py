"""Incremental frame parser for one direction of a connection.

Feed it bytes in chunks of any size (one byte at a time works); it returns each frame once its
last byte has arrived, with the frame's offset in the direction's byte stream. It records
violations and keeps going: an inspector never stops at the first broken rule.

Memory: only bytes that really arrived are buffered. A header that declares 2^63 bytes costs
nothing until those bytes show up; `finish()` then reports the frame as truncated.
"""

from __future__ import annotations

from .constants import Direction
from .frame import Frame, build_frame, parse_header


class FrameParser:
    def __init__(self, direction: Direction, *, allowed_rsv: int = 0, offset: int = 0) -> None:
        self.direction = direction
        self.allowed_rsv = allowed_rsv  # RSV bits an extension negotiated for this connection
        self._buffer = bytearray()
        self._base = offset  # stream offset of _buffer[0]
        self._needed = 0  # bytes the pending frame needs in total, once its header is known

    @property
    def stream_offset(self) -> int:
        """Offset of the next byte this parser expects."""
        return self._base + len(self._buffer)

    @property
    def pending(self) -> int:
        """Bytes held for a frame that is not complete yet."""
        return len(self._buffer)

    def feed(self, data: bytes | bytearray | memoryview) -> list[Frame]:
        buffer = self._buffer
        buffer += data
        if len(buffer) < self._needed:
            return []
        frames: list[Frame] = []
        pos = 0
        size = len(buffer)
        direction = self.direction
        allowed = self.allowed_rsv
        while True:
            parsed = parse_header(buffer, pos)
            if parsed is None:
                self._needed = 0  # header incomplete: the next byte may complete it
                break
            header_length, payload_length, form, key_offset = parsed
            end = pos + header_length + payload_length
            if end > size:
                self._needed = end - pos
                break
            body_start = pos + header_length
            frames.append(
                build_frame(
                    direction,
                    self._base + pos,
                    bytes(buffer[pos:body_start]),
                    payload_length,
                    form,
                    key_offset,
                    bytes(buffer[body_start:end]),
                    False,
                    allowed,
                )
            )
            pos = end
        if pos == size:
            self._needed = 0
        if pos:
            del buffer[:pos]
            self._base += pos
        return frames

    def finish(self) -> list[Frame]:
        """The stream ended: what is left becomes one truncated frame (or nothing if too short)."""
        frame = self.take_partial()
        return [frame] if frame is not None else []

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
