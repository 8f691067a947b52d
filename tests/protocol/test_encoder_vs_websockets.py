"""Frames from our encoder against a real peer: a `websockets` 17 echo server over loopback.

A small raw client (plain socket, fixed Sec-WebSocket-Key) sends exactly the bytes we built. Good
frames must come back echoed; each malformed one must make the server fail the connection with
the close code our violation catalogue predicts.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator

import pytest
from websockets.asyncio.server import ServerConnection, serve
from websockets.exceptions import ConnectionClosed

from inspector.protocol import encoder
from inspector.protocol.constants import Direction, Opcode
from inspector.protocol.encoder import FrameSpec, encode, spec_violations
from inspector.protocol.frame import Frame, decode_frame
from inspector.protocol.messages import MessageAssembler
from inspector.protocol.stream import FrameParser
from inspector.protocol.violations import violation

# RFC 6455 §1.3 example key and the accept value it must produce.
KEY = b"dGhlIHNhbXBsZSBub25jZQ=="
ACCEPT = b"s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
TIMEOUT = 1.5


async def _echo(ws: ServerConnection) -> None:
    try:
        async for message in ws:
            await ws.send(message)
    except ConnectionClosed:
        pass


@pytest.fixture(scope="module")
def server_port() -> Iterator[int]:
    ready = threading.Event()
    state: dict[str, object] = {}

    async def main() -> None:
        async with serve(_echo, "127.0.0.1", 0, compression=None) as server:
            state["port"] = next(iter(server.sockets)).getsockname()[1]
            stop: asyncio.Future[None] = asyncio.get_running_loop().create_future()
            state["stop"] = stop
            state["loop"] = asyncio.get_running_loop()
            ready.set()
            await stop

    thread = threading.Thread(target=lambda: asyncio.run(main()), daemon=True)
    thread.start()
    assert ready.wait(5), "the websockets server did not start"
    yield int(state["port"])  # type: ignore[call-overload]
    loop: asyncio.AbstractEventLoop = state["loop"]  # type: ignore[assignment]
    stop = state["stop"]
    loop.call_soon_threadsafe(lambda: stop.done() or stop.set_result(None))  # type: ignore[union-attr]
    thread.join(5)


class RawClient:
    """Sends an Upgrade with a fixed key, then raw bytes; reads the server's frames with our parser."""

    def __init__(self, port: int) -> None:
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
        request = (
            f"GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {KEY.decode()}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode("ascii")
        self.sock.sendall(request)
        buffer = b""
        while b"\r\n\r\n" not in buffer:
            chunk = self.sock.recv(4096)
            assert chunk, "the server closed during the handshake"
            buffer += chunk
        head, rest = buffer.split(b"\r\n\r\n", 1)
        assert head.startswith(b"HTTP/1.1 101"), head
        assert ACCEPT in head
        self.parser = FrameParser(Direction.SERVER)
        self.frames: list[Frame] = self.parser.feed(rest)

    def send(self, *specs: FrameSpec) -> None:
        self.sock.sendall(b"".join(encode(s) for s in specs))

    def read_until(self, count: int = 1, *, stop_at_close: bool = True) -> list[Frame]:
        while len(self.frames) < count and not (stop_at_close and any(f.opcode == Opcode.CLOSE for f in self.frames)):
            chunk = self.sock.recv(65536)
            if not chunk:
                break
            self.frames += self.parser.feed(chunk)
        return self.frames

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def client(server_port: int) -> Iterator[RawClient]:
    raw = RawClient(server_port)
    yield raw
    raw.close()


def _server_frames_are_clean(frames: list[Frame]) -> None:
    for frame in frames:
        assert frame.violations == (), [v.code for v in frame.violations]


@pytest.mark.parametrize(
    ("specs", "opcode", "data"),
    [
        ([encoder.text("Hello")], Opcode.TEXT, b"Hello"),
        ([encoder.text("héllo wörld ✓")], Opcode.TEXT, "héllo wörld ✓".encode()),
        ([encoder.binary(bytes(range(256)))], Opcode.BINARY, bytes(range(256))),
        ([encoder.binary(bytes(i % 253 for i in range(65536)))], Opcode.BINARY, bytes(i % 253 for i in range(65536))),
        (encoder.fragment(b"happy new year", Opcode.TEXT, 3), Opcode.TEXT, b"happy new year"),
        (encoder.fragment(b"\xe2\x9c\x93\xe2\x9c\x93", Opcode.TEXT, 4), Opcode.TEXT, "✓✓".encode()),
    ],
)
def test_valid_messages_are_echoed(client: RawClient, specs: list[FrameSpec], opcode: int, data: bytes) -> None:
    assert all(spec_violations(s, Direction.CLIENT) == [] for s in specs)
    client.send(*specs)
    frames = client.read_until(1)
    _server_frames_are_clean(frames)
    assembler = MessageAssembler(Direction.SERVER)
    messages = [m for f in frames for m in assembler.feed(f)]
    assert len(messages) == 1
    assert (messages[0].opcode, messages[0].data, messages[0].complete) == (opcode, data, True)


def test_ping_between_fragments_gets_pong_then_echo(client: RawClient) -> None:
    first, last = encoder.fragment(b"Hello", Opcode.TEXT, 2)
    client.send(first, encoder.ping(b"are you there?"), last)
    frames = client.read_until(2)
    _server_frames_are_clean(frames)
    assert (frames[0].opcode, frames[0].payload) == (Opcode.PONG, b"are you there?")
    assert (frames[1].opcode, frames[1].payload) == (Opcode.TEXT, b"Hello")


def test_clean_close_is_answered_with_same_code(client: RawClient) -> None:
    client.send(encoder.close(1000, "bye"))
    (frame,) = client.read_until(1)
    assert frame.opcode == Opcode.CLOSE and frame.close_code == 1000 and frame.violations == ()


MALFORMED: list[tuple[str, list[FrameSpec], str]] = [
    ("reserved opcode", [FrameSpec(b"", 0x3, mask_bit=True, masking_key=b"abcd")], "reserved-opcode"),
    ("reserved control opcode", [FrameSpec(b"", 0xB, mask_bit=True, masking_key=b"abcd")], "reserved-opcode"),
    ("invalid UTF-8 text", [FrameSpec(b"\xc3\x28", Opcode.TEXT, mask_bit=True, masking_key=b"abcd")],
     "invalid-utf8"),
    ("unmasked client frame", [encoder.text("hi", mask=False)], "unmasked-client-frame"),
    ("RSV1 without extension", [FrameSpec(b"hi", rsv1=True, mask_bit=True, masking_key=b"abcd")], "reserved-bits"),
    ("RSV3 without extension", [FrameSpec(b"hi", rsv3=True, mask_bit=True, masking_key=b"abcd")], "reserved-bits"),
    ("control frame too long", [encoder.ping(b"x" * 126)], "control-frame-too-long"),
    ("fragmented control frame", [FrameSpec(b"", Opcode.PING, fin=False, mask_bit=True, masking_key=b"abcd")],
     "fragmented-control-frame"),
    ("close code 1005 on the wire", [encoder.close(1005)], "invalid-close-code"),
    ("close code 999", [encoder.close(999)], "invalid-close-code"),
    ("one-byte close body", [FrameSpec(b"\x03", Opcode.CLOSE, mask_bit=True, masking_key=b"abcd")],
     "close-payload-one-byte"),
]


@pytest.mark.parametrize(("case", "specs", "code"), MALFORMED, ids=[m[0] for m in MALFORMED])
def test_malformed_frame_gets_the_predicted_close_code(client: RawClient, case: str, specs: list[FrameSpec],
                                                       code: str) -> None:
    if code == "invalid-utf8":
        # A message-level rule: our assembler, fed the decoded frames, must name it.
        assembler = MessageAssembler(Direction.CLIENT)
        decoded = [decode_frame(encode(s), Direction.CLIENT) for s in specs]
        messages = [m for f in decoded for m in assembler.feed(f)]
        assert messages and messages[0].has(code)
    else:
        assert code in [v.code for s in specs for v in spec_violations(s, Direction.CLIENT)]
    client.send(*specs)
    frames = client.read_until(1)
    closes = [f for f in frames if f.opcode == Opcode.CLOSE]
    assert closes, f"{case}: the server sent no Close frame"
    assert closes[0].close_code == violation(code).close_code
