"""A read-only text pane that wraps at its edge, the base of the handshake and explanation panes."""

from __future__ import annotations

from PySide6.QtGui import QTextOption
from PySide6.QtWidgets import QPlainTextEdit, QWidget


class ReadOnlyTextPane(QPlainTextEdit):
    """Plain text only (a payload can never turn into markup); a long header or hash breaks mid-word
    rather than hiding behind a horizontal scroll bar."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
