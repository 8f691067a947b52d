"""Live capture on lo against real websockets 17 peers: what the peers sent and received is the truth.

These tests really sniff (the test machine runs as root). Each one starts the capture, waits until
it runs (LiveCapture.start returns once the socket is open and the sniffer loop has started), runs
the traffic, then stops, which first lets the sniffer read everything the kernel queued.
"""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, serve

from inspector.capture.live import LiveCapture
from inspector.capture.load import decode_packets
from inspector.capture.packets import RawPacket
from inspector.capture.pcapfile import CaptureFile
from inspector.capture.pcapng_writer import PcapngWriter
from inspector.capture.pipeline import CaptureDecoder
from inspector.protocol.constants import Direction, Opcode
from inspector.protocol.frame import Frame
from inspector.protocol.messages import Message
from inspector.session.events import Connection, FrameSeen, MessageSeen, SessionEvent

from . import events as pick

pytestmark = pytest.mark.live

REPO = Path(__file__).resolve().parents[2]
MIB = 1 << 20
# What the client sends; the server echoes each message back. Lists are fragmented sends.
CLIENT_MESSAGES: list[str | bytes | list[str] | list[bytes]] = [
    "hello ✓",
    b"",
    b"\x00\xff" * 62 + b"!",  # 125 bytes: the largest 7-bit length
    bytes(range(256)) * 256,  # 65536 bytes: the first 64-bit length
    os.urandom(MIB),
    ["frag", "mented ✓"],
    [b"\x01" * 1000, b"\x02" * 70000],
    "x" * 200_000,  # compresses well when deflate is on
]
PING_DATA = b"x"


def as_message(value: str | bytes | list) -> tuple[int, bytes]:
    """(opcode, data) of a message as the websockets API saw it."""
    if isinstance(value, list):
        value = type(value[0])().join(value)
    if isinstance(value, str):
        return Opcode.TEXT, value.encode()
    return Opcode.BINARY, bytes(value)


@dataclass
class Recording:
    port: int
    packets: list[RawPacket]
    client_sent: list[tuple[int, bytes]] = field(default_factory=list)
    client_received: list[tuple[int, bytes]] = field(default_factory=list)
    server_received: list[tuple[int, bytes]] = field(default_factory=list)
    kernel_drops: int = 0
    pcapng: Path | None = None


def record_session(tmp_path: Path, compression: str | None) -> Recording:
    """Capture one websockets conversation on lo (saving it as pcapng too) and return the ground truth."""
    return asyncio.run(_session(tmp_path, compression))


async def _session(tmp_path: Path, compression: str | None) -> Recording:
    server_received: list[tuple[int, bytes]] = []

    async def echo(ws: ServerConnection) -> None:
        async for message in ws:
            server_received.append(as_message(message))
            await ws.send(message)

    async with serve(echo, "127.0.0.1", 0, compression=compression, max_size=None) as server:
        port = server.sockets[0].getsockname()[1]
        path = tmp_path / f"live_{port}.pcapng"
        packets: list[RawPacket] = []
        live = LiveCapture("lo", f"tcp port {port}")
        live.start()
        with open(path, "wb") as file:
            writer = PcapngWriter(file)

            def consume() -> None:
                for packet in live.packets():
                    packets.append(packet)
                    writer.write(packet)

            consumer = threading.Thread(target=consume)
            consumer.start()
            recording = Recording(port, packets, pcapng=path, server_received=server_received)
            try:
                async with connect(f"ws://127.0.0.1:{port}", compression=compression, max_size=None) as ws:
                    for message in CLIENT_MESSAGES:
                        await ws.send(message)
                        recording.client_sent.append(as_message(message))
                        recording.client_received.append(as_message(await ws.recv()))
                    await (await ws.ping(PING_DATA))
            finally:
                await asyncio.sleep(0)  # let the server finish its side of the close
                live.stop()
                consumer.join()
        recording.kernel_drops = live.stats[1]
    return recording


def decode(packets: list[RawPacket]) -> list[SessionEvent]:
    return list(CaptureDecoder().run(packets))


def by_kind(events: list[SessionEvent]) -> tuple[list[Connection], list[Frame], list[Message]]:
    return pick.connections(events), pick.frames(events), pick.messages(events)


def frame_facts(frame: Frame) -> tuple:
    return (frame.index, str(frame.direction), frame.fin, frame.rsv1, frame.opcode, frame.masked,
            frame.payload_length, frame.masking_key, frame.payload)


