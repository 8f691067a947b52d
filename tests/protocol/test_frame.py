"""decode_frame against the RFC 6455 §5.7 examples and one crafted frame per frame-level rule."""

from __future__ import annotations

import pytest

from inspector.protocol.constants import MASK_BIT, Direction, Opcode
from inspector.protocol.frame import LENGTH_FORM_7, Frame, FrameHeaderError, decode_frame
from inspector.protocol.masking import apply_mask
from inspector.protocol.violations import violation

CLIENT = Direction.CLIENT
SERVER = Direction.SERVER


def codes(data: bytes, direction: Direction = SERVER, **kwargs: int) -> list[str]:
    return [v.code for v in decode_frame(data, direction, **kwargs).violations]


def test_single_frame_unmasked_text() -> None:
    frame = decode_frame(bytes.fromhex("810548656c6c6f"), SERVER)
    assert (frame.fin, frame.opcode, frame.masked, frame.payload_length) == (True, Opcode.TEXT, False, 5)
    assert frame.payload == b"Hello"
    assert frame.length_form == 7 and frame.header == b"\x81\x05"
    assert frame.violations == ()


def test_single_frame_masked_text() -> None:
    data = bytes.fromhex("818537fa213d7f9f4d5158")
    frame = decode_frame(data, CLIENT)
    assert frame.masked and frame.masking_key == bytes.fromhex("37fa213d")
    assert frame.payload == b"Hello"
    assert frame.masked_payload == bytes.fromhex("7f9f4d5158")
    assert frame.raw == data
    assert frame.violations == ()


def test_fragmented_text() -> None:
    first = decode_frame(bytes.fromhex("010348656c"), SERVER)
    last = decode_frame(bytes.fromhex("80026c6f"), SERVER)
    assert (first.fin, first.opcode, first.payload) == (False, Opcode.TEXT, b"Hel")
    assert (last.fin, last.opcode, last.payload) == (True, Opcode.CONTINUATION, b"lo")
    assert first.violations == () and last.violations == ()


def test_ping_and_masked_pong() -> None:
    ping = decode_frame(bytes.fromhex("890548656c6c6f"), SERVER)
    pong = decode_frame(bytes.fromhex("8a8537fa213d7f9f4d5158"), CLIENT)
    assert (ping.opcode, ping.payload) == (Opcode.PING, b"Hello")
    assert (pong.opcode, pong.payload, pong.masked) == (Opcode.PONG, b"Hello", True)
    assert ping.violations == () and pong.violations == ()


def test_256_byte_binary_uses_16_bit_length() -> None:
    body = bytes(range(256))
    frame = decode_frame(bytes.fromhex("827e0100") + body, SERVER)
    assert (frame.length_form, frame.payload_length, frame.payload) == (16, 256, body)
    assert len(frame.header) == 4 and frame.violations == ()


def test_64k_binary_uses_64_bit_length() -> None:
    body = bytes(i % 251 for i in range(65536))
    frame = decode_frame(bytes.fromhex("827f0000000000010000") + body, SERVER)
    assert (frame.length_form, frame.payload_length) == (64, 65536)
    assert frame.payload == body and len(frame.header) == 10 and frame.violations == ()


@pytest.mark.parametrize(
    ("hex_frame", "direction", "code"),
    [
        ("83 00", SERVER, "reserved-opcode"),
        ("8b 00", SERVER, "reserved-opcode"),
        ("c1 00", SERVER, "reserved-bits"),
        ("a1 00", SERVER, "reserved-bits"),
        ("91 00", SERVER, "reserved-bits"),
        ("89 7e 007e" + "00" * 126, SERVER, "control-frame-too-long"),
        ("09 00", SERVER, "fragmented-control-frame"),
        ("82 7e 0005" + "00" * 5, SERVER, "non-minimal-length"),
        ("82 7f 0000000000000005" + "00" * 5, SERVER, "non-minimal-length"),
        ("82 7f 8000000000000000", SERVER, "length-msb-set"),
        ("81 80 00000000", SERVER, "masked-server-frame"),
        ("81 00", CLIENT, "unmasked-client-frame"),
        ("88 01 03", SERVER, "close-payload-one-byte"),
        ("88 02 03ed", SERVER, "invalid-close-code"),
        ("88 02 0001", SERVER, "invalid-close-code"),
        ("88 02 0bb7", SERVER, "invalid-close-code"),
        ("88 04 03e8 c328", SERVER, "invalid-utf8"),
        ("81 05 4865", SERVER, "truncated-frame"),
    ],
)
def test_each_frame_rule_is_reported(hex_frame: str, direction: Direction, code: str) -> None:
    assert code in codes(bytes.fromhex(hex_frame), direction)


