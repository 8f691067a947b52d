"""The phase tables are the machine: every step a decoder takes is in them, and every entry is taken by
some real or synthetic connection (so the table holds no dead entry a diagram would show)."""

from __future__ import annotations

import pytest
from conftest import client_frame, wire_frame

from inspector import resources
from inspector.capture.pcapfile import read_packets
from inspector.capture.pipeline import CaptureDecoder
from inspector.protocol.connection import ConnectionDecoder
from inspector.protocol.constants import Direction, Opcode
from inspector.protocol.phases import (
    CLOSE_TRANSITIONS,
    SIDE_TRANSITIONS,
    TRANSITIONS_FOR_DIAGRAM,
    SideEvent,
    SidePhase,
    next_phase,
)
from tests.protocol.test_connection import REQUEST, RESPONSE
from tests.protocol.test_hixie import HIXIE_75_REQUEST, HIXIE_75_RESPONSE

C, S = Direction.CLIENT, Direction.SERVER
HELLO_C = client_frame(Opcode.TEXT, b"Hello")
HELLO_S = wire_frame(Opcode.TEXT, b"Hello")
REFUSAL = b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"

Steps = set[tuple[SidePhase, SideEvent, SidePhase]]


def _run(script: list[tuple[str, Direction, object]], **options: bool) -> ConnectionDecoder:
    """Feed ("feed", side, bytes) and ("gap", side, count) steps, then finish."""
    decoder = ConnectionDecoder(**options)
    for action, direction, value in script:
        if action == "feed":
            assert isinstance(value, bytes)
            decoder.feed(direction, value)
        else:
            assert isinstance(value, int)
            decoder.gap(direction, value)
    decoder.finish()
    return decoder


SYNTHETIC = {
    "accepted": [("feed", C, REQUEST), ("feed", S, RESPONSE + HELLO_S), ("feed", C, HELLO_C)],
    "refused": [("feed", C, REQUEST), ("feed", S, REFUSAL)],
    "hixie-75": [("feed", C, HIXIE_75_REQUEST), ("feed", S, HIXIE_75_RESPONSE + b"\x00hi\xff")],
    "mid-stream": [("feed", S, HELLO_S * 3), ("feed", C, HELLO_C * 3)],
    "garbage-response": [("feed", C, REQUEST), ("feed", S, b"\x16\x03\x01 not HTTP at all\r\n\r\n" + HELLO_S * 3)],
    "gap-after-request": [("feed", C, REQUEST), ("gap", C, 10), ("feed", S, RESPONSE), ("feed", C, HELLO_C * 3)],
    "gap-inside-request": [("feed", C, REQUEST[:20]), ("gap", C, 30), ("feed", C, HELLO_C * 3)],
    "gap-in-frames": [("feed", C, REQUEST), ("feed", S, RESPONSE + HELLO_S), ("feed", S, HELLO_S[:1]),
                      ("gap", S, 40), ("feed", S, HELLO_S * 3)],
}


def _steps(decoder: ConnectionDecoder) -> Steps:
    return {(start, event, end) for _, start, event, end in decoder.phase_steps}


def _synthetic_steps() -> dict[str, Steps]:
    return {name: _steps(_run(script)) for name, script in SYNTHETIC.items()} | {
        "no-handshake": _steps(_run([("feed", S, HELLO_S * 2), ("gap", S, 5), ("feed", S, HELLO_S * 2)],
                                    expect_handshake=False)),
    }


def _capture_steps() -> dict[str, Steps]:
    found: dict[str, Steps] = {}
    for path in sorted(resources.resource_path(resources.CAPTURES).glob("*.pcapng")):
        decoders = {id(e.connection): e.connection.decoder for e in CaptureDecoder().run(read_packets(path))}
        found[path.name] = set().union(*(_steps(d) for d in decoders.values()))
    return found


def test_every_step_taken_is_in_the_table() -> None:
    observed = _synthetic_steps() | _capture_steps()
    for name, steps in observed.items():
        assert steps, f"{name}: no phase change recorded"
        unknown = [step for step in steps if SIDE_TRANSITIONS.get(step[:2]) != step[2]]
        assert unknown == [], name


def test_every_table_entry_is_taken_by_some_connection() -> None:
    observed: Steps = set().union(*_synthetic_steps().values(), *_capture_steps().values())
    table = {(start, event, end) for (start, event), end in SIDE_TRANSITIONS.items()}
    assert sorted(table - observed) == []


def test_the_synthetic_cases_end_where_they_should() -> None:
    ends = {name: _run(script).phases for name, script in SYNTHETIC.items()}
    assert ends["accepted"] == {C: SidePhase.FRAMES, S: SidePhase.FRAMES}
    assert ends["refused"] == {C: SidePhase.IGNORED, S: SidePhase.IGNORED}
    assert ends["hixie-75"] == {C: SidePhase.HIXIE, S: SidePhase.HIXIE}
    assert ends["gap-in-frames"][S] is SidePhase.FRAMES  # lost sync, then found it again


def test_a_step_the_table_lacks_is_refused() -> None:
    with pytest.raises(ValueError, match="no transition"):
        next_phase(SidePhase.IGNORED, SideEvent.ACCEPTED)


def test_the_diagram_lists_both_machines() -> None:
    assert len(TRANSITIONS_FOR_DIAGRAM) == len(SIDE_TRANSITIONS) + len(CLOSE_TRANSITIONS)
    assert ("http", "http-done", "waiting") in TRANSITIONS_FOR_DIAGRAM
    assert ("open", "close-sent", "closing") in TRANSITIONS_FOR_DIAGRAM
