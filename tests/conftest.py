"""Shared, generic test helpers.

- `wire_frame(...)`: the bytes of one RFC 6455 frame, built independently of inspector's encoder.
- `event_summary(events)`: a decoder's events as plain tuples, to compare two runs of the same bytes.
- `recording_relay` fixture: a real TCP relay on 127.0.0.1 that records both directions (see `RecordingRelay`).
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest

import inspector
from tests.capture import synth


def pytest_report_header() -> str:
    """Say which build of the decoding path the run tested: compiled, or why the sources ran."""
    return f"inspector build: {inspector.BUILD}"


def wire_frame(
    opcode: int,
    payload: bytes = b"",
    *,
    fin: bool = True,
    rsv1: bool = False,
    rsv2: bool = False,
    rsv3: bool = False,
    mask: bytes | None = None,
    length_form: int | None = None,
) -> bytes:
    """One frame as raw bytes. `mask` (4 bytes) masks it; `length_form` 7/16/64 forces the length encoding.
    synth.ws_frame builds it; this names the RSV bits one by one."""
    rsv = (4 if rsv1 else 0) | (2 if rsv2 else 0) | (1 if rsv3 else 0)
    return synth.ws_frame(opcode, payload, fin=fin, mask=mask, rsv=rsv, form=length_form)


def event_summary(events: list) -> list[tuple]:
    """Frames and messages as tuples of what they say (the handshake by its status), for comparing runs."""
    from inspector.protocol.frame import Frame
    from inspector.protocol.messages import Message

    out: list[tuple] = []
    for event in events:
        if isinstance(event, Frame):
            out.append(("F", event.index, event.direction, event.offset, event.opcode, event.header, event.payload,
                        event.truncated, [v.code for v in event.violations]))
        elif isinstance(event, Message):
            out.append(("M", event.direction, event.opcode, event.frame_indices, event.data, event.text,
                        event.complete, [v.code for v in event.violations]))
        else:
            out.append(("H", event.status))
    return out


def client_frame(opcode: int, payload: bytes = b"", **kwargs: object) -> bytes:
    """A masked frame with a fixed key (the RFC 6455 Section 5.7 key), as a client sends it."""
    kwargs.setdefault("mask", bytes.fromhex("37fa213d"))
    return wire_frame(opcode, payload, **kwargs)  # type: ignore[arg-type]


@dataclass
class Chunk:
    """Bytes one side sent, as the relay read them off the socket."""

    direction: str  # "client" (client -> server) or "server" (server -> client)
    time: float
    data: bytes


@dataclass
class RecordingRelay:
    """A TCP relay on 127.0.0.1 that forwards bytes unchanged and records them, in order, with timestamps.

    Point a client at `relay.port`; the relay connects each accepted client to (`upstream_host`,
    `upstream_port`) and pumps both directions with one thread each. Every read is appended to
    `relay.chunks` (a `Chunk(direction, time, data)`) under a lock, so `chunks` is the order in which
    the relay saw the bytes. Per direction this is exactly the TCP byte stream.

    API:
      relay.port                    the port to connect to
      relay.chunks                  list[Chunk] for all connections, in arrival order
      relay.stream(direction)       all bytes of one direction ("client" or "server") joined
      relay.wait_closed(timeout)    block until every relayed connection has closed both ways
      relay.close()                 stop listening (the fixture does this)

    Several client connections are relayed one after another into the same `chunks`; tests that
    need them apart should use one connection per relay.
    """

    upstream_host: str
    upstream_port: int
    chunks: list[Chunk] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._threads: list[threading.Thread] = []
        self._sockets: list[socket.socket] = []
        self._acceptor = threading.Thread(target=self._accept_loop, daemon=True)
        self._acceptor.start()

    def _accept_loop(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection((self.upstream_host, self.upstream_port))
            self._sockets += [client, server]
            for source, sink, name in ((client, server, "client"), (server, client, "server")):
                thread = threading.Thread(target=self._pump, args=(source, sink, name), daemon=True)
                self._threads.append(thread)
                thread.start()

    def _pump(self, source: socket.socket, sink: socket.socket, direction: str) -> None:
        try:
            while True:
                data = source.recv(65536)
                if not data:
                    break
                with self._lock:  # record before forwarding, so the order of chunks is causal
                    self.chunks.append(Chunk(direction, time.time(), data))
                sink.sendall(data)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                sink.shutdown(socket.SHUT_WR)

    def stream(self, direction: str) -> bytes:
        with self._lock:
            return b"".join(c.data for c in self.chunks if c.direction == direction)

    def wait_closed(self, timeout: float = 2.0) -> None:
        deadline = time.monotonic() + timeout
        for thread in list(self._threads):
            thread.join(max(0.0, deadline - time.monotonic()))

    def close(self) -> None:
        self._listener.close()
        self.wait_closed(1.0)
        for sock in self._sockets:
            sock.close()


@pytest.fixture
def recording_relay() -> Iterator[Callable[[str, int], RecordingRelay]]:
    """A factory: `relay = recording_relay(host, port)`; every relay made is closed after the test."""
    made: list[RecordingRelay] = []

    def factory(upstream_host: str, upstream_port: int) -> RecordingRelay:
        relay = RecordingRelay(upstream_host, upstream_port)
        made.append(relay)
        return relay

    yield factory
    for relay in made:
        relay.close()
