"""The Recorder turns a ConnectionDecoder's items into session events, the same way for every producer."""

from __future__ import annotations

from inspector.protocol.connection import ConnectionDecoder
from inspector.protocol.constants import Direction
from inspector.session.events import (
    Connection,
    ConnectionClosed,
    ConnectionOpened,
    FrameSeen,
    HandshakeSeen,
    MessageSeen,
    NoteSeen,
    SessionEvent,
)
from inspector.session.recorder import Recorder, SessionIds
from tests.capture import synth

KEY = bytes.fromhex("37fa213d")


def recorder(ids: SessionIds) -> Recorder:
    return Recorder(Connection(0, "127.0.0.1:50000", "127.0.0.1:8765", ConnectionDecoder()), ids)


def feed(rec: Recorder, direction: Direction, data: bytes, time: float, out: list[SessionEvent]) -> None:
    rec.take(rec.connection.decoder.feed(direction, data), [], time, out)


def test_a_client_session_gives_opened_handshake_frames_messages_closed():
    ids = SessionIds()
    first, second = recorder(ids), recorder(ids)
    out: list[SessionEvent] = []
    feed(first, Direction.CLIENT, synth.upgrade_request(), 1.0, out)  # no item yet: the handshake is half done
    feed(second, Direction.CLIENT, synth.upgrade_request(), 1.5, out)
    feed(second, Direction.SERVER, synth.upgrade_response(), 2.0, out)  # opens first: it takes id 1
    feed(first, Direction.SERVER, synth.upgrade_response(), 3.0, out)
    feed(first, Direction.CLIENT, synth.ws_frame(1, b"ab", fin=False, mask=KEY) + synth.ws_frame(0, b"c", mask=KEY),
         4.0, out)
    feed(first, Direction.SERVER, synth.ws_frame(1, b"abc"), 5.0, out)
    first.close(6.0, out)
    first.close(7.0, out)  # once only
    mine = [e for e in out if e.connection is first.connection]
    assert [type(e) for e in mine] == [ConnectionOpened, HandshakeSeen, FrameSeen, FrameSeen, MessageSeen,
                                       FrameSeen, MessageSeen, ConnectionClosed]
    assert (second.connection.id, first.connection.id, ids.taken) == (1, 2, 2)
    assert [e.time for e in mine] == [3.0, 3.0, 4.0, 4.0, 4.0, 5.0, 5.0, 6.0]
    assert [e.direction for e in mine] == [None, None, *[Direction.CLIENT] * 3, *[Direction.SERVER] * 2, None]
    assert all(e.packets == [] for e in mine)
    assert mine[4].message.text == "abc" and mine[6].message.text == "abc"
    assert not first.refused


def test_a_refused_handshake_is_marked():
    rec = recorder(SessionIds())
    out: list[SessionEvent] = []
    feed(rec, Direction.CLIENT, synth.upgrade_request(), 1.0, out)
    feed(rec, Direction.SERVER, synth.upgrade_response("403 Forbidden"), 2.0, out)
    assert rec.refused
    assert [type(e) for e in out] == [ConnectionOpened, HandshakeSeen]
    assert out[1].handshake.refused


def test_a_note_before_the_connection_opens_is_dropped():
    rec = recorder(SessionIds())
    out: list[SessionEvent] = []
    rec.note("gap", Direction.CLIENT, 0, 10, "lost", [], 1.0, out)
    rec.close(1.5, out)  # never opened: nothing to close either
    assert out == []
    feed(rec, Direction.CLIENT, synth.upgrade_request(), 2.0, out)
    rec.note("gap", Direction.SERVER, 0, 1, "lost", [], 2.5, out)  # still not open: the response is missing
    feed(rec, Direction.SERVER, synth.upgrade_response(), 2.7, out)
    rec.note("gap", Direction.SERVER, 5, 10, "lost", [7], 3.0, out)
    assert [type(e) for e in out] == [ConnectionOpened, HandshakeSeen, NoteSeen]
    note = out[2]
    assert (note.kind, note.direction, note.offset, note.length, note.packets) == ("gap", Direction.SERVER, 5, 10, [7])


def test_packets_given_are_kept_and_a_message_takes_its_last_frame_s():
    rec = recorder(SessionIds())
    out: list[SessionEvent] = []
    rec.take(rec.connection.decoder.feed(Direction.CLIENT, synth.upgrade_request()), [1], 1.0, out)
    rec.take(rec.connection.decoder.feed(Direction.SERVER, synth.upgrade_response()), [2], 2.0, out)
    rec.take(rec.connection.decoder.feed(Direction.SERVER, synth.ws_frame(2, b"x")), [3], 3.0, out)
    assert [e.packets for e in out] == [[2], [2], [3], [3]]  # opened by the response, packet 2
