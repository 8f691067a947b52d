"""The messages view follows the frame selection: a frame picked in the frames table (or by F8) selects
its row under the message it belongs to, and the message's data shows; a frame of no message clears it.
Picking a message there still selects its frames, also after the selection left it."""

from __future__ import annotations

import pytest

from inspector.resources import capture_path
from inspector.ui.main_window import MainWindow

FRAGMENTED = [6, 7, 8, 9]  # websockets-echo: "frag-one frag-two frag-three" from the client in four frames


@pytest.fixture
def window(qtbot, exposed_window: MainWindow) -> MainWindow:
    with qtbot.waitSignal(exposed_window.capture_loaded, timeout=20_000):
        exposed_window.open_file(str(capture_path("websockets-echo.pcapng")))
    return exposed_window


def shown_in_messages(window: MainWindow) -> tuple[int, int]:
    """(message row, frame row under it) of the messages tree's current index; (-1, -1) for none."""
    index = window.messages_pane.tree.currentIndex()
    if not index.isValid():
        return -1, -1
    parent = index.parent()
    return (parent.row(), index.row()) if parent.isValid() else (index.row(), -1)


def test_a_frame_selected_in_the_table_selects_its_message(qtbot, window: MainWindow) -> None:
    model = window.messages_pane.tree_model
    fragmented = next(row for row in range(model.rowCount()) if len(model.message(row).frame_indices) > 1)
    for place, row in enumerate(FRAGMENTED):
        window.frames_view.selectRow(row)
        assert window.session.frame_row == row  # the frame selection stays where the user put it
        assert shown_in_messages(window) == (fragmented, place)
        assert window.messages_pane.tree.isExpanded(model.index(fragmented, 0))
        assert "frag-one frag-two frag-three" in window.messages_pane.detail.toPlainText()
    window.next_action.trigger()  # F8 to frame 10, the server's echo: a message of its own
    echo = model.row_of(window.session.frame.message)
    assert echo != fragmented and shown_in_messages(window) == (echo, 0)
    assert model.index(echo, 0).data() == f"message {echo + 1} (1 frames)"
    window.frames_view.selectRow(11)  # a Ping belongs to no message
    assert shown_in_messages(window) == (-1, -1)
    assert window.messages_pane.detail.toPlainText() == ""


def test_picking_a_message_after_the_selection_left_it_selects_its_frames(window: MainWindow) -> None:
    model = window.messages_pane.tree_model
    fragmented = next(row for row in range(model.rowCount()) if len(model.message(row).frame_indices) > 1)
    window.messages_pane.tree.setCurrentIndex(model.index(fragmented, 0))
    assert window.session.frame_row == FRAGMENTED[0]
    window.frames_view.selectRow(0)  # the first "hello": another message
    assert window.session.message is None and shown_in_messages(window) == (0, 0)
    window.messages_pane.tree.setCurrentIndex(model.index(fragmented, 0))  # back to the fragmented one
    assert window.session.frame_row == FRAGMENTED[0]
    assert sorted(i.row() for i in window.frames_view.selectionModel().selectedRows()) == FRAGMENTED
    assert shown_in_messages(window) == (fragmented, -1)


@pytest.mark.parametrize("name", ["websockets-echo.pcapng", "websockets-violations.pcapng", "chromium-deflate.pcapng",
                                  "hixie-76.pcapng"])
def test_a_message_has_children_exactly_when_it_has_frame_rows(qtbot, exposed_window: MainWindow, name: str) -> None:
    """hasChildren answers from the store's numbers (the tree asks it of every message as it lays them out); it
    must say what rowCount says, asked first and asked after the rows were built. hixie-76's messages have no
    frame rows at all."""
    with qtbot.waitSignal(exposed_window.capture_loaded, timeout=20_000):
        exposed_window.open_file(str(capture_path(name)))
    model = exposed_window.messages_pane.tree_model
    checked = 0
    for connection in exposed_window.store.connections:
        exposed_window.session.select_connection(connection)
        rows = range(model.rowCount())
        first = [model.hasChildren(model.index(row, 0)) for row in rows]
        counted = [model.rowCount(model.index(row, 0)) > 0 for row in rows]
        assert first == counted == [model.hasChildren(model.index(row, 0)) for row in rows]
        checked += len(counted)
    assert checked > 0
