"""ConnectionDecoder: handshake, frames, messages and cross-direction rules, fed as a capture would."""

from __future__ import annotations

import itertools

from conftest import client_frame, event_summary, wire_frame
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.protocol.connection import CloseState, ConnectionDecoder, SidePhase
from inspector.protocol.constants import Direction, Opcode
from inspector.protocol.deflate import MessageCompressor
from inspector.protocol.frame import Frame
from inspector.protocol.handshake import Handshake
from inspector.protocol.messages import Message
from inspector.protocol.resync import find_frame_start

C, S = Direction.CLIENT, Direction.SERVER
TEXT, BINARY, CONT, CLOSE, PING, PONG = (
    Opcode.TEXT,
    Opcode.BINARY,
    Opcode.CONTINUATION,
    Opcode.CLOSE,
    Opcode.PING,
    Opcode.PONG,
)

REQUEST = (
    b"GET /chat HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
    b"Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n\r\n"
)
RESPONSE = (
    b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n"
)
RESPONSE_DEFLATE = RESPONSE[:-2] + b"Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n"

# RFC 6455 Section 5.7 examples.
RFC_HELLO_SERVER = bytes.fromhex("810548656c6c6f")
RFC_HELLO_CLIENT = bytes.fromhex("818537fa213d7f9f4d5158")
RFC_HEL = bytes.fromhex("010348656c")
RFC_LO = bytes.fromhex("80026c6f")
RFC_PING = bytes.fromhex("890548656c6c6f")
RFC_PONG_MASKED = bytes.fromhex("8a8537fa213d7f9f4d5158")


def opened(response: bytes = RESPONSE) -> ConnectionDecoder:
    decoder = ConnectionDecoder()
    assert decoder.feed(C, REQUEST) == []
    [handshake] = decoder.feed(S, response)
    assert isinstance(handshake, Handshake)
    return decoder


def kinds(events: list) -> list[str]:
    return [type(e).__name__ for e in events]


def test_handshake_then_rfc_examples() -> None:
    decoder = opened()
    assert decoder.handshake is not None and decoder.handshake.violations == []
    assert decoder.protocol == "rfc6455"
    events = decoder.feed(S, RFC_HELLO_SERVER)
    frame, message = events
    assert isinstance(frame, Frame) and isinstance(message, Message)
    assert frame.index == 0 and frame.offset == len(RESPONSE)
    assert message.text == "Hello" and message.frame_indices == [0]
    [frame, message] = decoder.feed(C, RFC_HELLO_CLIENT)
    assert frame.index == 1 and frame.masking_key == bytes.fromhex("37fa213d")
    assert message.text == "Hello" and frame.violations == ()


def test_rfc_fragmented_with_ping_between() -> None:
    decoder = opened()
    events = decoder.feed(S, RFC_HEL + RFC_PING + RFC_LO)
    assert kinds(events) == ["Frame", "Frame", "Frame", "Message"]
    message = events[-1]
    assert message.text == "Hello" and message.frame_indices == [0, 2]
    [pong] = decoder.feed(C, RFC_PONG_MASKED)
    assert decoder.pong_for == {3: 1}
    assert pong.violations == ()
    assert decoder.violations == []


def test_request_and_response_bytes_with_frames_in_same_chunk() -> None:
    decoder = ConnectionDecoder()
    assert decoder.feed(C, REQUEST + RFC_HELLO_CLIENT) == []  # held until the response is known
    events = decoder.feed(S, RESPONSE + RFC_HELLO_SERVER)
    assert kinds(events) == ["Handshake", "Frame", "Message", "Frame", "Message"]
    assert [e.direction for e in events if isinstance(e, Frame)] == [C, S]
    assert events[1].offset == len(REQUEST)


def test_pong_mismatch_and_unsolicited_pong() -> None:
    decoder = opened()
    [unsolicited] = decoder.feed(S, wire_frame(PONG, b"beat"))
    assert unsolicited.violations == () and decoder.pong_for == {}
    decoder.feed(C, client_frame(PING, b"abc"))
    [pong] = decoder.feed(S, wire_frame(PONG, b"xyz"))
    assert [v.code for v in pong.violations] == ["pong-mismatch"]
    assert decoder.pong_for == {2: 1}


def test_pong_answers_most_recent_ping() -> None:
    decoder = opened()
    decoder.feed(C, client_frame(PING, b"1") + client_frame(PING, b"2"))
    [pong] = decoder.feed(S, wire_frame(PONG, b"2"))
    assert pong.violations == () and decoder.pong_for == {2: 1}
    [late] = decoder.feed(S, wire_frame(PONG, b"1"))
    assert late.violations == ()  # the earlier Ping was superseded; this Pong is unsolicited


