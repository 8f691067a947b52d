"""A client connection as a session the window can show: its thread, its store, its state and its log.

The thread (`session.ClientSession`) records through the same Recorder as capture, so its events go
into a `SessionStore` exactly as a capture's do, and the window's panes show them unchanged. A
reconnect starts a fresh store: a new connection is a new session, and the old one's thread is gone.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from ...client.engine import ClientOptions
from ...client.resend import ResendPlan, ResendStep
from ...client.verdict import Verdict
from ...session.events import SessionEvent
from ...session.store import SessionStore
from .session import CLOSED, CONNECTING, ClientSession


class LiveSession(QObject):
    state_changed = Signal()  # `state` or `detail` changed
    grew = Signal()  # `store` got more events
    restarted = Signal()  # a reconnect: `store` is a new, empty store
    line_added = Signal(str)  # a line of the log: states, problems, verdicts, what was sent
    events = Signal(object)  # the events just added to the store
    verdict = Signal(object)  # verdict.Verdict
    rtt = Signal(float)

    def __init__(self, url: str, options: ClientOptions, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.url = url
        self.options = options
        self.store = SessionStore(url)
        self.thread: ClientSession | None = None
        self.state = CLOSED
        self.detail = ""
        self.lines: list[str] = []
        self.problem = ""  # the last problem, one line

    @property
    def title(self) -> str:
        return self.url.split("://", 1)[-1].rstrip("/")

    def start(self) -> None:
        """Connect (again): a new thread and a new store."""
        self.stop()
        self.store = SessionStore(self.url)
        self.lines, self.problem = [], ""
        thread = ClientSession(self.url, self.options, self)
        thread.state_changed.connect(self._on_state)
        thread.events.connect(self._on_events)
        thread.problem.connect(self._on_problem)
        thread.verdict.connect(self._on_verdict)
        thread.rtt.connect(self._on_rtt)
        thread.resent.connect(self._on_resent)
        self.thread = thread
        self.restarted.emit()
        self._on_state(CONNECTING, "")
        thread.start()

    def disconnect(self) -> None:
        if self.thread is not None:
            self.thread.disconnect()

    def stop(self) -> None:
        """Drop the connection at once and wait for its thread."""
        if self.thread is not None:
            self.thread.stop()

    def resend(self, plan: ResendPlan) -> None:
        if self.thread is not None:
            self.add_line(self.tr("resending {0} item(s)").format(len(plan.items)))
            self.thread.resend(plan)

    def add_line(self, line: str) -> None:
        self.lines.append(line)
        self.line_added.emit(line)

    def state_text(self) -> str:
        return self.tr("{0}: {1}{2}").format(self.title, self.state, f" — {self.detail}" if self.detail else "")

    def _current(self) -> bool:
        """Whether the signal being handled comes from this session's current thread, not one replaced
        by a reconnect whose last signals were still queued."""
        sender = self.sender()
        return sender is None or sender is self.thread

    def _on_state(self, state: str, detail: str) -> None:
        if not self._current():
            return
        self.state, self.detail = state, detail
        self.add_line(f"{state}: {detail}" if detail else state)
        self.state_changed.emit()

    def _on_problem(self, line: str) -> None:
        if not self._current():
            return
        self.problem = line
        self.add_line(self.tr("problem: {0}").format(line))

    def _on_verdict(self, verdict: Verdict) -> None:
        if self._current():
            self.verdict.emit(verdict)

    def _on_rtt(self, seconds: float) -> None:
        if self._current():
            self.rtt.emit(seconds)

    def _on_resent(self, step: ResendStep) -> None:
        if not self._current():
            return
        answer = "" if step.answered is None else self.tr(", answered") if step.answered else self.tr(", no answer")
        self.add_line(self.tr("resent {0}: {1} B{2}").format(step.label, step.sent, answer))

    def _on_events(self, events: list[SessionEvent]) -> None:
        if not self._current():
            return
        if events:
            self.store.times.see(events[0].time)
        self.store.extend(events)
        self.events.emit(events)
        self.grew.emit()
