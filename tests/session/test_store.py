"""The store keeps the events in the order produced, with per-connection views over them."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector.capture.load import decode_packets, load_capture
from inspector.capture.pcapfile import read_packets
from inspector.session.events import FrameSeen, MessageSeen
from tests.capture import synth

CAPTURES = Path(__file__).resolve().parents[2] / "resources" / "captures"
NAMES = ["websockets-echo", "websockets-deflate", "chromium-deflate"]
KEY = bytes.fromhex("37fa213d")


@pytest.mark.parametrize("name", NAMES)
def test_events_are_the_producer_s_in_order_and_views_partition_them(name):
    path = CAPTURES / f"{name}.pcapng"
    store = load_capture(path)
    produced = list(decode_packets(read_packets(path)))
    assert [(type(e).__name__, e.connection.id, e.packets, e.time) for e in store.events] == [
        (type(e).__name__, e.connection.id, e.packets, e.time) for e in produced]
    every = sorted(p for view in store.connections for p in view.positions)
    assert every == list(range(len(store.events)))
    for view in store.connections:
        assert list(view.positions) == sorted(view.positions)
        assert all(store.events[p].connection is view.connection for p in view.positions)
        assert view.closed_at == view.positions[-1]
    assert list(store.frame_positions) == [i for i, e in enumerate(store.events) if type(e) is FrameSeen]
    assert list(store.message_positions) == [i for i, e in enumerate(store.events) if type(e) is MessageSeen]
    assert all(store.events[r.position].frame is r.frame for view in store.connections for r in view.frames)
    assert list(store.running_time) == sorted(store.running_time)
    assert store.start_time == next(iter(read_packets(path))).time


def test_violation_count_adds_connection_frame_and_message_violations(tmp_path):
    flow = synth.Flow()
    packets = [*flow.handshake(), *flow.send("client", synth.upgrade_request()),
               *flow.send("server", synth.upgrade_response()),
               *flow.send("client", synth.ws_frame(1, b"\xff\xfe", mask=KEY)),  # invalid UTF-8: the message
               *flow.send("server", synth.ws_frame(9, b"x" * 10, fin=False)),  # fragmented control frame
               *flow.close()]
    path = tmp_path / "bad.pcapng"
    path.write_bytes(synth.pcapng_bytes(packets))
    store = load_capture(path)
    (view,) = store.connections
    expected = (len(view.connection.violations) + sum(len(r.frame.violations) for r in view.frames)
                + sum(len(m.violations) for m in view.messages))
    assert view.violation_count() == expected >= 2
