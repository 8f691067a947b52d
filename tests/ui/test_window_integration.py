"""The teaching panes, the crafter, the filter and find bars, export and copy, in the real window
over the bundled captures; the CLI (`inspector dump`) and tshark are the references."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication

from inspector.ui.main_window import MainWindow
from tests.ui.windows import new_window, open_and_wait

ROOT = Path(__file__).resolve().parents[2]
CAPTURES = ROOT / "resources" / "captures"
ECHO = CAPTURES / "websockets-echo.pcapng"
VIOLATIONS = CAPTURES / "websockets-violations.pcapng"
DEFLATE = CAPTURES / "websockets-deflate.pcapng"
PORT = 8765  # the bundled captures' server port
ISSUE_FILTERS = [
    "websocket.opcode == 9",
    "websocket.mask == 0 && direction == client",
    "websocket.payload_length > 125",
    "violation",
    'violation == "invalid-utf8"',
    'text contains "hello"',
    "!(websocket.opcode in {9 10})",
]


@pytest.fixture
def window(qtbot, tmp_path: Path) -> MainWindow:
    win = new_window(qtbot, tmp_path / "settings.ini")
    return win


def dump_json(*args: str) -> list[dict]:
    done = subprocess.run([sys.executable, "-m", "inspector", "dump", "--json", *args],
                          capture_output=True, text=True, check=True)
    return [json.loads(line) for line in done.stdout.splitlines()]


def shown_frames(window: MainWindow) -> list[tuple[int, int]]:
    """(connection id, frame index) of every frame the table shows, over every connection."""
    shown = []
    for row in range(window.connections_model.rowCount()):
        window.connections_view.selectRow(row)
        connection = window.session.connection
        assert connection is not None
        for proxy_row in range(window.frames_view.model().rowCount()):
            shown.append((connection.id, int(window.frames_view.model().index(proxy_row, 0).data())))
    return shown


def test_selecting_a_field_lights_the_diagram_and_clicking_a_cell_selects_the_field(qtbot, window) -> None:
    open_and_wait(qtbot, window, ECHO)
    window.show_pane("diagram")
    window.session.select_frame(0)  # a client's masked text frame
    key = window.session.tree.find("websocket.masking_key")
    window.session.select_field(key)
    assert window.diagram_pane.selected_field() == "websocket.masking_key"
    assert window.diagram_pane.lit_cells() and all(c.filter_name == "websocket.masking_key"
                                                   for c in window.diagram_pane.lit_cells())
    assert window.fields_model.field(window.fields_view.currentIndex()) is key
    # And back: a click on the opcode's box selects the opcode in the tree.
    qtbot.waitUntil(lambda: bool(window.diagram_pane.cells_of("websocket.opcode")))
    centre = window.diagram_pane.cells_of("websocket.opcode")[0].center()
    qtbot.mouseClick(window.diagram_pane, Qt.MouseButton.LeftButton, pos=centre)
    assert window.fields_model.field(window.fields_view.currentIndex()).filter_name == "websocket.opcode"
    assert window.explanation_pane.toPlainText().startswith("Opcode")


def test_masking_table_follows_the_frame(qtbot, window) -> None:
    open_and_wait(qtbot, window, ECHO)
    window.show_pane("masking")
    window.session.select_frame(0)
    frame = window.session.frame.frame
    assert frame.masked
    assert window.masking_pane.model.total_bytes == len(frame.payload)
    assert window.masking_pane.key_labels[0].text().endswith(f"{frame.masking_key[0]:02x}")


def test_violations_double_click_jumps_to_the_frame_in_its_connection(qtbot, window) -> None:
    open_and_wait(qtbot, window, VIOLATIONS)
    window.show_pane("violations")
    table = window.violations_pane.table
    model = window.violations_pane.model
    assert model.rowCount() > 1
    last = model.rowCount() - 1
    ref = model.row_at(last).frame_ref
    window.connections_view.selectRow(0)
    if ref.connection is window.session.connection and ref.row == window.session.frame_row:
        last, ref = 0, model.row_at(0).frame_ref
    table.scrollTo(model.index(last, 0))
    rect = table.visualRect(model.index(last, 1))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())  # a view wants the press
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.session.connection is ref.connection
    assert window.session.frame_row == ref.row
    assert model.row_at(last).violation in (list(window.session.frame.frame.violations)
                                            + list(window.session.frame.message.violations
                                                   if window.session.frame.message else []))


def test_the_violations_pane_selects_the_selected_frames_violation(qtbot, window) -> None:
    open_and_wait(qtbot, window, VIOLATIONS)
    window.show_pane("violations")
    pane, model = window.violations_pane, window.violations_pane.model
    for number in range(window.store.frame_count):
        window.session.select_session_frame(number)
        record = window.session.frame
        current = pane.table.currentIndex()
        if record.frame.violations:
            assert current.isValid(), number
            ref = model.row_at(current.row()).frame_ref
            assert (ref.connection, ref.row) == (window.session.connection, window.session.frame_row)
            assert model.row_at(current.row()).violation == record.frame.violations[0]
            assert pane.explanation.toPlainText()
        elif not (record.message and record.message.violations):
            assert not current.isValid(), number


@pytest.mark.parametrize("expression", ISSUE_FILTERS)
def test_filter_bar_keeps_the_frames_dump_filter_writes(qtbot, window, expression: str) -> None:
    open_and_wait(qtbot, window, VIOLATIONS)
    window.filter_bar.edit.setText(expression)
    qtbot.keyClick(window.filter_bar.edit, Qt.Key.Key_Return)
    assert not window.filter_bar.has_error
    expected = [(line["connection"], line["index"]) for line in dump_json("--filter", expression, str(VIOLATIONS))
                if line["type"] == "frame"]
    assert sorted(shown_frames(window)) == sorted(expected)


def test_quick_buttons_combine_with_the_expression(qtbot, window) -> None:
    open_and_wait(qtbot, window, ECHO)
    window.filter_bar.hide_control.setChecked(True)
    window.filter_bar.direction.setCurrentIndex(2)
    expected = [(line["connection"], line["index"]) for line in
                dump_json("--filter", "websocket.opcode < 8 && direction == server", str(ECHO))
                if line["type"] == "frame"]
    assert expected and sorted(shown_frames(window)) == sorted(expected)
    window.filter_bar.hide_control.setChecked(False)
    window.filter_bar.direction.setCurrentIndex(0)
    assert window.session.kept is None


def test_filter_syntax_error_turns_red_with_one_line(qtbot, window) -> None:
    open_and_wait(qtbot, window, ECHO)
    window.filter_bar.edit.setText("websocket.opcode == ")
    qtbot.keyClick(window.filter_bar.edit, Qt.Key.Key_Return)
    assert window.filter_bar.has_error
    message = window.filter_bar.message.text()
    assert "column" in message and "\n" not in message
    assert "background" in window.filter_bar.edit.styleSheet()
    window.filter_bar.edit.setText("websocket.opcode == 1")
    qtbot.keyClick(window.filter_bar.edit, Qt.Key.Key_Return)
    assert not window.filter_bar.has_error and window.filter_bar.edit.styleSheet() == ""


def test_filter_completes_field_names(qtbot, window) -> None:
    open_and_wait(qtbot, window, ECHO)
    window.filter_bar.edit.setFocus()
    qtbot.keyClicks(window.filter_bar.edit, "websocket.op")
    model = window.filter_bar.completer.model()
    assert "websocket.opcode" in model.stringList()
    window.filter_bar.completer.activated.emit("websocket.opcode")
    assert window.filter_bar.edit.text() == "websocket.opcode"


def test_find_next_and_previous_in_payloads(qtbot, window) -> None:
    open_and_wait(qtbot, window, ECHO)
    frames = window.session.connection.frames
    wanted = [row for row, record in enumerate(frames) if b"e" in record.frame.payload]
    assert len(wanted) >= 2
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search_bar.isVisible()
    window.search_bar.edit.setText("65")  # "e" typed as hex
    window.search_bar.mode.setCurrentIndex(1)
    window.session.select_frame(wanted[0])
    seen = []
    for _ in range(len(wanted)):
        window.search_bar.find_next()
        seen.append(window.session.frame_row)
    assert set(seen) <= set(wanted) and wanted[1] in seen
    assert window.session.field.filter_name == "websocket.payload"
    here = window.session.frame_row
    window.search_bar.find_next()
    window.search_bar.find_previous()
    assert window.session.frame_row == here
    window.search_bar.edit.setText("(")
    window.search_bar.mode.setCurrentIndex(2)
    window.search_bar.find_next()
    assert "regular expression" in window.search_bar.status.text()


def test_open_in_crafter_loads_the_frame_bits(qtbot, window) -> None:
    open_and_wait(qtbot, window, ECHO)
    window.session.select_frame(0)
    frame = window.session.frame.frame
    window.open_in_crafter_action.trigger()
    assert window.main_tabs.currentWidget() is window.crafter
    specs = window.crafter.current_specs()
    assert specs[0].payload == frame.payload and specs[0].opcode == frame.opcode
    window.show_pane("templates")
    assert window.crafter.left_tabs.currentIndex() == 2


def test_export_jsonl_equals_dump_json(qtbot, window, tmp_path: Path) -> None:
    open_and_wait(qtbot, window, DEFLATE)
    out = tmp_path / "all.jsonl"
    window.export_to("jsonl", str(out))
    assert [json.loads(line) for line in out.read_text().splitlines()] == dump_json(str(DEFLATE))
    window.filter_bar.edit.setText("direction == server")
    window.filter_bar.apply()
    window.export_to("jsonl", str(out), filtered=True)
    expected = dump_json("--filter", "direction == server", str(DEFLATE))
    assert [json.loads(line) for line in out.read_text().splitlines()] == expected


FRAME_KEYS = ("direction", "fin", "rsv1", "rsv2", "rsv3", "opcode", "masked", "payload_length", "masking_key",
              "payload_hex")


def _frames(lines: list[dict]) -> list[tuple]:
    return [tuple(line[k] for k in FRAME_KEYS) for line in lines if line["type"] == "frame"]


@pytest.mark.parametrize("filtered", [False, True])
def test_export_pcapng_reads_back_as_the_same_frames(qtbot, window, tmp_path: Path, filtered: bool) -> None:
    open_and_wait(qtbot, window, ECHO)
    expected = dump_json(str(ECHO))
    if filtered:
        window.filter_bar.edit.setText("direction == client")
        window.filter_bar.apply()
        expected = dump_json("--filter", "direction == client", str(ECHO))
    out = tmp_path / "export.pcapng"
    window.export_to("pcapng", str(out), filtered=filtered)
    assert _frames(dump_json(str(out))) == _frames(expected)
    tshark = shutil.which("tshark")
    assert tshark, "tshark is part of the test environment (.ci/install-system)"
    fields = subprocess.run([tshark, "-r", str(out), "-d", f"tcp.port=={PORT},http", "-Y", "websocket",
                             "-T", "fields", "-e", "websocket.opcode", "-e", "websocket.payload_length",
                             "-e", "websocket.payload_length_ext_16", "-e", "websocket.payload_length_ext_64"],
                            capture_output=True, text=True, check=True).stdout
    # The 7-bit length says 126 or 127 when an extended length follows (RFC 6455 §5.2): the last one is real.
    seen = [(int(values[0]), int([v for v in values[1:] if v][-1]))
            for values in (line.split("\t") for line in fields.splitlines())]
    assert sorted(seen) == sorted((f[5], f[7]) for f in _frames(expected))


def test_export_payload_and_message(qtbot, window, tmp_path: Path) -> None:
    open_and_wait(qtbot, window, DEFLATE)
    window.session.select_frame(0)
    record = window.session.frame
    window.export_to("payload", str(tmp_path / "p.bin"))
    assert (tmp_path / "p.bin").read_bytes() == record.frame.payload
    window.export_to("message", str(tmp_path / "m.bin"))
    assert (tmp_path / "m.bin").read_bytes() == record.message.data


def test_copy_frame_formats_and_field_value(qtbot, window) -> None:
    open_and_wait(qtbot, window, ECHO)
    window.session.select_frame(0)
    raw = window.session.frame.frame.raw
    assert bytes.fromhex(window.copy_frame("hex")) == raw
    assert QGuiApplication.clipboard().text() == raw.hex(" ")
    assert eval(window.copy_frame("bytes")) == raw
    args = window.copy_frame("decode").split()
    assert args[:4] == ["inspector", "decode", "--from", "client"]
    decoded = subprocess.run([sys.executable, "-m", "inspector", *args[1:], "--json"], capture_output=True,
                             text=True, check=True).stdout.splitlines()
    assert json.loads(decoded[0])["payload_hex"] == window.session.frame.frame.payload.hex()
    window.session.select_field_named("websocket.opcode")
    assert window.copy_field_value() == QGuiApplication.clipboard().text() != ""


def test_dropping_a_capture_opens_it(qtbot, window) -> None:
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(VIOLATIONS))])
    event = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, data, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.capture_loaded, timeout=20_000) as blocker:
        window.dropEvent(event)
    assert blocker.args == [str(VIOLATIONS)]


def run_shot(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    done = subprocess.run([sys.executable, "-m", "inspector.ui.app", *args], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path)})
    # The offscreen platform itself warns that it cannot size windows to hints; that line is Qt's, not ours.
    done.stderr = "".join(line for line in done.stderr.splitlines(keepends=True) if "propagateSizeHints" not in line)
    return done


@pytest.mark.parametrize("pane", ["masking", "diagram", "payload", "violations", "handshake", "compare", "crafter",
                                  "templates"])
def test_scripted_screenshot_of_each_pane(tmp_path: Path, pane: str) -> None:
    from PySide6.QtGui import QImage

    out = tmp_path / f"{pane}.png"
    done = run_shot(tmp_path, str(ECHO), "--screenshot", str(out), "--pane", pane, "--frame", "1",
                    "--field", "websocket.opcode", "--size", "900x600")
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (900, 600)


def test_scripted_screenshot_past_the_end_and_unknown_pane(tmp_path: Path) -> None:
    done = run_shot(tmp_path, str(ECHO), "--screenshot", str(tmp_path / "x.png"), "--frame", "100000")
    assert done.returncode == 2
    assert len(done.stderr.strip().splitlines()) == 1 and "past the end" in done.stderr
    assert not (tmp_path / "x.png").exists()
    done = run_shot(tmp_path, str(ECHO), "--screenshot", str(tmp_path / "x.png"), "--pane", "nosuch")
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1 and "nosuch" in done.stderr
