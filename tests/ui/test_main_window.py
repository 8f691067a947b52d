"""The window, driven through real widgets offscreen (QT_QPA_PLATFORM=offscreen, set in conftest)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt

from inspector.ui.main_window import MainWindow
from tests.capture.synth import Flow, pcap_bytes, upgrade_request, upgrade_response, ws_frame
from tests.ui.windows import open_and_wait

ROOT = Path(__file__).resolve().parents[2]
ECHO = ROOT / "resources" / "captures" / "websockets-echo.pcapng"
CHROMIUM = ROOT / "resources" / "captures" / "chromium-deflate.pcapng"
KEY = bytes.fromhex("37fa213d")


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, settings: QSettings) -> MainWindow:
    win = MainWindow(settings)
    qtbot.addWidget(win)
    win.show()
    return win


def select_field(window: MainWindow, filter_name: str) -> None:
    model = window.fields_model

    def search(parent):
        for row in range(model.rowCount(parent)):
            index = model.index(row, 0, parent)
            if model.field(index).filter_name == filter_name:
                return index
            found = search(index)
            if found is not None:
                return found
        return None

    from PySide6.QtCore import QModelIndex

    index = search(QModelIndex())
    assert index is not None, filter_name
    window.fields_view.setCurrentIndex(index)


def test_opens_a_capture_and_lists_connection_and_frames(qtbot, window: MainWindow) -> None:
    open_and_wait(qtbot, window, ECHO)
    assert window.connections_model.rowCount() == 1
    assert window.frames_model.rowCount() == 15  # what `inspector dump` counts for this file
    first_payload = window.frames_model.index(0, 6).data()
    assert first_payload == "hello"
    assert "Sec-WebSocket-Accept, computed" in window.handshake_pane.toPlainText()
    assert "✓ matches" in window.handshake_pane.toPlainText()
    assert "15 frames" in window.status_label.text()


def test_selecting_a_field_highlights_exactly_its_bits(qtbot, window: MainWindow) -> None:
    open_and_wait(qtbot, window, ECHO)
    window.frames_view.selectRow(0)  # client "hello": 81 85 <key> <masked>
    select_field(window, "websocket.opcode")
    assert window.hex_view.highlighted_hex_text() == "81"
    assert window.hex_view.highlighted_bit_text() == "0001"
    assert "opcode" in window.explanation_pane.toPlainText().lower()
    select_field(window, "websocket.fin")
    assert window.hex_view.highlighted_bit_text() == "1"
    select_field(window, "websocket.masking_key")
    assert len(window.hex_view.highlighted_bit_text()) == 32


def test_sixty_four_bit_length_is_highlighted_across_eight_bytes(qtbot, window: MainWindow) -> None:
    open_and_wait(qtbot, window, ECHO)
    row = next(r for r in range(window.frames_model.rowCount()) if window.frames_model.index(r, 5).data() == 70000)
    window.frames_view.selectRow(row)
    select_field(window, "websocket.payload_length_ext_64")
    assert window.hex_view.highlighted_hex_text().split() == ["00", "00", "00", "00", "00", "01", "11", "70"]


def test_compressed_message_shows_inflated_text(qtbot, window: MainWindow) -> None:
    open_and_wait(qtbot, window, CHROMIUM)
    assert window.frames_model.index(0, 6).data() == "(inflated) hello from chromium"
    assert window.connections_model.index(0, 5).data() == 0  # no false violations


def test_payload_markup_is_shown_as_plain_text(qtbot, window: MainWindow, tmp_path: Path) -> None:
    flow = Flow()
    packets = flow.handshake()
    packets += flow.send("client", upgrade_request())
    packets += flow.send("server", upgrade_response())
    packets += flow.send("client", ws_frame(1, b"<b>bold</b><img src=x>", mask=KEY))
    path = tmp_path / "markup.pcap"
    path.write_bytes(pcap_bytes(packets))
    open_and_wait(qtbot, window, path)
    assert window.frames_model.index(0, 6).data() == "<b>bold</b><img src=x>"
    assert window.frames_model.index(0, 6).data(Qt.ItemDataRole.ToolTipRole) is None
    select_field(window, "websocket.payload.text")
    assert "<b>bold</b>" in window.fields_model.index(0, 0).model().data(
        window.fields_view.currentIndex().siblingAtColumn(1)
    )


def test_a_garbage_file_gives_a_one_line_message_and_keeps_the_window(qtbot, window: MainWindow, tmp_path) -> None:
    open_and_wait(qtbot, window, ECHO)
    garbage = tmp_path / "garbage.pcap"
    garbage.write_bytes(b"this is not a capture file at all" * 10)
    with qtbot.waitSignal(window.load_failed, timeout=10_000) as blocker:
        window.open_file(str(garbage))
    message = blocker.args[0]
    assert "\n" not in message and "not a pcap or pcapng" in message
    assert window.error_box is not None and window.error_box.isVisible()
    assert window.frames_model.rowCount() == 15  # the open capture is not lost


def test_violations_are_listed_and_coloured(qtbot, window: MainWindow, tmp_path: Path) -> None:
    flow = Flow()
    packets = flow.handshake()
    packets += flow.send("client", upgrade_request())
    packets += flow.send("server", upgrade_response())
    packets += flow.send("client", ws_frame(0x3, b"?", mask=KEY))  # reserved opcode
    path = tmp_path / "bad.pcap"
    path.write_bytes(pcap_bytes(packets))
    open_and_wait(qtbot, window, path)
    assert window.frames_model.index(0, 7).data() == "reserved-opcode"
    assert window.frames_model.index(0, 7).data(Qt.ItemDataRole.BackgroundRole) is not None
    select_field(window, "websocket.opcode")
    assert "reserved-opcode" in window.explanation_pane.toPlainText()


def test_frame_stepping_with_the_keyboard(qtbot, window: MainWindow) -> None:
    open_and_wait(qtbot, window, ECHO)
    window.frames_view.selectRow(0)
    window.next_action.trigger()
    window.next_action.trigger()
    assert window.frames_view.currentIndex().row() == 2
    window.previous_action.trigger()
    assert window.frames_view.currentIndex().row() == 1


def test_recent_files_and_layout_are_remembered(qtbot, settings: QSettings) -> None:
    first = MainWindow(settings)
    qtbot.addWidget(first)
    first.show()
    open_and_wait(qtbot, first, ECHO)
    first.main_splitter.setSizes([300, 980])
    sizes = first.main_splitter.sizes()
    first.close()
    second = MainWindow(settings)
    qtbot.addWidget(second)
    second.show()
    assert second.recent_files()[0] == str(ECHO)
    assert second.recent_menu.actions()[0].text() == str(ECHO)
    # The offscreen screen may be smaller than the saved window, so compare proportions.
    restored = second.main_splitter.sizes()
    assert restored[0] / sum(restored) == pytest.approx(sizes[0] / sum(sizes), abs=0.01)
    assert restored[0] / sum(restored) != pytest.approx(380 / 1280, abs=0.01)  # not the default split


def test_loading_can_be_cancelled(qtbot, window: MainWindow, tmp_path: Path) -> None:
    flow = Flow()
    packets = flow.handshake()
    packets += flow.send("client", upgrade_request())
    packets += flow.send("server", upgrade_response())
    for _ in range(30_000):
        packets += flow.send("client", ws_frame(1, b"x", mask=KEY))
    path = tmp_path / "big.pcap"
    path.write_bytes(pcap_bytes(packets))
    with qtbot.waitSignal(window.loader.cancelled, timeout=20_000):
        window.open_file(str(path))
        window.cancel_button.click()
    qtbot.waitUntil(lambda: not window.loader.busy, timeout=5_000)
    assert window.status_label.text() == "Loading cancelled"
    assert window.store is None


def test_models_obey_qt_item_model_rules(qtbot, qtmodeltester, window: MainWindow) -> None:
    open_and_wait(qtbot, window, CHROMIUM)
    window.frames_view.selectRow(2)  # the 70,000-character text inflated from one frame
    qtmodeltester.check(window.connections_model)
    qtmodeltester.check(window.frames_model)
    qtmodeltester.check(window.fields_model)
    assert window.fields_model.rowCount() == 1


def test_close_frames_preview_code_and_reason(qtbot, window: MainWindow) -> None:
    open_and_wait(qtbot, window, CHROMIUM)
    rows = window.frames_model.rowCount()
    previews = [window.frames_model.index(r, 6).data() for r in range(rows)]
    assert previews[-2:] == ["1000 Normal Closure · bye", "1000 Normal Closure · bye"]
    assert previews[2] == "(inflated) " + "A" * 80


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "inspector", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=60)


def test_a_truncated_file_is_reported_in_the_cli_s_words(qtbot, window: MainWindow, tmp_path: Path) -> None:
    cut = tmp_path / "cut.pcapng"
    cut.write_bytes(ECHO.read_bytes()[:-150])  # ends inside the last packet's record
    warning = _cli("dump", str(cut)).stderr.strip()
    assert warning.startswith("inspector: warning: ") and "is truncated" in warning
    sentence = warning.removeprefix("inspector: warning: ")
    open_and_wait(qtbot, window, cut)
    assert window.status_label.text().endswith(f"warning: {sentence}")
    notice = window.notice_box
    assert notice is not None and notice.isVisible() and notice.text() == sentence
    assert notice.windowModality() == Qt.WindowModality.NonModal and not notice.isModal()
    assert window.frames_model.rowCount() > 0  # what was complete is shown
    window.next_action.trigger()  # and the window is still usable behind the notice
    assert window.frames_view.currentIndex().row() == 1


def test_a_complete_file_gets_no_truncated_notice(qtbot, window: MainWindow) -> None:
    open_and_wait(qtbot, window, ECHO)
    assert window.notice_box is None and "warning" not in window.status_label.text()


@pytest.mark.parametrize("name", ["missing.pcap", "a-directory"])
def test_load_errors_read_like_the_cli_s(qtbot, window: MainWindow, tmp_path: Path, name: str) -> None:
    path = tmp_path / name
    if name == "a-directory":
        path.mkdir()
    error = _cli("dump", str(path))
    assert error.returncode == 2
    with qtbot.waitSignal(window.load_failed, timeout=10_000) as blocker:
        window.open_file(str(path))
    assert f"inspector: error: {blocker.args[0]}" == error.stderr.strip()
    assert blocker.args[0].endswith(("no such file", "is a directory"))
    assert window.error_box is not None and window.error_box.informativeText() == blocker.args[0]


DEFLATE = ROOT / "resources" / "captures" / "websockets-deflate.pcapng"


def _select_frame(window: MainWindow, index: int) -> None:
    row = next(r for r in range(window.frames_model.rowCount()) if window.frames_model.index(r, 0).data() == index)
    window.frames_view.selectRow(row)


def _value_of(window: MainWindow, filter_name: str) -> str:
    select_field(window, filter_name)
    return window.fields_view.currentIndex().siblingAtColumn(1).data()


def test_rsv1_of_a_compressed_continuation_says_why_it_is_0(qtbot, window: MainWindow) -> None:
    open_and_wait(qtbot, window, DEFLATE)  # frames 6-9: one compressed text message in four frames
    _select_frame(window, 6)
    assert _value_of(window, "websocket.rsv1") == "True · message compressed (permessage-deflate)"
    for index in (7, 8, 9):
        _select_frame(window, index)
        value = _value_of(window, "websocket.rsv1")
        assert "not compressed" not in value
        assert value.startswith("False · 0 as required: RFC 7692 §6.1 sets RSV1 on a message's first frame only")
        assert "belongs to a compressed message" in window.explanation_pane.toPlainText()


def test_compressed_continuations_preview_as_parts_and_show_the_inflated_message(qtbot, window: MainWindow) -> None:
    open_and_wait(qtbot, window, DEFLATE)
    previews = {window.frames_model.index(r, 0).data(): window.frames_model.index(r, 6).data()
                for r in range(window.frames_model.rowCount())}
    assert previews[6] == "(inflated) frag-one frag-two frag-three"
    assert [previews[i] for i in (7, 8, 9)] == [f"(part {n} of 4 of a compressed message)" for n in (2, 3, 4)]
    _select_frame(window, 9)  # the last part: 1 byte on the wire, the whole message in the tree and hex pane
    assert _value_of(window, "websocket.payload.inflated").startswith("28 bytes · the whole message, from frames 6, 7")
    assert window.hex_view.caption.text() == "Message of frames 6–9, inflated: 28 bytes"
    assert window.hex_view.highlighted_ascii_text() == "frag-one frag-two frag-three"
    select_field(window, "websocket.payload.text")
    assert window.hex_view.highlighted_ascii_text() == "frag-one frag-two frag-three"
    select_field(window, "websocket.masked_payload")  # back to the bytes as captured
    assert window.hex_view.caption.text() == "Frame 9 as captured: 7 bytes, payload masked"
    assert len(window.hex_view.highlighted_hex_text().split()) == 1


def test_unmasked_fields_show_the_unmasked_bytes(qtbot, window: MainWindow) -> None:
    open_and_wait(qtbot, window, ECHO)
    _select_frame(window, 0)  # the client's masked "hello"
    select_field(window, "websocket.masked_payload")
    masked = window.hex_view.highlighted_hex_text()
    assert window.hex_view.highlighted_ascii_text() != "hello"
    select_field(window, "websocket.unmasked_payload")
    assert window.hex_view.highlighted_hex_text() == "68 65 6c 6c 6f" != masked
    assert window.hex_view.highlighted_ascii_text() == "hello"
    assert window.hex_view.caption.text().startswith("Frame 0 with its payload unmasked (XOR with ")
    select_field(window, "websocket.payload.text")
    assert window.hex_view.highlighted_ascii_text() == "hello"
    select_field(window, "websocket.masking_key")  # a header field: the hex pane holds the captured frame again
    assert window.hex_view.caption.text() == "Frame 0 as captured: 11 bytes, payload masked"
    _select_frame(window, 13)  # the client's masked close, 1000
    select_field(window, "websocket.payload.close.status_code")
    assert window.hex_view.highlighted_hex_text() == "03 e8"
    _select_frame(window, 11)  # the client's masked ping
    assert _value_of(window, "websocket.payload.ping") == "ping-data · UTF-8 text"
    assert window.hex_view.highlighted_ascii_text() == "ping-data"


def test_the_explanation_pane_does_not_repeat_a_value(qtbot, window: MainWindow) -> None:
    open_and_wait(qtbot, window, ECHO)
    _select_frame(window, 11)
    select_field(window, "websocket.opcode")
    assert "Value: Ping (9)\n" in window.explanation_pane.toPlainText()
    _select_frame(window, 14)
    select_field(window, "websocket.payload.close.status_code")
    assert "Value: Normal Closure (1000)\n" in window.explanation_pane.toPlainText()
    select_field(window, "websocket.fin")
    assert "Value: True · last fragment\n" in window.explanation_pane.toPlainText()


def test_a_long_value_is_cut_in_the_tree_and_the_explanation(qtbot, window: MainWindow) -> None:
    open_and_wait(qtbot, window, CHROMIUM)
    _select_frame(window, 2)  # 70,000 "A"s inflated from 86 bytes
    value = _value_of(window, "websocket.payload.text")
    assert value == "A" * 400 + "… (69600 more characters)"
    assert f"Value: {value}" in window.explanation_pane.toPlainText()


def test_a_field_far_down_a_large_frame_is_lit_where_the_pane_scrolls(qtbot, window: MainWindow) -> None:
    open_and_wait(qtbot, window, ECHO)
    _select_frame(window, 5)  # the server's 70,000 bytes, unmasked: its payload spans every row
    select_field(window, "websocket.payload")
    rows_at_top = len(window.hex_view.highlighted_hex_text().split()) // 16
    assert 0 < rows_at_top < 200  # only the rows in view (and a few more) carry a highlight
    bar = window.hex_view.hex_text.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    top = window.hex_view.hex_text.firstVisibleBlock().blockNumber()
    lit = window.hex_view.highlighted_hex_text().split()
    assert len(lit) >= 16 * 5
    # what is lit now is what is in view: the row at the top of the pane is among the highlighted bytes
    row_text = window.hex_view.hex_text.document().findBlockByNumber(top).text()
    assert " ".join(row_text.split()[1:17]) in " ".join(lit)



# Opens the sample in a window on a screen of the given size (an offscreen screen set by a config
# file, so it runs in its own process) and reports what would be cut off.
MEASURE_WINDOW = """
import json, sys
from PySide6.QtWidgets import QApplication
from inspector.ui.main_window import MainWindow
app = QApplication([])
window = MainWindow()
window.show()

