"""File → Capture Live: a real capture on lo into the window while a websockets client talks to an echo
server, saved as pcapng and read back by `inspector dump` and tshark; and, without the capture privilege
(a process run as `nobody`), the message that says what to do, with the window still working.

These tests really capture on lo (the test machine runs as root).
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, serve

from inspector.protocol.constants import Direction, Opcode
from inspector.ui.live_dialog import setcap_command
from inspector.ui.main_window import MainWindow
from tests.ui.windows import new_window

pytestmark = pytest.mark.live

ROOT = Path(__file__).resolve().parents[2]
MESSAGES = [f"live message {number}: {'é' * number}" for number in range(12)] + ["the last one"]
TSHARK = shutil.which("tshark")


class EchoPeers:
    """A websockets echo server on 127.0.0.1 and, once `talk` is set, a client sending MESSAGES, in a
    thread of their own, so the test's thread keeps running the Qt event loop."""

    def __init__(self) -> None:
        self.port = 0
        self.ready = threading.Event()
        self.talk = threading.Event()
        self.echoed: list[str] = []
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> EchoPeers:
        self.thread.start()
        assert self.ready.wait(10), "the echo server did not start"
        return self

    def __exit__(self, *_exc: object) -> None:
        self.talk.set()
        self.thread.join(30)

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as error:  # reported by the test
            self.error = error
            self.ready.set()

    async def _main(self) -> None:
        async def echo(ws: ServerConnection) -> None:
            async for message in ws:
                await ws.send(message)

        async with serve(echo, "127.0.0.1", 0, compression=None) as server:
            self.port = server.sockets[0].getsockname()[1]
            self.ready.set()
            await asyncio.to_thread(self.talk.wait)
            async with connect(f"ws://127.0.0.1:{self.port}", compression=None) as ws:
                for text in MESSAGES:
                    await ws.send(text)
                    self.echoed.append(str(await ws.recv()))


def frames_table(window: MainWindow) -> list[tuple[str, str]]:
    """(direction, text payload) of each data frame in the window's frames table, read through its model."""
    model = window.frames_view.model()
    rows = []
    for row in range(model.rowCount()):
        record = window.frames_model.frame_record(window.frames_view.shown_model.source_row(row))
        if record.frame.opcode == Opcode.TEXT:
            rows.append((str(record.frame.direction), record.frame.payload.decode()))
    return rows


def expected_table() -> list[tuple[str, str]]:
    return [(str(direction), text) for text in MESSAGES for direction in (Direction.CLIENT, Direction.SERVER)]


def test_live_capture_streams_into_the_window_and_saves_pcapng(qtbot, tmp_path: Path) -> None:
    window = new_window(qtbot, tmp_path / "settings.ini")
    window.live_action.trigger()  # File → Capture Live… (Ctrl+K)
    dialog = window.live_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.interface_names()[0] == "lo"
    lo = dialog.interface_list.topLevelItem(0)
    assert "127.0.0.1" in lo.text(1)  # interfaces come with their addresses
    assert dialog.filter_edit.text() == "tcp"  # the default capture filter
    with EchoPeers() as peers:
        assert peers.error is None, peers.error
        dialog.filter_edit.setText(f"tcp port {peers.port}")
        dialog.start_button.click()
        assert window.live_capture.running, dialog.status.text()
        assert not dialog.start_button.isEnabled() and dialog.stop_button.isEnabled()
        with qtbot.waitSignal(window.live_capture.started, timeout=10_000):
            peers.talk.set()
        # Frames appear as they are decoded, while the capture still runs.
        qtbot.waitUntil(lambda: frames_table(window) == expected_table(), timeout=20_000)
        assert window.live_capture.running
        assert window.timeline.kinds.count == window.store.frame_count >= 2 * len(MESSAGES)
        assert "Capturing on lo" in dialog.status.text()
        frames = window.store.frame_count  # the window's own status line counts too, as batches arrive
        qtbot.waitUntil(lambda: f"{frames} frames" in window.status_label.text(), timeout=5_000)
        assert window.status_label.text().startswith("Capturing on lo: ")
    assert peers.error is None and peers.echoed == MESSAGES
    with qtbot.waitSignal(window.live_capture.finished, timeout=20_000):
        dialog.stop_button.click()
    assert dialog.start_button.isEnabled() and not dialog.stop_button.isEnabled()
    store = window.store
    assert store is not None and len(store.connections) == 1
    shown = [(str(r.frame.direction), r.frame.opcode, r.frame.payload) for r in store.connections[0].frames]
    assert [(d, p.decode()) for d, o, p in shown if o == Opcode.TEXT] == expected_table()
    assert Opcode.CLOSE in [o for _d, o, _p in shown]  # the client's close and the echo of it

    saved = tmp_path / "live.pcapng"
    assert dialog.save_to(str(saved)) == len(window.live_capture.packets) > 0
    assert f"to {saved}" in dialog.status.text()
    dumped = subprocess.run([sys.executable, "-m", "inspector", "dump", str(saved), "--json"], cwd=ROOT,
                            capture_output=True, text=True, check=True, timeout=60).stdout
    frames = [line for line in map(json.loads, dumped.splitlines()) if line["type"] == "frame"]
    assert [(f["direction"], f["opcode"]) for f in frames] == [(d, o) for d, o, _p in shown]
    texts = [line["text"] for line in map(json.loads, dumped.splitlines()) if line["type"] == "message"]
    assert texts == [text for text in MESSAGES for _ in (0, 1)]

    assert TSHARK is not None, "tshark is part of this project's test environment (.ci/install-system)"
    result = subprocess.run(
        [TSHARK, "-r", str(saved), "-d", f"tcp.port=={peers.port},http", "-Y", "websocket", "-T", "fields",
         "-e", "websocket.opcode", "-e", "websocket.payload.text"],
        capture_output=True, text=True, timeout=60, check=True)
    opcodes = [int(value, 0) for line in result.stdout.splitlines() for value in line.split("\t")[0].split(",")]
    assert opcodes == [o for _d, o, _p in shown]


