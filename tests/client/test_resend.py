"""Resending a captured session's client frames and messages: picking, rebuilding with a new key, pacing,
and sending them to the lab server (the `websockets` library) over loopback in both modes."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector.capture.load import load_capture
from inspector.client.engine import Client
from inspector.client.resend import (
    AFTER_EACH_ANSWER,
    AT_ORIGINAL_PACING,
    ResendItem,
    ResendPlan,
    client_frame_rows,
    client_message_numbers,
    frame_items,
    item_wire,
    message_items,
    original_bytes,
    pacing_delays,
    resend,
)
from inspector.protocol.constants import Direction
from inspector.protocol.frame import decode_frame
from inspector.session.store import ConnectionView

ECHO_CAPTURE = Path(__file__).resolve().parents[2] / "resources" / "captures" / "websockets-echo.pcapng"


def counting_keys():
    numbers = iter(range(1, 1000))
    return lambda: next(numbers).to_bytes(4, "big")


@pytest.fixture(scope="module")
def echo_view() -> ConnectionView:
    return load_capture(ECHO_CAPTURE).connections[0]


def test_only_client_frames_are_picked_in_captured_order(echo_view):
    rows = client_frame_rows(echo_view)
    assert rows == [0, 2, 4, 6, 7, 8, 9, 11, 13]
    items = frame_items(echo_view, [4, 1, 0, 0, 99])  # a server frame, a repeat and a row past the end
    assert [item.label for item in items] == ["frame 0: Text, 5 B", "frame 4: Binary, 70000 B"]


def test_a_message_is_picked_with_all_its_frames(echo_view):
    numbers = client_message_numbers(echo_view)
    assert len(numbers) == 4
    items = message_items(echo_view, numbers[:4])
    assert [item.label for item in items] == ["frame 0: Text, 5 B", "frame 2: Binary, 200 B",
                                             "frame 4: Binary, 70000 B", "frame 6: Text, 28 B in 4 frames"]
    assert [len(item.frames) for item in items] == [1, 1, 1, 4]
    server = [n for n in range(len(echo_view.messages)) if n not in numbers]
    assert message_items(echo_view, server) == []


def test_original_bytes_are_the_captured_bytes(echo_view):
    frame = echo_view.frames[0].frame
    wire = original_bytes(frame)
    again = decode_frame(wire, Direction.CLIENT)
    assert (again.masking_key, again.payload, again.header) == (frame.masking_key, b"hello", frame.header)
    assert wire[6:] != b"hello"  # masked on the wire, as captured


def test_new_frames_keep_every_bit_but_take_a_fresh_key(echo_view):
    (item,) = message_items(echo_view, [client_message_numbers(echo_view)[3]])
    wire = item_wire(item, keys=counting_keys())
    frames, offset = [], 0
    while offset < len(wire):
        frame = decode_frame(wire[offset:], Direction.CLIENT)
        frames.append(frame)
        offset += frame.wire_length
    assert [f.masking_key for f in frames] == [n.to_bytes(4, "big") for n in (1, 2, 3, 4)]
    assert [(f.fin, f.opcode, f.payload) for f in frames] == \
        [(o.fin, o.opcode, o.payload) for o in item.frames]
    assert all(f.masking_key != o.masking_key for f, o in zip(frames, item.frames, strict=True))
    assert item_wire(item, original=True) == b"".join(original_bytes(f) for f in item.frames)


def test_pacing_follows_the_capture_and_shortens_long_silences():
    def at(seconds: float) -> ResendItem:
        return ResendItem((), seconds, "")

    assert pacing_delays([at(10.0), at(10.25), at(10.5), at(40.0), at(39.0)], max_gap=5.0) == \
        [0.0, 0.25, 0.25, 5.0, 0.0]
    assert pacing_delays([]) == []


@pytest.mark.parametrize("mode", [AT_ORIGINAL_PACING, AFTER_EACH_ANSWER])
def test_three_messages_are_echoed_by_the_lab_server(echo_view, echo_url, mode):
    numbers = client_message_numbers(echo_view)
    items = tuple(message_items(echo_view, [numbers[0], numbers[1], numbers[3]]))  # not the 70000-byte one
    assert len(items) == 3
    client = Client(echo_url)
    client.connect()
    try:
        steps = resend(client, ResendPlan(items, mode=mode))
        client.listen(2.0, lambda: len(client.recording.frames(Direction.SERVER)) >= 3, whole_frames=False)
    finally:
        client.abort()
    assert [step.sent for step in steps] == [2 + 4 + 5, 2 + 2 + 4 + 200, 4 * (2 + 4) + 28]  # 200 B: 16-bit length
    answers = [(f.opcode, f.payload) for f in client.recording.frames(Direction.SERVER)]
    assert answers == [(1, b"hello"), (2, bytes(range(200))), (1, b"frag-one frag-two frag-three")]
    assert [step.answered for step in steps] == ([True] * 3 if mode == AFTER_EACH_ANSWER else [None] * 3)


def test_resending_stops_quietly_when_the_connection_has_closed(echo_view, echo_url):
    client = Client(echo_url)
    client.connect()
    client.abort()
    assert resend(client, ResendPlan(tuple(frame_items(echo_view, [0])))) == []