def test_close_handshake_table_and_data_after_close() -> None:
    decoder = opened()
    assert decoder.close.state is CloseState.OPEN
    [close] = decoder.feed(C, client_frame(CLOSE, b"\x03\xe8bye"))
    assert close.violations == ()
    assert decoder.close.state is CloseState.CLOSING
    assert decoder.close.first_closer is C
    late = decoder.feed(C, client_frame(TEXT, b"late"))
    assert [v.code for v in late[0].violations] == ["data-after-close"]
    decoder.feed(S, wire_frame(CLOSE, b"\x03\xe8"))
    table = decoder.close
    assert table.state is CloseState.CLOSED
    assert table.code == {C: 1000, S: 1000}
    assert table.reason[C] == b"bye"
    assert table.history == [(0, CloseState.CLOSING), (2, CloseState.CLOSED)]
    after, _message = decoder.feed(S, wire_frame(BINARY, b"late"))
    assert [v.code for v in after.violations] == ["data-after-close"]


def test_control_frames_after_a_close_are_not_data() -> None:
    # Section 5.5.1 forbids data frames after a side's Close; a Ping or a second Close is not one.
    decoder = opened()
    decoder.feed(C, client_frame(CLOSE, b"\x03\xe8"))
    events = decoder.feed(C, client_frame(PING, b"?") + client_frame(CLOSE, b"\x03\xe8") + client_frame(CONT, b"x"))
    ping, second_close, continuation = [e for e in events if isinstance(e, Frame)]
    assert ping.violations == () and second_close.violations == ()
    assert [v.code for v in continuation.violations] == ["data-after-close", "unexpected-continuation"]
    assert decoder.close.close_frame == {C: 0}


def test_deflate_negotiated_drives_rsv1_and_inflation() -> None:
    decoder = opened(RESPONSE_DEFLATE)
    assert decoder.handshake is not None and decoder.handshake.deflate is not None
    compressor = MessageCompressor()
    payload = compressor.compress(b"Hello")
    [frame, message] = decoder.feed(S, wire_frame(TEXT, payload, rsv1=True))
    assert frame.violations == () and message.compressed and message.text == "Hello"
    [frame, message] = decoder.feed(S, wire_frame(TEXT, compressor.compress(b"Hello"), rsv1=True))
    assert message.text == "Hello"
    [frame, message] = decoder.feed(C, client_frame(TEXT, MessageCompressor().compress(b"hi"), rsv1=True))
    assert message.text == "hi"


def test_rsv1_without_deflate_is_reserved() -> None:
    decoder = opened()
    [frame, message] = decoder.feed(S, wire_frame(TEXT, b"x", rsv1=True))
    assert [v.code for v in frame.violations] == ["reserved-bits"]
    assert not message.compressed


def test_refused_handshake_ignores_later_bytes() -> None:
    decoder = ConnectionDecoder()
    decoder.feed(C, REQUEST)
    [handshake] = decoder.feed(S, b"HTTP/1.1 426 Upgrade Required\r\nSec-WebSocket-Version: 13\r\n\r\nbody")
    assert handshake.refused and handshake.violations == []
    assert decoder.feed(S, RFC_HELLO_SERVER) == []
    assert decoder.ignored_bytes[S] == 4 + len(RFC_HELLO_SERVER)
    assert decoder.finish() == []


def test_finish_reports_truncated_frame_and_incomplete_message() -> None:
    decoder = opened()
    decoder.feed(S, RFC_HEL)
    decoder.feed(S, wire_frame(CONT, b"lo world")[:5])
    events = decoder.finish()
    assert kinds(events) == ["Frame", "Message"]
    assert events[0].truncated and [v.code for v in events[0].violations] == ["truncated-frame"]
    assert not events[1].complete and events[1].data == b"Hello "


def test_gap_inside_payload_keeps_sync() -> None:
    decoder = opened()
    big = wire_frame(BINARY, bytes(range(200)))  # header 4 bytes
    decoder.feed(S, big[:50])
    [damaged, message] = decoder.gap(S, 100)
    assert damaged.truncated and damaged.payload == bytes(range(46))
    assert [v.code for v in damaged.violations] == ["frame-gap"]
    assert not message.complete
    assert decoder.feed(S, big[150:]) == []  # the rest of the damaged frame is swallowed
    [frame, message] = decoder.feed(S, RFC_HELLO_SERVER)
    assert message.text == "Hello" and frame.offset == len(RESPONSE) + len(big)
    assert [v.code for v in decoder.violations] == ["capture-gap"]


