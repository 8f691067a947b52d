"""Client connections in the window's own panes, one session tab each, and resending a captured session's
messages to them: against the lab server (the `websockets` library) and tiny hostile servers, all on
127.0.0.1, through the real widgets offscreen."""

from __future__ import annotations

import contextlib
import itertools
import socket
import struct
import time
import zlib
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer

from inspector.capture.load import load_capture
from inspector.client.engine import ClientOptions, deflate_offer
from inspector.client.resend import AFTER_EACH_ANSWER, AT_ORIGINAL_PACING
from inspector.ui.crafter.session import CLOSED, OPEN
from inspector.ui.main_window import MainWindow
from tests.client.conftest import lab
from tests.client.test_hostile_servers import accept_upgrade, hostile, read_request, send_then_reset
from tests.ui.windows import new_window

ECHO = Path(__file__).resolve().parents[3] / "resources" / "captures" / "websockets-echo.pcapng"
WAIT_MS = 10_000
DIRECTION, OPCODE, PAYLOAD = 2, 3, 6  # columns of the frames table


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch) -> MainWindow:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    win = new_window(qtbot, tmp_path / "settings.ini")
    yield win
    win.crafter.shutdown()


def frame_rows(window: MainWindow) -> list[tuple[str, str, str]]:
    model = window.frames_model
    return [(model.index(row, DIRECTION).data(), model.index(row, OPCODE).data(), str(model.index(row, PAYLOAD).data()))
            for row in range(model.rowCount())]


def connect(window: MainWindow, qtbot, url: str, **options):
    live = window.crafter.connect_to(url, ClientOptions(**options))
    qtbot.waitUntil(lambda: live.state == OPEN, timeout=WAIT_MS)
    return live


def test_a_client_connection_shows_its_handshake_frames_tree_and_timeline(window, qtbot):
    with qtbot.waitSignal(window.capture_loaded, timeout=WAIT_MS):
        window.open_file(str(ECHO))
    with lab(mode="echo") as (_, url):
        live = connect(window, qtbot, url)
        window.show_live(live)
        tabs = window.session_tabs
        where = url.split("://")[1].rstrip("/")
        assert tabs.isVisible() and tabs.tabs.count() == 2
        assert tabs.tabs.tabText(1) == f"{where} (open)"
        assert window.store is live.store
        handshake = window.handshake_pane.toPlainText()
        assert "Sec-WebSocket-Accept, computed" in handshake and "✓ matches" in handshake
        assert tabs.state_label.text().startswith(f"Client connection {where}: open")
        capture_status = window.status_label.text()
        window.crafter.editor.set_payload_text("Hello")
        window.crafter.send_button.click()
        qtbot.waitUntil(lambda: window.frames_model.rowCount() == 2, timeout=WAIT_MS)
        qtbot.waitUntil(lambda: window.status_label.text().endswith(": 2 frames"), timeout=WAIT_MS)
        assert window.status_label.text().startswith(f"Client connection {where}: open")
        tabs.tabs.setCurrentIndex(0)  # the capture's tab: its own summary again
        assert window.status_label.text() == window._capture_status != capture_status
        assert window.status_label.text().startswith("websockets-echo.pcapng:")
        tabs.tabs.setCurrentIndex(1)
        assert [(row[0], row[2]) for row in frame_rows(window)] == [("C → S", "Hello"), ("S → C", "Hello")]
        assert window.fields_model.rowCount() > 0  # the first frame's tree
        assert window.timeline.kinds.count == 2 and list(window.timeline.kinds.client) == [1, 0]
        tabs.disconnect_button.click()
        qtbot.waitUntil(lambda: live.state == CLOSED, timeout=WAIT_MS)
        assert "closed — close: the client closed first with code 1000" in tabs.state_label.text()
        assert [row[1] for row in frame_rows(window)][-2:] == ["Connection Close (8)", "Connection Close (8)"]
        first_store = live.store
        tabs.reconnect_button.click()  # one click: the same URL again, a fresh session in the same tab
        qtbot.waitUntil(lambda: live.state == OPEN, timeout=WAIT_MS)
        assert live.store is not first_store and window.store is live.store
        assert "✓ matches" in window.handshake_pane.toPlainText()
        assert window.frames_model.rowCount() == 0


