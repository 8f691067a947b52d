"""Set each field of the bit editor through its widgets and check the preview: bytes, tree, violations, answer.

The expected bytes are written out by hand from RFC 6455 (§5.7's examples, §5.2's layout); the violations
are also held to `encoder.spec_violations`, the CLI crafter's judge, for single frames.
"""

from __future__ import annotations

from PySide6.QtCore import Qt

from inspector.client.templates import ECHO, NONE, PONG, Expect, close_with
from inspector.protocol.constants import Direction, Opcode
from inspector.protocol.encoder import spec_violations
from inspector.protocol.teaching import why_text
from inspector.ui.crafter.crafter import CrafterWidget
from inspector.ui.crafter.draft import KEY_FIXED, KEY_NONE
from inspector.ui.crafter.editor import PAYLOAD_FILE, PAYLOAD_HEX
from inspector.ui.widgets.violations import (
    COLUMN_CLOSE,
    COLUMN_CODE,
    COLUMN_FRAME,
    COLUMN_MESSAGE,
    COLUMN_RFC,
    COLUMN_WHY,
)

RFC_KEY = "37 fa 21 3d"


def choose(box, value) -> None:
    index = box.findData(int(value) if isinstance(value, int) else value)  # an IntEnum is not found as-is
    assert index >= 0, value
    box.setCurrentIndex(index)


def fixed_key(crafter: CrafterWidget, key: str = RFC_KEY) -> None:
    choose(crafter.editor.key_mode, KEY_FIXED)
    crafter.editor.key.setText(key)


def no_mask(crafter: CrafterWidget) -> None:
    crafter.editor.mask.setChecked(False)
    choose(crafter.editor.key_mode, KEY_NONE)


def violation_cells(crafter: CrafterWidget) -> list[tuple[str, ...]]:
    model = crafter.preview.violations.model
    columns = (COLUMN_FRAME, COLUMN_CODE, COLUMN_RFC, COLUMN_CLOSE)
    return [tuple(model.index(r, c).data() for c in columns) for r in range(model.rowCount())]


def assert_judged_like_the_cli(crafter: CrafterWidget) -> None:
    spec = crafter.editor.frame_spec()
    assert [v.code for v in spec_violations(spec, Direction.CLIENT)] == crafter.analysis.codes()


def test_rfc_masked_hello(crafter, qtbot):
    fixed_key(crafter)
    crafter.editor.set_payload_text("Hello")
    assert crafter.analysis.wire.hex() == "818537fa213d7f9f4d5158"  # RFC 6455 §5.7
    assert crafter.preview.tree_rows() == [
        ("WebSocket", "Text frame, 5 bytes"), ("Fin", "True · last fragment"), ("Reserved", "0x0"),
        ("RSV1", "False"), ("RSV2", "False"), ("RSV3", "False"), ("Opcode", "Text (1)"),
        ("Mask", "True · key follows"), ("Payload length", "5 · 5 bytes"), ("Masking-Key", "37fa213d"),
        ("Payload", "5 bytes"), ("Masked payload", "7f9f4d5158"), ("Unmasked payload", "48656c6c6f"),
        ("Text", "Hello"),
    ]
    assert violation_cells(crafter) == []
    assert crafter.analysis.expect == Expect(ECHO)
    assert "breaks no rule" in crafter.preview.answer.text()
    assert crafter.preview.hex.toPlainText().startswith("000000  81 85 37 fa 21 3d 7f 9f 4d 51 58")
    assert crafter.preview.masking.model.rowCount() == 5
    assert crafter.preview.masking.model.index(0, 1).data() == "7f"


def test_rfc_unmasked_hello_breaks_the_client_masking_rule(crafter):
    no_mask(crafter)
    crafter.editor.set_payload_text("Hello")
    assert crafter.analysis.wire.hex() == "810548656c6c6f"  # RFC 6455 §5.7, a server's frame
    assert violation_cells(crafter) == [("1", "unmasked-client-frame", "RFC 6455 §5.1", "1002 Protocol Error")]
    assert crafter.analysis.expect == close_with(1002)
    assert "Close 1002 (Protocol Error)" in crafter.preview.answer.text()
    assert_judged_like_the_cli(crafter)


def test_rfc_fragmented_hello_at_an_offset(crafter):
    no_mask(crafter)
    crafter.editor.set_payload_text("Hello")
    crafter.left_tabs.setCurrentWidget(crafter.sequence)
    crafter.sequence.enabled.setChecked(True)
    crafter.sequence.by_offsets.setChecked(True)
    crafter.sequence.offsets.setText("3")
    assert crafter.analysis.wire.hex() == "010348656c" "80026c6f"  # RFC 6455 §5.7: "Hel", then "lo"
    assert crafter.sequence.table.rowCount() == 2
    assert crafter.sequence.table.item(1, 1).text() == "0x0 Continuation"
    assert [(n, v.code) for n, v in crafter.analysis.violations] == [(1, "unmasked-client-frame"),
                                                                      (2, "unmasked-client-frame")]
    assert crafter.preview.frame_choice.count() == 2


