"""Canary: the installed Qt binding must not leak references to None.

shiboken6 6.12.0 on Python 3.11 takes one reference to None from every Qt call that returns nothing
(1,000 `QLabel.setText` calls lowered `sys.getrefcount(None)` by exactly 1,000). Before Python 3.12
None is an ordinary object: once its count reaches zero the interpreter aborts with
"Fatal Python error: none_dealloc", which in the window happened after a few hundred clicks. This
test turns such a binding red in CI instead. On Python 3.12+ None is immortal, its count never
moves, and the test passes whatever the binding does.
"""

from __future__ import annotations

import sys

from PySide6.QtGui import QTextCharFormat
from PySide6.QtWidgets import QLabel, QPlainTextEdit, QTextEdit

CALLS = 1000
# Unrelated code (the garbage collector, Qt's own Python callbacks) may move None's count by a few;
# a leaking binding moves it by CALLS.
SLACK = 20


def _none_refcount_change(call, calls: int = CALLS) -> int:
    call()  # the first call may cache things (method lookups, type objects) that hold None
    before = sys.getrefcount(None)
    for _ in range(calls):
        call()
    return sys.getrefcount(None) - before


def test_void_qt_calls_leave_none_refcount_unchanged(qapp) -> None:
    label = QLabel()
    assert abs(_none_refcount_change(lambda: label.setText("x"))) <= SLACK
    assert abs(_none_refcount_change(lambda: label.setEnabled(True))) <= SLACK


def test_extra_selections_leave_none_refcount_unchanged(qapp) -> None:
    """What the hex pane does per highlighted row (ExtraSelection attributes, setExtraSelections)."""
    editor = QPlainTextEdit()
    editor.setPlainText("0123456789abcdef\n" * 4)
    text_format = QTextCharFormat()

    def highlight() -> None:
        selection = QTextEdit.ExtraSelection()
        selection.format = text_format
        selection.cursor = editor.textCursor()
        editor.setExtraSelections([selection])

    assert abs(_none_refcount_change(highlight, CALLS // 4)) <= SLACK
