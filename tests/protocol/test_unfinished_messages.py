"""Issue 8, class 3: a broken rule inside a message that never ends is reported, on the frame that
showed it, as soon as that frame arrives. Each verdict is checked against a peer fed the same bytes."""

from __future__ import annotations

import pytest
from wsproto.extensions import PerMessageDeflate as WsprotoDeflate
from wsproto.frame_protocol import CloseReason, FrameProtocol, ParseFailed

from inspector.protocol.connection import ConnectionDecoder
from inspector.protocol.constants import Direction
from inspector.protocol.deflate import MessageCompressor
from inspector.protocol.frame import Frame
from inspector.protocol.messages import Message

S = Direction.SERVER
REQUEST = (
    b"GET / HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
    b"Sec-WebSocket-Extensions: permessage-deflate\r\n\r\n"
)
RESPONSE = (
    b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
)
DEFLATE = b"Sec-WebSocket-Extensions: permessage-deflate\r\n"

BAD_TEXT = bytes.fromhex("0101ff")  # a text fragment whose only byte is never UTF-8
BAD_DEFLATE = bytes.fromhex("4102577e")  # a compressed text fragment: 57 starts a block of reserved type 3


def opened(deflate: bool = False) -> ConnectionDecoder:
    decoder = ConnectionDecoder()
    decoder.feed(Direction.CLIENT, REQUEST)
    decoder.feed(S, RESPONSE + (DEFLATE if deflate else b"") + b"\r\n")
    return decoder


def codes(item: Frame | Message) -> list[str]:
    return [v.code for v in item.violations]


def wsproto_close_code(data: bytes, deflate: bool = False) -> int | None:
    """The close code wsproto's client fails with on these server bytes, or None if it accepts them."""
    extensions = []
    if deflate:
        extension = WsprotoDeflate()
        extension.finalize("permessage-deflate")
        extensions.append(extension)
    protocol = FrameProtocol(client=True, extensions=extensions)
    protocol.receive_bytes(data)
    try:
        list(protocol.received_frames())
    except ParseFailed as failure:
        return int(failure.code)
    return None


def test_the_peers_accept_a_good_unfinished_message() -> None:
    assert wsproto_close_code(bytes.fromhex("010168")) is None
    compressed = MessageCompressor().compress(b"hi")
    assert wsproto_close_code(bytes([0x41, 2]) + compressed[:2], deflate=True) is None


def test_bad_utf8_then_end_of_stream() -> None:
    assert wsproto_close_code(BAD_TEXT) == CloseReason.INVALID_FRAME_PAYLOAD_DATA == 1007
    decoder = opened()
    [frame] = decoder.feed(S, BAD_TEXT)
    assert codes(frame) == ["invalid-utf8"]  # known now, before anything else arrives
    assert frame.violations[0].close_code == 1007
    [message] = decoder.finish()
    assert not message.complete and codes(message) == ["invalid-utf8"]


def test_bad_utf8_then_a_new_message() -> None:
    assert wsproto_close_code(BAD_TEXT + bytes.fromhex("8200")) == 1007  # it fails at the first frame
    decoder = opened()
    events = decoder.feed(S, BAD_TEXT + bytes.fromhex("8200"))
    first, second, cut, new = events
    assert codes(first) == ["invalid-utf8"] and codes(second) == ["expected-continuation"]
    assert not cut.complete and codes(cut) == ["invalid-utf8"]
    assert new.complete and codes(new) == []


def test_bad_utf8_then_a_close() -> None:
    close = bytes.fromhex("880203e8")
    assert wsproto_close_code(BAD_TEXT + close) == 1007
    decoder = opened()
    first, second = decoder.feed(S, BAD_TEXT + close)
    assert codes(first) == ["invalid-utf8"] and codes(second) == []
    [message] = decoder.finish()
    assert codes(message) == ["invalid-utf8"]


def test_failed_inflate_then_end_of_stream() -> None:
    assert wsproto_close_code(BAD_DEFLATE, deflate=True) is not None
    decoder = opened(deflate=True)
    [frame] = decoder.feed(S, BAD_DEFLATE)
    assert codes(frame) == ["decompression-failed"]
    [message] = decoder.finish()
    assert not message.complete and codes(message) == ["decompression-failed"]


def test_websockets_also_fails_the_inflate_at_that_frame() -> None:
    from websockets.extensions.permessage_deflate import PerMessageDeflate
    from websockets.protocol import Protocol, Side, State

    protocol = Protocol(Side.CLIENT, state=State.OPEN)
    protocol.extensions = [PerMessageDeflate(False, False, 15, 15)]
    protocol.receive_data(BAD_DEFLATE)
    assert protocol.close_sent is not None and "decompression" in str(protocol.parser_exc)


def test_bad_utf8_inside_compressed_fragments_is_found_on_arrival() -> None:
    compressed = MessageCompressor().compress(b"ok\xff")
    decoder = opened(deflate=True)
    [frame] = decoder.feed(S, bytes([0x41, len(compressed)]) + compressed)
    assert codes(frame) == ["invalid-utf8"]
    [message] = decoder.finish()
    assert codes(message) == ["invalid-utf8"]


@pytest.mark.parametrize("fin", [True, False])
def test_a_valid_fragment_flags_nothing(fin: bool) -> None:
    compressed = MessageCompressor().compress(b"fine")
    decoder = opened(deflate=True)
    events = decoder.feed(S, bytes([0xC1 if fin else 0x41, len(compressed)]) + compressed)
    assert all(not e.violations for e in events)
    if fin:
        assert events[-1].text == "fine"


def test_a_complete_fragmented_message_keeps_its_message_verdict() -> None:
    decoder = opened()
    events = decoder.feed(S, BAD_TEXT + bytes.fromhex("8001") + b"x")
    first, last, message = events
    assert codes(first) == ["invalid-utf8"] and codes(last) == []
    assert message.complete and codes(message) == ["invalid-utf8"]
