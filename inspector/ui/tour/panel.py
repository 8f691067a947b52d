"""The guided tour's panel: a dock beside the window that plays the steps of steps.py.

Each step opens its bundled capture (unless it is open already), selects the frame and field it talks
about, brings its pane to the front and shows its words; `step_shown` says when all of that is in place.
The hands-on steps work the crafter: the learner does the task by hand or presses "Do it for me", and the
panel notices either way (the crafter's connection state and verdicts) and says what happened. The step
reached is kept in the settings, so closing the dock leaves the tour and Help → Tour resumes it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Final

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDockWidget, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from ... import resources
from ...client.verdict import Verdict
from ...protocol.constants import Opcode
from ...protocol.encoder import FrameSpec
from ..crafter.draft import KEY_NONE, KEY_RANDOM
from ..crafter.session import OPEN
from .steps import ACTION_BREAK_RULE, ACTION_SEND_TEXT, ACTION_START_LAB, LAB_MODE, STEPS, TourStep, step_text

if TYPE_CHECKING:
    from ..main_window import MainWindow

SETTINGS_KEY: Final = "tour/step"
PANEL_WIDTH: Final = 280
COMPARE_SHARE: Final = 0.6  # the comparison's lines are long: its step gives the left column this share
MASK_KEY_SIZE: Final = 4  # RFC 6455 §5.3
TEXT_PAYLOAD: Final = b"Hello from the tour"
UNMASKED_PAYLOAD: Final = b"Hello, without a mask"


def _same_file(first: str, second: str) -> bool:
    return Path(first).resolve() == Path(second).resolve()


class TourPanel(QDockWidget):
    step_shown = Signal(int)  # the step's capture, frame, field and pane are in place
    task_done = Signal(str)  # a hands-on step's task was done (by hand or for the learner): its action

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.setWindowTitle(self.tr("Tour"))
        self.setObjectName("tour")
        self.main_window = window
        self.crafter = window.crafter
        self.steps: tuple[TourStep, ...] = STEPS
        self.index = 0
        self.done: set[str] = set()  # the hands-on actions done so far
        self._pending: str | None = None  # a capture being opened for the current step
        self._saved_sizes: list[list[int]] | None = None  # the splitters before the comparison step resized them
        self._build()
        window.capture_loaded.connect(self._on_loaded)
        window.load_failed.connect(self._on_load_failed)
        self.crafter.connection_state.connect(self._on_connection_state)
        self.crafter.verdict_shown.connect(self._on_verdict)

    def _build(self) -> None:
        self.counter = QLabel()
        self.title = QLabel()
        self.body = QLabel()
        self.status = QLabel()
        for label in (self.counter, self.title, self.body, self.status):
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setWordWrap(True)
        bold = QFont(self.title.font())
        bold.setBold(True)
        bold.setPointSizeF(bold.pointSizeF() * 1.15)
        self.title.setFont(bold)
        self.body.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.body.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.back_button = QPushButton(self.tr("Back"))
        self.next_button = QPushButton(self.tr("Next"))
        self.do_button = QPushButton(self.tr("Do it for me"))
        self.back_button.clicked.connect(lambda: self.show_step(self.index - 1))
        self.next_button.clicked.connect(lambda: self.show_step(self.index + 1))
        self.do_button.clicked.connect(self.do_it)
        words = QWidget()
        words_layout = QVBoxLayout(words)
        for widget in (self.counter, self.title, self.body, self.status):
            words_layout.addWidget(widget)
        words_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(words)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.do_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        box.setMinimumWidth(PANEL_WIDTH)
        self.setWidget(box)

    @property
    def step(self) -> TourStep:
        return self.steps[self.index]

    def saved_step(self) -> int:
        """The step the learner left the tour at (0 when never started)."""
        value = self.main_window.settings.value(SETTINGS_KEY, 0)
        try:
            number = int(value)  # type: ignore[call-overload]
        except (TypeError, ValueError):
            number = 0
        return min(max(number, 0), len(self.steps) - 1)

    def resume(self) -> None:
        """Show the panel at the step the learner left it."""
        self.show()
        self.raise_()
        self.show_step(self.saved_step())

    def show_step(self, index: int) -> None:
        """Go to step `index` (clamped to the tour): its words now, its capture and selection once loaded."""
        self.index = min(max(index, 0), len(self.steps) - 1)
        self.main_window.settings.setValue(SETTINGS_KEY, self.index)
        step = self.step
        title, body = step_text(step)
        self.counter.setText(self.tr("Step {0} of {1}").format(self.index + 1, len(self.steps)))
        self.title.setText(title)
        self.body.setText(body)
        self.back_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index < len(self.steps) - 1)
        self.do_button.setVisible(step.action is not None)
        if step.action == ACTION_START_LAB and self.crafter.state == OPEN:
            self.done.add(ACTION_START_LAB)  # connected by hand before this step
        self.status.setText(self._task_status())
        if step.capture is None:
            self._pending = None
            self._select()
            return
        path = str(resources.capture_path(step.capture))
        store = self.main_window.store
        if store is not None and self._pending is None and _same_file(store.source, path):
            self._select()
            return
        self._pending = path
        self.main_window.open_file(path)

    @Slot(str)
    def _on_loaded(self, source: str) -> None:
        if self._pending is not None and _same_file(source, self._pending):
            self._pending = None
            self._select()

    @Slot(str)
    def _on_load_failed(self, message: str) -> None:
        if self._pending is not None:
            self._pending = None
            self.status.setText(self.tr("The capture of this step could not be opened: {0}").format(
                message.splitlines()[0] if message else ""))

    def _select(self) -> None:
        step = self.step
        session = self.main_window.session
        if step.frame is not None and not session.select_session_frame(step.frame):
            self.status.setText(self.tr("This capture has no frame {0}.").format(step.frame))
        if step.field is not None:
            session.select_field_named(step.field)
        self.main_window.show_pane(step.pane)
        self._widen_for_comparison(step.pane == "compare")
        if step.pane == "messages" and session.frame is not None and session.frame.message is not None:
            session.select_message(session.frame.message)  # the message the selected fragment belongs to
        if step.pane == "violations" and step.frame is not None:
            self._open_why(step.frame)
        self.step_shown.emit(self.index)

    def _widen_for_comparison(self, wide: bool) -> None:
        """Give the handshake comparison room while its step is shown, and give it back afterwards."""
        splitters = (self.main_window.main_splitter, self.main_window.left_splitter)
        if wide and self._saved_sizes is None:
            self._saved_sizes = [splitter.sizes() for splitter in splitters]
            for splitter, sizes in zip(splitters, self._saved_sizes, strict=True):
                total = sum(sizes)
                first = int(total * COMPARE_SHARE) if splitter is splitters[0] else int(total * (1 - COMPARE_SHARE) / 3)
                splitter.setSizes([first, total - first])
        elif not wide and self._saved_sizes is not None:
            for splitter, sizes in zip(splitters, self._saved_sizes, strict=True):
                splitter.setSizes(sizes)
            self._saved_sizes = None

    def _open_why(self, number: int) -> None:
        """In the violations pane, the row of frame `number` with its Why? open."""
        pane = self.main_window.violations_pane
        for row in range(pane.model.rowCount()):
            if getattr(pane.model.row_at(row).frame_ref, "number", None) == number:
                pane.show_why(row)
                return

    # -- the hands-on steps ---------------------------------------------------------------------

    def _task_status(self) -> str:
        action = self.step.action
        if action is None:
            return ""
        if action in self.done:
            return self.tr("Done. Press Next.") if self.index < len(self.steps) - 1 else self.tr("Done.")
        return self.tr("Waiting for you (or press Do it for me).")

    def do_it(self) -> None:
        """Do the current hands-on step's task, as the learner would with the crafter."""
        action = self.step.action
        crafter = self.crafter
        self.main_window.show_pane("crafter")
        if action == ACTION_START_LAB:
            url = crafter.start_lab(LAB_MODE)
            self.status.setText(self.tr("Started the lab server at {0}; connecting…").format(url))
            crafter.connect_to(url)
            return
        if crafter.state != OPEN:
            self.status.setText(self.tr("Not connected: go back one step and start the lab server first."))
            return
        if action == ACTION_SEND_TEXT:
            spec = FrameSpec(TEXT_PAYLOAD, Opcode.TEXT, mask_bit=True, masking_key=os.urandom(MASK_KEY_SIZE))
            key_mode = KEY_RANDOM
        elif action == ACTION_BREAK_RULE:
            spec = FrameSpec(UNMASKED_PAYLOAD, Opcode.TEXT)  # MASK = 0 from a client: RFC 6455 §5.1
            key_mode = KEY_NONE
        else:
            return
        crafter.sequence.set_fixed(None)
        crafter.editor.set_frame_spec(spec, key_mode=key_mode)
        crafter.left_tabs.setCurrentIndex(0)
        self.status.setText(self.tr("Sending…"))
        crafter.send_current()

    @Slot(str, str)
    def _on_connection_state(self, state: str, detail: str) -> None:
        if self.step.action == ACTION_START_LAB and state == OPEN:
            self._finish(ACTION_START_LAB, self.tr("Connected: {0}").format(self.crafter.url))
        elif self.step.action == ACTION_BREAK_RULE and ACTION_BREAK_RULE in self.done and detail:
            self.status.setText(self.status.text() + "\n" + self.tr("Connection: {0}").format(detail))

    @Slot(object)
    def _on_verdict(self, verdict: Verdict) -> None:
        broken = [found.code for _, found in self.crafter.analysis.violations]
        action = self.step.action
        if action == ACTION_SEND_TEXT and not broken:
            self._finish(action, verdict.describe())
        elif action == ACTION_BREAK_RULE and broken:
            self.crafter.preview.violations.show_why(0)
            rules = ", ".join(broken)
            self._finish(action, self.tr("Rules broken: {0}").format(rules) + "\n" + verdict.describe())

    def _finish(self, action: str, what: str) -> None:
        self.done.add(action)
        self.status.setText(what + "\n" + self._task_status())
        self.task_done.emit(action)