def measure(_path):
    room = window.screen().availableGeometry()
    hex_text = window.hex_view.hex_text
    window.frames_view.selectRow(2)  # 200 bytes: full rows of 16
    row = hex_text.document().findBlockByNumber(0).text()
    print(json.dumps({
        "window": [window.width(), window.height()], "screen": [room.width(), room.height()],
        "handshake_scroll": window.handshake_pane.horizontalScrollBar().maximum(),
        "last_handshake_line": window.handshake_pane.toPlainText().splitlines()[-1].strip(),
        "connections": [window.connections_view.horizontalHeader().length(),
                        window.connections_view.viewport().width()],
        "hex_row": [hex_text.fontMetrics().horizontalAdvance(row), hex_text.viewport().width()],
        "root_value": [window.fields_view.visualRect(window.fields_model.index(0, 1)).width(),
                       window.fields_view.fontMetrics().horizontalAdvance(window.fields_model.index(0, 1).data())],
    }))
    app.quit()

window.capture_loaded.connect(measure)
window.open_file(sys.argv[1])
app.exec()
"""


@pytest.mark.parametrize("size", [(1280, 800), (1600, 1000)])
def test_the_window_fits_its_screen_and_nothing_important_is_cut(tmp_path: Path, size: tuple[int, int]) -> None:
    import json

    config = tmp_path / "screen.json"
    config.write_text(json.dumps({"screens": [{"name": "s", "x": 0, "y": 0, "width": size[0], "height": size[1],
                                              "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    env = {**os.environ, "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    result = subprocess.run([sys.executable, "-c", MEASURE_WINDOW, str(ECHO)], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["screen"] == list(size)
    assert seen["window"][0] <= size[0] and seen["window"][1] <= size[1]
    assert seen["handshake_scroll"] == 0  # long lines wrap: nothing hides to the right
    assert seen["last_handshake_line"] == "✓ matches"
    shown, room = seen["connections"]
    assert shown <= room  # every column of the connections table in view
    text, room = seen["hex_row"]
    assert text <= room  # a full row of 16 bytes and its ASCII
    cell, text = seen["root_value"]
    assert text + 6 <= cell  # "Binary frame, 200 bytes" whole, with the cell's margins
