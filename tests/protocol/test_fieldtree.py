"""The field tree: exact bit ranges for each header form, values, meanings and where violations land."""

from __future__ import annotations

from dataclasses import dataclass, field

from inspector.protocol.constants import Direction
from inspector.protocol.fieldtree import Field, frame_fields
from inspector.protocol.frame import decode_frame
from inspector.protocol.violations import Violation, violation

SERVER = Direction.SERVER
CLIENT = Direction.CLIENT


def tree(hex_frame: str, direction: Direction = SERVER, **kwargs: object) -> Field:
    return frame_fields(decode_frame(bytes.fromhex(hex_frame), direction), **kwargs)  # type: ignore[arg-type]


def span(root: Field, name: str) -> tuple[int, int]:
    node = root.find(name)
    assert node is not None, name
    return node.bit_offset, node.bit_width


def test_fixed_header_bits() -> None:
    root = tree("818537fa213d7f9f4d5158", CLIENT)
    assert span(root, "websocket.fin") == (0, 1)
    assert span(root, "websocket.rsv") == (1, 3)
    assert [span(root, f"websocket.rsv{i}") for i in (1, 2, 3)] == [(1, 1), (2, 1), (3, 1)]
    assert span(root, "websocket.opcode") == (4, 4)
    assert span(root, "websocket.mask") == (8, 1)
    assert span(root, "websocket.payload_length") == (9, 7)
    assert span(root, "websocket.masking_key") == (16, 32)
    assert span(root, "websocket.payload") == (48, 40)
    assert root.find("websocket.payload_length_ext_16") is None
    assert root.get("websocket.opcode").display == "Text (1)"
    assert root.get("websocket.masking_key").display == "37fa213d"
    assert root.get("websocket.unmasked_payload").value == b"Hello"
    assert root.get("websocket.masked_payload").value == bytes.fromhex("7f9f4d5158")
    assert root.get("websocket.payload.text").value == "Hello"


def test_16_bit_form_offsets() -> None:
    root = tree("82fe0100" + "01020304" + "00" * 256, CLIENT)
    assert span(root, "websocket.payload_length_ext_16") == (16, 16)
    assert root.get("websocket.payload_length_ext_16").value == 256
    assert root.get("websocket.payload_length").value == 126
    assert span(root, "websocket.masking_key") == (32, 32)
    assert span(root, "websocket.payload") == (64, 256 * 8)


def test_64_bit_form_offsets_and_exact_length() -> None:
    root = tree("827f7fffffffffffffff" + "00" * 10)
    assert span(root, "websocket.payload_length_ext_64") == (16, 64)
    assert root.get("websocket.payload_length_ext_64").value == 2**63 - 1
    assert span(root, "websocket.payload") == (80, 80)
    assert root.find("websocket.masking_key") is None
    masked = tree("82ff0000000000010000" + "aabbccdd" + "00" * 65536, CLIENT)
    assert span(masked, "websocket.masking_key") == (80, 32)
    assert span(masked, "websocket.payload") == (112, 65536 * 8)


def test_every_field_has_an_explanation_with_section() -> None:
    root = tree("818537fa213d7f9f4d5158", CLIENT)
    for node in root.walk():
        assert node.explanation and node.rfc.startswith("RFC"), node.filter_name
    assert "cache" in root.get("websocket.mask").explanation


def test_close_children() -> None:
    root = tree("880503e8627965")
    code = root.find("websocket.payload.close.status_code")
    reason = root.find("websocket.payload.close.reason")
    assert code is not None and reason is not None
    assert (code.value, code.display) == (1000, "Normal Closure (1000)")
    assert (code.bit_offset, code.bit_width) == (16, 16)
    assert (reason.value, reason.bit_offset, reason.bit_width) == ("bye", 32, 24)


def test_ping_pong_children() -> None:
    assert tree("890548656c6c6f").get("websocket.payload.ping").value == b"Hello"
    pong = tree("8a8537fa213d7f9f4d5158", CLIENT).find("websocket.payload.pong")
    assert pong is not None and pong.value == b"Hello"


def test_violations_attach_to_their_field() -> None:
    assert [v.code for v in tree("8300").get("websocket.opcode").violations] == ["reserved-opcode"]
    assert tree("c100").get("websocket.rsv").violations[0].code == "reserved-bits"
    assert tree("8100", CLIENT).get("websocket.mask").violations[0].code == "unmasked-client-frame"
    assert tree("0900").get("websocket.fin").violations[0].code == "fragmented-control-frame"
    long_ping = tree("897e007e" + "00" * 126)
    assert long_ping.get("websocket.payload_length").violations[0].code == "control-frame-too-long"
    short16 = tree("827e0005" + "00" * 5)
    assert short16.get("websocket.payload_length_ext_16").violations[0].code == "non-minimal-length"
    msb = tree("827f8000000000000000")
    assert [v.code for v in msb.get("websocket.payload_length_ext_64").violations] == ["length-msb-set"]
    assert msb.get("websocket.payload").violations[0].code == "truncated-frame"
    bad_close = tree("880403edc328")
    assert bad_close.get("websocket.payload.close.status_code").violations[0].code == "invalid-close-code"
    assert bad_close.get("websocket.payload.close.reason").violations[0].code == "invalid-utf8"
    assert sorted(v.code for v in bad_close.all_violations()) == ["invalid-close-code", "invalid-utf8"]


