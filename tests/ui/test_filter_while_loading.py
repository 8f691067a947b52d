"""A display filter typed while a capture is still loading covers the frames that arrive after it: the
rows shown at the end are those the same filter keeps over the whole capture, and `dump --filter` agrees."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from inspector.capture.load import load_capture
from inspector.filter import compile_filter
from inspector.resources import capture_path
from inspector.ui import loader as loader_module
from inspector.ui.frame_filter import passing_rows
from tests.ui.windows import new_window

ROOT = Path(__file__).resolve().parents[2]
CASES = [
    # The frame that completes a message is tested with the message: its text arrives with it.
    ("websockets-echo.pcapng", 'text contains "frag"'),
    ("websockets-echo.pcapng", "websocket.opcode < 8 && direction == client"),
    ("websockets-violations.pcapng", "violation"),
    ("websockets-deflate.pcapng", "!(websocket.opcode in {9 10})"),
]


@pytest.mark.parametrize(("name", "expression"), CASES)
def test_a_filter_typed_during_the_load_covers_later_batches(qtbot, tmp_path: Path, monkeypatch, name: str,
                                                              expression: str) -> None:
    monkeypatch.setattr(loader_module, "BATCH_EVENTS", 2)  # many batches, even from a small file
    monkeypatch.setattr(loader_module, "SLICE_SECONDS", 0.0)  # one batch per turn of the event loop
    window = new_window(qtbot, tmp_path / "settings.ini")
    capture = capture_path(name)
    whole = load_capture(capture)
    typed_at: list[int] = []

    def type_filter(store: object) -> None:  # the first rows are shown: the user types a filter now
        assert window.loader.busy
        typed_at.append(window.store.frame_count)
        window.filter_bar.edit.setText(expression)
        window.filter_bar.apply()

    window.loader.started.connect(type_filter)
    with qtbot.waitSignal(window.capture_loaded, timeout=20_000):
        window.open_file(str(capture))
    assert typed_at and typed_at[0] < whole.frame_count  # it really was typed part-way
    store = window.store
    assert store is not None and store.frame_count == whole.frame_count
    expected = passing_rows(whole, compile_filter(expression))
    assert window.session.kept == expected
    kept_total = sum(len(rows) for rows in expected.values())
    assert 0 < kept_total < whole.frame_count  # the filter really keeps some frames and hides others
    # The table of every connection shows exactly its kept rows.
    for view in store.connections:
        window.session.select_connection(view)
        shown = window.frames_view.shown_model
        rows = [shown.source_row(row) for row in range(shown.rowCount())]
        assert rows == expected[view.id]
    # And the command line's filter keeps the same frames.
    dumped = subprocess.run([sys.executable, "-m", "inspector", "dump", str(capture), "--json", "--filter", expression],
                            cwd=ROOT, capture_output=True, text=True, check=True, timeout=60).stdout
    frames = [line for line in map(json.loads, dumped.splitlines()) if line["type"] == "frame"]
    assert len(frames) == kept_total


@pytest.mark.parametrize("name", ["websockets-echo.pcapng", "websockets-deflate.pcapng", "chromium-deflate.pcapng",
                                  "websockets-violations.pcapng"])
@pytest.mark.parametrize("expression", ['text contains "frag"', "violation", "websocket.opcode == 1",
                                        "websocket.fin == 1 && !(websocket.opcode in {9 10})"])
def test_a_growing_filter_equals_a_fresh_one_after_every_event(name: str, expression: str) -> None:
    """GrowingFilter retests only new and unsettled frames; after each event it must agree with testing all."""
    from inspector.session.store import SessionStore
    from inspector.ui.frame_filter import GrowingFilter

    whole = load_capture(capture_path(name))
    display_filter = compile_filter(expression)
    growing = GrowingFilter(display_filter)
    store = SessionStore()
    handed_out: list[tuple[list[int], list[int]]] = []  # (a list update returned, a copy of it then)
    for event in whole.events:
        store.add(event)
        kept = growing.update(store)
        assert kept == passing_rows(store, display_filter)
        handed_out += [(rows, list(rows)) for rows in kept.values()]
    # A list handed out is never changed afterwards (the frames table compares the old list with the new).
    assert all(rows == copy for rows, copy in handed_out)
    assert growing.update(store) == passing_rows(whole, display_filter)
