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
from typing import BinaryIO

# Bytes gathered in memory before one write to the file.
FLUSH_BYTES = 1 << 20


class Spill:
    """An append-only byte store: `append` returns where the bytes went, `read` gives them back."""

    def __init__(self, fd: int = -1) -> None:
        """A new temporary file, or (`fd`) one opened elsewhere: another spill's, maybe in another process
        (then this one owns the descriptor and closes it)."""
        # Open as long as the store lives (closed with this object); the system removes the file once every
        # descriptor is closed. Reads and writes go through the descriptor, whatever the file object's mode.
        if fd < 0:
            self._file: BinaryIO = tempfile.TemporaryFile(prefix="inspector-spill-")  # noqa: SIM115
        else:
            self._file = open(fd, "rb", buffering=0)  # noqa: SIM115
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

    def fileno(self) -> int:
        return self._fd

    def reader(self) -> Spill:
        """A spill over the same file for a store that only reads it back (see `grown_to`)."""
        return Spill(os.dup(self._fd))

    def grown_to(self, size: int) -> None:
        """The writer of this file (another spill, maybe in another process) has flushed `size` bytes."""
        with self._lock:
            self._written = max(self._written, size)

    def close(self) -> None:
        self._buffer.clear()
        self._file.close()

    @property
    def size(self) -> int:
        return self._written + len(self._buffer)