def test_several_connections_each_in_its_own_tab(window, qtbot):
    with lab(mode="echo") as (_, echo_url), lab(mode="strict") as (_, strict_url):
        echo = connect(window, qtbot, echo_url)
        strict = connect(window, qtbot, strict_url)
        tabs = window.session_tabs
        assert tabs.tabs.count() == 3 and tabs.current_live is strict and window.crafter.live is strict
        tabs.tabs.setCurrentIndex(1)  # choosing a tab shows its session and sends to it
        assert window.store is echo.store and window.crafter.live is echo
        window.crafter.editor.set_payload_text("to the echo server")
        window.crafter.send_button.click()
        qtbot.waitUntil(lambda: window.frames_model.rowCount() == 2, timeout=WAIT_MS)
        assert not any(record.frames for record in strict.store.connections)
        tabs.tabs.tabCloseRequested.emit(2)  # closing a tab drops its connection
        qtbot.waitUntil(lambda: strict.thread is None or strict.thread.isFinished(), timeout=WAIT_MS)
        assert tabs.tabs.count() == 2 and window.crafter.lives == [echo]
        assert echo.state == OPEN


@pytest.mark.parametrize("mode", [AT_ORIGINAL_PACING, AFTER_EACH_ANSWER])
def test_three_captured_messages_resent_to_the_lab_server_are_echoed(window, qtbot, mode):
    with qtbot.waitSignal(window.capture_loaded, timeout=20_000):
        window.open_file(str(ECHO))
    with lab(mode="echo") as (_, url):
        live = connect(window, qtbot, url)
        window.session_tabs.tabs.setCurrentIndex(0)  # back to the capture
        assert window.store.source == str(ECHO)
        window.session.select_frame(0)
        dialog = window.open_resend_dialog()
        assert dialog is not None and dialog.messages_choice.isChecked()
        assert dialog.labels() == ["frame 0: Text, 5 B", "frame 2: Binary, 200 B", "frame 4: Binary, 70000 B",
                                   "frame 6: Text, 28 B in 4 frames"]
        assert dialog.chosen()[0].label == "frame 0: Text, 5 B"  # the selected frame's message is ticked
        numbers = [entry for entry in range(len(window.store.connections[0].messages))
                   if window.store.connections[0].messages[entry].direction == "client"]
        dialog.check([numbers[0], numbers[1], numbers[3]])
        dialog.mode.setCurrentIndex(dialog.mode.findData(mode))
        assert dialog.chosen_target() is live and not dialog.original.isChecked()
        dialog.accept()
        qtbot.waitUntil(lambda: window.frames_model.rowCount() == 9, timeout=WAIT_MS)
        rows = frame_rows(window)
        assert window.store is live.store
        assert [row[2] for row in rows if row[0] == "S → C"][::2] == ["hello", "frag-one frag-two frag-three"]
        echoes = [record.frame.payload for record in live.store.connections[0].frames
                  if record.frame.direction == "server"]
        assert echoes == [b"hello", bytes(range(200)), b"frag-one frag-two frag-three"]
        assert [row[1] for row in rows if row[0] == "C → S"] == ["Text (1)", "Binary (2)", "Text (1)",
                                                             *["Continuation (0)"] * 3]
        sent_keys = [record.frame.masking_key for record in live.store.connections[0].frames
                     if record.frame.direction == "client"]
        captured_keys = [record.frame.masking_key for record in window_capture_frames()]
        assert not set(sent_keys) & set(captured_keys)  # new frames, new masking keys
        qtbot.waitUntil(lambda: sum(line.startswith("resent ") for line in live.lines) == 3, timeout=WAIT_MS)
        answered = ", answered" if mode == AFTER_EACH_ANSWER else ""
        first = next(line for line in live.lines if line.startswith("resent "))
        assert first == f"resent frame 0: Text, 5 B: 11 B{answered}"


def window_capture_frames():
    return [record for record in load_capture(ECHO).connections[0].frames if record.frame.direction == "client"]


def test_a_server_that_never_answers_leaves_the_window_responsive_with_one_line(window, qtbot):
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    with hostile(lambda conn: None) as url:
        live = window.crafter.connect_to(url, ClientOptions(handshake_timeout=0.6))
        window.show_live(live)
        assert "connecting" in window.session_tabs.state_label.text()
        qtbot.waitUntil(lambda: live.state == CLOSED, timeout=WAIT_MS)
    timer.stop()
    assert len(ticks) >= 10, "the GUI thread kept running while the client waited"
    line = window.session_tabs.state_label.text()
    assert line.endswith("closed — no complete answer to the Upgrade within 0.6 s (0 bytes received)")
    assert "\n" not in line
    assert window.session_tabs.tabs.count() == 2  # the session stays, to be read or reconnected


