"""Property tests: every FrameSpec survives encode -> decode; no input makes the decoder raise unexpectedly."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector.protocol.constants import Direction
from inspector.protocol.encoder import FrameSpec, encode, minimal_length_form
from inspector.protocol.frame import FrameHeaderError, decode_frame
from inspector.protocol.stream import FrameParser

FORM_MAX = {7: 125, 16: 0xFFFF, 64: 2**64 - 1}


@st.composite
def frame_specs(draw: st.DrawFn) -> FrameSpec:
    payload = draw(st.binary(max_size=300))
    form = draw(st.sampled_from([None, 7, 16, 64]))
    lie = draw(st.booleans())
    if lie:
        length: int | None = draw(st.integers(0, FORM_MAX[form or 64]))
    else:
        length = None
        if form is not None and len(payload) > FORM_MAX[form]:
            form = None
    key = draw(st.none() | st.binary(min_size=4, max_size=4))
    return FrameSpec(
        payload=payload,
        opcode=draw(st.integers(0, 15)),
        fin=draw(st.booleans()),
        rsv1=draw(st.booleans()),
        rsv2=draw(st.booleans()),
        rsv3=draw(st.booleans()),
        mask_bit=draw(st.booleans()),
        masking_key=key,
        length_form=form,
        length=length,
    )


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(frame_specs(), st.sampled_from(list(Direction)))
def test_encode_decode_round_trip(spec: FrameSpec, direction: Direction) -> None:
    data = encode(spec)
    declared = spec.declared_length
    try:
        frame = decode_frame(data, direction)
    except FrameHeaderError:
        # Only possible when MASK = 1 but no key was written and the payload is too short to stand in.
        assert spec.mask_bit and spec.masking_key is None and len(spec.payload) < 4
        return
    assert (frame.fin, frame.rsv1, frame.rsv2, frame.rsv3) == (spec.fin, spec.rsv1, spec.rsv2, spec.rsv3)
    assert frame.opcode == spec.opcode
    assert frame.masked == spec.mask_bit
    assert frame.payload_length == declared
    assert frame.length_form == (spec.length_form or minimal_length_form(declared))
    assert frame.raw == data[: frame.wire_length]
    if spec.mask_bit == (spec.masking_key is not None):
        assert frame.masking_key == spec.masking_key
        assert frame.payload == spec.payload[:declared]
        assert frame.truncated == (declared > len(spec.payload))
        assert frame.has("truncated-frame") == frame.truncated


@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=200), st.sampled_from(list(Direction)), st.sampled_from([0, 0x40]))
def test_decode_frame_on_random_bytes_only_raises_header_error(data: bytes, direction: Direction, rsv: int) -> None:
    try:
        frame = decode_frame(data, direction, allowed_rsv=rsv)
    except FrameHeaderError:
        return
    assert frame.raw == data[: frame.wire_length]
    assert frame.wire_length <= len(data)


def _summary(frames: list) -> list[tuple]:
    return [
        (f.offset, f.header, f.payload, f.truncated, [v.code for v in f.violations]) for f in frames
    ]


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=400), st.lists(st.integers(1, 40), max_size=40), st.sampled_from(list(Direction)))
def test_chunked_parsing_equals_one_shot(data: bytes, cuts: list[int], direction: Direction) -> None:
    whole = FrameParser(direction)
    expected = whole.feed(data) + whole.finish()
    parser = FrameParser(direction)
    got = []
    pos = 0
    for size in cuts:
        got += parser.feed(data[pos : pos + size])
        pos += size
    got += parser.feed(data[pos:])
    got += parser.finish()
    assert _summary(got) == _summary(expected)
    # Frames tile the stream from offset 0 without gaps.
    end = 0
    for frame in expected:
        assert frame.offset == end
        end = frame.end_offset


@settings(max_examples=200, deadline=None)
@given(st.lists(frame_specs(), min_size=1, max_size=6), st.lists(st.integers(1, 64), max_size=30))
def test_encoded_streams_parse_back_frame_by_frame(specs: list[FrameSpec], cuts: list[int]) -> None:
    honest = [s for s in specs if s.length is None and s.mask_bit == (s.masking_key is not None)]
    data = b"".join(encode(s) for s in honest)
    parser = FrameParser(Direction.CLIENT)
    frames = []
    pos = 0
    for size in cuts:
        frames += parser.feed(data[pos : pos + size])
        pos += size
    frames += parser.feed(data[pos:]) + parser.finish()
    assert [(f.opcode, f.fin, f.payload, f.masking_key) for f in frames] == [
        (s.opcode, s.fin, s.payload, s.masking_key) for s in honest
    ]
    assert not any(f.truncated for f in frames)
