"""FrameParser: chunk boundaries anywhere, several frames per chunk, truncation at the end."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.protocol.constants import MAX_HEADER_SIZE, RSV1_BIT, Direction
from inspector.protocol.encoder import FrameSpec, encode
from inspector.protocol.frame import Frame, decode_frame, parse_header
from inspector.protocol.stream import FrameParser
from tests.protocol.test_properties import frame_specs

VECTORS = bytes.fromhex("810548656c6c6f" "010348656c" "80026c6f" "890548656c6c6f") + bytes.fromhex(
    "827e0100"
) + bytes(256)


def summary(frames: list) -> list[tuple]:
    return [(f.offset, f.fin, f.opcode, f.payload_length, f.payload, f.truncated) for f in frames]


def test_one_shot_finds_every_frame_with_offsets() -> None:
    parser = FrameParser(Direction.SERVER)
    frames = parser.feed(VECTORS) + parser.finish()
    assert [f.offset for f in frames] == [0, 7, 12, 16, 23]
    assert [f.payload for f in frames[:4]] == [b"Hello", b"Hel", b"lo", b"Hello"]
    assert frames[4].payload == bytes(256) and not frames[4].truncated
    assert parser.stream_offset == len(VECTORS) and parser.pending == 0


def test_byte_at_a_time_equals_one_shot() -> None:
    whole = FrameParser(Direction.SERVER)
    expected = summary(whole.feed(VECTORS) + whole.finish())
    parser = FrameParser(Direction.SERVER)
    got = []
    for i in range(len(VECTORS)):
        got += parser.feed(VECTORS[i : i + 1])
    got += parser.finish()
    assert summary(got) == expected


def test_masked_client_frames_across_chunks() -> None:
    data = bytes.fromhex("818537fa213d7f9f4d5158") * 2
    parser = FrameParser(Direction.CLIENT)
    frames = parser.feed(data[:3]) + parser.feed(data[3:15]) + parser.feed(data[15:])
    assert [f.payload for f in frames] == [b"Hello", b"Hello"]
    assert [f.offset for f in frames] == [0, 11]
    assert all(f.violations == () for f in frames)


def test_finish_reports_incomplete_frame_as_truncated() -> None:
    parser = FrameParser(Direction.SERVER)
    assert parser.feed(bytes.fromhex("827f7fffffffffffffff") + b"abc") == []
    (frame,) = parser.finish()
    assert frame.truncated and frame.payload == b"abc" and frame.payload_length == 2**63 - 1
    assert frame.has("truncated-frame")


def test_finish_with_partial_header_gives_a_truncated_frame() -> None:
    parser = FrameParser(Direction.SERVER, offset=10)
    assert parser.feed(b"\x82\x7e\x01") == []
    [frame] = parser.finish()
    assert (frame.offset, frame.opcode, frame.length_form, frame.header) == (10, 2, 16, b"\x82\x7e\x01")
    assert frame.truncated and frame.payload == b""
    assert [v.code for v in frame.violations] == ["truncated-frame"]
    assert "3 bytes into the frame header, before its extended payload length" in frame.violations[0].message
    assert parser.pending == 0


def test_a_header_cut_in_its_masking_key_shows_what_it_breaks() -> None:
    # Issue 8: a client frame with a reserved opcode, cut three bytes into its masking key.
    parser = FrameParser(Direction.CLIENT)
    assert parser.feed(bytes.fromhex("8587b20e71")) == []
    [frame] = parser.finish()
    assert (frame.opcode, frame.masked, frame.payload_length, frame.masking_key) == (5, True, 7, None)
    assert [v.code for v in frame.violations] == ["reserved-opcode", "truncated-frame"]


def test_a_single_header_byte_is_judged_only_on_what_it_shows() -> None:
    for direction in Direction:  # the mask bit is not seen, so neither masking rule can be broken yet
        parser = FrameParser(direction)
        parser.feed(b"\x81")
        [frame] = parser.finish()
        assert [v.code for v in frame.violations] == ["truncated-frame"]
    parser = FrameParser(Direction.SERVER)
    parser.feed(b"\xfb")  # RSV2, RSV3 and opcode 0xB: all known from the first byte
    [frame] = parser.finish()
    assert [v.code for v in frame.violations] == ["reserved-bits", "reserved-opcode", "truncated-frame"]


def test_offset_start_is_respected() -> None:
    parser = FrameParser(Direction.SERVER, offset=100)
    (frame,) = parser.feed(bytes.fromhex("810548656c6c6f"))
    assert frame.offset == 100 and frame.end_offset == 107


def _frame_facts(frame) -> tuple:
    return (
        frame.offset, frame.fin, frame.rsv1, frame.rsv2, frame.rsv3, frame.opcode, frame.masked, frame.length_form,
        frame.payload_length, frame.masking_key, frame.header, frame.payload, frame.truncated, frame.violations,
    )


def test_fast_path_gives_what_build_frame_gives_for_every_header_shape() -> None:
    """FrameParser skips the stateless rules for header shapes that cannot break one; decode_frame never does."""
    rng = random.Random(6455)
    for direction in Direction:
        for allowed in (0, RSV1_BIT):
            frames = []
            for first in range(256):
                for mask in (0, 0x80):
                    length = rng.choice((0, 1, 2, 5, 125, 126, 300, 65535, 65536, 70000))
                    form = rng.choice((7, 16, 64)) if length <= 125 else rng.choice((16, 64)) if length <= 65535 else 64
                    frames.append(_raw_frame(rng, first, mask, length, form))
            stream = b"".join(frames)
            parser = FrameParser(direction, allowed_rsv=allowed)
            got = parser.feed(stream)
            offset = 0
            expected = []
            for raw in frames:
                expected.append(decode_frame(raw, direction, offset=offset, allowed_rsv=allowed))
                offset += len(raw)
            assert [_frame_facts(f) for f in got] == [_frame_facts(f) for f in expected]


def test_whole_frame_fast_path_agrees_with_the_loop_at_its_boundaries() -> None:
    """One whole frame per feed (FrameParser._whole_frame) gives what one feed of all the frames gives, for
    the shapes and lengths where the fast path hands over to the loop: 7/16/64-bit length forms at their
    limits, non-minimal lengths, masked and not, control frames, reserved bits, and a first call."""
    rng = random.Random(7692)
    for direction in Direction:
        for allowed in (0, RSV1_BIT):
            frames = []
            for first in (0x81, 0x82, 0x01, 0x80, 0xC1, 0xA2, 0x89, 0x8A, 0x88, 0x09, 0x83):
                for mask in (0, 0x80):
                    for length, form in ((0, 7), (1, 7), (125, 7), (125, 16), (126, 16), (65535, 16),
                                         (126, 64), (65536, 64)):
                        frames.append(_raw_frame(rng, first, mask, length, form))
            one_by_one = FrameParser(direction, allowed_rsv=allowed)
            got = [frame for raw in frames for frame in one_by_one.feed(raw)]
            expected = FrameParser(direction, allowed_rsv=allowed).feed(b"".join(frames))
            assert len(got) == len(frames)
            assert [_frame_facts(f) for f in got] == [_frame_facts(f) for f in expected]
            assert one_by_one.stream_offset == sum(map(len, frames)) and one_by_one.pending == 0


def _raw_frame(rng: random.Random, first: int, mask: int, length: int, form: int) -> bytes:
    """Any first header byte, MASK bit and length form (7/16/64, minimal or not), random key and payload."""
    if form == 7:
        head = bytes((first, mask | length))
    elif form == 16:
        head = bytes((first, mask | 126)) + length.to_bytes(2, "big")
    else:
        head = bytes((first, mask | 127)) + length.to_bytes(8, "big")
    if mask:
        head += rng.randbytes(4)
    return head + rng.randbytes(length)


def test_a_masked_payload_is_unmasked_when_first_read_and_the_wire_bytes_stay_available() -> None:
    """The parser defers unmasking (Frame.payload); every way of reading the frame still agrees."""
    from inspector.protocol.masking import apply_mask
    from inspector.protocol.messages import MessageAssembler

    key = bytes.fromhex("37fa213d")
    plain = bytes(range(200))
    wire = apply_mask(plain, key)
    binary = bytes([0x82, 0x80 | 126, 0, len(plain)]) + key + wire  # one whole frame: the one-frame path
    two = binary + binary  # two frames in one chunk: the loop's path
    for chunk, count in ((binary, 1), (two, 2)):
        frames = FrameParser(Direction.CLIENT).feed(chunk)
        assert len(frames) == count
        first = frames[0]
        assert first.masked_payload == wire  # read before unmasking: the bytes as they travelled
        assert first.wire_length == 8 + len(plain)
        assert first.payload == plain
        assert first.masked_payload == wire  # and after
        assert first.raw == binary
        message = MessageAssembler(Direction.CLIENT).feed(frames[-1])[0]
        assert message.data == plain and message.data == plain  # the message takes the frame's payload


def everything(frame: Frame) -> tuple:
    """Every field a Frame has, violations included (their wording too)."""
    return (frame.direction, frame.offset, frame.fin, frame.rsv1, frame.rsv2, frame.rsv3, frame.opcode, frame.masked,
            frame.length_form, frame.payload_length, frame.masking_key, frame.header, frame.payload, frame.truncated,
            [(v.code, v.message) for v in frame.violations])


@settings(max_examples=150, deadline=None)
@given(st.lists(frame_specs(), min_size=1, max_size=6), st.sampled_from(list(Direction)),
       st.sampled_from([0, RSV1_BIT]))
def test_fast_paths_match_the_general_path(specs: list[FrameSpec], direction: Direction, allowed: int) -> None:
    # The parser skips build_frame's checks for header shapes clean_header_shapes marks clean, and leaves
    # those payloads masked until read; decode_frame always takes the general way. Every way of cutting
    # the stream must give decode_frame's frames, field for field.
    honest = [s for s in specs if s.length is None and s.mask_bit == (s.masking_key is not None)]
    wires = [encode(s) for s in honest]
    general = []
    offset = 0
    for wire in wires:
        general.append(everything(decode_frame(wire, direction, offset=offset, allowed_rsv=allowed)))
        offset += len(wire)

    def parse(chunks: list[bytes]) -> list[tuple]:
        parser = FrameParser(direction, allowed_rsv=allowed)
        frames = [frame for chunk in chunks for frame in parser.feed(chunk)] + parser.finish()
        return [everything(frame) for frame in frames]

    data = b"".join(wires)
    assert parse([data]) == general
    assert parse([data[i : i + 1] for i in range(len(data))]) == general
    assert parse(wires) == general


@given(st.binary(min_size=2, max_size=MAX_HEADER_SIZE), st.integers(0, 3))
def test_parse_header_needs_exactly_the_length_fields(header: bytes, pos: int) -> None:
    data = bytes(pos) + header
    header_length, length, form, key_offset = parse_header(data, pos)
    seven = header[1] & 0x7F
    needed = {126: 4, 127: 10}.get(seven, 2)
    for cut in range(pos, len(data)):
        assert parse_header(data[:cut], pos)[0] == (0 if cut - pos < needed else header_length)
    if len(header) < needed:
        assert header_length == 0
        return
    masked = bool(header[1] & 0x80)
    assert header_length == needed + (4 if masked else 0) and key_offset == (needed if masked else -1)
    assert length == (seven if needed == 2 else int.from_bytes(header[2:needed], "big"))
    assert form == {2: 7, 4: 16, 10: 64}[needed]


def test_a_control_frame_cut_in_its_extended_length_is_already_too_long() -> None:
    # A ping whose 7-bit field says 126 or 127 claims more than 125 bytes before the extended length arrives.
    for wire, bits in (("89fe", 16), ("89ff0000", 64)):
        parser = FrameParser(Direction.CLIENT)
        parser.feed(bytes.fromhex(wire))
        [frame] = parser.finish()
        assert [v.code for v in frame.violations] == ["control-frame-too-long", "truncated-frame"]
        assert f"{bits}-bit length" in frame.violations[0].message
    parser = FrameParser(Direction.CLIENT)
    parser.feed(bytes.fromhex("81fe"))  # a text frame may be that long
    [frame] = parser.finish()
    assert [v.code for v in frame.violations] == ["truncated-frame"]
