"""Client sessions off the GUI thread: the blocking engine runs in a QThread and reports through signals.

The window never waits on a socket. Commands (send these bytes, run this template, close) go into a
queue the thread reads between short listens; whatever the engine decodes comes back as `events`.
A problem (a timeout, a reset, a refused handshake) is one line on `problem`; the session's events
so far stay where they were shown.
"""

from __future__ import annotations

import queue
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Final

from PySide6.QtCore import QObject, QThread, Signal

from ...client.engine import Client, ClientOptions, deflate_offer
from ...client.errors import ClientError
from ...client.resend import ResendPlan, ResendStep, resend
from ...client.steps import Raw
from ...client.templates import Expect, Template
from ...client.verdict import Verdict, run_template

CONNECTING, OPEN, CLOSING, CLOSED = "connecting", "open", "closing", "closed"
POLL_SECONDS: Final = 0.05  # how long the thread listens before it looks at the command queue again
DEFAULT_WAIT: Final = 1.0  # seconds to wait for the server's answer after a send


@dataclass(frozen=True, slots=True)
class SendRequest:
    """Bytes to send, cut into writes of `chunk_size` (0: one write) `chunk_delay` seconds apart;
    with `expect`, the answer is judged as a template's would be."""

    wire: bytes
    expect: Expect | None = None
    description: str = "the crafted frames"
    chunk_size: int = 0
    chunk_delay: float = 0.0
    wait: float = DEFAULT_WAIT


def crafted_template(request: SendRequest, expect: Expect) -> Template:
    return Template("crafted", "crafted", request.description, "", expect, (Raw(request.wire),))


class ClientSession(QThread):
    """One connection. Start it with `start()`; it connects, then serves commands until it closes."""

    state_changed = Signal(str, str)  # state, and a line about it (the close outcome when closed)
    events = Signal(object)  # list of session events (session.events), in order
    problem = Signal(str)  # one line; the session ends
    verdict = Signal(object)  # verdict.Verdict
    rtt = Signal(float)  # a heartbeat round trip, in seconds
    resent = Signal(object)  # resend.ResendStep, one per item resent

    def __init__(self, url: str, options: ClientOptions, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.url = url
        self.options = options
        self.client: Client | None = None
        self._commands: queue.Queue[Callable[[Client], None]] = queue.Queue()
        self._stopping = False
        self._emitted = 0
        self._rtts = 0
        self.state = CONNECTING  # the window shows "connecting" itself, before the thread starts

    # ---- commands, from the GUI thread

    def send(self, request: SendRequest) -> None:
        self._commands.put(lambda client: self._send(client, request))

    def send_template(self, template: Template, wait: float = DEFAULT_WAIT) -> None:
        self._commands.put(lambda client: self._judged(run_template(client, template, wait)))

    def resend(self, plan: ResendPlan) -> None:
        self._commands.put(lambda client: self._resend(client, plan))

    def set_auto_pong(self, on: bool) -> None:
        self._commands.put(lambda client: setattr(client.options, "auto_pong", on))

    def set_heartbeat(self, seconds: float | None) -> None:
        self._commands.put(lambda client: setattr(client.options, "heartbeat", seconds or None))

    def disconnect(self, code: int | None = 1000, reason: str = "") -> None:
        self._commands.put(lambda client: self._close(client, code, reason))

    def stop(self, timeout_ms: int = 5000) -> None:
        """Drop the connection without a close handshake and wait for the thread to end."""
        self._stopping = True
        self.wait(timeout_ms)

    # ---- the thread

    def _set_state(self, state: str, detail: str = "") -> None:
        self.state = state
        self.state_changed.emit(state, detail)

    def run(self) -> None:
        try:
            client = Client(self.url, self.options)
            self.client = client
            response = client.connect()
        except ClientError as error:
            self._flush()
            self.problem.emit(str(error))
            self._set_state(CLOSED, str(error))
            return
        self._flush()
        self._set_state(OPEN, f"{response.status} {response.reason}".strip())
        try:
            while client.open and not self._stopping:
                try:
                    command = self._commands.get_nowait()
                except queue.Empty:
                    client.listen(POLL_SECONDS, whole_frames=False)
                else:
                    command(client)
                self._flush()
        except ClientError as error:
            self.problem.emit(str(error))
        finally:
            client.abort()
            self._flush()
        self._set_state(CLOSED, client.problem or client.outcome().describe())

    def _send(self, client: Client, request: SendRequest) -> None:
        client.options.chunk_size = request.chunk_size or None
        client.options.chunk_delay = request.chunk_delay
        if request.expect is None:
            client.send_bytes(request.wire)
        else:
            self._judged(run_template(client, crafted_template(request, request.expect), request.wait))

    def _resend(self, client: Client, plan: ResendPlan) -> None:
        def report(step: ResendStep) -> None:
            self._flush()  # each item's frames and answer show as it goes
            self.resent.emit(step)

        resend(client, plan, report)

    def _judged(self, verdict: Verdict) -> None:
        self._flush()  # the frames judged reach the GUI before the verdict on them
        self.verdict.emit(verdict)

    def _close(self, client: Client, code: int | None, reason: str) -> None:
        self._set_state(CLOSING)
        client.close(code, reason)

    def _flush(self) -> None:
        """Hand the events decoded since the last flush to the GUI, and any new heartbeat round trips."""
        client = self.client
        if client is None:
            return
        found = client.recording.events
        if len(found) > self._emitted:
            self.events.emit(list(found[self._emitted:]))
            self._emitted = len(found)
        while self._rtts < len(client.rtts):
            self.rtt.emit(client.rtts[self._rtts])
            self._rtts += 1


@dataclass(frozen=True, slots=True)
class CategoryResult:
    template: Template
    verdict: Verdict | None
    error: str = ""  # the connection could not be made or ended with a problem

    @property
    def passed(self) -> bool | None:
        return self.verdict.passed if self.verdict is not None else None

    def to_json(self) -> dict[str, object]:
        if self.verdict is not None:
            return {**self.verdict.to_json(), "error": self.error or None}
        return {"type": "verdict", "template": self.template.name, "expect": self.template.expect.to_json(),
                "passed": None, "observed": None, "note": None, "error": self.error}


class CategoryRun(QThread):
    """Each template on a fresh connection, one after another (Autobahn-style), reported as it goes."""

    result = Signal(object)  # CategoryResult

    def __init__(self, url: str, options: ClientOptions, templates: list[Template], wait: float,
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.url = url
        self.options = options
        self.templates = templates
        self.wait_seconds = wait
        self.results: list[CategoryResult] = []
        self._stopping = False

    def stop(self, timeout_ms: int = 10000) -> None:
        self._stopping = True
        self.wait(timeout_ms)

    def run(self) -> None:
        for template in self.templates:
            if self._stopping:
                break
            found = self._run_one(template)
            self.results.append(found)
            self.result.emit(found)

    def _run_one(self, template: Template) -> CategoryResult:
        offers = [*self.options.extensions]
        if template.deflate and not offers:
            offers = [deflate_offer()]
        elif template.deflate is False:
            offers = []
        client: Client | None = None
        try:
            client = Client(self.url, replace(self.options, extensions=offers))
            client.connect()
            return CategoryResult(template, run_template(client, template, self.wait_seconds))
        except ClientError as error:
            return CategoryResult(template, None, str(error))
        finally:
            if client is not None:
                client.abort()