UNPRIVILEGED = [
    "setpriv", "--reuid=65534", "--regid=65534", "--clear-groups",
    # The project's interpreter lives under /root (mode 700): let `nobody` read files, nothing else.
    "--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search",
]

# Run as `nobody`: the real privilege check, the real menu action, the message box's text; then the
# window must still open a capture.
WITHOUT_PRIVILEGE = """
import json, os, sys
os.environ["QT_QPA_PLATFORM"] = "offscreen"
from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication
from inspector.capture.live import capture_permitted
from inspector.ui.main_window import MainWindow
app = QApplication([])
window = MainWindow(QSettings(sys.argv[1], QSettings.Format.IniFormat))
window.show()
window.live_action.trigger()
box = window.privilege_box
result = {"permitted": capture_permitted(), "dialog": window.live_dialog is not None,
          "box": box is not None and box.isVisible(), "text": box.text() if box else "",
          "informative": box.informativeText() if box else ""}
box.done(0)
loop = QEventLoop()
window.capture_loaded.connect(loop.quit)
window.load_failed.connect(loop.quit)
QTimer.singleShot(20000, loop.quit)
window.open_file(sys.argv[2])
loop.exec()
result["frames"] = window.store.frame_count if window.store else 0
print(json.dumps(result))
"""


def test_without_the_privilege_a_dialog_says_what_to_do(tmp_path: Path) -> None:
    os.chmod(tmp_path, 0o777)  # `nobody` writes its settings there
    echo = ROOT / "resources" / "captures" / "websockets-echo.pcapng"
    process = subprocess.run(
        [*UNPRIVILEGED, sys.executable, "-c", WITHOUT_PRIVILEGE, str(tmp_path / "settings.ini"), str(echo)],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
        env={**os.environ, "HOME": str(tmp_path), "XDG_RUNTIME_DIR": str(tmp_path)},
    )
    assert process.returncode == 0, process.stderr
    result = json.loads(process.stdout.splitlines()[-1])
    assert result["permitted"] is False  # the kernel really refused the packet socket
    assert result["box"] and not result["dialog"]
    assert "raw packets" in result["text"]
    # The command shown is the README's setcap line, with this interpreter's real path in it.
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    line = re.search(r'`(sudo setcap cap_net_raw,cap_net_admin=eip "\$\(readlink -f \.venv/bin/python\)")`', readme)
    assert line is not None, "the README's setcap line moved"
    venv_python = os.path.realpath(ROOT / ".venv" / "bin" / "python")
    assert os.path.realpath(sys.executable) == venv_python  # the suite runs in the project's .venv
    expected = line.group(1).replace('"$(readlink -f .venv/bin/python)"', shlex.quote(venv_python))
    assert expected == setcap_command()
    assert result["informative"].splitlines()[-1] == expected
    assert result["frames"] > 0  # and nothing else broke: a capture file still opens


def test_opening_a_file_during_a_live_capture_ends_it_and_shows_the_file(qtbot, exposed_window: MainWindow,
                                                                         tmp_path: Path) -> None:
    window = exposed_window
    dialog = window.open_live_dialog()
    assert dialog is not None
    with EchoPeers() as peers:
        dialog.filter_edit.setText(f"tcp port {peers.port}")
        dialog.start_button.click()
        with qtbot.waitSignal(window.live_capture.started, timeout=10_000):
            peers.talk.set()
        qtbot.waitUntil(lambda: len(frames_table(window)) >= 2, timeout=20_000)
        echo = ROOT / "resources" / "captures" / "websockets-echo.pcapng"
        with qtbot.waitSignals([window.capture_loaded, window.live_capture.finished], timeout=20_000):
            window.open_file(str(echo))
    qtbot.wait(200)  # any late batch of the capture has been taken by now
    assert not window.live_capture.running and window.store is not None
    assert window.store.source == str(echo) and window.frames_model.rowCount() == 15
    assert dialog.save_to(str(tmp_path / "partial.pcapng")) > 0  # what was captured can still be saved


def test_a_bad_capture_filter_is_one_line_in_the_dialog(exposed_window: MainWindow) -> None:
    window = exposed_window
    dialog = window.open_live_dialog()
    assert dialog is not None
    dialog.filter_edit.setText("tcp port nonsense")
    dialog.start_button.click()
    assert not window.live_capture.running
    message = dialog.status.text()
    assert message.startswith("invalid capture filter 'tcp port nonsense'") and "\n" not in message
    assert dialog.start_button.isEnabled() and not dialog.stop_button.isEnabled()
    assert window.store is None  # nothing else changed


def test_no_room_for_the_frames_file_is_one_line_in_the_dialog(exposed_window: MainWindow, monkeypatch,
                                                               tmp_path: Path) -> None:
    window = exposed_window
    dialog = window.open_live_dialog()
    assert dialog is not None
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-directory"))  # where the spill file would go
    dialog.start_button.click()
    assert not window.live_capture.running
    message = dialog.status.text()
    assert message.startswith("cannot capture: no temporary file for the frames (") and "\n" not in message
    assert dialog.start_button.isEnabled() and not dialog.stop_button.isEnabled()
    assert window.store is None