def test_gap_in_unknown_place_resyncs() -> None:
    decoder = opened()
    decoder.feed(S, RFC_HEL)
    decoder.feed(S, b"\x81")  # half a header
    events = decoder.gap(S, 7)
    assert kinds(events) == ["Message"] and not events[0].complete
    assert decoder.phases[S] is SidePhase.RESYNC
    stream = RFC_LO + RFC_HELLO_SERVER + RFC_HELLO_SERVER
    # Lands inside the continuation frame: its bytes 02 6c could start a 108-byte binary frame, which
    # only more bytes (or the end of the stream) can confirm or rule out, so nothing is decided yet.
    assert decoder.feed(S, stream[1:]) == []
    events = decoder.finish()
    texts = [e.text for e in events if isinstance(e, Message)]
    assert texts == ["Hello", "Hello"]
    frames = [e for e in events if isinstance(e, Frame)]
    assert frames[0].offset == len(RESPONSE) + len(RFC_HEL) + 1 + 7 + len(RFC_LO) - 1


def test_no_handshake_resyncs_and_says_so() -> None:
    decoder = ConnectionDecoder(expect_handshake=False)
    assert [v.code for v in decoder.violations] == ["handshake-missing"]
    tail = wire_frame(BINARY, b"z" * 300)[-40:]  # the end of a frame whose start was not captured
    events = decoder.feed(S, tail + RFC_HELLO_SERVER + RFC_HEL + RFC_LO)
    messages = [e for e in events if isinstance(e, Message)]
    assert [m.text for m in messages] == ["Hello", "Hello"]
    assert decoder.skipped_bytes[S] == 40
    events = decoder.feed(C, RFC_HELLO_CLIENT + RFC_HELLO_CLIENT)
    assert [e.text for e in events if isinstance(e, Message)] == ["Hello", "Hello"]


def test_garbage_instead_of_http_becomes_handshake_missing() -> None:
    decoder = ConnectionDecoder()
    events = decoder.feed(S, RFC_HELLO_SERVER + RFC_HELLO_SERVER)
    assert [v.code for v in decoder.violations] == ["handshake-missing"]
    assert [e.text for e in events if isinstance(e, Message)] == ["Hello", "Hello"]


def test_find_frame_start() -> None:
    stream = RFC_HELLO_SERVER + RFC_HEL + RFC_LO
    assert find_frame_start(stream, S) == 0
    assert find_frame_start(b"\x00\xff" + stream, S) == 2
    assert find_frame_start(RFC_HELLO_SERVER, C) is None  # unmasked: not a client frame
    assert find_frame_start(RFC_HELLO_CLIENT, C) == 0
    assert find_frame_start(RFC_HELLO_CLIENT, C, final=False) is None  # the next header may still break the chain
    assert find_frame_start(b"\xff" * 5000, S) is None


# -- same events for any chunking ---------------------------------------------------------------

def _script() -> list[tuple[Direction, bytes]]:
    compressor = MessageCompressor()
    return [
        (C, REQUEST),
        (S, RESPONSE_DEFLATE),
        (S, RFC_HEL + RFC_PING + RFC_LO),
        (C, RFC_PONG_MASKED),
        (C, client_frame(TEXT, MessageCompressor().compress("héllo".encode() * 30), rsv1=True)),
        (S, wire_frame(BINARY, compressor.compress(bytes(range(256)) * 3), rsv1=True, fin=False)),
        (S, wire_frame(CONT, b"", fin=True)),
        (S, wire_frame(TEXT, "€uro".encode()[:2], fin=False) + wire_frame(CONT, "€uro".encode()[2:])),
        (C, client_frame(CLOSE, b"\x03\xe8")),
        (S, wire_frame(CLOSE, b"\x03\xe8")),
    ]


def _run(script: list[tuple[Direction, bytes]], cuts: list[int]) -> list[tuple]:
    decoder = ConnectionDecoder()
    events: list = []
    for direction, data in script:
        points = sorted({c % (len(data) + 1) for c in cuts} | {0, len(data)})
        for a, b in itertools.pairwise(points):
            events += decoder.feed(direction, data[a:b])
    return event_summary(events + decoder.finish())


def test_script_one_shot_is_clean() -> None:
    result = _run(_script(), [])
    assert all(not entry[-1] for entry in result if entry[0] != "H")
    assert sum(1 for entry in result if entry[0] == "M") == 4


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10_000), max_size=12))
def test_chunking_does_not_change_events(cuts: list[int]) -> None:
    assert _run(_script(), cuts) == _run(_script(), [])


