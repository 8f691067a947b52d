"""A capture decoded in a child process (the window's loader) gives the session a one-shot load gives, with
the same connections, and every failure of the file or of the child ends as one line."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from inspector.capture.load import load_capture
from inspector.capture.load_process import LoadProcess
from inspector.errors import InspectorError
from inspector.report.handshake_compare import connection_comparison
from inspector.session.spill import Spill
from inspector.session.store import SessionStore
from tests.session.test_batched_load import session_summary

from . import synth

CAPTURES = sorted((Path(__file__).resolve().parents[2] / "resources" / "captures").glob("*.pcap*"))


def load_in_child(path: Path, batch_events: int) -> tuple[SessionStore, list[str], int]:
    """(the store filled from the child's tails, the failures it reported, the batches it sent)."""
    spill = Spill()
    store = SessionStore(str(path), spill)
    process = LoadProcess(str(path), spill, batch_events)
    failures: list[str] = []
    batches = 0
    try:
        for kind, values, facts in process.messages():
            process.reader.apply(facts)
            if kind == "batch":
                tail, start = values
                store.times.see(start)
                store.absorb(tail)
                batches += 1
            elif kind == "done":
                store.packets, store.truncated = values[0], values[1]
            elif kind == "failed":
                failures.append(str(values[0]))
    finally:
        process.stop()
    store.finish()
    return store, failures, batches


def connection_facts(store: SessionStore) -> list[tuple]:
    out: list[tuple] = []
    for view in store.connections:
        connection = view.connection
        handshake = connection.handshake
        out.append((connection.id, connection.client, connection.server, connection.protocol, connection.gaps,
                    connection.conflicts, [(v.code, v.rfc, v.message) for v in connection.violations],
                    None if handshake is None else (handshake.request, handshake.response, handshake.accept,
                                                    handshake.accept_valid, handshake.subprotocol,
                                                    handshake.extensions, handshake.deflate, handshake.refused),
                    connection_comparison(connection)))
    return out


@pytest.mark.parametrize("capture", CAPTURES, ids=[c.name for c in CAPTURES])
@pytest.mark.parametrize("batch_events", [1, 1000])
def test_the_child_gives_the_one_shot_session(capture: Path, batch_events: int) -> None:
    whole = load_capture(capture)
    store, failures, batches = load_in_child(capture, batch_events)
    assert failures == []
    assert session_summary(store) == session_summary(whole)
    assert connection_facts(store) == connection_facts(whole)
    if batch_events == 1 and len(whole.events) > 3:
        assert batches > 3  # one per packet that completed events: many tails, facts sent with each
    # Every event of a connection points at the one Connection its view has, as in the decoding process.
    for event in store.events:
        assert event.connection is store.by_id[event.connection.id].connection


def hostile_capture(tmp_path: Path) -> Path:
    """A refused-looking accept, a 2^64-1 length claim cut short, invalid UTF-8, a lost segment, a bad close."""
    flow = synth.Flow()
    packets = flow.handshake()
    response = synth.upgrade_response().replace(b"Sec-WebSocket-Accept: ", b"Sec-WebSocket-Accept: x")
    packets += flow.send("client", synth.upgrade_request())
    packets += flow.send("server", response)
    packets += flow.send("client", synth.ws_frame(1, b"\xff\xfe bad", mask=b"\x01\x02\x03\x04"))
    packets += flow.send("server", synth.ws_frame(9, b"x" * 200))  # a control frame over 125 bytes
    flow.send("client", synth.ws_frame(1, b"lost", mask=b"\x01\x02\x03\x04"))  # never captured: a gap
    packets += flow.send("client", synth.ws_frame(2, b"after the gap", mask=b"\x01\x02\x03\x04"))
    packets += flow.send("server", b"\x82\x7f\xff\xff\xff\xff\xff\xff\xff\xff" + b"cut")
    packets += flow.close()
    path = tmp_path / "hostile.pcap"
    path.write_bytes(synth.pcap_bytes(packets))
    return path


def test_a_hostile_capture_crosses_whole(tmp_path: Path) -> None:
    path = hostile_capture(tmp_path)
    whole = load_capture(path)
    store, failures, _batches = load_in_child(path, 1)
    assert failures == []
    codes = {v.code for view in whole.connections for violations in view.frame_violations.values() for v in violations}
    assert codes  # the capture really breaks rules
    assert any(event.__class__.__name__ == "NoteSeen" for event in whole.events)  # and has a gap
    assert session_summary(store) == session_summary(whole)
    assert connection_facts(store) == connection_facts(whole)
    assert store.connections[0].frame_lengths[-1] == 2**64 - 1


def test_a_truncated_file_is_loaded_up_to_its_cut(tmp_path: Path) -> None:
    data = CAPTURES[-1].read_bytes()
    path = tmp_path / "cut.pcapng"
    path.write_bytes(data[: len(data) - 37])
    whole = load_capture(path)
    assert whole.truncated
    store, failures, _batches = load_in_child(path, 1000)
    assert failures == []
    assert store.truncated and store.packets == whole.packets
    assert session_summary(store) == session_summary(whole)


@pytest.mark.parametrize("content", [None, b"", b"garbage, not a capture at all" * 10])
def test_an_unreadable_file_is_the_one_line_a_one_shot_load_gives(tmp_path: Path, content: bytes | None) -> None:
    path = tmp_path / "bad.pcap"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InspectorError) as raised:
        load_capture(path)
    store, failures, batches = load_in_child(path, 1000)
    assert failures == [str(raised.value)]
    assert batches == 0 and store.frame_count == 0


def test_a_child_that_dies_is_one_line(tmp_path: Path) -> None:
    spill = Spill()
    process = LoadProcess(str(CAPTURES[0]), spill, 1)
    os.kill(process.pid, signal.SIGKILL)
    try:
        messages = list(process.messages())
    finally:
        process.stop()
    kind, values, _facts = messages[-1]
    assert kind == "failed"
    assert values == (f"{CAPTURES[0]}: could not be decoded (the decoding process ended with status -9)",)
