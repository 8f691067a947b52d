from PySide6.QtCore import QModelIndex, Qt

from inspector.protocol.constants import Direction
from inspector.protocol.masking import apply_mask
from inspector.ui.widgets.demo import hello_frame, json_frame, long_frame
from inspector.ui.widgets.masking import (
    COLUMN_CHAR,
    COLUMN_INDEX,
    COLUMN_KEY,
    COLUMN_MASKED,
    COLUMN_UNMASKED,
    FETCH_BATCH,
    FIRST_ROWS,
    MaskingModel,
    MaskingTable,
)
from inspector.ui.widgets.palette import KEY_BYTE_COLOURS

from .helpers import capture_records


def _column(model: MaskingModel, column: int, role: Qt.ItemDataRole = Qt.ItemDataRole.DisplayRole) -> list:
    return [model.data(model.index(row, column), role) for row in range(model.rowCount())]


def test_rfc_6455_example_hello(qtbot):
    table = MaskingTable()
    qtbot.addWidget(table)
    table.show_frame(hello_frame())
    model = table.model
    assert _column(model, COLUMN_INDEX) == ["0", "1", "2", "3", "4"]
    assert _column(model, COLUMN_MASKED) == ["7f", "9f", "4d", "51", "58"]
    assert _column(model, COLUMN_KEY) == ["37", "fa", "21", "3d", "37"]
    assert _column(model, COLUMN_UNMASKED) == ["48", "65", "6c", "6c", "6f"]
    assert _column(model, COLUMN_CHAR) == ["H", "e", "l", "l", "o"]
    colours = _column(model, COLUMN_KEY, Qt.ItemDataRole.BackgroundRole)
    assert colours == [KEY_BYTE_COLOURS[0], KEY_BYTE_COLOURS[1], KEY_BYTE_COLOURS[2], KEY_BYTE_COLOURS[3],
                       KEY_BYTE_COLOURS[0]]
    assert [label.text() for label in table.key_labels] == ["key[0] = 37", "key[1] = fa", "key[2] = 21", "key[3] = 3d"]
    assert "⊕" in table.equation.text()
    assert table.more_button.isHidden()


def test_model_passes_qtmodeltester(qtmodeltester):
    model = MaskingModel()
    model.set_frame(hello_frame())
    qtmodeltester.check(model, force_py=True)


def test_lazy_model_passes_qtmodeltester(qtmodeltester):
    model = MaskingModel()
    model.set_frame(long_frame(FIRST_ROWS + FETCH_BATCH + 10))  # the tester fetches more rows itself
    qtmodeltester.check(model, force_py=True)
    assert model.rowCount() > FIRST_ROWS


def test_rows_come_on_demand(qtbot):
    table = MaskingTable()
    qtbot.addWidget(table)
    table.show_frame(long_frame(70_000))
    model = table.model
    assert model.rowCount() == FIRST_ROWS
    assert model.canFetchMore(QModelIndex())
    assert not table.more_button.isHidden()
    qtbot.mouseClick(table.more_button, Qt.MouseButton.LeftButton)
    assert model.rowCount() == FIRST_ROWS + FETCH_BATCH
    assert "of 70000" in table.shown.text()
    last = model.rowCount() - 1
    assert model.data(model.index(last, COLUMN_INDEX)) == str(last)


def test_scrolling_to_the_end_fetches_more(qtbot):
    table = MaskingTable()
    qtbot.addWidget(table)
    table.resize(600, 400)
    table.show()
    table.show_frame(long_frame(5000))
    qtbot.waitExposed(table)
    table.table.scrollToBottom()
    qtbot.waitUntil(lambda: table.model.rowCount() > FIRST_ROWS)


def test_unmasked_frames_say_so(qtbot):
    table = MaskingTable()
    qtbot.addWidget(table)
    table.show_frame(json_frame())
    assert table.note.text() == "This frame is not masked: servers never mask (RFC 6455 §5.1)."
    assert table.table.isHidden()
    assert table.model.rowCount() == 0
    client = long_frame(10, mask=False)
    assert client.direction is Direction.CLIENT
    table.show_frame(client)
    assert "a client must mask every frame" in table.note.text()


def test_real_capture_rows_are_the_xor_of_their_columns(qtbot):
    record = next(r for r in capture_records("websockets-echo.pcapng") if r.frame.masked and r.frame.payload)
    frame = record.frame
    model = MaskingModel()
    model.set_frame(frame)
    masked = bytes.fromhex("".join(_column(model, COLUMN_MASKED)))
    keys = bytes.fromhex("".join(_column(model, COLUMN_KEY)))
    unmasked = bytes.fromhex("".join(_column(model, COLUMN_UNMASKED)))
    assert unmasked == frame.payload[: model.rowCount()]
    assert bytes(m ^ k for m, k in zip(masked, keys, strict=True)) == unmasked
    assert masked == apply_mask(unmasked, frame.masking_key)


def test_clicking_a_key_cell_names_the_key_field(qtbot):
    table = MaskingTable()
    qtbot.addWidget(table)
    table.resize(600, 400)
    table.show()
    table.show_frame(hello_frame())
    qtbot.waitExposed(table)
    rect = table.table.visualRect(table.model.index(2, COLUMN_KEY))
    fields, rows = [], []
    table.field_clicked.connect(fields.append)
    table.byte_selected.connect(rows.append)
    qtbot.mouseClick(table.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert (fields, rows) == (["websocket.masking_key"], [2])
    table.select_field("websocket.masked_payload")
    assert {i.column() for i in table.table.selectionModel().selectedIndexes()} == {COLUMN_MASKED}