def test_sequence_in_n_frames_with_a_ping_between(crafter):
    fixed_key(crafter)
    crafter.editor.set_payload_text("Hello")
    crafter.sequence.enabled.setChecked(True)
    crafter.sequence.parts.setValue(2)
    choose(crafter.sequence.control, "ping")
    assert [(f.opcode, f.fin, f.payload) for f in crafter.analysis.frames] == [
        (Opcode.TEXT, False, b"Hel"), (Opcode.PING, True, b"between"), (Opcode.CONTINUATION, True, b"lo")]
    assert crafter.analysis.violations == []
    assert crafter.analysis.expect == Expect(ECHO)
    crafter.sequence.by_offsets.setChecked(True)
    crafter.sequence.offsets.setText("9")
    assert "offset 9 is not between 1 and 4" in crafter.preview.answer.text()
    assert not crafter.send_button.isEnabled()


def test_rfc_ping_and_masked_pong(crafter):
    no_mask(crafter)
    choose(crafter.editor.opcode, Opcode.PING)
    crafter.editor.set_payload_text("Hello")
    assert crafter.analysis.wire.hex() == "890548656c6c6f"  # RFC 6455 §5.7
    crafter.editor.mask.setChecked(True)
    fixed_key(crafter)
    choose(crafter.editor.opcode, Opcode.PONG)
    assert crafter.analysis.wire.hex() == "8a8537fa213d7f9f4d5158"  # RFC 6455 §5.7
    assert crafter.analysis.expect == Expect(NONE)
    choose(crafter.editor.opcode, Opcode.PING)
    assert crafter.analysis.expect == Expect(PONG)
    assert ("Ping application data", "Hello · UTF-8 text") in crafter.preview.tree_rows()


def test_rfc_256_byte_binary_and_64_kib_file(crafter, tmp_path):
    no_mask(crafter)
    crafter.editor.mask.setChecked(True)  # MASK written, no key: the lesson of a header that lies
    crafter.editor.mask.setChecked(False)
    choose(crafter.editor.opcode, Opcode.BINARY)
    choose(crafter.editor.payload_mode, PAYLOAD_HEX)
    crafter.editor.payload_text.setPlainText("00 " * 256)
    assert crafter.analysis.wire[:4].hex() == "827e0100"  # RFC 6455 §5.7: 256 bytes, 16-bit length
    assert len(crafter.analysis.wire) == 4 + 256
    assert ("Extended Payload length (16 bits)", "256 · 256 bytes") in crafter.preview.tree_rows()
    big = tmp_path / "64k.bin"
    big.write_bytes(bytes(65536))
    crafter.editor.set_file_payload(str(big))
    assert crafter.editor.payload_mode.currentData() == PAYLOAD_FILE
    assert crafter.analysis.wire[:10].hex() == "827f0000000000010000"  # RFC 6455 §5.7: 64 KiB, 64-bit
    assert len(crafter.analysis.wire) == 10 + 65536
    assert crafter.analysis.codes() == ["unmasked-client-frame"]
    assert "65546 bytes to send" in crafter.preview.bytes_caption.text()


def test_a_126_byte_ping(crafter):
    fixed_key(crafter)
    choose(crafter.editor.opcode, Opcode.PING)
    crafter.editor.set_payload_text("p" * 126)
    wire = crafter.analysis.wire
    assert wire[:8].hex() == "89fe007e37fa213d"  # 126 does not fit in 7 bits: the 16-bit form
    assert len(wire) == 8 + 126
    assert violation_cells(crafter) == [("1", "control-frame-too-long", "RFC 6455 §5.5", "1002 Protocol Error")]
    assert crafter.analysis.expect == close_with(1002)
    assert_judged_like_the_cli(crafter)
    tree = crafter.preview.tree_rows()
    assert ("Payload length", "126 · 126: the length is in the next 2 bytes") in tree
    assert ("Extended Payload length (16 bits)", "126 · 126 bytes") in tree


def test_a_reserved_opcode(crafter):
    fixed_key(crafter)
    crafter.editor.set_payload_text("Hello")
    assert crafter.editor.opcode.itemText(3) == "0x3 reserved (non-control)"
    assert crafter.editor.opcode.itemText(0xB) == "0xB reserved (control)"
    choose(crafter.editor.opcode, 3)
    assert crafter.analysis.wire.hex() == "838537fa213d7f9f4d5158"
    assert violation_cells(crafter) == [("1", "reserved-opcode", "RFC 6455 §5.2", "1002 Protocol Error")]
    assert ("Opcode", "Reserved non-control (3)") in crafter.preview.tree_rows()
    assert crafter.preview.diagram.cells()[4].label == "opcode 3 (Reserved non-control)"
    assert_judged_like_the_cli(crafter)


