"""Decoding a capture file in a child process, so a window's own process only adds what was decoded.

The child (`python -m inspector.capture.load_process FILE SPILL_FD BATCH_EVENTS`) decodes the file into a store whose
frame bytes go to the spill file it was handed, and writes to its standard output, in order, messages
of `session.transfer.dumps`, each after a 4-byte big-endian length:

- `("batch", tail, start)`: what its store gained (`StoreTail`), and the first packet's time;
- `("progress", fraction)`;
- `("done", packets, truncated, connections)`: complete packets, whether the file ends inside a packet
  record, and every connection (so each one's last facts come along);
- `("failed", line)`: the one line a user is shown.

`LoadProcess` starts the child and reads those messages on the parent's side. A child that dies leaves
an end of output without `done` or `failed`, which `LoadProcess.messages` turns into a `failed` line.
"""

from __future__ import annotations

import faulthandler
import os
import site
import struct
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from ..errors import InspectorError
from ..session.events import SessionEvent
from ..session.spill import Spill
from ..session.store import SessionStore
from ..session.transfer import ConnectionFacts, SessionReader, dumps
from .load import STORE_BATCH_EVENTS, StoreFeeder, stream_capture

_LENGTH = struct.Struct(">I")
# A batch the child sends: at most the events asked for, or what it decoded in this long.
BATCH_SECONDS = 0.02
# The directory that holds the `inspector` package, for the child's import path.
_PACKAGE_ROOT = str(Path(__file__).resolve().parents[2])

Message = tuple[str, object, list[ConnectionFacts]]  # kind, its values, the facts of the connections named


class LoadProcess:
    """One child decoding one file (see the module docstring), read from this side."""

    def __init__(self, path: str, spill: Spill, batch_events: int) -> None:
        self.path = path
        self._process = subprocess.Popen(
            [sys.executable, "-m", __name__, path, str(spill.fileno()), str(batch_events)],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, pass_fds=(spill.fileno(),), env=_child_environment())
        self.reader = SessionReader()

    def messages(self) -> Iterator[Message]:
        """The child's messages as they come; a child that ends without its last word gives a `failed` one.
        Read on one thread; `stop` may be called from another (the reading side then sees the end)."""
        stdout = self._process.stdout
        assert stdout is not None
        with stdout:
            while True:
                head = stdout.read(_LENGTH.size)
                if len(head) < _LENGTH.size:
                    break
                length = _LENGTH.unpack(head)[0]
                body = stdout.read(length)
                if len(body) < length:  # the child died while writing it
                    break
                value, facts = self.reader.loads(body)
                assert isinstance(value, tuple)
                yield value[0], value[1:], facts
                if value[0] in ("done", "failed"):
                    return
        status = self._process.wait()
        yield "failed", (f"{self.path}: could not be decoded (the decoding process ended with status {status})",), []

    @property
    def pid(self) -> int:
        return self._process.pid

    def stop(self) -> None:
        """End the child (if it still runs) and wait for it."""
        if self._process.poll() is None:
            self._process.kill()
        self._process.wait()


def _child_environment() -> dict[str, str]:
    """This process's environment, with the directory that holds this `inspector` first on the child's import
    path when it is a source tree (an installed package is found the usual way: a site directory put ahead
    of the standard library could shadow it)."""
    environment = dict(os.environ)
    sites = {os.path.realpath(path) for path in [*site.getsitepackages(), site.getusersitepackages()]}
    if os.path.realpath(_PACKAGE_ROOT) not in sites:
        environment["PYTHONPATH"] = os.pathsep.join(filter(None, [_PACKAGE_ROOT, environment.get("PYTHONPATH")]))
    return environment


def _send(value: tuple[object, ...]) -> None:
    data = dumps(value)
    out = sys.stdout.buffer
    out.write(_LENGTH.pack(len(data)))
    out.write(data)
    out.flush()


class _TailSender:
    """Gives the store the events as they come (gathered a few hundred at a time: see StoreFeeder) and sends
    a tail once the store holds `batch_events` more events or BATCH_SECONDS went by."""

    def __init__(self, store: SessionStore, batch_events: int) -> None:
        self._store = store
        self._feeder = StoreFeeder(store, min(batch_events, STORE_BATCH_EVENTS))
        self._batch_events = batch_events
        self._sent = 0  # events in the tails sent so far
        self._sent_at = time.monotonic()

    def add(self, events: list[SessionEvent]) -> None:
        if self._feeder.add(events) and (len(self._store.kinds) - self._sent >= self._batch_events
                                         or time.monotonic() - self._sent_at >= BATCH_SECONDS):
            self._send()

    def flush(self) -> None:
        self._feeder.flush()
        self._send()

    def _send(self) -> None:
        store = self._store
        if len(store.kinds) > self._sent:
            start = store.times.start
            _send(("batch", store.tail(), start if start is not None else 0.0))
            self._sent = len(store.kinds)
        self._sent_at = time.monotonic()


def run_child(path: str, spill_fd: int, batch_events: int) -> int:
    store = SessionStore(path, Spill(spill_fd))
    store.keep_links()
    sender = _TailSender(store, batch_events)
    try:
        packets, truncated = stream_capture(path, sender.add, store.times,
                                            progress=lambda fraction: _send(("progress", fraction)))
        sender.flush()
    except InspectorError as error:
        _send(("failed", str(error)))
    except Exception as error:  # a bug must still end as one line
        _send(("failed", f"{path}: could not be decoded ({type(error).__name__}: {error})"))
    else:
        _send(("done", packets, truncated, [view.connection for view in store.connections]))
    return 0


if __name__ == "__main__":
    faulthandler.enable()  # a crash in the decoding names its Python stack on the window's standard error
    try:
        sys.exit(run_child(sys.argv[1], int(sys.argv[2]), int(sys.argv[3])))
    except BrokenPipeError:  # the window stopped reading (a cancel): nothing is waiting for more
        sys.exit(0)