@dataclass
class FakeMessage:
    opcode: int
    frame_indices: list[int]
    compressed: bool
    data: bytes
    text: str | None
    violations: list[Violation] = field(default_factory=list)


def test_compressed_message_adds_inflated_child() -> None:
    # RFC 7692 §7.2.3.1: "Hello" compressed, one frame, RSV1 set.
    frame = decode_frame(bytes.fromhex("c107f248cdc9c90700"), SERVER, allowed_rsv=0x40)
    message = FakeMessage(1, [0], True, b"Hello", "Hello", [violation("decompression-failed")])
    root = frame_fields(frame, message=message)
    inflated = root.find("websocket.payload.inflated")
    assert inflated is not None and inflated.value == b"Hello"
    assert inflated.get("websocket.payload.text").value == "Hello"
    assert [v.code for v in inflated.violations] == ["decompression-failed"]
    assert root.get("websocket.rsv1").meaning.startswith("message compressed")
    assert root.get("websocket.payload").children[0].filter_name == "websocket.payload.inflated"


def test_continuation_of_text_message_shows_text() -> None:
    frame = decode_frame(bytes.fromhex("80026c6f"), SERVER)
    assert frame_fields(frame).find("websocket.payload.text") is None
    message = FakeMessage(1, [0, 1], False, b"Hello", "Hello")
    assert frame_fields(frame, message=message).get("websocket.payload.text").value == "lo"


def test_rsv1_of_a_compressed_message_s_continuation_frame() -> None:
    # RFC 7692 §6.1: RSV1 on the first frame only. The second frame (0x00, RSV1 clear) continues the message.
    second = decode_frame(bytes.fromhex("8002c900"), SERVER)
    message = FakeMessage(1, [0, 1], True, b"Hello", "Hello")
    rsv1 = frame_fields(second, message=message).get("websocket.rsv1")
    assert "not compressed" not in rsv1.meaning
    assert "RFC 7692 §6.1 sets RSV1 on a message's first frame only" in rsv1.meaning
    assert rsv1.summary == f"False · {rsv1.meaning}"
    uncompressed = FakeMessage(1, [0, 1], False, b"Hello", "Hello")
    assert frame_fields(second, message=uncompressed).get("websocket.rsv1").meaning == ""


def test_fields_say_which_bytes_hold_their_value() -> None:
    from inspector.protocol.fieldtree import INFLATED_BYTES, UNMASKED_BYTES, WIRE_BYTES

    masked_close = tree("888237fa213d3412", CLIENT)  # close 1000, masked
    assert masked_close.get("websocket.payload.close.status_code").shown_in == UNMASKED_BYTES
    assert masked_close.get("websocket.unmasked_payload").shown_in == UNMASKED_BYTES
    assert masked_close.get("websocket.masked_payload").shown_in == WIRE_BYTES
    assert masked_close.get("websocket.mask").shown_in == WIRE_BYTES
    frame = decode_frame(bytes.fromhex("c107f248cdc9c90700"), SERVER, allowed_rsv=0x40)
    root = frame_fields(frame, message=FakeMessage(1, [0], True, b"Hello", "Hello"))
    assert root.get("websocket.payload.inflated").shown_in == INFLATED_BYTES
    assert root.get("websocket.payload.text").shown_in == INFLATED_BYTES


def test_summary_does_not_repeat_the_value() -> None:
    root = tree("8802" + "03e8")  # close, 1000
    assert root.get("websocket.payload.close.status_code").summary == "Normal Closure (1000)"
    assert tree("8900").get("websocket.opcode").summary == "Ping (9)"
    assert root.get("websocket.fin").summary == "True · last fragment"


def test_ping_data_that_is_text_reads_as_text() -> None:
    assert tree("890548656c6c6f").get("websocket.payload.ping").summary == "Hello · UTF-8 text"
    assert tree("8a0200ff").get("websocket.payload.pong").summary == "00ff"


def test_a_header_cut_by_the_end_of_the_capture_shows_only_its_bytes() -> None:
    from inspector.protocol.stream import FrameParser

    for cut, last in (("85", "websocket.opcode"), ("82fe01", "websocket.payload_length"),
                      ("8587b20e71", "websocket.payload_length")):
        parser = FrameParser(Direction.CLIENT)
        parser.feed(bytes.fromhex(cut))
        [frame] = parser.finish()
        root = frame_fields(frame)
        header = [child.filter_name for child in root.children if child.filter_name != "websocket.payload"]
        assert header[-1] == last
        assert root.find("websocket.masking_key") is None
