"""The violations pane: every broken rule in a session, with its section, close code and explanation,
and a "Why?" beside each rule: why the RFC has it (the teaching catalogue's `why:<code>` paragraph).

The model holds (frame reference, violation) rows. The reference is whatever the caller uses to
find a frame again (the session's frame number, a record); the pane hands it back, untouched,
when a row is double-clicked.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final, NamedTuple

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QFont, QGuiApplication, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ...protocol.constants import close_code_name
from ...protocol.frame import Frame
from ...protocol.violations import Violation
from .teaching_text import rfc_section, violation_explanation, violation_why

COLUMN_FRAME, COLUMN_CODE, COLUMN_WHY, COLUMN_RFC, COLUMN_CLOSE, COLUMN_MESSAGE = range(6)  # "Why?" beside the rule
COLUMN_COUNT: Final = 6
EXPLANATION_ROLE: Final = Qt.ItemDataRole.UserRole + 1
FRAME_REF_ROLE: Final = Qt.ItemDataRole.UserRole + 2
WHY_ROLE: Final = Qt.ItemDataRole.UserRole + 3

AnyIndex = QModelIndex | QPersistentModelIndex


class ViolationRow(NamedTuple):
    frame_ref: object  # handed back by ViolationsPane.frame_activated
    violation: Violation


def violation_rows(frames: Iterable[tuple[object, Frame]]) -> list[ViolationRow]:
    """One row per violation of each (reference, frame), in the order given."""
    return [ViolationRow(ref, found) for ref, frame in frames for found in frame.violations]


class ViolationsModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._rows: list[ViolationRow] = []

    def set_rows(self, rows: Iterable[ViolationRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def append_rows(self, rows: list[ViolationRow]) -> None:
        if rows:
            first = len(self._rows)
            self.beginInsertRows(QModelIndex(), first, first + len(rows) - 1)
            self._rows += rows
            self.endInsertRows()

    def row_at(self, row: int) -> ViolationRow:
        return self._rows[row]

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008 - Qt's signature
        return 0 if parent.isValid() else COLUMN_COUNT

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        ref, found = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(ref, found, index.column())
        if role == EXPLANATION_ROLE:
            return violation_explanation(found.code)
        if index.column() == COLUMN_WHY and role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setUnderline(True)  # it reads as something to click
            return font
        if index.column() == COLUMN_WHY and role == Qt.ItemDataRole.ForegroundRole:
            return QGuiApplication.palette().link()
        if role == WHY_ROLE or (role == Qt.ItemDataRole.ToolTipRole and index.column() == COLUMN_WHY):
            return violation_why(found.code)
        if role == FRAME_REF_ROLE:
            return ref
        return None

    def _display(self, ref: object, found: Violation, column: int) -> str:
        if column == COLUMN_FRAME:
            return str(ref)
        if column == COLUMN_CODE:
            return found.code
        if column == COLUMN_RFC:
            return rfc_section(found.rfc) or self.tr("(capture)")
        if column == COLUMN_CLOSE:
            if found.close_code is None:
                return self.tr("none")
            return f"{found.close_code} {close_code_name(found.close_code)}"
        if column == COLUMN_WHY:
            return self.tr("Why?") if violation_why(found.code) else ""
        return found.message

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        titles = (self.tr("Frame"), self.tr("Code"), self.tr("Why?"), self.tr("RFC section"), self.tr("Close code"),
                  self.tr("Message"))
        return titles[section] if 0 <= section < len(titles) else None


class ViolationsPane(QWidget):
    """The model in a table, with the selected violation's explanation below it; a click on a row's "Why?"
    opens a second box under it with the reason the RFC has that rule, which then follows the selection."""

    frame_activated = Signal(object)  # a row was double-clicked: the frame reference of that row

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = ViolationsModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column in (COLUMN_FRAME, COLUMN_CODE, COLUMN_RFC, COLUMN_CLOSE, COLUMN_WHY):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)  # the message
        self.table.doubleClicked.connect(self._activated)
        self.table.clicked.connect(self._clicked)
        self.table.selectionModel().currentRowChanged.connect(self._show_explanation)
        self.explanation = QPlainTextEdit()
        self.explanation.setReadOnly(True)
        self.explanation.setPlaceholderText(self.tr("Select a violation to read what the rule asks for."))
        self.why = QPlainTextEdit()
        self.why.setReadOnly(True)
        self.why.hide()  # until a "Why?" is clicked
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.explanation)
        splitter.addWidget(self.why)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        splitter.setStretchFactor(2, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def set_violations(self, rows: Iterable[ViolationRow]) -> None:
        self.model.set_rows(rows)
        self.explanation.clear()
        self.why.clear()

    def show_why(self, row: int) -> None:
        """Select `row` and open the box with why the RFC has its rule."""
        self.table.selectRow(row)
        self.why.show()
        self._show_explanation(self.model.index(row, COLUMN_WHY))

    def _clicked(self, index: QModelIndex) -> None:
        if index.isValid() and index.column() == COLUMN_WHY:
            self.show_why(index.row())

    def _show_explanation(self, current: QModelIndex) -> None:
        text = current.data(EXPLANATION_ROLE) if current.isValid() else ""
        self.explanation.setPlainText(str(text or ""))
        why = current.data(WHY_ROLE) if current.isValid() else ""
        self.why.setPlainText(self.tr("Why the RFC has this rule: {0}").format(why) if why else "")
        self.why.moveCursor(QTextCursor.MoveOperation.Start)

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.frame_activated.emit(self.model.row_at(index.row()).frame_ref)