def test_a_reset_mid_frame_keeps_the_session_so_far_in_the_window(window, qtbot):
    def behaviour(conn: socket.socket) -> None:
        accept_upgrade(conn)
        send_then_reset(conn, b"\x81\x02hi" + b"\x81\x7e\x01")  # one frame, then a header cut short

    with hostile(behaviour) as url:
        live = window.crafter.connect_to(url, ClientOptions(idle_timeout=2.0))
        window.show_live(live)
        qtbot.waitUntil(lambda: live.state == CLOSED, timeout=WAIT_MS)
    assert ("S → C", "Text (1)", "hi") in frame_rows(window)
    assert "✓ matches" in window.handshake_pane.toPlainText()
    line = window.session_tabs.state_label.text()
    assert "closed — " in line and "inside a frame" in line and "\n" not in line
    window.session_tabs.tabs.setCurrentIndex(0)
    window.session_tabs.tabs.setCurrentIndex(1)  # away and back: the session so far is still there
    assert ("S → C", "Text (1)", "hi") in frame_rows(window)


def garbage(conn: socket.socket) -> None:
    read_request(conn)
    conn.sendall(b"\x00\xff\xfe not http at all\r\n\r\n")


def refuse(conn: socket.socket) -> None:
    read_request(conn)
    conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")


def stall(conn: socket.socket) -> None:
    accept_upgrade(conn)
    conn.sendall(b"\x81\x02ok" + bytes([0x81, 100]) + b"s" * 10)
    time.sleep(3)


def claim(conn: socket.socket) -> None:
    accept_upgrade(conn)
    with contextlib.suppress(OSError):
        conn.sendall(b"\x81\x02ok" + bytes([0x82, 127]) + struct.pack("!Q", 2**63))
        while True:
            conn.sendall(b"x" * 65536)


def squeezed_zeros(size: int) -> bytes:
    squeezer = zlib.compressobj(9, zlib.DEFLATED, -15)
    return (squeezer.compress(bytes(size)) + squeezer.flush(zlib.Z_SYNC_FLUSH))[:-4]  # RFC 7692 §7.2.1


BOMB = squeezed_zeros(16 * 1024 * 1024)


def bomb(conn: socket.socket) -> None:
    accept_upgrade(conn, "permessage-deflate")
    conn.sendall(b"\x81\x02ok" + bytes([0xC2, 127]) + struct.pack("!Q", len(BOMB)) + BOMB)
    time.sleep(3)


@pytest.mark.parametrize(("behaviour", "options", "line", "frames"), [
    (garbage, {}, "the server's answer to the Upgrade is not HTTP", 0),
    (refuse, {}, "the server refused the Upgrade: 403 Forbidden", 0),
    (stall, {"idle_timeout": 0.5}, "the server went silent for 0.5 s inside a frame", 2),
    (claim, {"receive_limit": 1024 * 1024}, "the server sent more than 1 MiB, the receive limit", 2),
    (bomb, {"extensions": [deflate_offer()], "inflate_limit": 1024 * 1024},
     "a server message inflates past the inflate limit (1 MiB)", 2),
], ids=["garbage", "refused", "stalled", "claims-2^63", "zlib-bomb"])
def test_hostile_servers_end_in_one_line_and_keep_the_session_so_far(window, qtbot, behaviour, options, line, frames):
    ticks = []
    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(time.monotonic()))
    timer.start(20)
    with hostile(behaviour) as url:
        live = window.crafter.connect_to(url, ClientOptions(handshake_timeout=2.0, **options))
        window.show_live(live)
        qtbot.waitUntil(lambda: live.state == CLOSED, timeout=WAIT_MS)
    timer.stop()
    gaps = [later - earlier for earlier, later in itertools.pairwise(ticks)]
    assert max(gaps, default=0.0) < 0.5, "the GUI thread kept running while the client read"
    shown = window.session_tabs.state_label.text()
    assert line in shown and "\n" not in shown, shown
    assert f"problem: {live.problem}" in live.lines and "\n" not in live.problem
    assert window.store is live.store and window.frames_model.rowCount() == frames
    if frames:
        assert frame_rows(window)[0] == ("S → C", "Text (1)", "ok")
        assert "✓ matches" in window.handshake_pane.toPlainText()
    if behaviour is refuse:
        assert "403 Forbidden" in window.handshake_pane.toPlainText()