def test_a_64_bit_length_claiming_2_to_the_63(crafter):
    fixed_key(crafter)
    crafter.editor.set_payload_text("Hello")
    choose(crafter.editor.length_form, 64)
    crafter.editor.lie.setChecked(True)
    crafter.editor.length.setText(str(2**63))
    assert crafter.analysis.wire.hex() == "81ff" "8000000000000000" "37fa213d" "7f9f4d5158"
    assert violation_cells(crafter) == [
        ("1", "length-msb-set", "RFC 6455 §5.2", "1002 Protocol Error"),
        ("1", "truncated-frame", "RFC 6455 §5.2", "none"),
    ]
    message = crafter.preview.violations.model.index(1, COLUMN_MESSAGE).data()
    assert message == "the header claims 9223372036854775808 payload bytes; the frame carries 5"
    assert crafter.analysis.expect == close_with(1002)
    assert ("Extended Payload length (64 bits)", "9223372036854775808 · 9223372036854775808 bytes") \
        in crafter.preview.tree_rows()
    assert ("Payload", "5 of 9223372036854775808 bytes (truncated)") in crafter.preview.tree_rows()
    assert crafter.editor.length7.text() == "= 127"
    assert_judged_like_the_cli(crafter)


def test_rsv_bits_and_fin_toggles(crafter):
    fixed_key(crafter)
    crafter.editor.set_payload_text("Hello")
    crafter.editor.rsv[0].click()
    crafter.editor.fin.click()
    assert crafter.editor.rsv[0].text() == "1" and crafter.editor.fin.text() == "0"
    assert crafter.analysis.wire[0] == 0x41
    assert crafter.analysis.codes() == ["reserved-bits"]
    crafter.deflate_agreed.setChecked(True)  # RSV1 is permessage-deflate's bit once it is agreed...
    assert crafter.analysis.codes() == ["decompression-failed"]  # ...and "Hello" is not DEFLATE data
    assert crafter.analysis.expect == close_with(1007)
    crafter.editor.rsv[0].click()
    assert crafter.analysis.codes() == []
    assert crafter.analysis.expect == Expect(NONE)  # a first fragment alone: the server waits for the rest


def test_close_code_and_reason(crafter):
    fixed_key(crafter)
    choose(crafter.editor.opcode, Opcode.CLOSE)
    assert crafter.editor.close_row.isVisibleTo(crafter.editor)
    assert crafter.editor.close_code.itemText(0) == "1000 Normal Closure"
    crafter.editor.close_reason.setText("bye")
    assert crafter.analysis.frames[0].payload == b"\x03\xe8bye"
    assert crafter.analysis.expect == close_with(1000)
    crafter.editor.close_code.setEditText("1005")
    assert crafter.analysis.codes() == ["invalid-close-code"]
    assert ("Status code", "No Status Received (1005)") in crafter.preview.tree_rows()
    crafter.editor.close_code_on.setChecked(False)
    assert crafter.analysis.frames[0].payload == b""
    assert crafter.analysis.expect == close_with(1005)


def test_bad_input_is_one_line_and_nothing_is_sent(crafter):
    choose(crafter.editor.payload_mode, PAYLOAD_HEX)
    crafter.editor.payload_text.setPlainText("zz")
    assert crafter.preview.answer.text() == "Cannot be written: payload: 'zz' is not hex (pairs of 0-9, a-f)"
    choose(crafter.editor.length_form, 7)
    crafter.editor.payload_text.setPlainText("00" * 200)
    assert crafter.preview.answer.text() == "Cannot be written: 200 does not fit the 7-bit length (max 125)"
    assert not crafter.send_button.isEnabled()


def test_mask_bit_without_a_key_ends_inside_the_header(crafter):
    choose(crafter.editor.key_mode, KEY_NONE)
    crafter.editor.set_payload_text("Hi")
    assert crafter.analysis.wire.hex() == "81824869"
    assert crafter.analysis.codes() == ["truncated-frame"]
    assert crafter.analysis.violations[0][1].message == "the frame ends inside its own 6-byte header"
    assert crafter.analysis.expect == Expect(NONE)


def test_payload_text_is_plain_never_rich(crafter):
    crafter.editor.set_payload_text("<b>bold</b>")
    assert ("Text", "<b>bold</b>") in crafter.preview.tree_rows()
    assert crafter.preview.answer.textFormat() == Qt.TextFormat.PlainText
    assert crafter.editor.payload_text.toPlainText() == "<b>bold</b>"


def test_a_template_fills_the_editor_and_the_sequence(crafter):
    crafter.load_template_by_name("fragmented-ping")
    assert crafter.sequence.active
    assert crafter.sequence.table.rowCount() == 2
    assert crafter.analysis.codes() == ["fragmented-control-frame", "unexpected-continuation"]
    crafter.load_template_by_name("close-code-1005")
    assert not crafter.sequence.active
    assert crafter.editor.opcode_value == Opcode.CLOSE
    assert crafter.analysis.codes() == ["invalid-close-code"]


def test_the_preview_says_why_the_broken_rule_exists(crafter, qtbot):
    no_mask(crafter)
    crafter.editor.set_payload_text("Hello")
    pane = crafter.preview.violations
    codes = [pane.model.row_at(row).violation.code for row in range(pane.model.rowCount())]
    assert codes == ["unmasked-client-frame"]
    pane.show_why(0)
    assert pane.model.data(pane.model.index(0, COLUMN_WHY)) == "Why?"
    assert why_text("unmasked-client-frame") in pane.why.toPlainText()
    assert "RFC 6455 §10.3" in pane.why.toPlainText()
