"""draft-hixie-75/76: the MD5 challenge, detection, and the 0x00..0xFF / length-prefixed framing."""

from __future__ import annotations

import hashlib

import pytest

from inspector.protocol.connection import ConnectionDecoder
from inspector.protocol.constants import Direction
from inspector.protocol.handshake import Handshake
from inspector.protocol.hixie import (
    HIXIE_75,
    HIXIE_76,
    HixieParser,
    challenge,
    challenge_response,
    detect_version,
    handshake_violations,
    key_part,
    render_steps,
)
from inspector.protocol.messages import Message

# The worked example of draft-hixie-thewebsocketprotocol-76, Section 1.3.
SPEC_KEY1 = "4 @1  46546xW%0l 1 5"
SPEC_KEY2 = "12998 5 Y3 1  .P00"
SPEC_KEY3 = b"^n:ds[4U"
SPEC_RESPONSE = b"8jKS'y:G*Co,Wxa-"


def test_key_parts_of_the_spec_example() -> None:
    first = key_part(SPEC_KEY1)
    assert (first.digits, first.number, first.spaces, first.part) == ("4146546015", 4146546015, 5, 829309203)
    assert first.packed == bytes.fromhex("316e4113")
    second = key_part(SPEC_KEY2)
    assert (second.number, second.spaces, second.part) == (1299853100, 5, 259970620)


def test_spec_example_challenge_matches() -> None:
    result = challenge(SPEC_KEY1, SPEC_KEY2, SPEC_KEY3, SPEC_RESPONSE)
    assert result.expected == SPEC_RESPONSE
    assert result.md5_input == bytes.fromhex("316e4113") + bytes.fromhex("0f7ed63c") + SPEC_KEY3
    assert result.valid is True
    assert result.violations == []
    assert challenge_response(SPEC_KEY1, SPEC_KEY2, SPEC_KEY3) == SPEC_RESPONSE
    steps = "\n".join(render_steps(result.steps()))
    assert "829309203" in steps and "matches" in steps


def test_broken_challenge_is_invalid() -> None:
    broken = bytes([SPEC_RESPONSE[0] ^ 1]) + SPEC_RESPONSE[1:]
    result = challenge(SPEC_KEY1, SPEC_KEY2, SPEC_KEY3, broken)
    assert result.valid is False
    assert [v.code for v in result.violations] == ["hixie-bad-challenge"]


def test_response_not_captured_is_unknown() -> None:
    assert challenge(SPEC_KEY1, SPEC_KEY2, SPEC_KEY3).valid is None


@pytest.mark.parametrize(
    ("key", "problem"),
    [("1234", "no spaces"), ("1 2 5", "not a multiple"), ("no digits here", "no digits"), ("99999999999 ", "32 bits")],
)
def test_malformed_keys_are_named(key: str, problem: str) -> None:
    part = key_part(key)
    assert part.part is None and problem in (part.problem or "")
    result = challenge(key, SPEC_KEY2, SPEC_KEY3, SPEC_RESPONSE)
    assert result.valid is False
    assert [v.code for v in result.violations] == ["hixie-bad-key", "hixie-bad-challenge"]