def test_header_split_after_a_pending_frame_regression() -> None:
    # A stale "bytes needed" count in FrameParser once hid a frame whose header straddled two feeds.
    decoder = opened()
    stream = RFC_HEL + RFC_PING + RFC_LO
    events = decoder.feed(S, stream[:2]) + decoder.feed(S, stream[2:13]) + decoder.feed(S, stream[13:])
    assert kinds(events) == ["Frame", "Frame", "Frame", "Message"]


def test_gap_after_request_resyncs_client_frames_once_handshake_completes() -> None:
    decoder = ConnectionDecoder()
    decoder.feed(C, REQUEST + RFC_HELLO_CLIENT[:3])
    assert decoder.gap(C, 20) == []
    decoder.feed(C, RFC_HELLO_CLIENT + RFC_HELLO_CLIENT)
    events = decoder.feed(S, RESPONSE)
    assert kinds(events)[0] == "Handshake"
    frames = [e for e in events if isinstance(e, Frame)]
    assert [f.offset for f in frames] == [len(REQUEST) + 23, len(REQUEST) + 23 + len(RFC_HELLO_CLIENT)]
    assert [v.code for v in decoder.violations] == ["capture-gap"]


def test_gap_inside_request_means_no_handshake() -> None:
    decoder = ConnectionDecoder()
    decoder.feed(C, REQUEST[:30])
    decoder.gap(C, 10)
    decoder.feed(C, REQUEST[40:])
    events = decoder.feed(C, RFC_HELLO_CLIENT + RFC_HELLO_CLIENT)
    assert sorted(v.code for v in decoder.violations) == ["capture-gap", "handshake-missing"]
    assert decoder.handshake is None
    assert [e.text for e in events if isinstance(e, Message)] == ["Hello", "Hello"]


def test_inflate_limit_reaches_the_inflaters() -> None:
    decoder = ConnectionDecoder(inflate_limit=100)
    decoder.feed(C, REQUEST)
    decoder.feed(S, RESPONSE_DEFLATE)
    [_, message] = decoder.feed(S, wire_frame(BINARY, MessageCompressor().compress(bytes(5000)), rsv1=True))
    assert [v.code for v in message.violations] == ["inflate-limit-exceeded"]
    assert len(message.data) == 100


def test_hostile_length_claims_allocate_nothing() -> None:
    decoder = opened()
    header = bytes([0x82, 127]) + (2**62).to_bytes(8, "big")
    assert decoder.feed(S, header + b"abc") == []
    [frame, message] = decoder.finish()
    assert frame.truncated and frame.payload == b"abc" and not message.complete


def test_feed_takes_a_direction_or_its_text_and_rejects_anything_else():
    import pytest

    data = client_frame(Opcode.TEXT, b"hi") * 3
    by_enum = ConnectionDecoder(expect_handshake=False)
    by_text = ConnectionDecoder(expect_handshake=False)
    got_enum = by_enum.feed(Direction.CLIENT, data) + by_enum.feed(Direction.CLIENT, bytearray(data))
    got_text = by_text.feed("client", data) + by_text.feed("client", memoryview(data))
    assert [(type(e), e.direction, getattr(e, "index", None)) for e in got_text] == [
        (type(e), e.direction, getattr(e, "index", None)) for e in got_enum
    ]
    assert len([e for e in got_enum if isinstance(e, Frame)]) == 6
    with pytest.raises(ValueError):
        by_text.feed("sideways", data)
    for bad in (0, ["client"]):  # not text at all: the compiled build says TypeError, the sources ValueError
        with pytest.raises((TypeError, ValueError)):
            by_text.feed(bad, data)  # type: ignore[arg-type]


def test_space_before_colon_is_a_malformed_handshake_not_a_missing_one() -> None:
    decoder = ConnectionDecoder()
    assert decoder.feed(C, REQUEST.replace(b"Upgrade: websocket", b"Upgrade : websocket")) == []
    [handshake] = decoder.feed(S, RESPONSE)
    assert isinstance(handshake, Handshake) and handshake.status == 101
    assert [v.code for v in decoder.all_violations] == ["malformed-header-line"]
    [frame, message] = decoder.feed(S, RFC_HELLO_SERVER)
    assert message.text == "Hello" and frame.offset == len(RESPONSE)


def test_handshake_fed_a_byte_at_a_time() -> None:
    decoder = ConnectionDecoder()
    for byte in REQUEST:
        assert decoder.feed(C, bytes([byte])) == []
    events = [e for byte in RESPONSE + RFC_HELLO_SERVER for e in decoder.feed(S, bytes([byte]))]
    assert kinds(events) == ["Handshake", "Frame", "Message"]
