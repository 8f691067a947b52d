"""resources/captures/websockets-violations.pcapng: a real `websockets` server answering frames that
break RFC 6455 (recorded by tests/tools/record_violations.py, whose CASES say what each connection
holds). Each connection's client frames carry exactly the expected violations, the server's frames
none, and the server's Close carries the code it really sent; tshark reads the same opcodes and
close codes from the same packets."""

from __future__ import annotations

import subprocess
from collections import defaultdict

import pytest

from inspector import resources
from inspector.capture.pcapfile import read_packets
from inspector.capture.pipeline import CaptureDecoder
from inspector.protocol.constants import Direction, Opcode
from inspector.protocol.frame import Frame
from inspector.protocol.messages import Message
from inspector.session.events import Connection, ConnectionOpened, FrameSeen, MessageSeen
from tests.tools.record_violations import CASES, DEFAULT_OUTPUT, Case

CAPTURE = resources.capture_path(DEFAULT_OUTPUT.name)


def _by_connection() -> tuple[list[Connection], dict[int, list[Frame]], dict[int, list[Message]]]:
    connections: list[Connection] = []
    frames: dict[int, list[Frame]] = defaultdict(list)
    messages: dict[int, list[Message]] = defaultdict(list)
    for event in CaptureDecoder().run(read_packets(CAPTURE)):
        if type(event) is ConnectionOpened:
            connections.append(event.connection)
        elif type(event) is FrameSeen:
            frames[event.connection.id].append(event.frame)
        elif type(event) is MessageSeen:
            messages[event.connection.id].append(event.message)
    return connections, frames, messages


CONNECTIONS, FRAMES, MESSAGES = _by_connection()


def test_one_whole_connection_per_case():
    assert len(CONNECTIONS) == len(CASES)
    for connection in CONNECTIONS:
        assert connection.handshake is not None and connection.handshake.accept_valid is True
        assert connection.violations == []


@pytest.mark.parametrize(("number", "case"), enumerate(CASES, start=1), ids=[c.codes[0] for c in CASES])
def test_each_connection_breaks_its_rule_and_the_server_answers(number: int, case: Case):
    frames, messages = FRAMES[number], MESSAGES[number]
    client = [v.code for item in [*frames, *messages] if item.direction is Direction.CLIENT for v in item.violations]
    server = [v.code for item in [*frames, *messages] if item.direction is Direction.SERVER for v in item.violations]
    assert client == list(case.codes)
    assert server == []
    server_closes = [f.close_code for f in frames if f.direction is Direction.SERVER and f.opcode == Opcode.CLOSE]
    assert server_closes == [case.server_close]


def test_the_bundled_capture_covers_each_close_code_the_issue_names():
    assert {c.server_close for c in CASES} == {1000, 1002, 1007}
    assert len({c.codes for c in CASES}) >= 12


def _tshark_streams() -> dict[int, tuple[list[int], list[int]]]:
    """Per TCP stream: the opcodes of its WebSocket frames and the close codes, as tshark reads them."""
    out = subprocess.run(
        ["tshark", "-r", str(CAPTURE), "-d", "tcp.port==8765,http", "-Y", "websocket", "-T", "fields", "-E",
         "occurrence=a", "-e", "tcp.stream", "-e", "websocket.opcode", "-e", "websocket.payload.close.status_code"],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout
    streams: dict[int, tuple[list[int], list[int]]] = defaultdict(lambda: ([], []))
    for line in out.splitlines():
        stream, opcodes, codes = line.split("\t")
        streams[int(stream)][0].extend(int(o) for o in opcodes.split(","))
        streams[int(stream)][1].extend(int(c) for c in codes.split(",") if c)
    return dict(streams)


@pytest.mark.tshark
def test_opcodes_and_close_codes_agree_with_tshark():
    theirs = _tshark_streams()
    ours = {
        number - 1: ([f.opcode for f in FRAMES[number]], [f.close_code for f in FRAMES[number] if f.close_code])
        for number in range(1, len(CASES) + 1)
    }
    assert ours == theirs
    assert [codes[-1] for _, codes in theirs.values()] == [c.server_close for c in CASES]
