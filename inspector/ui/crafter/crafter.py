"""The crafter as one widget: connection bar, editor / fragmenting / templates on the left, the live
preview on the right, the session below. It stands alone; the main window docks it as a pane.

Theory of operation: every edit re-runs `draft.analyse_specs` on the frames Send would send (the
editor's frame, or the sequence) and shows the result, so the preview is always the next send. Each
connection is a `live.LiveSession` (a `session.ClientSession` thread filling a session store); several
can be open at once, and sends and template runs go to the selected one (`live`), whose frames and log
`SessionView` shows. The window shows every connection's store in its own panes, one session tab each.
Category runs use a `session.CategoryRun` thread, one fresh connection per template.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDoubleSpinBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ...client.engine import ClientOptions
from ...client.templates import CATALOGUE, Template
from ...client.user_templates import all_templates, frames_entry, save_user_template
from ...client.verdict import Verdict
from ...errors import InspectorError
from ...protocol.encoder import FrameSpec
from ...protocol.frame import Frame
from .connect_dialog import ConnectDialog
from .draft import Analysis, analyse_specs, describe_expect, spec_from_frame, template_specs, wire_for_send
from .editor import BitEditor, EditorInputError
from .lab_runner import LabRunner
from .live import LiveSession
from .preview import PreviewPane
from .sequence import SequencePanel
from .session import CLOSED, CLOSING, CONNECTING, OPEN, CategoryRun, ClientSession, SendRequest
from .session_view import SessionView
from .templates_browser import TemplatesBrowser

MAX_CHUNK: Final = 1 << 20
MAX_DELAY_MS: Final = 10_000
LEFT_RIGHT_SIZES: Final = [580, 700]  # the editor's row of header fields needs about 560 pixels
TOP_BOTTOM_SIZES: Final = [600, 170]
CATEGORY_WAIT: Final = 0.5  # seconds each template of a category run waits for its answer


class CrafterWidget(QWidget):
    connection_state = Signal(str, str)  # the selected connection's state and detail
    live_added = Signal(object)  # a new LiveSession, just started
    live_selected = Signal(object)  # the LiveSession sends now go to
    verdict_shown = Signal(object)  # a Verdict on what was sent, once it is in the session log

    def __init__(self, settings: QSettings | None = None, templates: list[Template] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings if settings is not None else QSettings()
        self.lives: list[LiveSession] = []  # every connection made, open or closed, oldest first
        self.live: LiveSession | None = None  # the one sends go to
        self.category_run: CategoryRun | None = None
        self.labs: dict[str, LabRunner] = {}
        self.url = ""
        self.options = ClientOptions()
        self.analysis = Analysis()
        self._specs: list[FrameSpec] = []
        self.state = CLOSED  # the session's state as last reported to this (the GUI) thread
        if templates is None:
            try:
                templates = list(all_templates().values())
            except InspectorError:  # a broken user file: the built-in templates still work
                templates = list(CATALOGUE)
        self.editor = BitEditor()
        self.sequence = SequencePanel()
        self.templates = TemplatesBrowser(templates)
        self.preview = PreviewPane()
        self.session_view = SessionView()
        self._build_bar()
        self._build_send_row()
        editor_scroll = QScrollArea()
        editor_scroll.setWidgetResizable(True)
        editor_scroll.setWidget(self.editor)
        self.left_tabs = QTabWidget()
        self.left_tabs.addTab(editor_scroll, self.tr("Frame"))
        self.left_tabs.addTab(self.sequence, self.tr("Fragment"))
        self.left_tabs.addTab(self.templates, self.tr("Templates"))
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.left_tabs, 1)
        left_layout.addLayout(self.send_row)
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(left)
        top.addWidget(self.preview)
        top.setStretchFactor(0, 4)
        top.setStretchFactor(1, 5)
        top.setSizes(LEFT_RIGHT_SIZES)
        main = QSplitter(Qt.Orientation.Vertical)
        main.addWidget(top)
        main.addWidget(self.session_view)
        main.setStretchFactor(0, 4)
        main.setStretchFactor(1, 1)
        main.setSizes(TOP_BOTTOM_SIZES)
        layout = QVBoxLayout(self)
        layout.addLayout(self.bar)
        layout.addWidget(main, 1)
        self.editor.changed.connect(self.refresh_preview)
        self.sequence.changed.connect(self.refresh_preview)
        self.templates.load_requested.connect(self.load_template)
        self.templates.send_requested.connect(self.send_template)
        self.templates.run_category_requested.connect(self.run_category)
        self.templates.save_requested.connect(self.save_as_template)
        self.templates.export_requested.connect(self.export_results)
        self.session_view.edit_requested.connect(self.edit_frame)
        self._show_state(CLOSED, self.tr("not connected"))
        self.refresh_preview()

    # ---- layout pieces

    def _build_bar(self) -> None:
        self.connect_button = QPushButton(self.tr("Connect…"))
        self.disconnect_button = QPushButton(self.tr("Disconnect"))
        self.reconnect_button = QPushButton(self.tr("Reconnect"))
        self.state_label = QLabel()
        self.state_label.setTextFormat(Qt.TextFormat.PlainText)
        # A close outcome is a long line: it is cut to the room there is (the tooltip has all of it).
        self.state_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.auto_pong = QCheckBox(self.tr("Auto-pong"))
        self.auto_pong.setChecked(True)
        self.auto_pong.setToolTip(self.tr("Answer the server's Pings at once (RFC 6455 §5.5.2)"))
        self.heartbeat = QDoubleSpinBox()
        self.heartbeat.setRange(0.0, 3600.0)
        self.heartbeat.setSpecialValueText(self.tr("no heartbeat"))
        self.heartbeat.setPrefix(self.tr("heartbeat "))
        self.heartbeat.setSuffix(" s")
        self.rtt_label = QLabel()
        self.rtt_label.setTextFormat(Qt.TextFormat.PlainText)
        self.connect_button.clicked.connect(self.open_connect_dialog)
        self.disconnect_button.clicked.connect(self.disconnect)
        self.reconnect_button.clicked.connect(self.reconnect)
        self.auto_pong.toggled.connect(lambda on: self.session.set_auto_pong(on) if self.session else None)
        self.heartbeat.valueChanged.connect(lambda s: self.session.set_heartbeat(s) if self.session else None)
        self.bar = QHBoxLayout()
        for widget in (self.connect_button, self.disconnect_button, self.reconnect_button):
            self.bar.addWidget(widget)
        self.bar.addWidget(self.state_label, 1)
        for widget in (self.auto_pong, self.heartbeat, self.rtt_label):
            self.bar.addWidget(widget)

    def _build_send_row(self) -> None:
        self.send_button = QPushButton(self.tr("Send"))
        self.send_button.setToolTip(self.tr("Send the frames the preview shows and judge the answer"))
        self.chunk = QSpinBox()
        self.chunk.setRange(0, MAX_CHUNK)
        self.chunk.setSpecialValueText(self.tr("one write"))
        self.chunk.setSuffix(self.tr(" B per write"))
        self.delay = QSpinBox()
        self.delay.setRange(0, MAX_DELAY_MS)
        self.delay.setSuffix(self.tr(" ms between"))
        self.wait = QDoubleSpinBox()
        self.wait.setRange(0.1, 60.0)
        self.wait.setValue(1.0)
        self.wait.setPrefix(self.tr("wait "))
        self.wait.setSuffix(" s")
        self.deflate_agreed = QCheckBox(self.tr("deflate agreed"))
        self.deflate_agreed.setToolTip(self.tr("Judge RSV1 as permessage-deflate's bit (set when the server agrees)"))
        self.deflate_agreed.toggled.connect(self.refresh_preview)
        self.send_button.clicked.connect(self.send_current)
        self.send_row = QHBoxLayout()
        for widget in (self.send_button, self.chunk, self.delay, self.wait, self.deflate_agreed):
            self.send_row.addWidget(widget)
        self.send_row.addStretch(1)

    # ---- the preview

    def current_specs(self) -> list[FrameSpec]:
        """The frames Send would send (EditorInputError or ValueError for a field that does not parse)."""
        spec = self.editor.frame_spec()
        return self.sequence.specs(spec) if self.sequence.active else [spec]

    def refresh_preview(self) -> None:
        try:
            self._specs = self.current_specs()
        except (EditorInputError, ValueError) as error:
            self._specs = []
            self.analysis = Analysis(error=str(error))
        else:
            self.analysis = analyse_specs(self._specs, deflate=self.deflate_agreed.isChecked())
        if self.sequence.active:
            self.sequence.show_specs(self._specs)
        self.preview.show_analysis(self.analysis)
        self._update_buttons()

    # ---- connecting

    def start_lab(self, mode: str) -> str:
        """The URL of a lab server in `mode`, started in this process on first use."""
        runner = self.labs.get(mode)
        if runner is None or not runner.running:
            runner = LabRunner(mode)
            runner.start()
            self.labs[mode] = runner
        return runner.url

    def open_connect_dialog(self) -> None:
        dialog = ConnectDialog(self.settings, self.start_lab, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.connect_to(dialog.chosen_url(), dialog.options())

    @property
    def session(self) -> ClientSession | None:
        """The selected connection's thread."""
        return self.live.thread if self.live is not None else None

    def connect_to(self, url: str, options: ClientOptions | None = None) -> LiveSession | None:
        """Open a new connection beside the others and send to it from now on."""
        if not url:
            return None
        options = options if options is not None else ClientOptions()
        options.auto_pong = self.auto_pong.isChecked()
        options.heartbeat = self.heartbeat.value() or None
        live = LiveSession(url, options, self)
        live.state_changed.connect(lambda: self._on_live_state(live))
        live.line_added.connect(lambda line: self._on_live_line(live, line))
        live.events.connect(lambda events: self._on_events(live, events))
        live.verdict.connect(lambda verdict: self._on_verdict(live, verdict))
        live.rtt.connect(lambda seconds: self._on_rtt(live, seconds))
        live.restarted.connect(lambda: self._on_restarted(live))
        self.lives.append(live)
        self.select_live(live)
        self.live_added.emit(live)
        live.start()
        return live

    def reconnect(self, live: LiveSession | None = None) -> None:
        """Connect the selected (or the given) connection again, to the same URL with the same options."""
        live = live or self.live
        if live is None:
            return
        live.options.auto_pong = self.auto_pong.isChecked()
        live.options.heartbeat = self.heartbeat.value() or None
        live.start()

    def select_live(self, live: LiveSession | None) -> None:
        """Send to `live` from now on, and show its frames and log below."""
        if live is self.live:
            return
        self.live = live
        self.session_view.clear()
        self.session_view.log.clear()
        if live is not None:
            self.url, self.options = live.url, live.options
            self.session_view.add_events(live.store.events)
            for line in live.lines:
                self.session_view.add_line(line)
            self._show_state(live.state, live.detail)
        else:
            self._show_state(CLOSED, self.tr("not connected"))
        self.live_selected.emit(live)

    def close_live(self, live: LiveSession) -> None:
        """Drop a connection and forget it (its session tab closed)."""
        live.stop()
        if live in self.lives:
            self.lives.remove(live)
        if live is self.live:
            self.select_live(self.lives[-1] if self.lives else None)
        live.deleteLater()

    def open_lives(self) -> list[LiveSession]:
        return [live for live in self.lives if live.state == OPEN]

    def disconnect(self) -> None:
        if self.live is not None and self.state == OPEN:
            self.live.disconnect()

    def _end_sessions(self) -> None:
        for live in self.lives:
            live.stop()

    def _on_live_state(self, live: LiveSession) -> None:
        if live is self.live:
            self._show_state(live.state, live.detail)

    def _on_live_line(self, live: LiveSession, line: str) -> None:
        if live is self.live:
            self.session_view.add_line(line)

    def _on_restarted(self, live: LiveSession) -> None:
        if live is self.live:
            self.session_view.clear()
            self.session_view.log.clear()

    def _on_rtt(self, live: LiveSession, seconds: float) -> None:
        if live is self.live:
            self.rtt_label.setText(self.tr("RTT {0:.1f} ms").format(seconds * 1000))

    def _show_state(self, state: str, detail: str = "") -> None:
        self.state = state
        where = f" {self.url}" if self.url and state != CLOSED else ""
        names = {CONNECTING: self.tr("connecting"), OPEN: self.tr("open"), CLOSING: self.tr("closing"),
                 CLOSED: self.tr("closed")}
        shown = names.get(state, state)
        self.state_label.setText(self.tr("State: {0}{1}{2}").format(shown, where, f": {detail}" if detail else ""))
        self.state_label.setToolTip(self.state_label.text())
        self.connection_state.emit(state, detail)
        self._update_buttons()

    def _on_events(self, live: LiveSession, events: list) -> None:
        if live is not self.live:
            return
        self.session_view.add_events(events)
        client = live.thread.client if live.thread is not None else None
        handshake = client.handshake if client is not None else None
        if handshake is not None and handshake.response.status == 101:
            self.deflate_agreed.setChecked(handshake.deflate is not None)

    def _update_buttons(self) -> None:
        state = self.state
        connected = state == OPEN
        self.disconnect_button.setEnabled(connected)
        self.reconnect_button.setEnabled(self.live is not None and state in (CLOSED, OPEN))
        self.send_button.setEnabled(connected and not self.analysis.error and bool(self._specs))
        self.templates.set_connected(connected)
        if state == CLOSING:
            self.send_button.setEnabled(False)

    # ---- sending

    def send_current(self) -> None:
        if self.live is None or self.session is None or self.analysis.error or not self._specs:
            return
        wire = wire_for_send(self._specs, self.editor.key_choice())
        what = self.tr("{0} crafted frame(s)").format(len(self._specs))
        self.live.add_line(self.tr("sending {0}; a compliant server answers: {1}").format(
            what, describe_expect(self.analysis.expect)))
        self.session.send(SendRequest(wire, self.analysis.expect, what, self.chunk.value(),
                                      self.delay.value() / 1000, self.wait.value()))

    def send_template(self, template: Template) -> None:
        if self.live is None or self.session is None or self.state != OPEN:
            self.templates.verdict.setText(self.tr("Connect first: Send uses the open connection."))
            return
        self.live.add_line(self.tr("sending template {0}").format(template.name))
        self.session.send_template(template, self.wait.value())

    def _on_verdict(self, live: LiveSession, verdict: Verdict) -> None:
        live.add_line(verdict.describe())
        if live is self.live:
            self.templates.show_verdict(verdict)
            self.verdict_shown.emit(verdict)

    # ---- templates

    def load_template(self, template: Template) -> None:
        specs = template_specs(template)
        if not specs:
            return
        self.editor.set_frame_spec(specs[0], key_mode="random" if specs[0].masking_key is not None else None)
        self.sequence.set_fixed(specs if len(specs) > 1 else None, template.name)
        self.left_tabs.setCurrentWidget(self.sequence if len(specs) > 1 else self.left_tabs.widget(0))

    def load_template_by_name(self, name: str) -> None:
        template = next((t for t in self.templates.templates if t.name == name), None)
        if template is not None:
            self.templates.select(name)
            self.load_template(template)

    def run_category(self, category: str, templates: list[Template]) -> None:
        url = self.url or (self.session.url if self.session is not None else "")
        if not url:
            self.templates.verdict.setText(self.tr("Connect once first: the category runs against that URL."))
            return
        if self.category_run is not None:
            self.category_run.stop()
        run = CategoryRun(url, self.options, templates, CATEGORY_WAIT, self)
        run.result.connect(self.templates.add_result)
        run.finished.connect(self.templates.finish_run)
        self.category_run = run
        run.start()

    def export_results(self, path: str | None = None) -> None:
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self, self.tr("Export results"), "results.json", "JSON (*.json)")
        if path:
            try:
                Path(path).write_text(self.templates.results_json() + "\n", encoding="utf-8")
            except OSError as error:
                QMessageBox.warning(self, self.tr("Export results"), str(error.strerror or error))

    def save_as_template(self, name: str | None = None, description: str | None = None) -> Template | None:
        """The previewed frames, as sent bytes with their key, saved as a user template."""
        if self.analysis.error or not self._specs or self.analysis.expect is None:
            return None
        if name is None:
            name, ok = QInputDialog.getText(self, self.tr("Save as template"), self.tr("Name:"))
            if not ok or not name.strip():
                return None
        description = description or self.tr("{0} frame(s) made in the crafter").format(len(self._specs))
        frames = [wire_for_send([spec], self.editor.key_choice()) for spec in self._specs]
        try:
            saved = save_user_template(frames_entry(name.strip(), description, self.analysis.expect, frames))
        except InspectorError as error:
            self.templates.verdict.setText(str(error))
            return None
        self.templates.verdict.setText(self.tr("Saved {0} to {1}").format(saved.name, saved.source))
        return saved

    def edit_frame(self, frame: Frame) -> None:
        """A frame of the session in the editor, with its bits as they were."""
        self.sequence.set_fixed(None)
        self.editor.set_frame_spec(spec_from_frame(frame))
        self.left_tabs.setCurrentIndex(0)

    # ---- lifetime

    def shutdown(self) -> None:
        """End the connection, a category run and the lab servers (the window calls this on close)."""
        self._end_sessions()
        if self.category_run is not None:
            self.category_run.stop()
        for runner in self.labs.values():
            runner.stop()
        self.labs.clear()
