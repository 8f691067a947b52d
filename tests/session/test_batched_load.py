"""A capture read in batches of any size gives the same session as one read in one go."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from inspector.capture.load import load_capture, stream_capture
from inspector.session.events import FrameSeen, HandshakeSeen, MessageSeen, NoteSeen
from inspector.session.store import VIEW_DICTS, SessionStore, keys_since

CAPTURES = sorted((Path(__file__).resolve().parents[2] / "resources" / "captures").glob("*.pcap*"))


def session_summary(store: SessionStore) -> list[tuple]:
    """Every event as what it says, then each connection's frames with the message each belongs to."""
    out: list[tuple] = []
    for event in store.events:
        row: tuple = (type(event).__name__, event.connection.id, event.direction, event.packets, event.time)
        if type(event) is FrameSeen:
            frame = event.frame
            row += (frame.index, frame.header, frame.payload, [v.code for v in frame.violations])
        elif type(event) is MessageSeen:
            message = event.message
            row += (message.frame_indices, message.data, [v.code for v in message.violations])
        elif type(event) is HandshakeSeen:
            row += (event.handshake.status,)
        elif type(event) is NoteSeen:
            row += (event.kind, event.offset, event.length)
        out.append(row)
    for view in store.connections:
        out.append(("connection", view.id, view.connection.client, view.connection.server, view.violation_count(),
                    view.positions, view.message_positions, view.closed_at))
        out += [(r.frame.index, r.position, r.packets, r.time,
                 r.message.frame_indices if r.message is not None else None) for r in view.frames]
    out.append((store.opened_positions, store.frame_positions, store.frame_marks, store.message_positions,
                store.running_time, store.start_time, store.packets, store.truncated))
    return out


def in_lists_of(size: int, deliver: Callable[[list], None]) -> tuple[Callable[[list], None], Callable[[], None]]:
    """(add, flush): the events a capture's packets complete, handed on in lists of at least `size`."""
    pending: list = []

    def add(events: list) -> None:
        pending.extend(events)
        if len(pending) >= size:
            flush()

    def flush() -> None:
        if pending:
            deliver(pending.copy())
            pending.clear()

    return add, flush


@pytest.mark.parametrize("capture", CAPTURES, ids=[c.name for c in CAPTURES])
@pytest.mark.parametrize("batch_events", [1, 3, 1000])
def test_batches_give_the_one_shot_session(capture: Path, batch_events: int) -> None:
    whole = load_capture(capture)
    batched = SessionStore(str(capture))
    sizes: list[int] = []

    def deliver(events: list) -> None:
        sizes.append(len(events))
        batched.extend(events)

    add, flush = in_lists_of(batch_events, deliver)
    batched.packets, batched.truncated = stream_capture(capture, add, batched.times)
    flush()
    batched.finish()
    assert whole.frame_count > 0 or capture.name.startswith("hixie")
    assert session_summary(batched) == session_summary(whole)
    assert sum(sizes) == len(whole.events)
    if batch_events == 1000 and len(whole.events) > 1000:
        assert len(sizes) > 1 and max(sizes) < 1000 + 100  # a list is handed on once it reaches the size


@pytest.mark.parametrize("capture", CAPTURES, ids=[c.name for c in CAPTURES])
@pytest.mark.parametrize("batch_events", [1, 7, 1000])
def test_a_follower_fed_tails_gives_the_one_shot_session(capture: Path, batch_events: int) -> None:
    """As the window's loader runs: one store decodes, its follower absorbs what it gained batch by batch,
    and rows read from the follower in between (cached) still learn of messages that complete later."""
    whole = load_capture(capture)
    decoding = SessionStore(str(capture))
    follower = decoding.follower(str(capture))

    def deliver(events: list) -> None:
        decoding.extend(events)
        follower.absorb(decoding.tail())
        for view in follower.connections:  # read (and cache) the newest rows, as a table would
            for row in range(max(len(view.frames) - 3, 0), len(view.frames)):
                assert view.frames[row].frame.index == view.frame_indices[row]

    add, flush = in_lists_of(batch_events, deliver)
    follower.packets, follower.truncated = stream_capture(capture, add, follower.times)
    flush()
    follower.finish()
    assert session_summary(follower) == session_summary(whole)


@pytest.mark.parametrize("capture", CAPTURES, ids=[c.name for c in CAPTURES])
def test_violation_rows_read_batch_by_batch_add_up_to_all_of_them(capture: Path) -> None:
    """What a pane appends as a capture loads (violation_rows_since the counts it read last) adds up to the
    connection's violation_rows."""
    store = SessionStore(str(capture))
    counted: dict[int, tuple[int, int]] = {}
    gathered: dict[int, set[int]] = {}

    def deliver(events: list) -> None:
        store.extend(events)
        for view in store.connections:
            frames, messages = counted.get(view.id, (0, 0))
            gathered.setdefault(view.id, set()).update(view.violation_rows_since(frames, messages))
            counted[view.id] = (len(view.frame_positions), len(view.message_positions))

    add, flush = in_lists_of(3, deliver)
    stream_capture(capture, add, store.times)
    flush()
    for view in store.connections:
        assert sorted(gathered[view.id]) == view.violation_rows()
    if capture.name.startswith("websockets-violations"):
        assert sum(len(rows) for rows in gathered.values()) > 3


@pytest.mark.parametrize("capture", CAPTURES, ids=[c.name for c in CAPTURES])
def test_keys_since_reads_only_the_last_entries_and_gives_what_a_full_scan_gives(capture: Path) -> None:
    """keys_since walks a view's per-row dicts from the end; it must give every key from `first` on, as a scan of
    the whole dict does (which holds only while entries are made in the order of their keys)."""
    store = load_capture(capture)
    checked = 0
    for view in store.connections:
        for name in VIEW_DICTS:
            entries = getattr(view, name)
            for first in {0, 1, len(view.frame_positions) // 2, len(view.frame_positions), *entries}:
                assert keys_since(entries, first) == sorted(key for key in entries if key >= first)
                checked += 1
    assert checked > 0