def test_challenge_against_independent_md5() -> None:
    key1, key2, key3 = "1 2 3 6", " 8 8", bytes(range(8))
    expected = hashlib.md5((1236 // 3).to_bytes(4, "big") + (88 // 2).to_bytes(4, "big") + key3).digest()
    assert challenge_response(key1, key2, key3) == expected


def test_detection() -> None:
    base = [("Host", "example.com"), ("Connection", "Upgrade"), ("Upgrade", "WebSocket")]
    assert detect_version(base) == HIXIE_75
    assert detect_version([*base, ("Sec-WebSocket-Key1", SPEC_KEY1), ("Sec-WebSocket-Key2", SPEC_KEY2)]) == HIXIE_76
    rfc = [("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="), ("Sec-WebSocket-Version", "13")]
    assert detect_version([*base, *rfc]) is None
    assert detect_version([*base, ("Sec-WebSocket-Version", "13")]) is None  # a broken RFC request, not hixie-75
    assert detect_version([("Host", "x")]) is None


def test_response_headers_of_each_draft() -> None:
    assert handshake_violations(HIXIE_75, [], [("WebSocket-Origin", "o"), ("WebSocket-Location", "ws://x/")]) == []
    assert handshake_violations(HIXIE_76, [], [("Sec-WebSocket-Origin", "o"), ("Sec-WebSocket-Location", "l")]) == []
    missing = handshake_violations(HIXIE_76, [], [("WebSocket-Origin", "o")])
    assert [v.code for v in missing] == ["hixie-missing-location"]


STREAM = (
    b"\x00Hello\xff"  # text
    + b"\x00\xe4\xbd\xa0\xe5\xa5\xbd\xff"  # UTF-8 text (two CJK characters)
    + b"\x80\x03abc"  # length-prefixed, 3 bytes
    + b"\x80\x81\x01" + bytes(129)  # length-prefixed, two length bytes: 1*128 + 1 = 129
    + b"\x00\xff"  # empty text
    + b"\xff\x00"  # closing handshake
)


def _kinds(frames: list) -> list[tuple[int, int, bytes, bool, bool]]:
    return [(f.offset, f.frame_type, f.data, f.is_text, f.is_close) for f in frames]


def test_parser_whole_stream() -> None:
    frames = HixieParser(Direction.SERVER).feed(STREAM)
    assert _kinds(frames) == [
        (0, 0x00, b"Hello", True, False),
        (7, 0x00, "你好".encode(), True, False),
        (15, 0x80, b"abc", False, False),
        (20, 0x80, bytes(129), False, False),
        (152, 0x00, b"", True, False),
        (154, 0xFF, b"", False, True),
    ]
    assert frames[1].text == "你好"
    assert all(f.violations == [] for f in frames)
    assert sum(f.wire_length for f in frames) == len(STREAM)


@pytest.mark.parametrize("chunk", [1, 2, 3, 7, 64])
def test_parser_any_chunking_gives_same_frames(chunk: int) -> None:
    parser = HixieParser(Direction.CLIENT, offset=100)
    frames = []
    for start in range(0, len(STREAM), chunk):
        frames += parser.feed(STREAM[start : start + chunk])
    assert frames[0].offset == 100
    whole = HixieParser(Direction.CLIENT, offset=100).feed(STREAM)
    assert _kinds(frames) == _kinds(whole)
    assert parser.finish() == []


def test_invalid_utf8_and_unknown_type() -> None:
    frames = HixieParser(Direction.CLIENT).feed(b"\x00\xc3\x28\xff\x05abc\xff")
    assert [v.code for v in frames[0].violations] == ["invalid-utf8"]
    assert frames[0].text is None
    assert [v.code for v in frames[1].violations] == ["hixie-unknown-frame-type"]


def test_truncated_frames_at_finish() -> None:
    parser = HixieParser(Direction.CLIENT)
    assert parser.feed(b"\x00unterminated") == []
    (frame,) = parser.finish()
    assert frame.truncated and frame.data == b"unterminated"
    assert [v.code for v in frame.violations] == ["truncated-frame"]

    parser = HixieParser(Direction.CLIENT)
    assert parser.feed(b"\x80\x0aabc") == []
    (frame,) = parser.finish()
    assert frame.truncated and frame.declared_length == 10 and frame.data == b"abc"


def test_huge_declared_length_is_not_allocated() -> None:
    parser = HixieParser(Direction.SERVER)
    assert parser.feed(b"\x80" + b"\xff" * 9 + b"\x7f" + b"xy") == []
    assert parser.pending == 13


# -- whole connections through ConnectionDecoder --------------------------------------------------

SPEC_REQUEST = (
    b"GET /demo HTTP/1.1\r\nHost: example.com\r\nConnection: Upgrade\r\n"
    b"Sec-WebSocket-Key2: 12998 5 Y3 1  .P00\r\nSec-WebSocket-Protocol: sample\r\nUpgrade: WebSocket\r\n"
    b"Sec-WebSocket-Key1: 4 @1  46546xW%0l 1 5\r\nOrigin: http://example.com\r\n\r\n" + SPEC_KEY3
)
SPEC_RESPONSE_HEAD = (
    b"HTTP/1.1 101 WebSocket Protocol Handshake\r\nUpgrade: WebSocket\r\nConnection: Upgrade\r\n"
    b"Sec-WebSocket-Origin: http://example.com\r\nSec-WebSocket-Location: ws://example.com/demo\r\n"
    b"Sec-WebSocket-Protocol: sample\r\n\r\n"
)
HIXIE_75_REQUEST = (
    b"GET /ls HTTP/1.1\r\nUpgrade: WebSocket\r\nConnection: Upgrade\r\nHost: example.org\r\n"
    b"Origin: http://example.org\r\n\r\n"
)
HIXIE_75_RESPONSE = (
    b"HTTP/1.1 101 Web Socket Protocol Handshake\r\nUpgrade: WebSocket\r\nConnection: Upgrade\r\n"
    b"WebSocket-Origin: http://example.org\r\nWebSocket-Location: ws://example.org/ls\r\n\r\n"
)


def _run(exchanges: list[tuple[Direction, bytes]], chunk: int = 0) -> tuple[ConnectionDecoder, list]:
    decoder = ConnectionDecoder()
    events: list = []
    for direction, data in exchanges:
        step = chunk or len(data) or 1
        for start in range(0, len(data), step):
            events += decoder.feed(direction, data[start : start + step])
    events += decoder.finish()
    return decoder, events


def _messages(events: list) -> list[tuple[str, int, str | None]]:
    return [(str(e.direction), e.opcode, e.text) for e in events if isinstance(e, Message)]


@pytest.mark.parametrize("chunk", [0, 1, 5])
def test_hixie_76_connection(chunk: int) -> None:
    exchanges = [
        (Direction.CLIENT, SPEC_REQUEST),
        (Direction.SERVER, SPEC_RESPONSE_HEAD + SPEC_RESPONSE + b"\x00welcome\xff"),
        (Direction.CLIENT, b"\x00hi \xe2\x9c\x93\xff\x80\x02ok\xff\x00"),
        (Direction.SERVER, b"\xff\x00"),
    ]
    decoder, events = _run(exchanges, chunk)
    assert decoder.protocol == HIXIE_76
    assert isinstance(events[0], Handshake)
    handshake = events[0]
    assert handshake.accept_valid is True
    assert handshake.subprotocol == "sample"
    assert handshake.violations == [] and decoder.violations == []
    assert _messages(events) == [("server", 1, "welcome"), ("client", 1, "hi ✓")]
    assert all(isinstance(e, Handshake | Message) for e in events)
    assert decoder.hixie is not None and decoder.hixie.closed == {Direction.CLIENT: True, Direction.SERVER: True}
    assert decoder.hixie.challenge is not None and decoder.hixie.challenge.expected == SPEC_RESPONSE


def test_hixie_76_broken_challenge() -> None:
    broken = SPEC_RESPONSE[:-1] + b"?"
    _, events = _run([(Direction.CLIENT, SPEC_REQUEST), (Direction.SERVER, SPEC_RESPONSE_HEAD + broken)])
    (handshake,) = [e for e in events if isinstance(e, Handshake)]
    assert handshake.accept_valid is False
    assert [v.code for v in handshake.violations] == ["hixie-bad-challenge"]


def test_hixie_76_answer_not_captured() -> None:
    _, events = _run([(Direction.CLIENT, SPEC_REQUEST), (Direction.SERVER, SPEC_RESPONSE_HEAD)])
    (handshake,) = [e for e in events if isinstance(e, Handshake)]
    assert handshake.accept_valid is None


def test_hixie_75_connection() -> None:
    exchanges = [
        (Direction.CLIENT, HIXIE_75_REQUEST),
        (Direction.SERVER, HIXIE_75_RESPONSE + b"\x00one\xff"),
        (Direction.CLIENT, b"\x00two\xff\x00three\xff"),
    ]
    decoder, events = _run(exchanges, 3)
    assert decoder.protocol == HIXIE_75
    (handshake,) = [e for e in events if isinstance(e, Handshake)]
    assert handshake.accept_valid is None and handshake.violations == []
    assert _messages(events) == [("server", 1, "one"), ("client", 1, "two"), ("client", 1, "three")]


def test_hixie_refused_and_rfc_untouched() -> None:
    refused = b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n"
    _, events = _run([(Direction.CLIENT, HIXIE_75_REQUEST), (Direction.SERVER, refused + b"\x00x\xff")])
    (handshake,) = [e for e in events if isinstance(e, Handshake)]
    assert handshake.refused and _messages(events) == []
    rfc_request = (
        b"GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    )
    assert _run([(Direction.CLIENT, rfc_request)])[0].protocol == "rfc6455"


def test_hixie_gap_resumes_at_next_text_frame() -> None:
    decoder = ConnectionDecoder()
    decoder.feed(Direction.CLIENT, HIXIE_75_REQUEST)
    decoder.feed(Direction.SERVER, HIXIE_75_RESPONSE + b"\x00lost pa")
    decoder.gap(Direction.SERVER, 10)
    events = decoder.feed(Direction.SERVER, b"rt\xff\x00next\xff") + decoder.finish()
    assert _messages(events) == [("server", 1, "next")]
    assert [v.code for v in decoder.violations] == ["capture-gap"]
