"""Filters over the bundled captures: the frames they pick agree with tshark's display filter where
tshark has the same field, and `inspector dump --filter` writes exactly the frames the predicate picks."""

from __future__ import annotations

import functools
import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from inspector import resources
from inspector.capture.pcapfile import read_packets
from inspector.capture.pipeline import CaptureDecoder
from inspector.cli import main
from inspector.filter import compile_filter
from inspector.protocol.frame import Frame
from inspector.protocol.messages import Message
from inspector.session.events import FrameSeen, MessageSeen

CAPTURES = ["websockets-echo", "websockets-deflate", "chromium-deflate", "websockets-violations"]
PORT = 8765  # every bundled capture's server port


@dataclass
class Decoded:
    connection: int
    frame: Frame
    message: Message | None  # the message this frame completes
    packet: int  # the packet that completed the frame, as tshark counts


@functools.cache
def decoded_file(path: Path) -> tuple[Decoded, ...]:
    events = list(CaptureDecoder().run(read_packets(path)))
    out = []
    for position, event in enumerate(events):
        if type(event) is FrameSeen:
            after = events[position + 1] if position + 1 < len(events) else None
            following = after.message if type(after) is MessageSeen else None
            completes = following is not None and following.frame_indices[-1:] == [event.frame.index]
            out.append(Decoded(event.connection.id, event.frame, following if completes else None, event.packets[-1]))
    return tuple(out)


def decoded(name: str) -> tuple[Decoded, ...]:
    return decoded_file(resources.capture_path(f"{name}.pcapng"))


def picked(expression: str, name: str | Path) -> list[Decoded]:
    matches = compile_filter(expression).matches
    frames = decoded_file(name) if isinstance(name, Path) else decoded(name)
    return [d for d in frames if matches(d.frame, d.connection, d.message)]


@pytest.fixture(scope="module")
def all_captures(tmp_path_factory) -> Path:
    """The bundled captures one after another in one file, so each expression costs one tshark run."""
    path = tmp_path_factory.mktemp("filter") / "all.pcapng"
    subprocess.run(["mergecap", "-a", "-w", str(path), *(str(resources.capture_path(f"{name}.pcapng"))
                                                         for name in CAPTURES)], check=True)
    return path


def tshark_packets(path: Path, expression: str) -> set[int]:
    out = subprocess.run(
        ["tshark", "-r", str(path), "-d", f"tcp.port=={PORT},http", "-o", "tcp.reassemble_out_of_order:TRUE",
         "-Y", expression, "-T", "fields", "-e", "frame.number"],
        capture_output=True, text=True, check=True).stdout
    return {int(line) for line in out.split()}


# (ours, tshark's): the same question in both languages. tshark has no `direction`; the client is
# the side whose packets go to the server's port. tshark matches packets (any frame in them), we match
# frames, so each pair is one where "the packets holding a frame we pick" is the same question.
SAME_QUESTION = [
    ("websocket.opcode == 9", "websocket.opcode == 9"),
    ("websocket.mask == 0 && direction == client", f"websocket.mask == 0 && tcp.dstport == {PORT}"),
    ("websocket.payload_length > 125", "websocket.payload_length > 125"),
    ("websocket.opcode in {9 10}", "websocket.opcode in {9, 10}"),
    ("websocket.opcode in {0x8, 0xa} or websocket.fin == 0", "websocket.opcode in {8, 10} or websocket.fin == 0"),
    ("websocket.rsv != 0", "websocket.rsv != 0"),
    ("websocket.payload.close.status_code == 1000", "websocket.payload.close.status_code == 1000"),
    ("websocket.payload_length_ext_16 >= 200", "websocket.payload_length_ext_16 >= 200"),
    ("websocket.payload_length_ext_64", "websocket.payload_length_ext_64"),
    ('websocket.payload.close.reason contains "bye"', 'websocket.payload.close.reason contains "bye"'),
    ('text contains "hello"', 'websocket.payload.text contains "hello"'),
]


@pytest.mark.tshark
@pytest.mark.parametrize(("ours", "theirs"), SAME_QUESTION)
def test_filter_picks_the_packets_tshark_picks(all_captures, ours, theirs):
    packets = {d.packet for d in picked(ours, all_captures)}
    assert packets  # a pair that found nothing would agree by finding nothing
    assert packets == tshark_packets(all_captures, theirs)


@pytest.mark.parametrize("name", CAPTURES)
def test_negation_is_the_complement(name):
    every = decoded(name)
    inside = picked("websocket.opcode in {9 10}", name)
    outside = picked("!(websocket.opcode in {9 10})", name)
    assert len(inside) + len(outside) == len(every)
    assert {id(d.frame) for d in inside}.isdisjoint(id(d.frame) for d in outside)
    assert picked("not websocket.opcode in {9 10}", name) == outside