@pytest.fixture(scope="module", params=[None, "deflate"], ids=["plain", "deflate"])
def recording(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Recording:
    return record_session(tmp_path_factory.mktemp("live"), request.param)


def test_capture_is_complete(recording: Recording) -> None:
    assert recording.kernel_drops == 0
    assert recording.packets, "nothing captured"
    assert [p.number for p in recording.packets] == list(range(1, len(recording.packets) + 1))
    # Full snapshot: every IPv4 packet is as long as its header says (no 65535-byte cut on lo).
    assert all(len(p.data) == 14 + int.from_bytes(p.data[16:18], "big") for p in recording.packets)


def test_decoded_messages_are_what_the_peers_saw(recording: Recording) -> None:
    assert recording.server_received == recording.client_sent
    connections, frames, messages = by_kind(decode(recording.packets))
    (connection,) = connections
    assert connection.protocol == "rfc6455"
    assert connection.server.endswith(f":{recording.port}")
    assert connection.handshake is not None and connection.handshake.accept_valid is True
    assert connection.violations == [] and connection.handshake.violations == []
    assert [v for f in frames for v in f.violations] == []
    assert [v for m in messages for v in m.violations] == []
    decoded = {d: [(m.opcode, m.data) for m in messages if m.direction is d] for d in Direction}
    assert decoded[Direction.CLIENT] == recording.server_received
    assert decoded[Direction.SERVER] == recording.client_received
    assert all(m.complete for m in messages)


def test_control_frames_and_fragments(recording: Recording) -> None:
    _, frames, messages = by_kind(decode(recording.packets))
    pings = [f for f in frames if f.opcode == Opcode.PING]
    pongs = [f for f in frames if f.opcode == Opcode.PONG]
    assert [(str(f.direction), f.payload) for f in pings] == [("client", PING_DATA)]
    assert [(str(f.direction), f.payload) for f in pongs] == [("server", PING_DATA)]
    closes = [(str(f.direction), f.close_code) for f in frames if f.opcode == Opcode.CLOSE]
    assert closes == [("client", 1000), ("server", 1000)]
    assert all(f.masked == (f.direction is Direction.CLIENT) for f in frames)
    fragmented = [(str(m.direction), len(m.frame_indices)) for m in messages if len(m.frame_indices) > 1]
    # websockets ends a fragmented send with an empty FIN continuation; the echo is one frame.
    assert fragmented == [("client", 3), ("client", 3)]


def test_deflate_is_negotiated_only_when_asked(recording: Recording) -> None:
    connections, frames, messages = by_kind(decode(recording.packets))
    handshake = connections[0].handshake
    assert handshake is not None
    names = [offer.name for offer in handshake.extensions]
    compressed = [m for m in messages if m.compressed]
    if names:
        assert names == ["permessage-deflate"] and compressed
        assert all(f.rsv1 for f in frames if f.index in {m.frame_indices[0] for m in compressed})
    else:
        assert not compressed and not any(f.rsv1 for f in frames)


def test_saved_pcapng_decodes_to_the_same_frames(recording: Recording) -> None:
    assert recording.pcapng is not None
    with CaptureFile(recording.pcapng) as capture:
        from_file = decode(list(capture))
    live = [frame_facts(f) for f in by_kind(decode(recording.packets))[1]]
    saved = [frame_facts(f) for f in by_kind(from_file)[1]]
    assert saved == live and live


def signature(event: SessionEvent) -> tuple:
    """What an event says, with its time as a pcapng file keeps it (microseconds)."""
    what: object = None
    if type(event) is FrameSeen:
        what = event.frame.index
    elif type(event) is MessageSeen:
        what = tuple(event.message.frame_indices)
    return (type(event).__name__, event.connection.id, event.direction, what, tuple(event.packets),
            round(event.time * 1_000_000))


def test_live_and_saved_file_give_the_same_event_sequence(recording: Recording) -> None:
    assert recording.pcapng is not None
    live = [signature(e) for e in decode_packets(recording.packets)]
    with CaptureFile(recording.pcapng) as capture:
        saved = [signature(e) for e in decode_packets(capture)]
    assert saved == live
    kinds = {kind for kind, *_ in live}
    assert {"ConnectionOpened", "HandshakeSeen", "FrameSeen", "MessageSeen", "ConnectionClosed"} <= kinds


def test_count_and_duration_stop_the_capture() -> None:
    with LiveCapture("lo", "tcp port 9 or udp port 9", count=3) as live:
        for _ in range(5):
            _send_udp_discard()
        got = list(live.packets())
    assert len(got) == 3
    start = time.monotonic()
    with LiveCapture("lo", "udp port 9", duration=0.5) as live:
        list(live.packets())
    assert 0.4 < time.monotonic() - start < 3.0


def _send_udp_discard() -> None:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.sendto(b"ping", ("127.0.0.1", 9))


# -- the command line -----------------------------------------------------------------------------


def _start_cli(*args: str) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "inspector", "capture", *args],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    line = process.stderr.readline()  # "inspector: capturing on lo ..." once packets are being captured
    assert line.startswith("inspector: capturing on lo"), line
    return process


