import re

from PySide6.QtCore import Qt

from inspector.protocol.teaching import field_text, use_catalogue, why_rfc, why_text
from inspector.protocol.violations import RULES
from inspector.ui.widgets.demo import violating_frames
from inspector.ui.widgets.teaching_text import violation_explanation, violation_why
from inspector.ui.widgets.violations import (
    COLUMN_CLOSE,
    COLUMN_CODE,
    COLUMN_FRAME,
    COLUMN_MESSAGE,
    COLUMN_RFC,
    COLUMN_WHY,
    EXPLANATION_ROLE,
    WHY_ROLE,
    ViolationRow,
    ViolationsModel,
    ViolationsPane,
    violation_rows,
)

from .helpers import capture_records


def _cells(model: ViolationsModel, row: int) -> list[str]:
    return [model.data(model.index(row, c)) for c in range(model.columnCount())]


def _real_rows() -> list[ViolationRow]:
    records = capture_records("websockets-violations.pcapng")
    return violation_rows((number, r.frame) for number, r in enumerate(records))


def test_qtmodeltester_on_sample_and_real_violations(qtmodeltester):
    model = ViolationsModel()
    model.set_rows(violation_rows(enumerate(violating_frames())))
    qtmodeltester.check(model, force_py=True)
    real = _real_rows()
    assert real, "the violations capture has violations"
    model.set_rows(real)
    qtmodeltester.check(model, force_py=True)


def test_columns_say_code_section_close_code_and_message():
    frames = violating_frames()
    model = ViolationsModel()
    model.set_rows(violation_rows([("frame 7", frames[0])]))
    assert _cells(model, 0) == ["frame 7", "unmasked-client-frame", "Why?", "RFC 6455 §5.1", "1002 Protocol Error",
                                "a client must mask every frame it sends"]
    assert model.headerData(COLUMN_CODE, Qt.Orientation.Horizontal) == "Code"
    opcode_row = violation_rows([(1, frames[1])])
    model.set_rows(opcode_row)
    assert model.data(model.index(0, COLUMN_MESSAGE)) == "opcode 0x3 is reserved"


def test_explanation_is_the_rule_and_the_field_text():
    paragraph = violation_explanation("unmasked-client-frame")
    assert paragraph.startswith("A client must mask every frame it sends (RFC 6455 §5.1). ")
    assert paragraph.endswith(field_text("websocket.mask"))
    assert violation_explanation("rsv1-on-continuation").startswith(
        "Permessage-deflate sets RSV1 only on a message's first frame (RFC 7692 §6.1).")
    assert "shortest form" in violation_explanation("non-minimal-length")
    for code in RULES:
        assert violation_explanation(code), code


def test_real_capture_rows_carry_rfc_and_close_codes():
    model = ViolationsModel()
    rows = _real_rows()
    model.set_rows(rows)
    for row, (ref, found) in enumerate(rows):
        cells = _cells(model, row)
        assert cells[COLUMN_FRAME] == str(ref)
        assert cells[COLUMN_CODE] == found.code
        assert found.rfc is None or found.rfc.split()[-1] in cells[COLUMN_RFC]
        expected_close = "none" if found.close_code is None else str(found.close_code)
        assert cells[COLUMN_CLOSE].startswith(expected_close)
        assert model.data(model.index(row, 0), EXPLANATION_ROLE) == violation_explanation(found.code)


def test_double_click_jumps_to_the_frame_and_selection_explains(qtbot):
    pane = ViolationsPane()
    qtbot.addWidget(pane)
    pane.resize(900, 500)
    rows = violation_rows((f"#{n}", f) for n, f in enumerate(violating_frames()))
    pane.set_violations(rows)
    pane.show()
    qtbot.waitExposed(pane)
    pane.table.selectRow(2)
    assert pane.explanation.toPlainText() == violation_explanation(rows[2].violation.code)
    rect = pane.table.visualRect(pane.model.index(3, COLUMN_MESSAGE))
    # A real double-click starts with a press; QTest's mouseDClick alone does not send one.
    qtbot.mouseClick(pane.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(pane.frame_activated) as blocker:
        qtbot.mouseDClick(pane.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [rows[3].frame_ref]


SECTION = re.compile(r"(RFC \d{4}|draft-hixie-7[56]) §\d+(\.\d+)*")


def test_every_rule_has_a_why_paragraph_with_its_section():
    for code in RULES:
        paragraph, where = why_text(code), why_rfc(code)
        assert len(paragraph.split()) >= 25, code  # a paragraph, not a phrase
        assert SECTION.match(where), (code, where)
        assert violation_why(code) == f"{paragraph} ({where})"
    # The reason masking exists is the one RFC 6455 §10.3 gives; the control limit's is interleaving (§5.5).
    assert "cache" in why_text("unmasked-client-frame") and "§10.3" in why_rfc("unmasked-client-frame")
    assert "middle of a fragmented message" in why_text("control-frame-too-long")
    assert why_rfc("control-frame-too-long").startswith("RFC 6455 §5.5")


def test_a_translated_catalogue_reaches_the_why():
    try:
        use_catalogue({"why:reserved-opcode": "translated reason"})
        assert violation_why("reserved-opcode").startswith("translated reason (RFC 6455 §5.2")
    finally:
        use_catalogue({})


def test_the_why_column_opens_the_reason_and_follows_the_selection(qtbot):
    pane = ViolationsPane()
    qtbot.addWidget(pane)
    pane.resize(900, 500)
    rows = _real_rows()
    pane.set_violations(rows)
    pane.show()
    qtbot.waitExposed(pane)
    assert not pane.why.isVisible()
    for row, (_, found) in enumerate(rows):
        assert pane.model.data(pane.model.index(row, COLUMN_WHY)) == "Why?"
        assert pane.model.data(pane.model.index(row, COLUMN_WHY), Qt.ItemDataRole.ToolTipRole) == \
            violation_why(found.code)
    rect = pane.table.visualRect(pane.model.index(1, COLUMN_WHY))
    qtbot.mouseClick(pane.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert pane.why.isVisible()
    assert pane.why.toPlainText() == "Why the RFC has this rule: " + violation_why(rows[1].violation.code)
    pane.table.selectRow(0)
    assert pane.model.data(pane.model.index(0, 0), WHY_ROLE) in pane.why.toPlainText()
