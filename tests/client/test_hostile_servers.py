"""Hostile servers, each a few lines on a real socket: the client must stop within its timeout, with a
one-line error, bounded memory, and the session recorded so far."""

from __future__ import annotations

import base64
import contextlib
import hashlib
import socket
import struct
import threading
import time
import tracemalloc
import zlib
from collections.abc import Callable, Iterator

import pytest

from inspector.client.engine import Client, ClientOptions, deflate_offer
from inspector.client.errors import ClientError, HandshakeFailed, SessionProblem
from inspector.protocol.constants import Direction

GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
TIMEOUT = 0.5
SLACK = 1.5  # scheduling on a busy 2-core machine


@contextlib.contextmanager
def hostile(behaviour: Callable[[socket.socket], None]) -> Iterator[str]:
    """A server on 127.0.0.1 that runs `behaviour` on each accepted connection, in a thread."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        with contextlib.suppress(OSError):
            conn, _ = listener.accept()
            with conn:
                behaviour(conn)
                stop.wait(10)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"ws://127.0.0.1:{listener.getsockname()[1]}/"
    finally:
        stop.set()
        listener.close()
        thread.join(5)


def read_request(conn: socket.socket) -> bytes:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def accept_upgrade(conn: socket.socket, extensions: str = "") -> None:
    request = read_request(conn).decode("latin-1")
    key = next(line.split(":", 1)[1].strip() for line in request.split("\r\n")
               if line.lower().startswith("sec-websocket-key:"))
    accept = base64.b64encode(hashlib.sha1((key + GUID).encode()).digest()).decode()
    extra = f"Sec-WebSocket-Extensions: {extensions}\r\n" if extensions else ""
    conn.sendall(f"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                 f"Sec-WebSocket-Accept: {accept}\r\n{extra}\r\n".encode())


def send_then_reset(conn: socket.socket, data: bytes) -> None:
    """Send `data`, give the client a moment to read it, then end the connection with a TCP reset."""
    conn.sendall(data)
    time.sleep(0.2)  # let the client read the bytes before the RST discards them
    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    conn.close()


def run_session(url: str, seconds: float = 1.0, **options: object) -> tuple[Client, ClientError, float]:
    client = Client(url, ClientOptions(connect_timeout=TIMEOUT, handshake_timeout=TIMEOUT, idle_timeout=TIMEOUT,
                                       **options))  # type: ignore[arg-type]
    start = time.monotonic()
    with pytest.raises(ClientError) as caught:
        client.connect()
        client.listen(seconds)
    elapsed = time.monotonic() - start
    assert "\n" not in str(caught.value)
    assert client.sock is None, "the socket is closed after a problem"
    return client, caught.value, elapsed


def test_a_server_that_accepts_tcp_and_never_answers() -> None:
    with hostile(lambda conn: None) as url:
        client, error, elapsed = run_session(url)
    assert isinstance(error, HandshakeFailed)
    assert "no complete answer to the Upgrade within 0.5 s (0 bytes received)" in str(error)
    assert elapsed < TIMEOUT + SLACK
    assert client.recording.stream(Direction.CLIENT).startswith(b"GET / HTTP/1.1\r\n")  # what was sent is kept


def test_a_server_that_answers_the_upgrade_with_garbage() -> None:
    def garbage(conn: socket.socket) -> None:
        read_request(conn)
        conn.sendall(b"\x00\xff\xfe not http at all\r\n\r\n")

    with hostile(garbage) as url:
        client, error, elapsed = run_session(url)
    assert isinstance(error, HandshakeFailed)
    assert "the server's answer to the Upgrade is not HTTP" in str(error)
    assert elapsed < TIMEOUT + SLACK
    assert client.recording.stream(Direction.SERVER).startswith(b"\x00\xff\xfe")


def test_a_server_that_refuses_the_upgrade() -> None:
    def refuse(conn: socket.socket) -> None:
        read_request(conn)
        conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")

    with hostile(refuse) as url:
        client, error, _ = run_session(url)
    assert isinstance(error, HandshakeFailed)
    assert str(error) == "the server refused the Upgrade: 403 Forbidden"
    assert client.handshake is not None and client.handshake.refused


def drip(conn: socket.socket) -> None:
    accept_upgrade(conn)
    frame = bytes([0x81, 100]) + b"d" * 100
    with contextlib.suppress(OSError):
        for byte in frame:
            conn.sendall(bytes([byte]))
            time.sleep(0.02)


def test_a_server_that_drips_a_frame_one_byte_at_a_time() -> None:
    with hostile(drip) as url:
        client, error, elapsed = run_session(url, seconds=1.0)
    assert isinstance(error, SessionProblem)
    assert "the server's frame was still incomplete after 1 s" in str(error)
    assert 1.0 <= elapsed < 1.0 + SLACK
    frame = client.recording.frames(Direction.SERVER)[-1]
    assert frame.truncated and frame.payload_length == 100 and 0 < len(frame.payload) < 100


def test_a_server_that_stops_inside_a_frame_hits_the_idle_timeout() -> None:
    def stall(conn: socket.socket) -> None:
        accept_upgrade(conn)
        conn.sendall(bytes([0x81, 100]) + b"s" * 10)

    with hostile(stall) as url:
        _, error, elapsed = run_session(url, seconds=5.0)
    assert "the server went silent for 0.5 s inside a frame: 12 of the 102 bytes its header claims" in str(error)
    assert elapsed < TIMEOUT + SLACK


def test_a_server_that_claims_a_2_63_byte_frame() -> None:
    def claim(conn: socket.socket) -> None:
        accept_upgrade(conn)
        block = b"x" * 65536
        with contextlib.suppress(OSError):
            conn.sendall(bytes([0x82, 127]) + struct.pack("!Q", 2**63))
            while True:
                conn.sendall(block)

    tracemalloc.start()
    try:
        with hostile(claim) as url:
            client, error, elapsed = run_session(url, seconds=5.0, receive_limit=1024 * 1024)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "the server sent more than 1 MiB, the receive limit" in str(error)
    assert f"of the {10 + 2**63} bytes its header claims" in str(error)
    assert elapsed < 5.0
    assert peak < 12 * 1024 * 1024, f"{peak} bytes at the peak"
    assert client.recording.frames(Direction.SERVER)[-1].truncated


def test_a_server_that_sends_a_zlib_bomb() -> None:
    squeezer = zlib.compressobj(9, zlib.DEFLATED, -15)
    bomb = squeezer.compress(bytes(64 * 1024 * 1024)) + squeezer.flush(zlib.Z_SYNC_FLUSH)
    bomb = bomb[:-4]  # RFC 7692 §7.2.1: the sender drops the 00 00 ff ff tail

    def explode(conn: socket.socket) -> None:
        accept_upgrade(conn, "permessage-deflate")
        conn.sendall(bytes([0xC2, 127]) + struct.pack("!Q", len(bomb)) + bomb)

    tracemalloc.start()
    try:
        with hostile(explode) as url:
            _, error, elapsed = run_session(url, seconds=5.0, extensions=[deflate_offer()],
                                            inflate_limit=1024 * 1024)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert "a server message inflates past the inflate limit (1 MiB)" in str(error)
    assert elapsed < 5.0
    assert peak < 16 * 1024 * 1024, f"{peak} bytes at the peak"


def test_a_server_that_resets_mid_frame() -> None:
    def reset(conn: socket.socket) -> None:
        accept_upgrade(conn)
        send_then_reset(conn, bytes([0x82, 126, 0x03, 0xE8]) + b"r" * 100)

    with hostile(reset) as url:
        client, error, elapsed = run_session(url, seconds=5.0)
    assert str(error) == "the server reset the connection inside a frame (104 of the 1004 bytes its header claims)"
    assert elapsed < 2.0
    frame = client.recording.frames(Direction.SERVER)[-1]
    assert frame.truncated and frame.payload == b"r" * 100
