"""The handshake pane: the selected connection's opening handshake worked through, and its notes; and beside
it the comparison of the draft handshakes (hixie-75, hixie-76) with RFC 6455's, on the connection's own bytes."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtGui import QFontDatabase, QShowEvent, QTextCursor
from PySide6.QtWidgets import QWidget

from ...protocol import teaching
from ...protocol.violations import Violation
from ...report.handshake_compare import connection_comparison, section_heading
from ...report.handshake_text import handshake_lines
from ...report.text_tree import format_violation
from ...session.store import ConnectionRecord
from ..session_model import SessionModel
from .text import ReadOnlyTextPane

NOTE_INDENT = "  "


class HandshakePane(ReadOnlyTextPane):
    def __init__(self, session: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setPlaceholderText(self.tr("Select a connection to see its opening handshake."))
        session.connection_changed.connect(self._on_connection_changed)
        session.store_grew.connect(self._on_store_grew)

    @Slot()
    def _on_connection_changed(self) -> None:
        record = self.session.connection
        if record is None:
            self.clear()
        else:
            self.setPlainText("\n".join(self.lines(record)))
            self.shown(record)

    @Slot()
    def _on_store_grew(self) -> None:
        """A loading capture grew: the handshake, the connection's notes or the capture's may have come since."""
        record = self.session.connection
        if record is None:
            return
        text = "\n".join(self.lines(record))
        if text != self.toPlainText():
            scroll = self.verticalScrollBar()
            kept = scroll.value()
            self.setPlainText(text)
            scroll.setValue(kept)
            self.shown(record)

    def shown(self, record: ConnectionRecord) -> None:
        """Called once `record`'s text is in the pane."""

    def lines(self, record: ConnectionRecord) -> list[str]:
        lines = handshake_lines(record.connection.handshake, record.connection.protocol)
        extra = [format_violation(teaching.violation_in_words(v)) for v in record.connection.violations
                 if v not in _handshake_violations(record)]
        if extra:
            lines += ["", self.tr("Connection notes:"), *(NOTE_INDENT + line for line in extra)]
        if record.notes:
            lines += ["", self.tr("Capture notes:"), *(NOTE_INDENT + note.message for note in record.notes)]
        return lines


def _handshake_violations(record: ConnectionRecord) -> list[Violation]:
    handshake = record.connection.handshake
    return list(handshake.violations) if handshake is not None else []


class HandshakeComparison(HandshakePane):
    """hixie-75, hixie-76 and RFC 6455 side by side: the selected connection's dialect worked out on its own
    headers and bytes (the draft-76 MD5 answer checked against the server's 16 bytes), the others explained."""

    def __init__(self, session: SessionModel, parent: QWidget | None = None) -> None:
        self._scroll_to: str | None = None  # a section to bring to the top once the pane is shown
        super().__init__(session, parent)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))  # the steps are in columns
        self.setPlaceholderText(self.tr("Select a connection to compare its handshake with the other drafts."))

    def lines(self, record: ConnectionRecord) -> list[str]:
        return connection_comparison(record.connection)

    def shown(self, record: ConnectionRecord) -> None:
        self._scroll_to = record.connection.protocol
        if self.isVisible():
            self.scroll_to_section(self._scroll_to)

    def showEvent(self, event: QShowEvent) -> None:  # Qt's name
        super().showEvent(event)
        if self._scroll_to is not None:  # laid out now: the scroll lands where it should
            self.scroll_to_section(self._scroll_to)

    def scroll_to_section(self, protocol: str) -> None:
        """Put the section of `protocol` (the connection's own, worked out) at the top of the pane."""
        self._scroll_to = None
        heading = section_heading(protocol)
        found = self.document().find(heading) if heading else None
        if found is None or found.isNull():
            return
        self.moveCursor(QTextCursor.MoveOperation.End)  # from below, making it visible brings it to the top
        found.setPosition(found.selectionStart())  # the heading's first line, not where the match ends
        self.setTextCursor(found)
        self.ensureCursorVisible()
