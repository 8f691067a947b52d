"""The captures of real peers in resources/captures: the three clean ones hold the expected contents and
zero violations; these and the one full of violations agree with tshark field by field."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from inspector import resources
from inspector.capture.pcapfile import read_packets
from inspector.capture.pipeline import CaptureDecoder
from inspector.protocol.frame import Frame
from inspector.protocol.messages import Message
from inspector.session.events import Connection, FrameSeen, SessionEvent

from .events import connections, frames, messages

CAPTURES = resources.resource_path(resources.CAPTURES)
NAMES = ["websockets-echo", "websockets-deflate", "chromium-deflate"]


def decode(name: str) -> list[SessionEvent]:
    return list(CaptureDecoder().run(read_packets(CAPTURES / f"{name}.pcapng")))


def of_type(events: list[SessionEvent], kind: type) -> list:
    """The connections, frames or messages found, in order."""
    pick = {Connection: connections, Frame: frames, Message: messages}[kind]
    return pick(events)


@pytest.mark.parametrize("name", NAMES)
def test_zero_violations_one_connection(name):
    events = decode(name)
    conns = of_type(events, Connection)
    assert len(conns) == 1
    assert conns[0].handshake.accept_valid is True and conns[0].violations == []
    assert [v.code for item in (*frames(events), *messages(events)) for v in item.violations] == []
    assert of_type(events, Frame)


def test_websockets_echo_contents():
    events = decode("websockets-echo")
    messages = of_type(events, Message)
    frames = of_type(events, Frame)
    client = [m for m in messages if str(m.direction) == "client"]
    assert client[0].text == "hello"
    assert [len(m.data) for m in client if m.opcode == 2] == [200, 70_000]
    fragmented = next(m for m in client if len(m.frame_indices) > 1)
    last = frames[fragmented.frame_indices[-1]]
    assert last.opcode == 0 and last.fin and last.payload_length == 0  # the empty FIN continuation
    assert fragmented.text == "frag-one frag-two frag-three"
    ping = next(f for f in frames if f.opcode == 9)
    pong = next(f for f in frames if f.opcode == 10)
    assert ping.payload == pong.payload and pong.index > ping.index
    closes = [f for f in frames if f.opcode == 8]
    assert [c.close_code for c in closes] == [1000, 1000]
    big = next(e for e in events if type(e) is FrameSeen and e.frame.payload_length == 70_000)
    assert len(big.packets) > 1  # the 70,000-byte frame spans several TCP segments


def test_chromium_deflate_contents():
    events = decode("chromium-deflate")
    frames = of_type(events, Frame)
    data = [f for f in frames if f.opcode in (1, 2)]
    assert data and all(f.rsv1 for f in data)
    messages = of_type(events, Message)
    big = next(m for m in messages if m.text is not None and len(m.text) == 70_000)
    assert big.compressed
    assert [frames[i].payload_length for i in big.frame_indices] == [86]
    close = next(f for f in frames if f.opcode == 8)
    assert close.close_code == 1000 and close.close_reason == b"bye"


def test_websockets_deflate_fragmented_compressed_message_inflates():
    events = decode("websockets-deflate")
    messages = of_type(events, Message)
    fragmented = [m for m in messages if len(m.frame_indices) > 1]
    assert fragmented and all(m.compressed and m.complete for m in fragmented)
    assert all(m.data for m in fragmented)


def tshark_frames(path: Path, port: int = 8765) -> list[tuple]:
    """(packet, fin, rsv, opcode, masked, length, key) of each frame tshark finds (the server on `port`)."""
    out = subprocess.run(
        ["tshark", "-r", str(path), "-d", f"tcp.port=={port},http", "-o", "tcp.reassemble_out_of_order:TRUE",
         "-T", "fields", "-E", "occurrence=a", "-e", "frame.number", "-e", "websocket.fin", "-e", "websocket.rsv",
         "-e", "websocket.opcode", "-e", "websocket.mask", "-e", "websocket.payload_length",
         "-e", "websocket.masking_key", "-e", "websocket.payload_length_ext_16",
         "-e", "websocket.payload_length_ext_64"],
        capture_output=True, text=True, check=True).stdout
    rows = []
    for line in out.splitlines():
        number, fin, rsv, opcode, mask, length, key, ext16, ext64 = line.split("\t")
        if not fin:
            continue
        # Several frames completed by one packet appear comma-separated; keys only exist for masked ones.
        keys = iter(key.split(",")) if key else iter(())
        ext16s = iter(ext16.split(",")) if ext16 else iter(())
        ext64s = iter(ext64.split(",")) if ext64 else iter(())
        for f, r, o, m, n in zip(fin.split(","), rsv.split(","), opcode.split(","), mask.split(","),
                                 length.split(","), strict=True):
            real = int(n)
            if real == 126:
                real = int(next(ext16s))
            elif real == 127:
                real = int(next(ext64s))
            rows.append((int(number), f == "1", int(r, 16), int(o), m == "1", real,
                         next(keys) if m == "1" else None))
    return rows


@pytest.mark.parametrize("name", [*NAMES, "websockets-violations"])
def test_frames_agree_with_tshark(name):
    path = CAPTURES / f"{name}.pcapng"
    ours = []
    for event in decode(name):
        if type(event) is FrameSeen:
            frame = event.frame
            rsv = (frame.rsv1 << 2) | (frame.rsv2 << 1) | frame.rsv3
            key = frame.masking_key.hex() if frame.masking_key else None
            ours.append((event.packets[-1], frame.fin, rsv, frame.opcode, frame.masked, frame.payload_length, key))
    theirs = tshark_frames(path)
    assert len(theirs) >= 10
    assert ours == theirs


def test_real_capture_picked_up_mid_stream():
    packets = list(read_packets(CAPTURES / "websockets-echo.pcapng"))[8:]  # handshake and first frame not seen
    events = list(CaptureDecoder().run(packets))
    conns = of_type(events, Connection)
    assert len(conns) == 1 and conns[0].handshake is None
    assert conns[0].server.endswith(":8765")  # the unmasked side is the server
    frames = of_type(events, Frame)
    assert [f.payload_length for f in frames[:5]] == [5, 200, 200, 70_000, 70_000]
    assert all(not f.violations for f in frames)
