"""Help → Handshake Calculator: a key worked through to the server's answer, with no capture open.

Two tabs, RFC 6455 (Sec-WebSocket-Key → Sec-WebSocket-Accept) and draft-hixie-76 (Key1, Key2 and
the 8-byte body → the MD5 answer). The steps are the very text `inspector accept` prints (both come
from report.accept_steps), recomputed on every keystroke; a verdict line adds ✓ or ✗ when an
expected answer is typed.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..errors import InspectorError
from ..protocol.hixie import challenge
from ..report.accept_steps import hixie76_lines, parse_hixie_answer, parse_key3, rfc6455_report


def _steps_view() -> QPlainTextEdit:
    view = QPlainTextEdit()
    view.setReadOnly(True)
    view.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
    view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
    return view


class Rfc6455Tab(QWidget):
    """Sec-WebSocket-Key (and an optional expected Sec-WebSocket-Accept) → the four steps."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key = QLineEdit()
        self.key.setPlaceholderText(self.tr("the client's Sec-WebSocket-Key, e.g. dGhlIHNhbXBsZSBub25jZQ=="))
        self.expected = QLineEdit()
        self.expected.setPlaceholderText(self.tr("optional: the Sec-WebSocket-Accept to check"))
        self.steps = _steps_view()
        self.verdict = QLabel()
        form = QFormLayout()
        form.addRow(self.tr("Sec-WebSocket-&Key:"), self.key)
        form.addRow(self.tr("&Expected accept:"), self.expected)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.steps)
        layout.addWidget(self.verdict)
        self.key.textChanged.connect(self.refresh)
        self.expected.textChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        key = self.key.text()
        if not key:
            self.steps.setPlainText(self.tr("Type a Sec-WebSocket-Key to see its accept value worked out."))
            self.verdict.clear()
            return
        expect = self.expected.text().strip() or None
        report = rfc6455_report(key, expect)
        self.steps.setPlainText("\n".join(report.lines))
        self.verdict.setText(_verdict(report.matches))


class Hixie76Tab(QWidget):
    """Sec-WebSocket-Key1, Key2 and the 8-byte request body (hex) → digits, spaces, divisions, MD5."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.key1 = QLineEdit()
        self.key2 = QLineEdit()
        self.body = QLineEdit()
        self.body.setPlaceholderText(self.tr("8 bytes in hex, e.g. 546d5b4b20543275"))
        self.expected = QLineEdit()
        self.expected.setPlaceholderText(self.tr("optional: 32 hex digits or the 16 characters"))
        self.steps = _steps_view()
        self.verdict = QLabel()
        form = QFormLayout()
        form.addRow(self.tr("Sec-WebSocket-Key&1:"), self.key1)
        form.addRow(self.tr("Sec-WebSocket-Key&2:"), self.key2)
        form.addRow(self.tr("&Body (key3, hex):"), self.body)
        form.addRow(self.tr("&Expected answer:"), self.expected)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.steps)
        layout.addWidget(self.verdict)
        for field in (self.key1, self.key2, self.body, self.expected):
            field.textChanged.connect(self.refresh)
        self.refresh()

    def refresh(self) -> None:
        if not (self.key1.text() or self.key2.text() or self.body.text()):
            self.steps.setPlainText(self.tr("Type Key1, Key2 and the 8-byte body to see the MD5 answer worked out."))
            self.verdict.clear()
            return
        try:
            key3 = parse_key3(self.body.text())
            expected_text = self.expected.text().strip()
            expect = parse_hixie_answer(expected_text) if expected_text else None
        except InspectorError as problem:  # half-typed input: say what is missing, keep the fields
            self.steps.setPlainText(str(problem))
            self.verdict.clear()
            return
        result = challenge(self.key1.text(), self.key2.text(), key3, expect)
        self.steps.setPlainText("\n".join(hixie76_lines(result)))
        self.verdict.setText(_verdict(None if result.received is None else bool(result.valid)))


def _verdict(matches: bool | None) -> str:
    if matches is None:
        return ""
    # One context for both tabs: a tr() here would look the text up under each tab's class name.
    if matches:
        return QCoreApplication.translate("CalculatorDialog", "✓ matches the expected value")
    return QCoreApplication.translate("CalculatorDialog", "✗ does not match the expected value")


class CalculatorDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Handshake Calculator"))
        self.rfc6455 = Rfc6455Tab()
        self.hixie76 = Hixie76Tab()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.rfc6455, self.tr("RFC 6455"))
        self.tabs.addTab(self.hixie76, self.tr("draft-hixie-76"))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        layout.addWidget(buttons)
        self.resize(820, 420)
