"""Bytes a session keeps out of memory: frames' wire bytes and messages' data, in an anonymous temporary file.

A store keeps a few numbers per frame and reads the frame back from here when a view asks for it, so
a million-frame capture does not hold a million payloads. The same works for a live capture, which has
no file of its own to read them back from. Appends are buffered; reads see unflushed bytes too. One
thread may append while another reads what was appended before (a loader and the window).
"""

from __future__ import annotations

import os
import tempfile
import threading

# Bytes gathered in memory before one write to the file.
FLUSH_BYTES = 1 << 20


class Spill:
    """An append-only byte store: `append` returns where the bytes went, `read` gives them back."""

    def __init__(self) -> None:
        # Open as long as the store lives; the system removes the file once it is closed.
        self._file = tempfile.TemporaryFile(prefix="inspector-spill-")  # noqa: SIM115
        self._fd = self._file.fileno()
        self._written = 0  # bytes in the file
        self._buffer = bytearray()
        self._lock = threading.Lock()  # a flush moves bytes from the buffer to the file: reads wait for it

    def append(self, data: bytes) -> int:
        offset = self._written + len(self._buffer)
        self._buffer += data
        if len(self._buffer) >= FLUSH_BYTES:
            self.flush()
        return offset

    def flush(self) -> None:
        with self._lock:
            self._flush()

    def _flush(self) -> None:
        buffer = self._buffer
        if buffer:
            view = memoryview(buffer)
            done = 0
            while done < len(buffer):
                done += os.pwrite(self._fd, view[done:], self._written + done)
            view.release()
            self._written += len(buffer)
            buffer.clear()

    def read(self, offset: int, length: int) -> bytes:
        if length <= 0:
            return b""
        with self._lock:
            return self._read(offset, length)

    def _read(self, offset: int, length: int) -> bytes:
        written = self._written
        if offset >= written:
            start = offset - written
            return bytes(self._buffer[start : start + length])
        end = offset + length
        if end > written:  # partly in the file, partly still buffered
            return os.pread(self._fd, written - offset, offset) + bytes(self._buffer[: end - written])
        return os.pread(self._fd, length, offset)

    def close(self) -> None:
        self._buffer.clear()
        self._file.close()

    @property
    def size(self) -> int:
        return self._written + len(self._buffer)
