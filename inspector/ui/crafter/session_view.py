"""The session so far: every frame either side sent, decoded, and a log of states, problems and verdicts.

Rows are only ever added, so whatever happened before a problem stays on screen after it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QPlainTextEdit,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...protocol.constants import Direction, Opcode, close_code_name, opcode_name
from ...protocol.frame import Frame
from ...session.events import FrameSeen, HandshakeSeen, SessionEvent
from ..widgets.palette import VIOLATION_COLOUR
from ..widgets.payload import visible_text

SUMMARY_CHARS: Final = 80
COLUMN_NUMBER, COLUMN_TIME, COLUMN_DIRECTION, COLUMN_FRAME, COLUMN_PAYLOAD, COLUMN_RULES = range(6)
FRAME_ROLE: Final = Qt.ItemDataRole.UserRole + 1


def payload_summary(frame: Frame) -> str:
    """A frame's payload in a few plain words: a Close's code and reason, text, or the first bytes in hex."""
    if frame.opcode == Opcode.CLOSE:
        code = frame.close_code
        if code is None:
            return "no status code"
        reason = frame.close_reason.decode("utf-8", "replace")
        return f"{code} {close_code_name(code)}" + (f" {reason!r}" if reason else "")
    data = frame.payload[:SUMMARY_CHARS]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return data.hex(" ")
    return visible_text(text) + ("…" if len(frame.payload) > SUMMARY_CHARS else "")


class SessionView(QWidget):
    edit_requested = Signal(object)  # a Frame double-clicked: open it in the editor

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._start: float | None = None
        self.table = QTableWidget(0, 6)
        self.table.setHorizontalHeaderLabels([self.tr("#"), self.tr("Time"), self.tr("From"), self.tr("Frame"),
                                              self.tr("Payload"), self.tr("Rules broken")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        for column in (COLUMN_NUMBER, COLUMN_TIME, COLUMN_DIRECTION, COLUMN_FRAME):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(COLUMN_PAYLOAD, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(COLUMN_RULES, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(COLUMN_RULES, 240)
        self.table.setToolTip(self.tr("Double-click a frame to edit it in the crafter and send it again"))
        self.table.cellDoubleClicked.connect(self._double_clicked)
        self.log = QPlainTextEdit()
        self.log.setReadOnly(True)
        self.log.setMaximumBlockCount(2000)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self.table)
        splitter.addWidget(self.log)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

    def clear(self) -> None:
        self._start = None
        self.table.setRowCount(0)

    def add_events(self, events: Iterable[SessionEvent]) -> None:
        for event in events:
            if self._start is None:
                self._start = event.time
            if isinstance(event, FrameSeen):
                self._add_frame(event.time, event.frame)
            elif isinstance(event, HandshakeSeen) and event.handshake.response is not None:
                response = event.handshake.response
                self.add_line(self.tr("handshake: {0} {1}").format(response.status, response.reason))
        self.table.scrollToBottom()

    def _add_frame(self, when: float, frame: Frame) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        arrow = self.tr("client →") if frame.direction is Direction.CLIENT else self.tr("← server")
        flags = "" if frame.fin else self.tr(" (no FIN)")
        rules = ", ".join(v.code for v in frame.violations)
        cells = (str(row + 1), f"{when - (self._start or when):.3f}", arrow,
                 f"{opcode_name(frame.opcode)}{flags}, {frame.payload_length} B", payload_summary(frame), rules)
        for column, text in enumerate(cells):
            cell = QTableWidgetItem(text)
            cell.setData(FRAME_ROLE, frame)
            if column == COLUMN_RULES and rules:
                cell.setForeground(VIOLATION_COLOUR)
            self.table.setItem(row, column, cell)

    def add_line(self, line: str) -> None:
        self.log.appendPlainText(line)

    def rows(self) -> list[tuple[str, str, str]]:
        """(from, frame, payload) per row: what the tests compare."""
        return [tuple(self.table.item(r, c).text() for c in (COLUMN_DIRECTION, COLUMN_FRAME, COLUMN_PAYLOAD))
                for r in range(self.table.rowCount())]  # type: ignore[misc]

    def frame_at(self, row: int) -> Frame | None:
        item = self.table.item(row, COLUMN_NUMBER)
        value = item.data(FRAME_ROLE) if item is not None else None
        return value if isinstance(value, Frame) else None

    def _double_clicked(self, row: int, _column: int) -> None:
        frame = self.frame_at(row)
        if frame is not None:
            self.edit_requested.emit(frame)