async def _talk(port: int) -> None:
    async with connect(f"ws://127.0.0.1:{port}", compression=None) as ws:
        await ws.send("over the wire")
        await ws.recv()


async def _with_server(run: object) -> None:
    async def echo(ws: ServerConnection) -> None:
        async for message in ws:
            await ws.send(message)

    async with serve(echo, "127.0.0.1", 0, compression=None) as server:
        await run(server.sockets[0].getsockname()[1])  # type: ignore[operator]


def test_cli_duration_json_and_write(tmp_path: Path) -> None:
    import json

    out = tmp_path / "cli.pcapng"
    result: dict[str, object] = {}

    async def scenario(port: int) -> None:
        process = _start_cli("-i", "lo", "-f", f"tcp port {port}", "--duration", "2", "--json", "-w", str(out))
        await _talk(port)
        stdout, stderr = await asyncio.to_thread(process.communicate, timeout=10)
        result.update(rc=process.returncode, stdout=stdout, stderr=stderr)

    asyncio.run(_with_server(scenario))
    assert result["rc"] == 0, result["stderr"]
    lines = [json.loads(line) for line in str(result["stdout"]).splitlines()]
    kinds = [line["type"] for line in lines]
    assert kinds[0] == "connection" and lines[0]["protocol"] == "rfc6455"
    texts = [line["text"] for line in lines if line["type"] == "message"]
    assert texts == ["over the wire", "over the wire"]
    assert kinds.count("frame") == 4  # text each way, close each way
    with CaptureFile(out) as capture:
        saved = by_kind(decode(list(capture)))[1]
    assert [f["opcode"] for f in lines if f["type"] == "frame"] == [f.opcode for f in saved]
    # Live output and a dump of the file it saved are the same events, written the same way, once the
    # kernel's timestamps are taken to the microseconds that pcapng keeps.
    dumped = subprocess.run([sys.executable, "-m", "inspector", "dump", str(out), "--json"], cwd=REPO,
                            capture_output=True, text=True, check=True).stdout
    saved_lines = [json.loads(line) for line in dumped.splitlines()]
    for line in (*lines, *saved_lines):
        if "time" in line:
            line["time"] = round(line["time"] * 1_000_000)
    assert saved_lines == lines


def test_cli_count_stops_after_count_packets(tmp_path: Path) -> None:
    result: dict[str, object] = {}

    async def scenario(port: int) -> None:
        process = _start_cli("-i", "lo", "-f", f"tcp port {port}", "-c", "3")
        await _talk(port)  # far more than 3 packets: the SYN handshake alone is 3
        stdout, stderr = await asyncio.to_thread(process.communicate, timeout=10)
        result.update(rc=process.returncode, stdout=stdout, stderr=stderr)

    asyncio.run(_with_server(scenario))
    assert result["rc"] == 0, result["stderr"]
    assert "inspector: 3 packets captured" in str(result["stderr"])


UNPRIVILEGED = [
    "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
    # The project's interpreter lives under /root (mode 700): let `nobody` read files, nothing else.
    "--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search",
]


def test_cli_without_privilege_says_what_to_do() -> None:
    process = subprocess.run(
        [*UNPRIVILEGED, sys.executable, "-m", "inspector", "capture", "-i", "lo", "-c", "1"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert process.returncode == 2, process.stderr
    lines = process.stderr.splitlines()
    assert len(lines) == 1, process.stderr
    assert lines[0].startswith("inspector: error: no permission to capture on lo")
    assert "run as root" in lines[0] and "setcap cap_net_raw,cap_net_admin=eip" in lines[0]
    assert process.stdout == ""


def test_cli_bad_interface_and_filter() -> None:
    for args, expected in (
        (["-i", "nosuch0"], "no such network interface: nosuch0"),
        (["-i", "lo", "-f", "tcp port"], "invalid capture filter 'tcp port'"),
    ):
        process = subprocess.run([sys.executable, "-m", "inspector", "capture", *args], cwd=REPO,
                                 capture_output=True, text=True, timeout=30)
        assert process.returncode == 2
        assert process.stderr.count("\n") == 1 and expected in process.stderr
