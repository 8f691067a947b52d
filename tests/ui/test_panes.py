"""Each pane on its own over one SessionModel: it follows the selection, and a click in it moves the selection.

No MainWindow here: the six panes are built side by side on a real session loaded from the bundled
captures, as the window builds them, so a pane that reaches into another (instead of the model)
shows up as a pane that does not follow.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QModelIndex

from inspector.capture.load import load_capture
from inspector.protocol import teaching
from inspector.protocol.fieldtree import UNMASKED_BYTES
from inspector.resources import capture_path
from inspector.ui.models import field_value
from inspector.ui.panes.connections import ConnectionsPane
from inspector.ui.panes.explanation import ExplanationPane
from inspector.ui.panes.fields import FieldsPane
from inspector.ui.panes.frames import FramesPane
from inspector.ui.panes.handshake import HandshakePane
from inspector.ui.panes.hex import HexPane
from inspector.ui.session_model import SessionModel


class Panes:
    def __init__(self, qtbot) -> None:
        self.session = SessionModel()
        self.connections = ConnectionsPane(self.session)
        self.frames = FramesPane(self.session)
        self.fields = FieldsPane(self.session)
        self.hex = HexPane(self.session)
        self.handshake = HandshakePane(self.session)
        self.explanation = ExplanationPane(self.session)
        for pane in (self.connections, self.frames, self.fields, self.hex, self.handshake, self.explanation):
            qtbot.addWidget(pane)

    def field_index(self, filter_name: str) -> QModelIndex:
        model = self.fields.tree_model
        assert self.session.tree is not None
        return model.index_of(self.session.tree.get(filter_name))


@pytest.fixture
def panes(qtbot) -> Panes:
    return Panes(qtbot)


def test_a_new_store_selects_its_first_connection_and_frame_in_every_pane(panes: Panes) -> None:
    store = load_capture(capture_path("websockets-echo.pcapng"))
    panes.session.set_store(store)
    first = store.connections[0]
    assert panes.connections.table_model.rowCount() == len(store.connections)
    assert panes.connections.currentIndex().row() == 0
    assert panes.frames.table_model.rowCount() == len(first.frames)
    assert panes.frames.currentIndex().row() == 0
    assert panes.fields.tree_model.field(panes.fields.currentIndex()) is panes.session.tree
    assert panes.hex.data == first.frames[0].frame.raw
    assert "Sec-WebSocket-Accept, computed" in panes.handshake.toPlainText()
    assert panes.explanation.toPlainText().startswith("WebSocket  (websocket)")


def test_every_pane_follows_the_frame_selection_and_a_click_moves_it(panes: Panes) -> None:
    store = load_capture(capture_path("websockets-echo.pcapng"))
    panes.session.set_store(store)
    frames = store.connections[0].frames
    for row in (3, 1, len(frames) - 1, 0):
        panes.session.select_frame(row)
        assert panes.frames.currentIndex().row() == row
        assert panes.hex.data == frames[row].frame.raw[: len(panes.hex.data)]
        assert panes.fields.tree_model.field(panes.fields.currentIndex()) is panes.session.tree
        assert panes.session.tree is not None and panes.session.tree.value == frames[row].frame.opcode
    panes.frames.selectRow(2)  # the user clicks a row
    assert panes.session.frame is frames[2]
    panes.session.step_frame(1)
    assert panes.frames.currentIndex().row() == 3
    panes.session.step_frame(-10)
    assert panes.frames.currentIndex().row() == 0


def test_fields_hex_and_explanation_follow_the_field_selection(panes: Panes) -> None:
    panes.session.set_store(load_capture(capture_path("websockets-echo.pcapng")))
    panes.fields.setCurrentIndex(panes.field_index("websocket.opcode"))  # the user clicks a field
    node = panes.session.field
    assert node is not None and node.filter_name == "websocket.opcode"
    assert panes.hex.highlighted_bit_text() == "0001"
    assert panes.explanation.toPlainText().startswith("Opcode  (websocket.opcode)\nbits 4–7 of the frame")
    unmasked = panes.session.tree.get("websocket.unmasked_payload")  # type: ignore[union-attr]
    panes.session.select_field(unmasked)  # the model selects: the tree's cursor follows
    assert panes.fields.tree_model.field(panes.fields.currentIndex()) is unmasked
    assert unmasked.shown_in == UNMASKED_BYTES and panes.hex.highlighted_ascii_text() == "hello"
    assert f"Value: {field_value(unmasked)}" in panes.explanation.toPlainText()


def test_every_pane_follows_the_connection_selection(panes: Panes) -> None:
    store = load_capture(capture_path("websockets-violations.pcapng"))
    assert len(store.connections) >= 3
    panes.session.set_store(store)
    first_handshake = panes.handshake.toPlainText()
    for row in (2, len(store.connections) - 1):
        record = store.connections[row]
        panes.connections.selectRow(row)  # the user clicks a connection
        assert panes.session.connection is record
        assert panes.frames.table_model.rowCount() == len(record.frames)
        assert panes.frames.currentIndex().row() == 0
        assert panes.hex.data == record.frames[0].frame.raw[: len(panes.hex.data)]
        assert panes.explanation.toPlainText().startswith("WebSocket  (websocket)")
        assert panes.handshake.toPlainText() != first_handshake
    panes.session.select_connection(store.connections[0])  # and the model goes back
    assert panes.connections.currentIndex().row() == 0
    assert panes.handshake.toPlainText() == first_handshake
    panes.session.set_store(None)
    for table in (panes.connections, panes.frames):
        assert table.model().rowCount() == 0
    assert panes.handshake.toPlainText() == panes.explanation.toPlainText() == ""
    assert panes.hex.data == b"" and panes.fields.tree_model.rowCount() == 0


@pytest.fixture
def english() -> Iterator[None]:
    yield
    teaching.use_catalogue({})


def _everything_but_the_explanation(panes: Panes) -> list[object]:
    fields = panes.fields.tree_model
    tree = panes.session.tree
    assert tree is not None
    return [
        [fields.index_of(node).siblingAtColumn(1).data() for node in tree.walk()],
        [panes.frames.table_model.index(r, c).data() for r in range(3) for c in range(8)],
        panes.hex.data, panes.hex.highlighted_hex_text(), panes.hex.caption.text(), panes.handshake.toPlainText(),
    ]


def test_a_teaching_catalogue_changes_the_explanation_and_nothing_else(panes: Panes, english: None) -> None:
    panes.session.set_store(load_capture(capture_path("websockets-echo.pcapng")))
    fin = panes.session.tree.get("websocket.fin")  # type: ignore[union-attr]
    mask = panes.session.tree.get("websocket.mask")  # type: ignore[union-attr]
    panes.session.select_field(mask)
    mask_before = panes.explanation.toPlainText()
    panes.session.select_field(fin)
    fin_before = panes.explanation.toPlainText()
    rest_before = _everything_but_the_explanation(panes)
    teaching.use_catalogue({"field:websocket.fin": "Das FIN-Bit beendet eine Nachricht."})
    panes.session.select_field(mask)
    assert panes.explanation.toPlainText() == mask_before
    panes.session.select_field(fin)
    fin_after = panes.explanation.toPlainText()
    assert "Das FIN-Bit beendet eine Nachricht. (RFC 6455 §5.2, §5.4)" in fin_after
    assert fin_after.replace("Das FIN-Bit beendet eine Nachricht.", fin.explanation) != fin_before
    assert fin_after.split("\n\n")[0] == fin_before.split("\n\n")[0]  # name, bits and value as before
    assert _everything_but_the_explanation(panes) == rest_before
