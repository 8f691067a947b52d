"""Reassembly, UTF-8 validation and inflation of messages (RFC 6455 Section 5.4, 5.6; RFC 7692)."""

from __future__ import annotations

import zlib

from conftest import wire_frame

from inspector.protocol.connection import ConnectionDecoder
from inspector.protocol.constants import Direction, Opcode
from inspector.protocol.deflate import Inflater, MessageCompressor
from inspector.protocol.encoder import FrameSpec, encode
from inspector.protocol.frame import Frame, decode_frame
from inspector.protocol.messages import Message, MessageAssembler

TEXT, BINARY, CONT, PING = Opcode.TEXT, Opcode.BINARY, Opcode.CONTINUATION, Opcode.PING
RSV1 = 0x40


def frames(*raws: bytes, allowed_rsv: int = 0) -> list[Frame]:
    out = []
    for index, raw in enumerate(raws):
        frame = decode_frame(raw, Direction.SERVER, allowed_rsv=allowed_rsv)
        frame.index = index
        out.append(frame)
    return out


def run(assembler: MessageAssembler, items: list[Frame]) -> list[Message]:
    messages: list[Message] = []
    for frame in items:
        messages.extend(assembler.feed(frame))
    return messages


def test_single_frame_text() -> None:
    [message] = run(MessageAssembler(Direction.SERVER), frames(wire_frame(TEXT, b"Hello")))
    assert (message.opcode, message.data, message.text, message.complete) == (1, b"Hello", "Hello", True)
    assert message.frame_indices == [0]
    assert message.violations == ()
    assert not message.compressed


def test_fragmented_with_ping_between() -> None:
    items = frames(wire_frame(TEXT, b"Hel", fin=False), wire_frame(PING, b"hi"), wire_frame(CONT, b"lo"))
    assembler = MessageAssembler(Direction.SERVER)
    assert assembler.feed(items[0]) == []
    assert assembler.open
    assert assembler.feed(items[1]) == []
    [message] = assembler.feed(items[2])
    assert message.text == "Hello"
    assert message.frame_indices == [0, 2]
    assert not assembler.open


def test_binary_with_empty_last_fragment() -> None:
    items = frames(wire_frame(BINARY, b"\x00\x01", fin=False), wire_frame(CONT, b"\x02", fin=False), wire_frame(CONT))
    [message] = run(MessageAssembler(Direction.SERVER), items)
    assert (message.opcode, message.data, message.text) == (2, b"\x00\x01\x02", None)


def test_unexpected_continuation() -> None:
    items = frames(wire_frame(CONT, b"x"))
    assert run(MessageAssembler(Direction.SERVER), items) == []
    assert [v.code for v in items[0].violations] == ["unexpected-continuation"]


def test_resynced_leading_continuation_is_a_partial_message() -> None:
    items = frames(wire_frame(CONT, b"lo"), wire_frame(TEXT, b"next"))
    first, second = run(MessageAssembler(Direction.SERVER, resynced=True), items)
    assert items[0].violations == ()
    assert (first.complete, first.data, first.opcode) == (False, b"lo", 0)
    assert (second.complete, second.text) == (True, "next")


def test_expected_continuation_cuts_the_open_message() -> None:
    items = frames(wire_frame(TEXT, b"Hel", fin=False), wire_frame(BINARY, b"\x01"))
    cut, new = run(MessageAssembler(Direction.SERVER), items)
    assert [v.code for v in items[1].violations] == ["expected-continuation"]
    assert (cut.complete, cut.data, cut.frame_indices) == (False, b"Hel", [0])
    assert (new.complete, new.data) == (True, b"\x01")


def test_invalid_utf8_names_first_bad_fragment() -> None:
    items = frames(
        wire_frame(TEXT, b"ok", fin=False),
        wire_frame(CONT, b"fine\xffbad", fin=False),
        wire_frame(CONT, b"\xfe"),
    )
    [message] = run(MessageAssembler(Direction.SERVER), items)
    [bad] = message.violations
    assert bad.code == "invalid-utf8"
    assert bad.close_code == 1007
    assert "frame 1, byte 4" in bad.message
    assert "message byte 6" in bad.message
    assert message.text == "okfine\ufffdbad\ufffd"


