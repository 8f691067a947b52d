"""resources/captures/hixie-75.pcapng and hixie-76.pcapng: one real session in each pre-RFC draft,
recorded by tests/tools/record_hixie.py from a server and a client written from the drafts.

Our decoder must find one whole session of the right draft, verify the draft-76 MD5 answer against
the draft's own worked example, and read every text frame both ways; tshark, which knows neither
draft's framing, must see exactly the bytes the script sent (its HTTP dissector the same headers)."""

from __future__ import annotations

import subprocess
from collections import defaultdict

import pytest

from inspector import resources
from inspector.capture.pcapfile import read_packets
from inspector.capture.pipeline import CaptureDecoder
from inspector.cli import main
from inspector.protocol.constants import Direction
from inspector.protocol.hixie import challenge
from inspector.protocol.messages import Message
from inspector.session.events import Connection, ConnectionOpened, MessageSeen
from tests.tools.record_hixie import (
    ANSWER,
    DEFAULT_PORT,
    DRAFTS,
    HIXIE_75,
    HIXIE_76,
    KEY1,
    KEY2,
    KEY3,
    MESSAGES,
    Draft,
    client_stream,
    md5_answer,
    server_stream,
)

IDS = [d.name for d in DRAFTS]


def decode(draft: Draft) -> tuple[list[Connection], list[Message]]:
    connections: list[Connection] = []
    messages: list[Message] = []
    for event in CaptureDecoder().run(read_packets(resources.capture_path(draft.output_name))):
        if type(event) is ConnectionOpened:
            connections.append(event.connection)
        elif type(event) is MessageSeen:
            messages.append(event.message)
    return connections, messages


@pytest.mark.parametrize("draft", DRAFTS, ids=IDS)
def test_one_whole_session_of_its_draft_with_no_violations(draft: Draft):
    connections, messages = decode(draft)
    assert len(connections) == 1
    connection = connections[0]
    assert connection.protocol == draft.name
    assert connection.handshake is not None and not connection.handshake.refused
    assert connection.violations == [] and connection.handshake.violations == []
    assert connection.handshake.response.get(draft.location_header) == f"ws://127.0.0.1:{DEFAULT_PORT}/demo"
    for direction in Direction:
        sent = [m.text for m in messages if m.direction is direction]
        assert sent == list(MESSAGES), direction
    assert all(m.complete and m.violations == () for m in messages)


def test_hixie_76_answer_is_the_drafts_worked_example_and_verified():
    connections, _ = decode(HIXIE_76)
    connection = connections[0]
    session = connection.decoder.hixie
    assert session is not None and session.challenge is not None
    worked = session.challenge
    assert (worked.key1.key, worked.key2.key, worked.key3) == (KEY1, KEY2, KEY3)
    assert (worked.key1.number, worked.key1.spaces, worked.key1.part) == (1868545188, 12, 155712099)
    assert (worked.key2.number, worked.key2.spaces, worked.key2.part) == (1733470270, 10, 173347027)
    assert worked.received == worked.expected == ANSWER == md5_answer(KEY1, KEY2, KEY3)
    assert connection.handshake is not None and connection.handshake.accept_valid is True
    assert connection.handshake.hixie_answer_expected == ANSWER.hex()
    # both drafts' closing handshakes were seen: each side sent 0xFF 0x00
    assert all(session.closed.values())


def test_hixie_75_has_nothing_to_verify():
    connections, _ = decode(HIXIE_75)
    session = connections[0].decoder.hixie
    assert session is not None and session.challenge is None
    assert connections[0].handshake is not None and connections[0].handshake.accept_valid is None
    assert "Sec-WebSocket-Key1" not in dict(connections[0].handshake.request.headers)


def test_inspector_accept_works_the_captured_keys_to_the_captured_answer(capsys):
    session = decode(HIXIE_76)[0][0].decoder.hixie
    assert session is not None and session.challenge is not None and session.challenge.received is not None
    captured = session.challenge
    argv = ["accept", "--hixie76", captured.key1.key, captured.key2.key, captured.key3.hex()]
    assert main([*argv, "--expect", captured.received.hex()]) == 0
    assert f"answer        {ANSWER.hex()}" in capsys.readouterr().out


def test_a_tampered_answer_would_be_caught():
    """The check that passes above is one that can fail: the capture's keys with a wrong answer."""
    wrong = bytes([ANSWER[0] ^ 1]) + ANSWER[1:]
    assert challenge(KEY1, KEY2, KEY3, wrong).valid is False


def _tshark(draft: Draft, *fields: str, display: str) -> list[list[str]]:
    out = subprocess.run(
        ["tshark", "-r", str(resources.capture_path(draft.output_name)), "-d", f"tcp.port=={DEFAULT_PORT},http",
         "-Y", display, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|",
         *[arg for f in fields for arg in ("-e", f)]],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout
    return [line.split("\t") for line in out.splitlines()]


@pytest.mark.parametrize("draft", DRAFTS, ids=IDS)
def test_tshark_sees_the_bytes_the_script_sent(draft: Draft):
    streams: dict[str, bytes] = defaultdict(bytes)
    for source_port, payload in _tshark(draft, "tcp.srcport", "tcp.payload", display="tcp.len > 0"):
        side = "server" if int(source_port) == DEFAULT_PORT else "client"
        streams[side] += bytes.fromhex(payload)
    assert streams["client"] == client_stream(draft, DEFAULT_PORT)
    assert streams["server"] == server_stream(draft, DEFAULT_PORT)


@pytest.mark.parametrize("draft", DRAFTS, ids=IDS)
def test_tshark_reads_the_same_handshake_headers(draft: Draft):
    requests = _tshark(draft, "http.request.line", display="http.request")
    responses = _tshark(draft, "http.response.code", "http.response.line", display="http.response")
    assert len(requests) == 1 and len(responses) == 1
    request_lines = [line.removesuffix("\\r\\n") for line in requests[0][0].split("|")]  # tshark escapes the CRLF
    connections, _ = decode(draft)
    handshake = connections[0].handshake
    assert handshake is not None
    assert request_lines == [f"{name}: {value}" for name, value in handshake.request.headers]
    code, response_lines = responses[0]
    assert int(code) == handshake.response.status == 101
    assert [line.removesuffix("\\r\\n") for line in response_lines.split("|")] == [
        f"{name}: {value}" for name, value in handshake.response.headers]
