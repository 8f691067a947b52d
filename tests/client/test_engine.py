"""The engine against real `websockets` servers on loopback: exact bytes, echoes, compression, fragments,
chunked writes, heartbeats, auto-pong, the opening handshake options, IPv6 and the close handshake."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Callable
from typing import Any

import pytest
from websockets.asyncio.server import ServerConnection, serve

from inspector.client import steps
from inspector.client.engine import Client, ClientOptions, Target, deflate_offer
from inspector.client.errors import ConnectFailed, HandshakeFailed
from inspector.protocol.constants import Direction, Opcode
from inspector.protocol.messages import Message
from inspector.session.events import MessageSeen
from tests.client.conftest import running


def messages(client: Client, direction: Direction) -> list[Message]:
    return [e.message for e in client.recording.events if type(e) is MessageSeen and e.direction is direction]


def echo_session(url: str, plan: list[steps.Step], count: int, **options: Any) -> Client:
    client = Client(url, ClientOptions(**options))
    client.connect()
    for step in plan:
        client.send(step)
    assert client.listen(5.0, until=lambda: len(messages(client, Direction.SERVER)) >= count)
    client.close()
    return client


def test_valid_frames_come_back_byte_exact(echo_url: str) -> None:
    payloads = [b"", b"Hello", bytes(range(256)) * 300]  # 76800 bytes: the 64-bit length form
    plan: list[steps.Step] = [steps.text("κόσμε"), *(steps.binary(p) for p in payloads)]
    client = echo_session(echo_url, plan, 4)
    sent = [(m.opcode, m.data) for m in messages(client, Direction.CLIENT)]
    assert sent == [(Opcode.TEXT, "κόσμε".encode()), *((Opcode.BINARY, p) for p in payloads)]
    assert [(m.opcode, m.data) for m in messages(client, Direction.SERVER)] == sent
    for frame in client.recording.frames(Direction.CLIENT):
        assert frame.masked and not frame.violations
    outcome = client.outcome()
    assert outcome.clean and outcome.first_closer is Direction.CLIENT and outcome.code == 1000


def test_compressed_and_fragmented_messages(echo_url: str) -> None:
    text = "compress me " * 200
    plan: list[steps.Step] = [steps.text(text, parts=4, compress=True), steps.text(text, compress=True),
                              steps.binary(bytes(5000), parts=3)]
    client = echo_session(echo_url, plan, 3, extensions=[deflate_offer()])
    assert client.handshake is not None and client.handshake.deflate is not None
    mine = messages(client, Direction.CLIENT)
    assert [m.compressed for m in mine] == [True, True, False]
    assert [len(m.frame_indices) for m in mine] == [4, 1, 3]
    frames = client.recording.frames(Direction.CLIENT)
    assert sum(frames[i].payload_length for i in range(5)) < len(text) // 4  # it really was compressed
    assert [m.data for m in messages(client, Direction.SERVER)] == [text.encode(), text.encode(), bytes(5000)]
    assert not any(m.violations for m in mine)


def test_chunked_writes_split_a_frame_mid_header(echo_url: str) -> None:
    client = Client(echo_url, ClientOptions(chunk_size=3, chunk_delay=0.002))
    client.connect()
    before = len(client.recording.chunks)
    client.send(steps.text("split me"))  # 2 + 4 + 8 = 14 bytes: writes of 3, 3, 3, 3, 2
    writes = [len(c.data) for c in client.recording.chunks[before:]]
    assert writes == [3, 3, 3, 3, 2]
    assert client.listen(2.0, until=lambda: bool(messages(client, Direction.SERVER)))
    assert messages(client, Direction.SERVER)[0].data == b"split me"
    client.close()


def test_raw_frames_are_sent_exactly(echo_url: str) -> None:
    raw = bytes.fromhex("81 05 48 65 6c 6c 6f")  # unmasked "Hello": a client must mask (§5.1)
    client = Client(echo_url)
    client.connect()
    start = len(client.recording.stream(Direction.CLIENT))
    client.send(steps.Raw(raw))
    assert client.recording.stream(Direction.CLIENT)[start:] == raw
    client.listen(2.0, until=lambda: client.server_closed)
    frame = client.recording.frames(Direction.CLIENT)[0]
    assert [v.code for v in frame.violations] == ["unmasked-client-frame"]
    assert client.outcome().code == 1002 and client.outcome().first_closer is Direction.SERVER
    client.close()


def pinging_server(ping_interval: float) -> Callable[[asyncio.Future[None], Callable[[str], None]], Any]:
    async def handler(connection: ServerConnection) -> None:
        async for message in connection:
            await connection.send(message)

    async def main(stop: asyncio.Future[None], ready: Callable[[str], None]) -> None:
        async with serve(handler, "127.0.0.1", 0, ping_interval=ping_interval, ping_timeout=ping_interval) as server:
            ready(f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/")
            await stop

    return main


@pytest.mark.parametrize("auto_pong", [True, False])
def test_auto_pong_keeps_a_pinging_server_happy_and_can_be_switched_off(auto_pong: bool) -> None:
    with running(pinging_server(0.2)) as url:
        client = Client(url, ClientOptions(auto_pong=auto_pong))
        client.connect()
        client.listen(1.0)
        pings = [f for f in client.recording.frames(Direction.SERVER) if f.opcode == Opcode.PING]
        pongs = [f for f in client.recording.frames(Direction.CLIENT) if f.opcode == Opcode.PONG]
        assert pings
        if auto_pong:
            assert [p.payload for p in pongs] == [p.payload for p in pings] and not client.server_closed
            client.close()
        else:
            assert not pongs
            assert client.outcome().code == 1011  # websockets: "keepalive ping timeout"


def test_heartbeat_measures_round_trips(echo_url: str) -> None:
    client = Client(echo_url, ClientOptions(heartbeat=0.1))
    client.connect()
    client.listen(0.55)
    client.close()
    assert 4 <= len(client.rtts) <= 7
    assert all(0 < rtt < 0.5 for rtt in client.rtts)


def test_handshake_options_reach_the_server() -> None:
    seen: list[Any] = []

    async def handler(connection: ServerConnection) -> None:
        seen.append((connection.request.headers, connection.subprotocol))  # type: ignore[union-attr]
        await connection.close()

    async def main(stop: asyncio.Future[None], ready: Callable[[str], None]) -> None:
        async with serve(handler, "127.0.0.1", 0, subprotocols=["chat.v2"]) as server:
            ready(f"ws://127.0.0.1:{server.sockets[0].getsockname()[1]}/room?id=7")
            await stop

    with running(main) as url:
        client = Client(url, ClientOptions(headers=[("X-Lesson", "3")], origin="http://lab.example",
                                           subprotocols=["chat.v1", "chat.v2"]))
        response = client.connect()
        client.close()
    headers, chosen = seen[0]
    assert headers["X-Lesson"] == "3" and headers["Origin"] == "http://lab.example"
    assert chosen == "chat.v2" and response.get("Sec-WebSocket-Protocol") == "chat.v2"
    assert client.recording.stream(Direction.CLIENT).startswith(b"GET /room?id=7 HTTP/1.1\r\n")


def test_a_raw_handshake_is_sent_verbatim(echo_url: str) -> None:
    target = Target.parse(echo_url)
    raw = (f"GET / HTTP/1.1\r\nHost: {target.host_header}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
           "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n").encode()
    client = Client(echo_url, ClientOptions(raw_handshake=raw))
    response = client.connect()
    assert response.get("Sec-WebSocket-Accept") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="  # RFC 6455 §1.3's example
    assert client.recording.stream(Direction.CLIENT) == raw
    client.close()
    broken = raw.replace(b"Version: 13", b"Version: 8")
    client = Client(echo_url, ClientOptions(raw_handshake=broken))
    with pytest.raises(HandshakeFailed, match="refused the Upgrade: 400 Bad Request"):
        client.connect()


def test_ipv6_loopback() -> None:
    try:
        probe = socket.create_server(("::1", 0), family=socket.AF_INET6)
        probe.close()
    except OSError as error:
        pytest.fail(f"this machine has no IPv6 loopback ({error}); the IPv6 path cannot be checked")

    async def handler(connection: ServerConnection) -> None:
        async for message in connection:
            await connection.send(message)

    async def main(stop: asyncio.Future[None], ready: Callable[[str], None]) -> None:
        async with serve(handler, "::1", 0) as server:
            ready(f"ws://[::1]:{server.sockets[0].getsockname()[1]}/")
            await stop

    with running(main) as url:
        client = echo_session(url, [steps.text("over IPv6")], 1)
    assert client.server_address[0] == "::1"
    assert client.recording.stream(Direction.CLIENT).split(b"\r\n")[1].startswith(b"Host: [::1]:")


def test_a_refused_connection_is_one_clear_line() -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()
    with pytest.raises(ConnectFailed, match=f"cannot connect to 127.0.0.1 port {port}: Connection refused"):
        Client(f"ws://127.0.0.1:{port}/").connect()


@pytest.mark.parametrize("url", ["http://example.com/", "ws:///nohost", "ws://host/#frag", "ws://host:99999/"])
def test_bad_urls(url: str) -> None:
    with pytest.raises(ConnectFailed):
        Target.parse(url)


def test_the_client_records_the_events_capture_finds_in_its_session(echo_url: str) -> None:
    """The client's events (through session.recorder) are the ones the capture pipeline finds in the
    same bytes as TCP packets: same kinds, order, connection ends, directions and frame indices."""
    from inspector.capture.load import decode_packets
    from inspector.commands.send import recording_packets
    from inspector.session.events import FrameSeen

    plan: list[steps.Step] = [steps.text("one"), steps.binary(bytes(300), parts=3), steps.ping(b"p")]
    client = echo_session(echo_url, plan, 2)

    def signature(event: Any) -> tuple:
        what = event.frame.index if type(event) is FrameSeen else (
            tuple(event.message.frame_indices) if type(event) is MessageSeen else None)
        connection = event.connection
        return type(event).__name__, connection.id, connection.client, connection.server, event.direction, what

    recorded = [signature(e) for e in client.recording.events]
    captured = [signature(e) for e in decode_packets(recording_packets(client))]
    assert recorded == captured
    assert recorded[0][0] == "ConnectionOpened" and recorded[-1][0] == "ConnectionClosed"
    assert all(e.packets == [] for e in client.recording.events)
