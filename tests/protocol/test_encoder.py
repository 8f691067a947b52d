"""The encoder: RFC 6455 §5.7 vectors byte for byte, lies on purpose, and one crafted frame per rule."""

from __future__ import annotations

import pytest

from inspector.protocol import encoder
from inspector.protocol.constants import Direction, Opcode
from inspector.protocol.deflate import Inflater, MessageCompressor
from inspector.protocol.encoder import FrameSpec, encode, spec_violations
from inspector.protocol.frame import decode_frame

KEY = bytes.fromhex("37fa213d")
CLIENT = Direction.CLIENT
SERVER = Direction.SERVER


def test_rfc_vectors_byte_for_byte() -> None:
    assert encode(encoder.text("Hello", mask=False)).hex() == "810548656c6c6f"
    assert encode(encoder.text("Hello", mask=KEY)).hex() == "818537fa213d7f9f4d5158"
    first, last = encoder.fragment(b"Hello", Opcode.TEXT, 2, mask=False)
    assert (encode(first).hex(), encode(last).hex()) == ("010348656c", "80026c6f")
    assert encode(encoder.ping(b"Hello", mask=False)).hex() == "890548656c6c6f"
    assert encode(encoder.pong(b"Hello", mask=KEY)).hex() == "8a8537fa213d7f9f4d5158"
    body = bytes(range(256))
    assert encode(encoder.binary(body, mask=False)) == bytes.fromhex("827e0100") + body
    big = bytes(65536)
    assert encode(encoder.binary(big, mask=False)) == bytes.fromhex("827f0000000000010000") + big


def test_close_builder() -> None:
    assert encode(encoder.close(1000, "bye", mask=False)).hex() == "880503e8627965"
    assert encode(encoder.close(mask=False)).hex() == "8800"


def test_random_key_is_fresh_and_used() -> None:
    keys = {encoder.random_key() for _ in range(8)}
    assert len(keys) > 1 and all(len(k) == 4 for k in keys)
    spec = encoder.text("Hi")
    frame = decode_frame(encode(spec), CLIENT)
    assert frame.masking_key == spec.masking_key and frame.payload == b"Hi" and frame.violations == ()


def test_fragment_splits_evenly_with_fin_only_last() -> None:
    specs = encoder.fragment(b"happy new year", Opcode.TEXT, 3)
    assert [s.opcode for s in specs] == [Opcode.TEXT, Opcode.CONTINUATION, Opcode.CONTINUATION]
    assert [s.fin for s in specs] == [False, False, True]
    assert b"".join(s.payload for s in specs) == b"happy new year"
    assert [len(s.payload) for s in specs] == [5, 5, 4]
    assert all(s.mask_bit and s.masking_key for s in specs)
    with pytest.raises(ValueError):
        encoder.fragment(b"x", Opcode.TEXT, 0)


def test_forced_length_forms_and_lies() -> None:
    assert encode(FrameSpec(b"abc", Opcode.BINARY, length_form=16)).hex() == "827e0003616263"
    assert encode(FrameSpec(b"abc", Opcode.BINARY, length_form=64)).hex() == "827f0000000000000003616263"
    lie = encode(FrameSpec(b"abc", Opcode.BINARY, length=2**64 - 1))
    assert lie.hex() == "827fffffffffffffffff616263"
    frame = decode_frame(lie, SERVER)
    assert frame.payload_length == 2**64 - 1 and frame.truncated and frame.payload == b"abc"


def test_mask_bit_and_key_are_independent() -> None:
    assert encode(FrameSpec(b"", mask_bit=True)).hex() == "8180"
    assert encode(FrameSpec(b"A", masking_key=b"\x00\x00\x00\x01")).hex() == "810100000001" + "41"
    assert encode(FrameSpec(b"A", mask_bit=True, masking_key=b"\x01\x00\x00\x00")).hex() == "81810100000040"


