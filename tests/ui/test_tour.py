"""Help → Tour on the bundled captures: every step opens its capture, selects the frame and field it names
and shows its pane; the tour is left and resumed across windows; and the hands-on steps run against lab
servers on 127.0.0.1, once with "Do it for me" and once by hand with a lab server the test starts."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from inspector import resources
from inspector.protocol import teaching
from inspector.protocol.constants import Opcode
from inspector.ui.crafter.draft import KEY_NONE
from inspector.ui.crafter.session import OPEN
from inspector.ui.main_window import MainWindow
from inspector.ui.tour.panel import TourPanel
from inspector.ui.tour.steps import ACTION_BREAK_RULE, ACTION_SEND_TEXT, ACTION_START_LAB, STEPS
from tests.client.conftest import lab
from tests.ui.windows import new_window

WAIT_MS = 20_000
LEARNERS_ORDER = ["upgrade", "old-handshakes", "frame-layout", "masking", "fragmentation", "heartbeat", "close",
                  "deflate", "violation", "start-lab", "send-text", "break-rule"]

# The pane each step is about, as the issue lists them (handshake steps, diagram, masking table, messages
# view, violations), written down here so a step showing the wrong one fails.
EXPECTED_PANES = {"upgrade": "handshake", "old-handshakes": "compare", "frame-layout": "diagram",
                  "masking": "masking", "fragmentation": "messages", "heartbeat": "payload", "close": "payload",
                  "deflate": "payload", "violation": "violations", "start-lab": "crafter", "send-text": "crafter",
                  "break-rule": "crafter"}

# What the frame a step selects must be, so a step that points at the wrong frame fails.
FRAME_CHECKS = {
    "upgrade": lambda f: f.opcode == Opcode.TEXT,
    "frame-layout": lambda f: f.opcode == Opcode.TEXT and f.payload_length <= 125,
    "masking": lambda f: f.masked and f.masking_key is not None,
    "fragmentation": lambda f: not f.fin and f.opcode == Opcode.TEXT,
    "heartbeat": lambda f: f.opcode == Opcode.PING,
    "close": lambda f: f.opcode == Opcode.CLOSE,
    "deflate": lambda f: f.rsv1,
    "violation": lambda f: [v.code for v in f.violations] == ["unmasked-client-frame"],
}


@pytest.fixture
def window(qtbot, tmp_path: Path, monkeypatch) -> MainWindow:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    return new_window(qtbot, tmp_path / "settings.ini")


def shown_pane(window: MainWindow) -> str:
    """The name of the pane in front, by looking at the tab widgets (not at what the tour asked for)."""
    if window.main_tabs.currentWidget() is window.crafter:
        return "crafter"
    corner = window.handshake_tabs.currentWidget()
    detail = window.detail_tabs.currentWidget()
    names = {window.hex_view: "bytes", window.masking_pane: "masking", window.diagram_pane: "diagram",
             window.payload_pane: "payload", window.violations_pane: "violations", window.messages_pane: "messages"}
    return names.get(detail, "?") + "+" + ("compare" if corner is window.handshake_comparison else "handshake")


def session_frame_number(window: MainWindow) -> int:
    return window.store.frame_positions.index(window.session.frame.position)


def go(qtbot, tour: TourPanel, button) -> None:
    with qtbot.waitSignal(tour.step_shown, timeout=WAIT_MS):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_steps_follow_the_learners_order_and_have_words():
    assert [step.id for step in STEPS] == LEARNERS_ORDER
    assert {step.id: step.pane for step in STEPS} == EXPECTED_PANES
    for step in STEPS:
        assert len(teaching.text(step.title_key)) > 10
        assert len(teaching.text(step.body_key).split()) >= 30, step.id  # a few sentences
        if step.capture is not None:
            assert resources.capture_path(step.capture).is_file()
        assert (step.capture is None) == (step.action is not None)


def test_the_tour_runs_start_to_end_and_each_step_selects_what_it_names(qtbot, window):
    with qtbot.waitSignal(window.capture_loaded, timeout=WAIT_MS):
        tour = window.show_tour()  # the window opens nothing by itself: the tour's first step does
    assert tour.isVisible() and not tour.isModal()  # a dock beside the panes, not a dialog in front of them
    assert window.dockWidgetArea(tour) == Qt.DockWidgetArea.RightDockWidgetArea
    for index, step in enumerate(STEPS):
        if index:
            go(qtbot, tour, tour.next_button)
        assert tour.index == index
        assert tour.counter.text() == f"Step {index + 1} of {len(STEPS)}"
        assert tour.title.text() == teaching.text(step.title_key)
        assert tour.body.text() == teaching.text(step.body_key)
        assert tour.do_button.isVisibleTo(tour) == (step.action is not None)
        if step.action is not None:
            assert shown_pane(window) == "crafter"
            continue
        assert Path(window.store.source).name == step.capture
        if step.pane in ("handshake", "compare"):
            assert shown_pane(window).endswith("+" + step.pane)
        else:
            assert shown_pane(window).startswith(step.pane + "+")
        if step.frame is None:
            assert window.session.connection is window.store.connections[0]
        else:
            assert session_frame_number(window) == step.frame
            assert FRAME_CHECKS[step.id](window.session.frame.frame), step.id
        if step.field is not None:
            assert window.session.field.filter_name == step.field
        if step.id == "old-handshakes":
            assert "expected      " in window.handshake_comparison.toPlainText()
            assert ": matches" in window.handshake_comparison.toPlainText()
        if step.id == "fragmentation":
            assert window.session.message is window.session.frame.message
            assert len(window.session.message.frame_indices) == 4  # text, two continuations, the last with FIN
        if step.id == "violation":
            assert window.violations_pane.why.isVisible()
            assert "cache" in window.violations_pane.why.toPlainText()
    assert not tour.next_button.isEnabled()
    go(qtbot, tour, tour.back_button)
    assert tour.index == len(STEPS) - 2


def test_the_tour_is_left_and_resumed_where_it_was(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    settings = tmp_path / "settings.ini"
    first = new_window(qtbot, settings)
    with qtbot.waitSignal(first.capture_loaded, timeout=WAIT_MS):
        tour = first.show_tour()
    for _ in range(4):
        go(qtbot, tour, tour.next_button)
    assert STEPS[tour.index].id == "fragmentation"
    tour.close()  # leave the tour
    assert not tour.isVisible()
    with qtbot.waitSignal(tour.step_shown, timeout=WAIT_MS) as shown:
        first.tour_action.trigger()  # Help → Tour again: the same step
    assert shown.args == [4] and tour.isVisible()
    first.close()
    second = new_window(qtbot, settings)  # a new session of the app
    with qtbot.waitSignal(second.capture_loaded, timeout=WAIT_MS):
        resumed = second.show_tour()
    assert resumed.index == 4
    assert resumed.title.text() == teaching.text(STEPS[4].title_key)
    qtbot.waitUntil(lambda: second.session.frame is not None and session_frame_number(second) == STEPS[4].frame,
                    timeout=WAIT_MS)


def hands_on_index(action: str) -> int:
    return next(i for i, step in enumerate(STEPS) if step.action == action)


def test_do_it_for_me_starts_the_lab_sends_a_text_frame_then_breaks_a_rule(qtbot, window):
    tour = window.show_tour(hands_on_index(ACTION_START_LAB))
    crafter = window.crafter
    with qtbot.waitSignal(tour.task_done, timeout=WAIT_MS) as done:
        qtbot.mouseClick(tour.do_button, Qt.MouseButton.LeftButton)
    assert done.args == [ACTION_START_LAB]
    assert crafter.state == OPEN and crafter.url.startswith("ws://127.0.0.1:")
    go(qtbot, tour, tour.next_button)
    with qtbot.waitSignal(tour.task_done, timeout=WAIT_MS) as done:
        qtbot.mouseClick(tour.do_button, Qt.MouseButton.LeftButton)
    assert done.args == [ACTION_SEND_TEXT]
    assert "verdict crafted: PASS" in tour.status.text()
    assert ("← server", "Text, 19 B", "Hello from the tour") in crafter.session_view.rows()
    go(qtbot, tour, tour.next_button)
    with qtbot.waitSignal(tour.task_done, timeout=WAIT_MS) as done:
        qtbot.mouseClick(tour.do_button, Qt.MouseButton.LeftButton)
    assert done.args == [ACTION_BREAK_RULE]
    assert "Rules broken: unmasked-client-frame" in tour.status.text()
    assert "PASS: the RFC asks for a Close with code 1002" in tour.status.text()
    assert crafter.preview.violations.why.isVisible()
    assert teaching.why_text("unmasked-client-frame") in crafter.preview.violations.why.toPlainText()


def test_the_hands_on_steps_notice_what_the_learner_does_by_hand(qtbot, window):
    crafter = window.crafter
    with lab(mode="strict") as (server, url):
        tour = window.show_tour(hands_on_index(ACTION_START_LAB))
        assert tour.status.text() == "Waiting for you (or press Do it for me)."
        with qtbot.waitSignal(tour.task_done, timeout=WAIT_MS):
            crafter.connect_to(url)  # Connect… by hand, to a lab server this test started
        go(qtbot, tour, tour.next_button)
        crafter.editor.set_payload_text("typed by hand")
        with qtbot.waitSignal(tour.task_done, timeout=WAIT_MS) as done:
            qtbot.mouseClick(crafter.send_button, Qt.MouseButton.LeftButton)
        assert done.args == [ACTION_SEND_TEXT]
        go(qtbot, tour, tour.next_button)
        crafter.editor.mask.setChecked(False)
        crafter.editor.key_mode.setCurrentIndex(crafter.editor.key_mode.findData(KEY_NONE))
        with qtbot.waitSignal(tour.task_done, timeout=WAIT_MS) as done:
            qtbot.mouseClick(crafter.send_button, Qt.MouseButton.LeftButton)
        assert done.args == [ACTION_BREAK_RULE]
        assert "Close with code 1002" in tour.status.text()
        qtbot.waitUntil(lambda: "rule unmasked-client-frame" in server.out.getvalue(), timeout=WAIT_MS)


def test_a_scripted_screenshot_of_a_tour_step_and_a_step_outside_the_tour(tmp_path):
    from PySide6.QtGui import QImage

    from tests.ui.test_window_integration import run_shot

    out = tmp_path / "tour.png"
    done = run_shot(tmp_path, "--tour-step", "2", "--screenshot", str(out), "--size", "1000x700")
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == (1000, 700)
    done = run_shot(tmp_path, "--tour-step", str(len(STEPS) + 1), "--screenshot", str(tmp_path / "x.png"))
    assert done.returncode == 2
    assert done.stderr.strip() == f"websocket-inspector: --tour-step is 1 to {len(STEPS)}, not {len(STEPS) + 1}"
    assert not (tmp_path / "x.png").exists()


def test_the_step_table_is_qt_free():
    import ast

    import inspector.ui.tour.steps as steps_module

    tree = ast.parse(Path(steps_module.__file__).read_text(encoding="utf-8"))
    imported = [node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)]
    imported += [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
    assert imported and not [name for name in imported if name.startswith("PySide6") or "ui" in name.split(".")]