def test_utf8_character_split_across_fragments_is_valid() -> None:
    euro = "€".encode()
    items = frames(wire_frame(TEXT, b"a" + euro[:1], fin=False), wire_frame(CONT, euro[1:] + b"b"))
    [message] = run(MessageAssembler(Direction.SERVER), items)
    assert message.violations == ()
    assert message.text == "a€b"


def test_bad_sequence_starting_in_previous_fragment() -> None:
    euro = "€".encode()
    items = frames(wire_frame(TEXT, b"ab" + euro[:2], fin=False), wire_frame(CONT, b"z"))
    [message] = run(MessageAssembler(Direction.SERVER), items)
    [bad] = message.violations
    assert "frame 0, byte 2" in bad.message


def test_text_ending_inside_a_character() -> None:
    [message] = run(MessageAssembler(Direction.SERVER), frames(wire_frame(TEXT, "é".encode()[:1])))
    [bad] = message.violations
    assert bad.code == "invalid-utf8"
    assert "ends inside" in bad.message


def test_binary_is_not_validated() -> None:
    [message] = run(MessageAssembler(Direction.SERVER), frames(wire_frame(BINARY, b"\xff")))
    assert message.violations == ()


def test_compressed_message_and_context_takeover() -> None:
    compressor = MessageCompressor()
    first, second = compressor.compress(b"Hello"), compressor.compress(b"Hello")
    items = frames(
        wire_frame(TEXT, first[:2], fin=False, rsv1=True),
        wire_frame(CONT, first[2:]),
        wire_frame(TEXT, second, rsv1=True),
        allowed_rsv=RSV1,
    )
    one, two = run(MessageAssembler(Direction.SERVER, inflater=Inflater()), items)
    assert one.compressed and two.compressed
    assert (one.text, two.text) == ("Hello", "Hello")
    assert one.violations == two.violations == ()
    assert all(f.violations == () for f in items)


def test_uncompressed_message_with_deflate_negotiated() -> None:
    [message] = run(MessageAssembler(Direction.SERVER, inflater=Inflater()), frames(wire_frame(TEXT, b"plain")))
    assert not message.compressed
    assert message.text == "plain"


def test_rsv1_on_continuation() -> None:
    payload = MessageCompressor().compress(b"Hello")
    items = frames(
        wire_frame(TEXT, payload[:2], fin=False, rsv1=True), wire_frame(CONT, payload[2:], rsv1=True), allowed_rsv=RSV1
    )
    [message] = run(MessageAssembler(Direction.SERVER, inflater=Inflater()), items)
    assert [v.code for v in items[1].violations] == ["rsv1-on-continuation"]
    assert message.text == "Hello"


def test_decompression_failed() -> None:
    items = frames(wire_frame(BINARY, b"\xff\xff\xff\xff", rsv1=True), allowed_rsv=RSV1)
    [message] = run(MessageAssembler(Direction.SERVER, inflater=Inflater()), items)
    assert [v.code for v in message.violations] == ["decompression-failed"]
    assert message.violations[0].close_code == 1007


def test_inflate_limit_exceeded() -> None:
    payload = MessageCompressor().compress(bytes(100_000))
    items = frames(wire_frame(BINARY, payload, rsv1=True), allowed_rsv=RSV1)
    [message] = run(MessageAssembler(Direction.SERVER, inflater=Inflater(limit=1000)), items)
    assert [v.code for v in message.violations] == ["inflate-limit-exceeded"]
    assert message.violations[0].close_code == 1009
    assert message.data == bytes(1000)


def test_invalid_utf8_after_inflation() -> None:
    payload = MessageCompressor().compress(b"abc\xff")
    items = frames(wire_frame(TEXT, payload, rsv1=True), allowed_rsv=RSV1)
    [message] = run(MessageAssembler(Direction.SERVER, inflater=Inflater()), items)
    assert [v.code for v in message.violations] == ["invalid-utf8"]
    assert "byte 3 of the inflated" in message.violations[0].message


def test_finish_returns_incomplete_message() -> None:
    assembler = MessageAssembler(Direction.SERVER)
    run(assembler, frames(wire_frame(TEXT, b"ab\xe2", fin=False)))
    [message] = assembler.finish()
    assert (message.complete, message.text, message.violations) == (False, "ab\ufffd", ())
    assert assembler.finish() == []


