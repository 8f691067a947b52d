from PySide6.QtCore import Qt

from inspector.protocol.teaching import field_text
from inspector.protocol.violations import RULES
from inspector.ui.widgets.demo import violating_frames
from inspector.ui.widgets.teaching_text import violation_explanation
from inspector.ui.widgets.violations import (
    COLUMN_CLOSE,
    COLUMN_CODE,
    COLUMN_FRAME,
    COLUMN_MESSAGE,
    COLUMN_RFC,
    EXPLANATION_ROLE,
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
    assert _cells(model, 0) == ["frame 7", "unmasked-client-frame", "RFC 6455 §5.1", "1002 Protocol Error",
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
