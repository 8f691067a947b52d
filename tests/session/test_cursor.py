"""The cursor over the bundled captures: steps, jumps in time, and a connection's state at any event."""

from __future__ import annotations

from pathlib import Path

import pytest

from inspector.capture.load import load_capture
from inspector.cli import main
from inspector.protocol.connection import CloseState
from inspector.protocol.constants import Opcode
from inspector.session.cursor import ACCEPTED, PENDING, Cursor, Unit
from inspector.session.events import ConnectionClosed, ConnectionOpened, FrameSeen, MessageSeen

CAPTURES = Path(__file__).resolve().parents[2] / "resources" / "captures"
NAMES = ["websockets-echo", "websockets-deflate", "chromium-deflate"]


@pytest.fixture(scope="module", params=NAMES)
def store(request):
    return load_capture(CAPTURES / f"{request.param}.pcapng")


def dump_frame_lines(capsys, store) -> int:
    assert main(["dump", store.source, "--json"]) == 0
    return sum(line.startswith('{"type": "frame"') for line in capsys.readouterr().out.splitlines())


def walk(cursor: Cursor, unit: Unit, delta: int, **kwargs) -> list[int]:
    seen = []
    while cursor.step(unit, delta, **kwargs):
        seen.append(cursor.position)
    return seen


def test_step_by_frame_forward_and_back_visits_every_frame(capsys, store):
    cursor = Cursor(store)
    forward = walk(cursor, Unit.FRAME, 1)
    assert len(forward) == dump_frame_lines(capsys, store) > 0
    assert all(type(store.events[p]) is FrameSeen for p in forward)
    end = cursor.position
    assert not cursor.step(Unit.FRAME) and cursor.position == end  # the last frame: no move
    back = walk(cursor, Unit.FRAME, -1)
    assert back == forward[-2::-1]
    assert not cursor.step(Unit.FRAME, -1) and cursor.position == forward[0]


def test_step_by_message_and_by_two(store):
    cursor = Cursor(store)
    messages = walk(cursor, Unit.MESSAGE, 1)
    assert messages and all(type(store.events[p]) is MessageSeen for p in messages)
    cursor.position = -1
    assert walk(cursor, Unit.MESSAGE, 2) == messages[1::2]


def test_step_by_connection_and_within_one(store):
    cursor = Cursor(store)
    opened = walk(cursor, Unit.CONNECTION, 1)
    assert [store.events[p].connection.id for p in opened] == [v.id for v in store.connections]
    assert all(type(store.events[p]) is ConnectionOpened for p in opened)
    cursor.position = -1
    assert walk(cursor, Unit.FRAME, 1, connection=1) == [r.position for r in store.by_id[1].frames]
    assert not Cursor(store).step(Unit.FRAME, connection=99)


def test_seek_time_lands_on_each_frame_or_an_event_of_the_same_time(store):
    cursor = Cursor(store)
    for record in store.connections[0].frames:
        position = cursor.seek_time(record.time)
        assert position >= record.position or store.events[position].time == record.time
        assert store.running_time[position] <= record.time
        after = position + 1
        assert after == len(store.events) or store.running_time[after] > record.time
    assert cursor.seek_time(0.0) == -1 and cursor.event is None


def test_state_follows_the_close_handshake():
    store = load_capture(CAPTURES / "websockets-echo.pcapng")
    cursor = Cursor(store)
    closes = [r.position for r in store.by_id[1].frames if r.frame.opcode == Opcode.CLOSE]
    assert len(closes) == 2
    opened = store.opened_positions[0]
    before = cursor.state(1, opened - 1)
    assert not before.opened and before.handshake == PENDING and before.frames == 0
    assert cursor.state(1, opened).opened
    assert cursor.state(1, closes[0] - 1).close is CloseState.OPEN
    assert cursor.state(1, closes[0] - 1).handshake == ACCEPTED
    assert cursor.state(1, closes[0]).close is CloseState.CLOSING
    assert cursor.state(1, closes[1]).close is CloseState.CLOSED
    closed = store.by_id[1].closed_at
    assert closed is not None and type(store.events[closed]) is ConnectionClosed
    assert not cursor.state(1, closed - 1).ended and cursor.state(1, closed).ended
    final = cursor.state(1, len(store.events) - 1)
    assert (final.frames, final.messages) == (len(store.by_id[1].frames), len(store.by_id[1].messages))
