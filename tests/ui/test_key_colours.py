"""The masking key's four byte colours agree everywhere: the masking table's key column, the key bytes
in the hex pane (hex and ASCII columns, as captured and unmasked) and the key's value in the field tree,
checked in the model data and in the pixels the tree draws."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from inspector.resources import capture_path
from inspector.ui.main_window import MainWindow
from inspector.ui.models import KEY_BYTES_ROLE
from inspector.ui.widgets.masking import COLUMN_KEY
from inspector.ui.widgets.palette import KEY_BYTE_COLOURS

KEY = "websocket.masking_key"


@pytest.fixture
def window(qtbot, exposed_window: MainWindow) -> MainWindow:
    with qtbot.waitSignal(exposed_window.capture_loaded, timeout=20_000):
        exposed_window.open_file(str(capture_path("websockets-echo.pcapng")))
    return exposed_window


def table_colours(window: MainWindow) -> list[QColor]:
    model = window.masking_pane.model
    return [model.index(row, COLUMN_KEY).data(Qt.ItemDataRole.BackgroundRole) for row in range(4)]


def tree_key_index(window: MainWindow):
    node = window.session.tree.find(KEY)
    return window.fields_model.index_of(node).siblingAtColumn(1)


@pytest.mark.parametrize("row", [0, 2, 6])  # a text frame, a binary frame, a fragment
def test_key_colours_agree_in_table_hex_and_tree(qtbot, window: MainWindow, row: int) -> None:
    window.frames_view.selectRow(row)
    frame = window.session.frame.frame
    key = frame.masking_key
    assert key is not None
    window.show_pane("masking")
    colours = table_colours(window)
    assert colours == list(KEY_BYTE_COLOURS)  # the palette's four, key[i mod 4]
    # The hex pane: each key byte in its colour, in the hex column then the ASCII column.
    spans = window.hex_view.key_colours()
    assert [text for text, _ in spans[:4]] == [f"{b:02x}" for b in key]
    assert [colour for _, colour in spans[:4]] == colours
    assert [colour for _, colour in spans[4:]] == colours and len(spans) == 8
    # And in the bit strip under the dump: each key byte's eight bits.
    bits = [(s.cursor.selectedText(), s.format.background().color()) for s in window.hex_view.bit_text.overlay]
    assert bits == [(f"{b:08b}", colour) for b, colour in zip(key, colours, strict=True)]
    # Still so when the selected field shows the frame unmasked (its header and key come first there too).
    assert window.session.select_field_named("websocket.unmasked_payload")
    assert "unmasked" in window.hex_view.caption.text()
    assert [(t, c) for t, c in window.hex_view.key_colours()] == spans
    # Selecting the key still lights exactly its bytes.
    assert window.session.select_field_named(KEY)
    assert window.hex_view.highlighted_hex_text() == key.hex(" ")
    # The field tree: the key's value cell is its bytes in the same colours...
    index = tree_key_index(window)
    assert index.data(KEY_BYTES_ROLE) == [(f"{b:02x}", colour) for b, colour in zip(key, colours, strict=True)]
    # ...and they are really drawn: each colour is in the cell's pixels.
    window.show_pane("bytes")
    window.fields_view.clearSelection()  # the selection's own colour would cover nothing, but keep it plain
    rect = window.fields_view.visualRect(index)
    image = window.fields_view.viewport().grab(rect).toImage()
    drawn = {image.pixelColor(x, y).rgb() for x in range(image.width()) for y in range(image.height())}
    for colour in colours:
        assert colour.rgb() in drawn, colour.name()


def test_an_unmasked_frame_colours_nothing(window: MainWindow) -> None:
    window.frames_view.selectRow(1)  # the server's echo
    assert not window.session.frame.frame.masked
    assert window.hex_view.key_colours() == []
    assert window.session.tree.find(KEY) is None