def test_truncated_frame_makes_message_incomplete() -> None:
    raw = wire_frame(TEXT, b"Hello world")[:8]
    frame = decode_frame(raw, Direction.SERVER)
    frame.index = 0
    [message] = MessageAssembler(Direction.SERVER).feed(frame)
    assert not message.complete
    assert message.data == b"Hello "


def test_damage_then_lose_sync() -> None:
    assembler = MessageAssembler(Direction.SERVER)
    run(assembler, frames(wire_frame(TEXT, b"ab", fin=False)))
    assembler.damage()
    [message] = assembler.lose_sync()
    assert not message.complete
    assert assembler.resynced


def test_payload_not_copied_for_single_frame() -> None:
    items = frames(wire_frame(BINARY, b"x" * 1000))
    [message] = run(MessageAssembler(Direction.SERVER), items)
    assert message.data is items[0].payload


def test_missing_window_after_a_mid_stream_start_is_not_blamed_on_the_sender() -> None:
    """With context takeover, a message can point back into bytes sent before the capture began."""
    compressor = MessageCompressor()
    sentence = b"the quick brown fox jumps over the lazy dog " * 4
    first = compressor.compress(sentence)  # sent before the capture started
    second = compressor.compress(sentence)  # mostly a back-reference into the first one's window
    third = compressor.compress(b"\x00" + bytes(range(256)))
    frames = [encode(FrameSpec(payload=p, opcode=2, rsv1=True)) for p in (second, third)]

    seen = ConnectionDecoder(expect_handshake=False)
    events = seen.feed(Direction.SERVER, b"".join(frames)) + seen.finish()
    messages = [e for e in events if isinstance(e, Message)]
    assert len(messages) == 2
    codes = [v.code for m in messages for v in m.violations]
    assert "decompression-failed" not in codes
    assert messages[0].violations[0].code == "inflate-window-missing"
    assert messages[0].complete is False

    # The same bytes with the handshake's context intact inflate cleanly: the failure above was ours.
    whole = ConnectionDecoder(expect_handshake=False)
    first_frame = encode(FrameSpec(payload=first, opcode=2, rsv1=True))
    events = whole.feed(Direction.SERVER, first_frame + b"".join(frames)) + whole.finish()
    inflated = [e.data for e in events if isinstance(e, Message)]
    assert inflated[:2] == [sentence, sentence]


def _message_facts(message: Message) -> tuple:
    return (message.direction, message.opcode, message.frame_indices, message.compressed, message.data,
            message.text, message.complete, [(v.code, v.message) for v in message.violations])


def test_one_frame_compressed_fast_path_agrees_with_the_general_path() -> None:
    """MessageAssembler._whole_compressed gives what _start/_add/_close give for a one-frame compressed message:
    text and binary, empty, context takeover, a BFINAL stream end, corrupt DEFLATE, the inflate limit, bad UTF-8
    after inflation, and a stream picked up mid-way (the window is missing)."""
    compressor = MessageCompressor()
    payloads = [compressor.compress(b"Hello"), compressor.compress(b"Hello"), compressor.compress(b""),
                compressor.compress(b"abc\xff"), compressor.compress(bytes(5000)), b"\xff\xff\xff\xff",
                compressor.compress("ünïcode ✓".encode())]
    final = zlib.compressobj(wbits=-15)
    payloads.append(final.compress(b"last") + final.flush())  # BFINAL set: the next message starts a new stream
    payloads.append(MessageCompressor().compress(b"after the end"))
    for resynced in (False, True):
        for limit in (100, 1 << 20):
            raws = [wire_frame(opcode, payload, rsv1=True) for opcode in (TEXT, BINARY) for payload in payloads]
            items = frames(*raws, allowed_rsv=RSV1)
            fast = MessageAssembler(Direction.SERVER, inflater=Inflater(limit=limit), resynced=resynced)
            general = MessageAssembler(Direction.SERVER, inflater=Inflater(limit=limit), resynced=resynced)
            got = [_message_facts(m) for frame in items for m in fast.feed(frame)]
            expected = [_message_facts(m) for frame in items for m in general._start(frame)]
            assert len(got) == len(items)
            assert got == expected