def test_invalid_utf8_close_reason_has_close_code_1007() -> None:
    frame = decode_frame(bytes.fromhex("8804 03e8 c328"), SERVER)
    (found,) = frame.violations
    assert found.close_code == 1007 and found.rfc == "5.6"


def test_valid_close_codes_pass() -> None:
    for code in (1000, 1001, 1003, 1011, 3000, 4999):
        assert codes(b"\x88\x02" + code.to_bytes(2, "big")) == []


def test_rsv1_allowed_when_deflate_negotiated_but_not_on_control() -> None:
    assert codes(bytes.fromhex("c100"), allowed_rsv=0x40) == []
    assert codes(bytes.fromhex("c900"), allowed_rsv=0x40) == ["reserved-bits"]


def test_huge_declared_length_is_truncated_instantly() -> None:
    data = bytes.fromhex("827f7fffffffffffffff") + b"0123456789"
    frame = decode_frame(data, SERVER)  # would need 8 EiB if the declared length were allocated
    assert frame.payload_length == 2**63 - 1
    assert frame.truncated and frame.payload == b"0123456789"
    assert frame.has("truncated-frame") and not frame.has("length-msb-set")


def test_short_header_raises_header_error() -> None:
    for data in (b"", b"\x81", b"\x81\x7e\x00", b"\x81\xff" + b"\x00" * 8 + b"\x01"):
        with pytest.raises(FrameHeaderError):
            decode_frame(data, SERVER)


def test_close_code_and_reason_properties() -> None:
    frame = decode_frame(bytes.fromhex("8805 03e8 627965"), SERVER)
    assert frame.close_code == 1000 and frame.close_reason == b"bye"


FIELDS = ("direction", "offset", "fin", "rsv1", "rsv2", "rsv3", "opcode", "masked", "length_form", "payload_length",
          "masking_key", "header", "payload", "truncated", "index")


@pytest.mark.parametrize("direction", [CLIENT, SERVER])
def test_a_frame_built_by_keyword_reads_its_bits_from_its_header(direction: Direction) -> None:
    # Every header shape: 256 first bytes, MASK bit clear or set.
    key = bytes.fromhex("37fa213d")
    for first in range(256):
        for masked in (False, True):
            header = bytes((first, (MASK_BIT if masked else 0) | 3)) + (key if masked else b"")
            wire = header + (apply_mask(b"abc", key) if masked else b"abc")
            decoded = decode_frame(wire, direction, offset=7)
            built = Frame(direction, 7, header, b"abc", length_form=LENGTH_FORM_7, payload_length=3,
                          masking_key=key if masked else None)
            assert [getattr(built, name) for name in FIELDS] == [getattr(decoded, name) for name in FIELDS], wire
            assert (built.fin, built.opcode, built.masked) == (bool(first & 0x80), first & 0x0F, masked)


def test_a_clean_frame_shares_no_list_that_code_could_append_to() -> None:
    clean = decode_frame(bytes.fromhex("810548656c6c6f"), SERVER)
    assert clean.violations == ()
    with pytest.raises(AttributeError):
        clean.violations.append(violation("frame-gap"))  # type: ignore[attr-defined]
    other = decode_frame(bytes.fromhex("810548656c6c6f"), SERVER)
    clean.flag(violation("frame-gap"))
    assert [v.code for v in clean.violations] == ["frame-gap"] and other.violations == ()
    clean.unflag("frame-gap")
    assert clean.violations == ()
