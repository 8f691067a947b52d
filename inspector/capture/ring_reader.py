"""The reader process of a live capture: ring blocks from an inherited packet socket to stdout.

    python -m inspector.capture.ring_reader FD

Why a process: a reader thread shares the GIL with the decoder, and on a busy machine each time it
took the GIL back it waited up to 0.18 s, so it fell up to 1.5 s behind at 45k frames/s. This
process has its own interpreter and does almost nothing: it copies each block the kernel hands over,
gives the block back, and writes it to stdout. It never blocks on its reader: what the pipe cannot
take yet waits in this process's memory, so a slow decoder builds a backlog here, not kernel drops.

Protocol: each record on stdout is RECORD (the time the block was taken, the block's length) then
the block as the kernel wrote it (ring.block_packets parses it). One byte on stdin stops the reader:
DRAIN first takes what the kernel has already queued, NOW does not; end of stdin (the capturing
process went away) is NOW. Every record written, it exits 0; a failure is one line on stderr, exit 1.
SIGINT is ignored: a terminal's Ctrl-C reaches the whole process group, and the capturing process
decides what it means.
"""

from __future__ import annotations

import collections
import os
import select
import signal
import socket
import struct
import sys
import time

from .ring import PacketRing

RECORD = struct.Struct("=dI")
DRAIN = b"d"
NOW = b"n"
POLL_MS = 50
DRAIN_TIMEOUT = 2.0  # how long a draining stop waits for the kernel to hand over its last block
DRAIN_NAP = 0.01
STDIN, STDOUT = 0, 1


def serve(ring: PacketRing) -> None:
    pending: collections.deque[memoryview] = collections.deque()
    poller = select.poll()
    poller.register(ring.sock.fileno(), select.POLLIN | select.POLLERR)
    poller.register(STDIN, select.POLLIN)
    os.set_blocking(STDOUT, False)
    writing = False
    command = b""
    while not command:
        for fd, _event in poller.poll(POLL_MS):
            if fd == STDIN:
                command = os.read(STDIN, 1) or NOW
        _take(ring, pending)
        _write(pending)
        if bool(pending) != writing:  # ask to hear about a writable stdout only while something waits
            writing = bool(pending)
            if writing:
                poller.register(STDOUT, select.POLLOUT)
            else:
                poller.unregister(STDOUT)
    if command == DRAIN:
        deadline = time.monotonic() + DRAIN_TIMEOUT
        while ring.pending() and time.monotonic() < deadline:
            time.sleep(DRAIN_NAP)
            _take(ring, pending)
        _take(ring, pending)
    os.set_blocking(STDOUT, True)
    _write(pending)


def _take(ring: PacketRing, pending: collections.deque[memoryview]) -> None:
    now = time.time()
    for block in ring.take():
        pending.append(memoryview(RECORD.pack(now, len(block)) + block))


def _write(pending: collections.deque[memoryview]) -> None:
    """Write what waits, until stdout would block (it blocks only while draining at the end)."""
    while pending:
        try:
            written = os.write(STDOUT, pending[0])
        except BlockingIOError:
            return
        if written == len(pending[0]):
            pending.popleft()
        else:
            pending[0] = pending[0][written:]


def main() -> int:
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        ring = PacketRing(socket.socket(fileno=int(sys.argv[1])))
        try:
            serve(ring)
        finally:
            ring.close()
    except BrokenPipeError:  # the capturing process has gone: nobody is left to tell
        return 0
    except Exception as error:  # the capturing process reports this line
        print(f"{type(error).__name__}: {error}".splitlines()[0], file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