def test_violation_filters_pick_the_frames_the_decoder_flagged():
    frames = decoded("websockets-violations")
    flagged = [d for d in frames if d.frame.violations or (d.message and d.message.violations)]
    assert picked("violation", "websockets-violations") == flagged and flagged
    utf8 = [d for d in frames if "invalid-utf8" in {v.code for v in d.frame.violations}
            | {v.code for v in (d.message.violations if d.message else [])}]
    assert picked('violation == "invalid-utf8"', "websockets-violations") == utf8 and utf8
    assert picked("violation == invalid-utf8", "websockets-violations") == utf8
    assert picked('violation contains "utf8"', "websockets-violations") == utf8
    assert picked('violation matches "^invalid-utf"', "websockets-violations") == utf8
    assert picked("violation in {invalid-utf8 reserved-opcode}", "websockets-violations") == [
        d for d in frames if d in utf8 or d.frame.has("reserved-opcode")]
    assert not picked("violation", "websockets-echo")


def test_text_reads_the_reassembled_and_inflated_message():
    # websockets-echo sends "frag-one frag-two frag-three" in four fragments (the last one empty), and the
    # server echoes it in one frame: the frame that completes each message carries its text.
    fragments = picked('text contains "frag-two"', "websockets-echo")
    assert [len(d.message.frame_indices) for d in fragments] == [4, 1]
    assert fragments[0].frame.payload == b""
    # chromium-deflate's 70,000-character message (and its echo) is compressed into one 86-byte frame.
    big = picked("text matches \"^(.)\\\\1{69999}$\"", "chromium-deflate")
    assert [d.frame.payload_length for d in big] == [86, 86] and all(d.message.compressed for d in big)


def test_payload_bytes_and_strings():
    hello = picked('payload contains "hello"', "websockets-echo")
    assert hello == picked("payload contains 68:65:6c:6c:6f", "websockets-echo")
    assert hello == picked("websocket.payload contains 68656c6c6f", "websockets-echo")
    assert [d.frame.payload for d in hello] == [b"hello", b"hello"]
    assert picked('payload matches "^hel+o$"', "websockets-echo") == hello


def test_connection_and_frame_numbers():
    frames = decoded("websockets-violations")
    assert picked("connection == 3 && frame in {0..1}", "websockets-violations") == [
        d for d in frames if d.connection == 3 and d.frame.index <= 1]


def dump_frames(capsys, name: str, *options: str) -> list[tuple[int, int]]:
    assert main(["dump", str(resources.capture_path(f"{name}.pcapng")), "--json", *options]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    return [(o["connection"], o["index"]) for o in lines if o["type"] == "frame"]


@pytest.mark.parametrize("name", ["websockets-echo", "websockets-violations"])
@pytest.mark.parametrize("expression", [
    "websocket.opcode == 9", "websocket.mask == 0 && direction == client", "websocket.payload_length > 125",
    "violation", 'violation == "invalid-utf8"', 'text contains "hello"', "!(websocket.opcode in {9 10})",
])
def test_dump_filter_writes_the_frames_the_predicate_picks(capsys, name, expression):
    expected = [(d.connection, d.frame.index) for d in picked(expression, name)]
    assert dump_frames(capsys, name, "--filter", expression) == expected


def test_dump_filter_writes_connections_and_messages_of_matching_frames_only(capsys):
    path = str(resources.capture_path("websockets-violations.pcapng"))
    assert main(["dump", path, "--json", "--filter", 'violation == "invalid-utf8"']) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    frames = [(o["connection"], o["index"]) for o in lines if o["type"] == "frame"]
    connections = [o["id"] for o in lines if o["type"] == "connection"]
    assert connections == sorted({c for c, _ in frames})  # each once, before its frames
    for message in (o for o in lines if o["type"] == "message"):
        assert (message["connection"], message["frames"][-1]) in frames
    assert any(o["type"] == "message" for o in lines)


def test_dump_filter_and_connection_together(capsys):
    everything = dump_frames(capsys, "websockets-violations", "--filter", "websocket")
    assert everything == dump_frames(capsys, "websockets-violations")
    assert dump_frames(capsys, "websockets-violations", "--filter", "websocket.opcode == 9", "--connection", "1") == []
    assert dump_frames(capsys, "websockets-violations", "--filter", "websocket", "--connection", "2") == [
        f for f in everything if f[0] == 2]


@pytest.mark.parametrize(("expression", "message"), [
    ("websocket.opcode ==", "unexpected end of filter (expected a value) (column 20)"),
    ("websocket.opcod == 9", "unknown field 'websocket.opcod' (did you mean websocket.opcode?) (column 1)"),
    ("websocket.opcode = 9", "'=' is not an operator (== compares) (column 18)"),
])
def test_dump_filter_syntax_error_is_one_line_and_exit_2(expression, message):
    capture = str(resources.capture_path("websockets-echo.pcapng"))
    done = subprocess.run([sys.executable, "-m", "inspector", "dump", capture, "--filter", expression],
                          capture_output=True, text=True)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == f"inspector dump: error: argument --filter: {message} (see --help)\n"
