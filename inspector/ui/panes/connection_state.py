"""Where the selected connection stands at the cursor: connecting, open, closing or closed (RFC 6455 §7),
replayed by the session Cursor from the connection's events up to the cursor."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSizePolicy, QWidget

from ...protocol.connection import CloseState
from ...protocol.constants import Direction
from ...session.cursor import ACCEPTED, NOT_CAPTURED, PENDING, REFUSED, ConnectionState, Cursor
from ..session_model import SessionModel

CONNECTING, OPEN, CLOSING, CLOSED = "connecting", "open", "closing", "closed"
PHASES = (CONNECTING, OPEN, CLOSING, CLOSED)
PHASE_WIDTH = 90


def phase_of(state: ConnectionState) -> str:
    if state.close is CloseState.CLOSED or state.ended:
        return CLOSED
    if state.close is CloseState.CLOSING:
        return CLOSING
    if state.handshake in (ACCEPTED, NOT_CAPTURED):
        return OPEN
    return CLOSED if state.handshake == REFUSED else CONNECTING


class ConnectionStateStrip(QWidget):
    def __init__(self, session: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.phase_labels: dict[str, QLabel] = {}
        names = {CONNECTING: self.tr("connecting"), OPEN: self.tr("open"), CLOSING: self.tr("closing"),
                 CLOSED: self.tr("closed")}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for phase in PHASES:
            label = QLabel(names[phase])
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            label.setMinimumWidth(PHASE_WIDTH)
            label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            label.setAutoFillBackground(True)
            self.phase_labels[phase] = label
            layout.addWidget(label)
        self.detail = QLabel()
        self.detail.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.detail, 1)
        self.phase = ""
        for signal in (session.position_changed, session.connection_changed, session.store_changed):
            signal.connect(self.refresh)
        self.refresh()

    def text(self) -> str:
        """The phase and its detail, as shown."""
        return f"{self.phase}: {self.detail.text()}" if self.phase else self.detail.text()

    @Slot()
    def refresh(self) -> None:
        store, connection = self.session.store, self.session.connection
        if store is None or connection is None:
            self._show("", self.tr("No connection selected"))
            return
        state = Cursor(store, self.session.position).state(connection.id)
        self._show(phase_of(state), self._describe(state, connection.id))

    def _describe(self, state: ConnectionState, number: int) -> str:
        sides = {Direction.CLIENT: self.tr("the client"), Direction.SERVER: self.tr("the server")}
        if state.closed_by is not None:
            closer = sides[state.closed_by]
            other = sides[Direction.SERVER if state.closed_by == Direction.CLIENT else Direction.CLIENT]
            if state.close is CloseState.CLOSED:
                close = self.tr("{0} sent Close, {1} answered").format(closer, other)
            else:
                close = self.tr("{0} sent Close, {1} has not answered").format(closer, other)
        elif state.handshake == REFUSED:
            close = self.tr("the server refused the handshake")
        elif state.handshake == PENDING:
            close = self.tr("waiting for the handshake") if state.opened else self.tr("not seen yet")
        else:
            close = self.tr("no Close frame yet")
        text = self.tr("connection {0}: {1} · {2} frames, {3} messages so far").format(
            number, close, state.frames, state.messages)
        if state.ended:
            text += self.tr(" · the TCP connection ended")
        return text

    def _show(self, phase: str, detail: str) -> None:
        self.phase = phase
        self.detail.setText(detail)
        palette = self.palette()
        for name, label in self.phase_labels.items():
            current = name == phase
            font = QFont(label.font())
            font.setBold(current)
            label.setFont(font)
            shade = QPalette(palette)
            if current:
                shade.setColor(QPalette.ColorRole.Window, palette.color(QPalette.ColorRole.Highlight))
                shade.setColor(QPalette.ColorRole.WindowText, palette.color(QPalette.ColorRole.HighlightedText))
            label.setPalette(shade)
