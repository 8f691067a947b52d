"""A display filter that reads only header fields and violations runs over the store's numbers
(FrameHead); it must keep exactly the rows that filtering the rebuilt frames keeps."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector.capture.load import load_capture
from inspector.filter import compile_filter
from inspector.ui.frame_filter import passing_frames, passing_rows
from tests.capture import synth
from tests.session.test_compact_store import CAPTURES, hostile_flow

HEAD_EXPRESSIONS = [
    "websocket",
    "websocket.opcode == 9 || websocket.payload_length > 125",
    "websocket.fin == 0 && websocket.mask",
    "websocket.rsv1 || websocket.rsv == 4 || websocket.rsv2 || websocket.rsv3",
    "websocket.payload_length_ext_16 >= 126 || websocket.payload_length_ext_64",
    "websocket.masking_key == 37:fa:21:3d || websocket.masking_key",
    "direction == client && frame < 5",
    "connection == 1 && length > 10",
    "violation",
    "violation contains \"utf8\" || violation matches \"control\"",
    "!websocket.mask && websocket.opcode in {1 2 8}",
]


def test_the_expressions_take_the_fast_path() -> None:
    assert all(compile_filter(expression).reads_heads_only for expression in HEAD_EXPRESSIONS)
    assert not compile_filter("websocket.payload contains 41").reads_heads_only
    assert not compile_filter('text contains "a"').reads_heads_only


@pytest.mark.parametrize("capture", CAPTURES, ids=[c.name for c in CAPTURES])
def test_heads_keep_the_rows_the_frames_keep(capture: Path) -> None:
    store = load_capture(capture)
    for expression in HEAD_EXPRESSIONS:
        display_filter = compile_filter(expression)
        assert passing_rows(store, display_filter) == passing_frames(store, display_filter), expression


@pytest.mark.parametrize("tail", [synth.ws_frame(2, b"x" * 300, mask=bytes(4))[:1], b""], ids=["one-byte", "none"])
def test_heads_keep_the_rows_the_frames_keep_on_a_hostile_stream(tmp_path: Path, tail: bytes) -> None:
    path = tmp_path / "hostile.pcapng"
    path.write_bytes(synth.pcapng_bytes(hostile_flow(tail)))
    store = load_capture(path)
    kept_somewhere = 0
    for expression in HEAD_EXPRESSIONS:
        display_filter = compile_filter(expression)
        kept = passing_rows(store, display_filter)
        assert kept == passing_frames(store, display_filter), expression
        kept_somewhere += sum(map(len, kept.values())) > 0
    assert kept_somewhere >= len(HEAD_EXPRESSIONS) - 2
