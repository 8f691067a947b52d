"""The live capture engine (LiveDecoding): every frame of real websockets traffic, clean stops, Ctrl-C.

These tests really capture on lo (the test machine runs as root); the privilege message without
root is tested in test_live.py by running the command as `nobody`.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, serve

from inspector.capture.live import LiveDecoding
from inspector.protocol.constants import Direction, Opcode
from inspector.protocol.frame import Frame
from inspector.session.events import SessionEvent

from . import events as pick

pytestmark = pytest.mark.live

REPO = Path(__file__).resolve().parents[2]
MESSAGES = 3000  # small messages sent back to back: thousands of one-frame segments in about a second


def frames_of(batches: list[list[SessionEvent]]) -> list[Frame]:
    return pick.frames(event for batch in batches for event in batch)


async def _burst(port: int) -> list[str]:
    sent = [f"message {n}" for n in range(MESSAGES)]
    async with connect(f"ws://127.0.0.1:{port}", compression=None) as ws:
        for text in sent:
            await ws.send(text)
        await (await ws.ping(b"done"))  # the server has read every message when its pong arrives
    return sent


def test_engine_finds_every_frame_of_a_websockets_burst() -> None:
    received: list[str] = []

    async def sink(ws: ServerConnection) -> None:
        async for message in ws:
            received.append(str(message))

    async def scenario() -> tuple[LiveDecoding, list[list[SessionEvent]], list[str]]:
        async with serve(sink, "127.0.0.1", 0, compression=None) as server:
            port = server.sockets[0].getsockname()[1]
            engine = LiveDecoding("lo", f"tcp port {port}")
            engine.start()
            batches: list[list[SessionEvent]] = []
            consumer = threading.Thread(target=lambda: batches.extend(engine.events()))
            consumer.start()
            try:
                sent = await _burst(port)
                await asyncio.sleep(0.05)  # the server's side of the closing handshake
            finally:
                engine.stop()
                consumer.join()
        return engine, batches, sent

    engine, batches, sent = asyncio.run(scenario())
    assert received == sent
    frames = frames_of(batches)
    client_texts = [f.payload.decode() for f in frames if f.direction is Direction.CLIENT and f.opcode == Opcode.TEXT]
    assert client_texts == sent
    assert engine.kernel_drops == 0
    assert engine.frames_decoded == len(frames)
    assert engine.packets_read == engine.capture.kernel_packets
    assert len(batches) > 1, "the frames arrived in one batch: nothing was decoded while the capture ran"


def test_engine_stops_cleanly_from_another_thread() -> None:
    before = threading.active_count()
    engine = LiveDecoding("lo", "udp port 9")
    engine.start()
    threading.Timer(0.2, engine.stop).start()
    started = time.monotonic()
    assert list(engine.events()) == []  # returns once stopped, with nothing captured
    assert time.monotonic() - started < 3.0
    engine.stop()  # idempotent
    time.sleep(0.05)  # the timer thread itself ends after its call
    assert threading.active_count() == before
    reader = engine.capture._process
    assert reader is not None and reader.returncode == 0  # it ended on its own, and it was waited for
    assert child_processes() == []  # no zombie left behind
    assert engine.capture._socket is not None and engine.capture._socket.fileno() == -1


def child_processes() -> list[str]:
    tasks = Path(f"/proc/{os.getpid()}/task")
    return [pid for task in tasks.iterdir() for pid in (task / "children").read_text().split()]


def test_a_reader_that_dies_is_one_line_at_the_end_of_the_batches() -> None:
    from inspector.capture.live import CaptureError

    engine = LiveDecoding("lo", "udp port 9")
    engine.start()
    reader = engine.capture._process
    assert reader is not None
    reader.kill()
    with pytest.raises(CaptureError, match=r"^capture on lo failed: the reader process ended with status -9$"):
        list(engine.events())
    engine.stop()
    assert child_processes() == []


def test_engine_reports_a_missing_interface_in_one_line() -> None:
    from inspector.capture.live import CaptureError

    with pytest.raises(CaptureError, match=r"^no such network interface: nosuch0$"):
        LiveDecoding("nosuch0").start()


async def _with_sink(run: object) -> None:
    async def sink(ws: ServerConnection) -> None:
        async for _ in ws:
            pass

    async with serve(sink, "127.0.0.1", 0, compression=None) as server:
        await run(server.sockets[0].getsockname()[1])  # type: ignore[operator]


def test_cli_ctrl_c_stops_cleanly_and_keeps_what_was_captured() -> None:
    result: dict[str, object] = {}

    async def scenario(port: int) -> None:
        process = subprocess.Popen(
            [sys.executable, "-m", "inspector", "capture", "-i", "lo", "-f", f"tcp port {port}", "--json"],
            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        assert process.stderr is not None
        line = await asyncio.to_thread(process.stderr.readline)
        assert line.startswith("inspector: capturing on lo"), line
        await _burst(port)
        await asyncio.sleep(0.3)
        process.send_signal(signal.SIGINT)
        stdout, stderr = await asyncio.to_thread(process.communicate, timeout=30)
        result.update(rc=process.returncode, stdout=stdout, stderr=stderr)

    asyncio.run(_with_sink(scenario))
    assert result["rc"] == 0, result["stderr"]
    lines = str(result["stderr"]).splitlines()
    assert len(lines) == 1 and re.fullmatch(r"inspector: \d+ packets captured, read at most \d+ ms after arrival "
                                            r"\(interrupted\)", lines[0]), lines
    records = [json.loads(line) for line in str(result["stdout"]).splitlines()]
    texts = [bytes.fromhex(record["payload_hex"]).decode() for record in records
             if record["type"] == "frame" and record["direction"] == "client" and record["opcode"] == Opcode.TEXT]
    assert texts == [f"message {n}" for n in range(MESSAGES)]
