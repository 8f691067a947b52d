"""The lab server in its three modes, driven by the `websockets` client and by our own client."""

from __future__ import annotations

import asyncio
import contextlib
import selectors
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
from websockets.asyncio.client import connect

from inspector.client import steps
from inspector.client.engine import Client
from inspector.client.templates import BY_NAME
from inspector.client.verdict import run_template
from inspector.lab.server import LabServer
from inspector.protocol.constants import Direction, Opcode
from inspector.protocol.encoder import encode, text
from inspector.protocol.handshake import build_request, parse_response
from inspector.protocol.stream import FrameParser
from tests.client.conftest import lab

CHAT_CLIENTS = 100
CHAT_MESSAGES = 100


async def echo_with_websockets(url: str) -> list[str | bytes]:
    async with connect(url) as ws:
        await ws.send("hi")
        await ws.send(b"\x00\x01")
        await ws.send(["frag", "mented"])
        return [await ws.recv() for _ in range(3)]


@pytest.mark.parametrize("mode", ["echo", "strict"])
def test_echo_modes_with_both_clients(mode: str) -> None:
    with lab(mode=mode) as (server, url):
        assert asyncio.run(echo_with_websockets(url)) == ["hi", b"\x00\x01", "fragmented"]
        ours = Client(url)
        ours.connect()
        ours.send(steps.text("ours"))
        ours.listen(3.0, until=lambda: bool(ours.recording.frames(Direction.SERVER)))
        ours.close()
    assert ours.recording.frames(Direction.SERVER)[0].payload == b"ours"
    log = server.out.getvalue()  # type: ignore[attr-defined]
    assert log.count(" connected (") == 2 and "Traceback" not in log


def test_a_protocol_breaker_is_one_line_in_every_mode() -> None:
    for mode in ("echo", "chat", "strict"):
        with lab(mode=mode) as (server, url):
            client = Client(url)
            client.connect()
            verdict = run_template(client, BY_NAME["rsv-2"], 2.0)
            client.close()
            assert verdict.passed
        lines = server.out.getvalue().splitlines()  # type: ignore[attr-defined]
        broke = [line for line in lines if "broke the protocol" in line]
        assert len(broke) == 1, lines
        assert "127.0.0.1:" in broke[0] and "closed with 1002 (reserved bits must be 0)" in broke[0]
        assert ("rule reserved-bits (§5.2)" in broke[0]) == (mode == "strict")
        assert not any("Traceback" in line or line.startswith(" ") for line in lines), lines


@contextlib.contextmanager
def serve_process(*options: str) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """`inspector serve --port 0 ...` in its own process; yields it and its URL (its first line)."""
    process = subprocess.Popen([sys.executable, "-m", "inspector", "serve", "--port", "0", *options],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        first = process.stdout.readline()  # type: ignore[union-attr]
        assert " listening on " in first, first
        yield process, first.split()[-1]
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
        process.communicate(timeout=20)


def test_chat_broadcasts_every_message_to_every_client_once() -> None:
    """CHAT_CLIENTS raw clients (the encoder out, the stream parser in) each send CHAT_MESSAGES messages;
    every client must receive every message exactly once. The server runs in its own process."""
    with serve_process("--mode", "chat", "--no-deflate") as (_, url):
        port = int(url.rstrip("/").rsplit(":", 1)[1])
        sockets = []
        for _ in range(CHAT_CLIENTS):
            sock = socket.create_connection(("127.0.0.1", port), timeout=10)
            sock.sendall(build_request(f"127.0.0.1:{port}"))
            answer = b""
            while (parsed := parse_response(answer)) is None:
                answer += sock.recv(4096)
            assert parsed[0].status == 101 and parsed[1] == len(answer)
            sockets.append(sock)
        for n in range(CHAT_MESSAGES):
            for i, sock in enumerate(sockets):
                sock.sendall(encode(text(f"{i}:{n}")))
        total = CHAT_CLIENTS * CHAT_MESSAGES
        counts = {sock: bytearray(total) for sock in sockets}
        parsers = {sock: FrameParser(Direction.SERVER) for sock in sockets}
        selector = selectors.DefaultSelector()
        for sock in sockets:
            sock.setblocking(False)
            selector.register(sock, selectors.EVENT_READ)
        received = 0
        deadline = time.monotonic() + 120
        while received < total * CHAT_CLIENTS and time.monotonic() < deadline:
            for key, _ in selector.select(5):
                sock = key.fileobj  # type: ignore[assignment]
                for frame in parsers[sock].feed(sock.recv(1 << 20)):
                    if frame.opcode == Opcode.PING:  # the server's keep-alive, sent when a run is slow
                        continue
                    assert frame.opcode == Opcode.TEXT and not frame.violations, frame.payload
                    sender, number = map(int, frame.payload.split(b":"))
                    counts[sock][sender * CHAT_MESSAGES + number] += 1
                    received += 1
        for sock in sockets:
            sock.close()
    for seen in counts.values():
        assert seen == bytearray([1]) * total  # each message once: none lost, none duplicated


async def listen_once(url: str, started: asyncio.Event) -> str | bytes:
    async with connect(url) as ws:
        started.set()
        return await ws.recv()


def test_chat_with_our_client_and_a_websockets_client() -> None:
    with lab(mode="chat") as (_, url):
        async def both() -> str | bytes:
            started = asyncio.Event()
            task = asyncio.create_task(listen_once(url, started))
            await started.wait()
            await asyncio.sleep(0.05)  # the server registers the connection after the handshake
            await asyncio.to_thread(talk, url)
            return await asyncio.wait_for(task, 5)

        assert asyncio.run(both()) == "to everyone"


def talk(url: str) -> None:
    """Two of our clients: the first says something, both must hear it."""
    first, second = Client(url), Client(url)
    first.connect()
    second.connect()
    first.send(steps.text("to everyone"))
    for client in (first, second):
        client.listen(3.0, until=lambda c=client: bool(c.recording.frames(Direction.SERVER)))  # type: ignore[misc]
        client.close()
    assert [c.recording.frames(Direction.SERVER)[0].payload for c in (first, second)] == [b"to everyone"] * 2


def test_an_unknown_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="mode is one of echo, chat, strict"):
        LabServer(mode="loud")


def test_inspector_serve_prints_its_url_at_once_and_stops_on_ctrl_c() -> None:
    with serve_process("--mode", "strict") as (process, url):
        assert url.startswith("ws://127.0.0.1:")
        assert asyncio.run(echo_with_websockets(url)) == ["hi", b"\x00\x01", "fragmented"]
        breaker = Client(url)
        breaker.connect()
        assert run_template(breaker, BY_NAME["opcode-11"], 2.0).passed
        breaker.close()
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=10)
    assert process.returncode == 0, err
    assert "Traceback" not in out + err
    assert out.rstrip().endswith("lab server stopped")
    broke = [line for line in out.splitlines() if "broke the protocol" in line]
    assert len(broke) == 1 and "closed with 1002 (invalid opcode); rule reserved-opcode (§5.2)" in broke[0], out
