from PySide6.QtCore import QPoint, Qt

from inspector.protocol.fieldtree import frame_fields
from inspector.ui.widgets.demo import hello_frame, long_frame
from inspector.ui.widgets.diagram import BITS_PER_ROW, FrameDiagram

from .helpers import capture_records

WIDTH = 32 * 25 + 16  # 25 pixels a bit


def _diagram(qtbot, frame) -> FrameDiagram:
    diagram = FrameDiagram()
    qtbot.addWidget(diagram)
    diagram.show_frame(frame, frame_fields(frame))
    diagram.resize(WIDTH, diagram.sizeHint().height())
    diagram.show()
    qtbot.waitExposed(diagram)
    return diagram


def _columns(diagram: FrameDiagram, name: str) -> list[tuple[int, int, int]]:
    """(row, first bit, bit count) of each box of field `name`."""
    return [(c.row, c.column, c.bit_count) for c in diagram.cells() if c.filter_name == name]


def _bits(diagram: FrameDiagram, name: str) -> str:
    return "".join(c.bits for c in diagram.cells() if c.filter_name == name)


def test_rfc_hello_fields_sit_where_section_5_2_draws_them(qtbot):
    diagram = _diagram(qtbot, hello_frame())
    assert _columns(diagram, "websocket.fin") == [(0, 0, 1)]
    assert _columns(diagram, "websocket.opcode") == [(0, 4, 4)]
    assert _columns(diagram, "websocket.mask") == [(0, 8, 1)]
    assert _columns(diagram, "websocket.payload_length") == [(0, 9, 7)]
    assert _columns(diagram, "websocket.masking_key") == [(0, 16, 16), (1, 0, 16)]
    assert _columns(diagram, "websocket.payload") == [(1, 16, 16), (2, 0, BITS_PER_ROW)]
    assert _bits(diagram, "websocket.fin") == "1"
    assert _bits(diagram, "websocket.opcode") == "0001"
    assert _bits(diagram, "websocket.payload_length") == "0000101"
    assert _bits(diagram, "websocket.masking_key") == f"{0x37fa213d:032b}"
    assert diagram.row_count() == 3


def test_geometry_maps_to_fields_both_ways(qtbot):
    diagram = _diagram(qtbot, hello_frame())
    bit = (WIDTH - 16) / BITS_PER_ROW
    [fin] = diagram.cells_of("websocket.fin")
    assert abs(fin.width() - bit) <= 1
    [opcode] = diagram.cells_of("websocket.opcode")
    assert abs(opcode.width() - 4 * bit) <= 1 and abs(opcode.left() - fin.left() - 4 * bit) <= 1
    [length] = diagram.cells_of("websocket.payload_length")
    assert abs(length.width() - 7 * bit) <= 1
    key_rects = diagram.cells_of("websocket.masking_key")
    assert len(key_rects) == 2 and key_rects[1].top() > key_rects[0].top()
    for cell in diagram.cells():
        for rect in diagram.cells_of(cell.filter_name):
            assert diagram.field_at(rect.center()) == cell.filter_name
    assert diagram.field_at(QPoint(2, 2)) is None  # the bit numbers, no field


def test_clicking_a_cell_emits_its_field(qtbot):
    diagram = _diagram(qtbot, hello_frame())
    for name in ("websocket.opcode", "websocket.fin", "websocket.masking_key", "websocket.payload_length"):
        rect = diagram.cells_of(name)[-1]
        with qtbot.waitSignal(diagram.field_clicked) as blocker:
            qtbot.mouseClick(diagram, Qt.MouseButton.LeftButton, pos=rect.center())
        assert blocker.args == [name]
        assert diagram.selected_field() == name
        assert {c.filter_name for c in diagram.lit_cells()} == {name}


def test_selecting_a_parent_or_payload_field_lights_the_cells_it_covers(qtbot):
    diagram = _diagram(qtbot, hello_frame())
    diagram.select_field("websocket.rsv")
    assert [c.filter_name for c in diagram.lit_cells()] == ["websocket.rsv1", "websocket.rsv2", "websocket.rsv3"]
    diagram.select_field("websocket.payload.text")
    assert {c.filter_name for c in diagram.lit_cells()} == {"websocket.payload"}
    assert len(diagram.lit_cells()) == 2
    diagram.select_field("websocket")
    assert len(diagram.lit_cells()) == len(diagram.cells())
    diagram.select_field("no.such.field")
    assert diagram.lit_cells() == []


def test_16_bit_length_takes_its_half_row(qtbot):
    frame = long_frame(300)
    diagram = _diagram(qtbot, frame)
    assert _columns(diagram, "websocket.payload_length") == [(0, 9, 7)]
    assert _bits(diagram, "websocket.payload_length") == f"{126:07b}"
    assert _columns(diagram, "websocket.payload_length_ext_16") == [(0, 16, 16)]
    assert _bits(diagram, "websocket.payload_length_ext_16") == f"{300:016b}"
    assert _columns(diagram, "websocket.masking_key") == [(1, 0, 32)]
    assert _columns(diagram, "websocket.payload") == [(2, 0, 32), (3, 0, 32)]
    assert len(diagram.cells_of("websocket.payload_length_ext_16")) == 1


def test_64_bit_length_takes_its_rows(qtbot):
    frame = long_frame(70_000)
    diagram = _diagram(qtbot, frame)
    assert _bits(diagram, "websocket.payload_length") == f"{127:07b}"
    assert _columns(diagram, "websocket.payload_length_ext_64") == [(0, 16, 16), (1, 0, 32), (2, 0, 16)]
    assert _bits(diagram, "websocket.payload_length_ext_64") == f"{70_000:064b}"
    assert _columns(diagram, "websocket.masking_key") == [(2, 16, 16), (3, 0, 16)]
    assert _columns(diagram, "websocket.payload") == [(3, 16, 16), (4, 0, 32)]
    rects = diagram.cells_of("websocket.payload_length_ext_64")
    assert len(rects) == 3 and rects[0].top() < rects[1].top() < rects[2].top()
    assert diagram.sizeHint().height() >= rects[-1].bottom()


def test_unmasked_frame_has_no_key_cells_and_a_real_rsv1(qtbot):
    record = next(r for r in capture_records("websockets-deflate.pcapng") if r.frame.rsv1 and not r.frame.masked)
    diagram = _diagram(qtbot, record.frame)
    assert _columns(diagram, "websocket.masking_key") == []
    assert _bits(diagram, "websocket.rsv1") == "1"
    assert _bits(diagram, "websocket.mask") == "0"
    assert diagram.cells()[0].bits == ("1" if record.frame.fin else "0")


def test_no_frame_draws_a_hint_and_has_no_cells(qtbot):
    diagram = FrameDiagram()
    qtbot.addWidget(diagram)
    diagram.show_frame(None)
    assert diagram.cells() == []
    assert diagram.field_at(QPoint(50, 50)) is None
    assert not diagram.grab().isNull()
