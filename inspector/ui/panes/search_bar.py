"""The find bar (Ctrl+F): search the payloads of the frames the table shows, as text, hex bytes or a
regular expression, and go to the next or previous match (wrapping around, as editors do).

A match selects its frame and the payload field, so the hex pane shows where it is.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QToolButton, QWidget

from ...filter.search import Match, PayloadSearch, SearchError, SearchMode, compile_search, next_match, previous_match
from ..session_model import SessionModel

PAYLOAD_FIELD = "websocket.payload"
MODES = (SearchMode.TEXT, SearchMode.HEX, SearchMode.REGEX)


class SearchBar(QWidget):
    def __init__(self, session: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.edit = QLineEdit()
        self.edit.setPlaceholderText(self.tr("Find in payloads"))
        self.edit.returnPressed.connect(self.find_next)
        self.mode = QComboBox()
        self.mode.addItems([self.tr("Text"), self.tr("Hex"), self.tr("Regex")])
        self.previous_button = QToolButton()
        self.previous_button.setText(self.tr("Previous"))
        self.previous_button.clicked.connect(self.find_previous)
        self.next_button = QToolButton()
        self.next_button.setText(self.tr("Next"))
        self.next_button.clicked.connect(self.find_next)
        self.status = QLabel()
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        close = QToolButton()
        close.setText("✕")
        close.setToolTip(self.tr("Close the find bar"))
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (QLabel(self.tr("Find:")), self.edit, self.mode, self.previous_button, self.next_button):
            layout.addWidget(widget)
        layout.addWidget(self.status, 1)
        layout.addWidget(close)
        self.match: Match | None = None
        session.connection_changed.connect(self._forget)
        session.filter_changed.connect(self._forget)

    def open(self) -> None:
        self.show()
        self.edit.setFocus()
        self.edit.selectAll()

    @Slot()
    def _forget(self) -> None:
        self.match = None

    def _rows(self) -> list[int]:
        connection = self.session.connection
        if connection is None:
            return []
        rows = self.session.visible_rows()
        return list(range(len(connection.frames))) if rows is None else rows

    def _search(self) -> PayloadSearch | None:
        try:
            return compile_search(self.edit.text(), MODES[self.mode.currentIndex()])
        except SearchError as error:
            self.status.setText(str(error))
            return None

    @Slot()
    def find_next(self) -> None:
        self._find(forward=True)

    @Slot()
    def find_previous(self) -> None:
        self._find(forward=False)

    def _find(self, *, forward: bool) -> None:
        search = self._search()
        connection = self.session.connection
        if search is None or connection is None or not self.edit.text():
            return
        rows = self._rows()
        payloads = [connection.frames[row].frame.payload for row in rows]
        current = self.match
        if current is not None and (current.item >= len(rows) or rows[current.item] != self.session.frame_row):
            current = None  # the user moved elsewhere: search from there
        if current is None and self.session.frame_row in rows:
            here = rows.index(self.session.frame_row)
            current = Match(here, -1, -1) if forward else Match(here, len(payloads[here]) + 1, 0)
        found = (next_match if forward else previous_match)(search, payloads, current)
        self.match = found
        if found is None:
            self.status.setText(self.tr("No match"))
            return
        self.session.select_frame(rows[found.item])
        self.session.select_field_named(PAYLOAD_FIELD)
        self.status.setText(self.tr("Frame {0}, bytes {1}–{2}").format(
            connection.frames[rows[found.item]].frame.index, found.start, found.end - 1))
