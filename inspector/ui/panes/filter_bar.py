"""The filter bar above the frames table: a display filter (the `dump --filter` language) with completion
of field names, a red bar and a one-line message on a mistake, and quick buttons that add a clause.

Enter applies. The expression is compiled once and run over every frame of the session; the
SessionModel then tells the frames table which rows to show.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QStringListModel, Qt, Signal, Slot
from PySide6.QtWidgets import QComboBox, QCompleter, QHBoxLayout, QLabel, QLineEdit, QToolButton, QVBoxLayout, QWidget

from ...filter import FilterError, compile_filter, complete
from ..frame_filter import GrowingFilter
from ..session_model import SessionModel

ERROR_STYLE = "QLineEdit { background: #ffcdd2; color: #000000; }"
# The quick buttons' clauses, in the filter language itself.
HIDE_CONTROL = "websocket.opcode < 8"  # RFC 6455 §5.5: control opcodes are 8 and above
VIOLATIONS_ONLY = "violation"
DIRECTION_CLAUSES = ("", "direction == client", "direction == server")
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*$")


class FilterBar(QWidget):
    applied = Signal(str)  # the effective expression ("" when no filter)
    failed = Signal(str)  # the one-line error

    def __init__(self, session: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(self.tr("Display filter, e.g. websocket.opcode == 9 — Enter applies"))
        self.edit.setClearButtonEnabled(True)
        self.edit.returnPressed.connect(self.apply)
        self.edit.textEdited.connect(self._suggest)
        self.completer = QCompleter(QStringListModel(self), self)
        self.completer.setWidget(self.edit)
        self.completer.setCaseSensitivity(Qt.CaseSensitivity.CaseSensitive)
        self.completer.activated.connect(self._insert_completion)
        self.hide_control = self._toggle(self.tr("No control"), self.tr("Hide control frames (Close, Ping, Pong)"))
        self.violations_only = self._toggle(self.tr("Violations"), self.tr("Show only frames that break a rule"))
        self.direction = QComboBox()
        self.direction.addItems([self.tr("Both directions"), self.tr("Client → server"), self.tr("Server → client")])
        self.direction.currentIndexChanged.connect(self.apply)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        self.message.setStyleSheet("color: #c62828;")
        self.message.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.edit, 1)
        row.addWidget(self.hide_control)
        row.addWidget(self.violations_only)
        row.addWidget(self.direction)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 2)
        layout.setSpacing(1)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self._growing: GrowingFilter | None = None  # the filter applied, kept to test the frames that arrive later
        session.store_changed.connect(self._on_store_changed)
        session.store_grew.connect(self._on_store_grew)

    def _toggle(self, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setCheckable(True)
        button.toggled.connect(self.apply)
        return button

    def expression(self) -> str:
        """The text and the quick buttons' clauses, joined with &&."""
        clauses = [f"({self.edit.text().strip()})"] if self.edit.text().strip() else []
        if self.hide_control.isChecked():
            clauses.append(HIDE_CONTROL)
        if self.violations_only.isChecked():
            clauses.append(VIOLATIONS_ONLY)
        if DIRECTION_CLAUSES[self.direction.currentIndex()]:
            clauses.append(DIRECTION_CLAUSES[self.direction.currentIndex()])
        return " && ".join(clauses)

    @Slot()
    def apply(self) -> None:
        text = self.edit.text().strip()
        if text:
            try:
                compile_filter(text)  # the typed part alone, so the column points into what was typed
            except FilterError as error:
                self._show_error(str(error))
                return
        self._show_error("")
        expression = self.expression()
        self._run(expression)
        self.applied.emit(expression)

    def _run(self, expression: str) -> None:
        store = self.session.store
        if not expression or store is None:
            self._growing = None
            self.session.set_filter(None)
            return
        self._growing = GrowingFilter(compile_filter(expression))
        self.session.set_filter(dict(self._growing.update(store)))

    @Slot()
    def _on_store_grew(self) -> None:
        """More of the session arrived (a capture loading, a live capture): the filter covers it too."""
        store = self.session.store
        if self._growing is not None and store is not None:
            self.session.set_filter(dict(self._growing.update(store)))

    def _show_error(self, message: str) -> None:
        self.edit.setStyleSheet(ERROR_STYLE if message else "")
        self.message.setText(message)
        self.message.setVisible(bool(message))
        if message:
            self.failed.emit(message)

    @property
    def has_error(self) -> bool:
        return bool(self.message.text())

    @Slot()
    def _on_store_changed(self) -> None:
        if self.expression() and not self.has_error:
            self._run(self.expression())
        else:
            self._growing = None

    # -- completion of field names

    def word_before_cursor(self) -> str:
        found = _WORD.search(self.edit.text()[: self.edit.cursorPosition()])
        return found.group(0) if found else ""

    @Slot(str)
    def _suggest(self, _text: str) -> None:
        word = self.word_before_cursor()
        names = complete(word) if word else []
        if not names or names == [word]:
            self.completer.popup().hide()
            return
        model = self.completer.model()
        assert isinstance(model, QStringListModel)
        model.setStringList(names)
        self.completer.setCompletionPrefix(word)
        self.completer.complete()

    @Slot(str)
    def _insert_completion(self, name: str) -> None:
        word = self.word_before_cursor()
        position = self.edit.cursorPosition()
        text = self.edit.text()
        self.edit.setText(text[: position - len(word)] + name + text[position:])
        self.edit.setCursorPosition(position - len(word) + len(name))
