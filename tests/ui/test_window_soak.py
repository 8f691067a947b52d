"""Soak: everything a user can click through in every bundled capture, in one real window.

For each capture in resources/captures/: open it, and for each connection step through all frames
the ways a user does (F8/F7 key presses, the Go menu's actions), selecting every field of every
frame's tree, the 70,000-byte payload included, and clicking every tab beside the bytes on every
frame (masking, diagram with a click on each of its fields, payload in each of its forms, violations,
messages), with the connection state strip and the handshake read each time. A Qt binding that
leaks a reference per call (see test_qt_binding_refcount.py) aborts the process somewhere in here;
a wrong index or a slow highlighter shows up too. At the end the window must still answer.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QModelIndex, Qt, QTimer

from inspector.ui.main_window import MainWindow
from inspector.ui.widgets.masking import FIRST_ROWS
from tests.ui.windows import new_window

CAPTURES = sorted((Path(__file__).resolve().parents[2] / "resources" / "captures").glob("*.pcap*"))


def _all_indexes(model, parent: QModelIndex = QModelIndex()) -> list[QModelIndex]:  # noqa: B008
    found = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        found.append(index)
        found += _all_indexes(model, index)
    return found


def _select_every_field(window: MainWindow) -> int:
    indexes = _all_indexes(window.fields_model)
    for index in indexes:
        window.fields_view.setCurrentIndex(index)
        assert window.explanation_pane.toPlainText()  # each selection really reached the panes
    return len(indexes)


def _click_every_pane(qtbot, window: MainWindow) -> int:
    """Click each tab beside the bytes, as a user does, and use what it offers; returns the tabs clicked."""
    record = window.session.frame
    assert record is not None
    frame = record.frame
    tabs = window.detail_tabs
    bar = tabs.tabBar()
    for number in range(tabs.count()):
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(number).center())
        assert tabs.currentIndex() == number
        page = tabs.widget(number)
        if page is window.masking_pane:
            shown = page.model.rowCount()
            assert shown == (min(FIRST_ROWS, len(frame.payload)) if frame.masked else 0)
            if page.more_button.isVisible() and page.more_button.isEnabled():
                qtbot.mouseClick(page.more_button, Qt.MouseButton.LeftButton)
                assert page.model.rowCount() > shown
        elif page is window.diagram_pane:
            names = list(dict.fromkeys(cell.filter_name for cell in page.cells()))
            assert "websocket.opcode" in names
            for name in names:
                box = page.cells_of(name)[0]
                qtbot.mouseClick(page, Qt.MouseButton.LeftButton, pos=box.center())
                assert page.selected_field() == name
                assert window.session.field is not None and window.session.field.filter_name == name
        elif page is window.payload_pane:
            for mode in range(page.mode_box.count()):
                if page.mode_box.model().item(mode).isEnabled():
                    page.mode_box.setCurrentIndex(mode)
                    assert page.mode == page.mode_box.itemData(mode)
            page.mode_box.setCurrentIndex(0)
        elif page is window.messages_pane:
            current = page.tree.currentIndex()
            if record.message is not None:  # the messages view follows the frame to its message
                row = current.parent().row() if current.parent().isValid() else current.row()
                assert page.tree_model.message(row) is record.message
        elif page is window.violations_pane:
            assert page.model.rowCount() >= (1 if frame.violations else 0)
    assert window.state_strip.phase in ("connecting", "open", "closing", "closed")
    assert window.handshake_pane.toPlainText()
    tabs.setCurrentWidget(window.hex_view)
    return tabs.count()


def _step_the_timeline_and_play(qtbot, window: MainWindow) -> int:
    """Every frame of the session with the timeline's keys (Home, then Right to the end, a message and a
    connection step now and then), then the whole capture played at 16x on the real clock."""
    store = window.store
    assert store is not None
    strip = window.timeline
    strip.setFocus()
    qtbot.keyClick(strip, Qt.Key.Key_Home)
    steps = 1 if store.frame_positions else 0
    for number in range(1, len(store.frame_positions)):
        qtbot.keyClick(strip, Qt.Key.Key_Right)
        assert strip.current_frame() == number
        steps += 1
        if number % 5 == 0:
            qtbot.keyClick(strip, Qt.Key.Key_Right, Qt.KeyboardModifier.ShiftModifier)
            qtbot.keyClick(strip, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
            strip.stepper.go_to_frame(number)
    if store.frame_positions:
        window.playback_bar.speed_box.setCurrentIndex(window.playback_bar.speed_box.count() - 1)
        assert window.player.speed == 16.0
        with qtbot.waitSignal(window.player.finished, timeout=20_000):
            qtbot.keyClick(strip, Qt.Key.Key_Home)
            window.player.play()
        assert window.frames_model.rowCount() == len(window.session.connection.frames)
        window.player.stop()
    return steps


def test_step_through_every_frame_and_field_of_every_sample(qtbot, tmp_path: Path) -> None:
    assert len(CAPTURES) >= 3, CAPTURES
    window = new_window(qtbot, tmp_path / "settings.ini")
    qtbot.waitExposed(window)
    window.activateWindow()
    frames_seen = fields_seen = largest = timeline_steps = tabs_clicked = 0
    for capture in CAPTURES:
        with qtbot.waitSignal(window.capture_loaded, timeout=20_000):
            window.open_file(str(capture))
        for connection in range(window.connections_model.rowCount()):
            window.connections_view.selectRow(connection)
            rows = window.frames_model.rowCount()
            for row in range(rows):
                assert window.frames_view.currentIndex().row() == row
                largest = max(largest, len(window.hex_view.data))
                fields_seen += _select_every_field(window)
                tabs_clicked += _click_every_pane(qtbot, window)
                frames_seen += 1
                if row + 1 < rows:
                    # Alternate the two ways forward, and go back and forth now and then.
                    if row % 2:
                        window.next_action.trigger()
                    else:
                        qtbot.keyClick(window.frames_view, Qt.Key.Key_F8)
                    if row % 3 == 0:
                        qtbot.keyClick(window.frames_view, Qt.Key.Key_F7)
                        window.next_action.trigger()
            for _ in range(rows):  # and all the way back with the other action
                window.previous_action.trigger()
            # A pre-RFC (hixie) session has text messages but no RFC 6455 frames to step through.
            assert window.frames_view.currentIndex().row() == (0 if rows else -1)
        timeline_steps += _step_the_timeline_and_play(qtbot, window)
    assert frames_seen >= 40 and fields_seen > 10 * frames_seen
    assert tabs_clicked == frames_seen * window.detail_tabs.count() and window.detail_tabs.count() >= 6
    assert timeline_steps == frames_seen  # the timeline went over every frame of every capture
    assert largest >= 64 * 1024  # the 70,000-byte frame was shown (up to the pane's limit) and highlighted
    # Still alive and answering: the event loop runs a timer, and the window reacts to a key.
    with qtbot.waitSignal(window.capture_loaded, timeout=20_000):
        QTimer.singleShot(0, lambda: window.open_file(str(CAPTURES[0])))
    window.frames_view.selectRow(0)
    qtbot.keyClick(window.frames_view, Qt.Key.Key_F8)
    assert window.frames_view.currentIndex().row() == 1