@pytest.mark.parametrize(
    "spec",
    [
        FrameSpec(opcode=16),
        FrameSpec(masking_key=b"abc"),
        FrameSpec(length_form=7, length=126),
        FrameSpec(length_form=16, length=65536),
        FrameSpec(length=2**64),
        FrameSpec(length_form=32),
    ],
)
def test_unwritable_specs_raise(spec: FrameSpec) -> None:
    with pytest.raises(ValueError):
        encode(spec)


CRAFTED: list[tuple[FrameSpec, Direction, str]] = [
    (FrameSpec(opcode=3), SERVER, "reserved-opcode"),
    (FrameSpec(opcode=0xB), SERVER, "reserved-opcode"),
    (FrameSpec(rsv1=True), SERVER, "reserved-bits"),
    (FrameSpec(rsv2=True), SERVER, "reserved-bits"),
    (FrameSpec(rsv3=True), SERVER, "reserved-bits"),
    (FrameSpec(b"x" * 126, Opcode.PING), SERVER, "control-frame-too-long"),
    (FrameSpec(b"", Opcode.PONG, fin=False), SERVER, "fragmented-control-frame"),
    (FrameSpec(b"abc", Opcode.BINARY, length_form=16), SERVER, "non-minimal-length"),
    (FrameSpec(b"abc", Opcode.BINARY, length_form=64), SERVER, "non-minimal-length"),
    (FrameSpec(b"", Opcode.BINARY, length=2**63), SERVER, "length-msb-set"),
    (FrameSpec(b"hi", mask_bit=True, masking_key=KEY), SERVER, "masked-server-frame"),
    (FrameSpec(b"hi"), CLIENT, "unmasked-client-frame"),
    (FrameSpec(b"\x03", Opcode.CLOSE), SERVER, "close-payload-one-byte"),
    (encoder.close(1005, mask=False), SERVER, "invalid-close-code"),
    (encoder.close(1000, b"\xc3\x28", mask=False), SERVER, "invalid-utf8"),
    (FrameSpec(b"abc", length=10), SERVER, "truncated-frame"),
    (FrameSpec(b"ab", mask_bit=True), SERVER, "truncated-frame"),
]


@pytest.mark.parametrize(("spec", "direction", "code"), CRAFTED)
def test_crafted_frame_breaks_its_rule(spec: FrameSpec, direction: Direction, code: str) -> None:
    assert code in [v.code for v in spec_violations(spec, direction)]


def test_clean_frames_break_nothing() -> None:
    assert spec_violations(encoder.text("Hello"), CLIENT) == []
    assert spec_violations(encoder.close(1000, "ok", mask=False), SERVER) == []
    assert spec_violations(FrameSpec(b"x" * 125, Opcode.PING), SERVER) == []


def test_rsv1_allowed_with_deflate() -> None:
    spec = encoder.compressed("Hello", mask=False)[0]
    assert spec.rsv1
    assert spec_violations(spec, SERVER, allowed_rsv=0x40) == []
    # Without the extension, RSV1 means nothing and the deflate bytes are read as text, which is not UTF-8.
    assert [v.code for v in spec_violations(spec, SERVER)] == ["reserved-bits", "invalid-utf8"]


def test_compressed_message_inflates_back() -> None:
    # RFC 7692 §7.2.3.1: "Hello" compresses to f2 48 cd c9 c9 07 00.
    (spec,) = encoder.compressed("Hello", mask=False)
    assert encode(spec).hex() == "c107f248cdc9c90700"
    specs = encoder.compressed(b"happy new year " * 20, opcode=Opcode.BINARY, parts=3, compressor=MessageCompressor())
    assert [s.rsv1 for s in specs] == [True, False, False] and specs[-1].fin
    frames = [decode_frame(encode(s), CLIENT, allowed_rsv=0x40) for s in specs]
    assert all(f.violations == () for f in frames)
    assert Inflater().inflate([f.payload for f in frames]).data == b"happy new year " * 20
