"""The live preview: the crafted bytes, how a receiver decodes them, the rules they break and the answer owed.

It shows an `Analysis` (draft.py): the hex of every byte that would be sent, then for the chosen frame
the §5.2 diagram, the field tree and the masking table (the teaching widgets), and below them every
broken rule with its RFC section and close code, plus what a compliant server answers.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSplitter,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...protocol.constants import opcode_name
from ...protocol.fieldtree import Field, frame_fields
from ...protocol.frame import Frame
from ...protocol.messages import Message
from ..widgets.diagram import FrameDiagram
from ..widgets.masking import MaskingTable
from ..widgets.palette import VIOLATION_COLOUR
from ..widgets.payload import HEX_BYTES_PER_ROW, HEX_ROW_CHARS, MODE_HEX, RENDER_LIMIT, render
from ..widgets.violations import ViolationRow, ViolationsPane
from .draft import Analysis, describe_expect

SUMMARY_CHARS = 300  # a tree value longer than this (a payload's hex) is cut: the hex pane has all of it


def field_items(field: Field) -> QTreeWidgetItem:
    """A field and its children as tree items: name, value, bit range (plain text only)."""
    last = field.bit_offset + field.bit_width - 1
    bits = "" if not field.bit_width else str(last) if field.bit_width == 1 else f"{field.bit_offset}-{last}"
    item = QTreeWidgetItem([field.name, field.summary[:SUMMARY_CHARS], bits])
    item.setData(0, Qt.ItemDataRole.UserRole, field.filter_name)
    if field.violations:
        item.setForeground(0, VIOLATION_COLOUR)
        item.setToolTip(0, "\n".join(f"{v.code}: {v.message}" for v in field.violations))
    for child in field.children:
        item.addChild(field_items(child))
    return item


class PreviewPane(QWidget):
    """Shows one Analysis; `show_analysis` is all it needs."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.analysis = Analysis()
        self.answer = QLabel()
        self.answer.setTextFormat(Qt.TextFormat.PlainText)
        self.answer.setWordWrap(True)
        bold = QFont(self.answer.font())
        bold.setBold(True)
        self.answer.setFont(bold)
        self.bytes_caption = QLabel()
        self.bytes_caption.setTextFormat(Qt.TextFormat.PlainText)
        self.hex = QPlainTextEdit()
        self.hex.setReadOnly(True)
        self.hex.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.hex.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.frame_choice = QComboBox()
        self.frame_choice.currentIndexChanged.connect(self._show_chosen)
        self.diagram = FrameDiagram()
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels([self.tr("Field"), self.tr("Value"), self.tr("Bits")])
        self.tree.setColumnWidth(0, 220)
        self.tree.setColumnWidth(1, 300)
        self.masking = MaskingTable()
        self.tabs = QTabWidget()
        self.tabs.addTab(self.diagram, self.tr("Diagram"))
        self.tabs.addTab(self.tree, self.tr("Tree"))
        self.tabs.addTab(self.masking, self.tr("Masking"))
        self.violations = ViolationsPane()
        self.diagram.field_clicked.connect(self._select_field)
        self.tree.currentItemChanged.connect(self._tree_selected)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.bytes_caption)
        top_layout.addWidget(self.hex)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        choice_row = QHBoxLayout()
        choice_row.addWidget(QLabel(self.tr("Frame shown:")))
        choice_row.addWidget(self.frame_choice, 1)
        middle_layout.addLayout(choice_row)
        middle_layout.addWidget(self.tabs, 1)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(middle)
        splitter.addWidget(self.violations)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.answer)
        layout.addWidget(splitter, 1)

    def show_analysis(self, analysis: Analysis) -> None:
        self.analysis = analysis
        if analysis.error:
            self.answer.setText(self.tr("Cannot be written: {0}").format(analysis.error))
            self.answer.setStyleSheet(f"color: {VIOLATION_COLOUR.name()};")
        else:
            self.answer.setText(self.answer_text(analysis))
            self.answer.setStyleSheet("")
        text, cut = render(analysis.wire, MODE_HEX, RENDER_LIMIT)
        self.hex.setPlainText(text)
        caption = self.tr("{0} bytes to send").format(len(analysis.wire))
        if cut:
            caption += self.tr(" (the first {0} shown)").format(RENDER_LIMIT // HEX_ROW_CHARS * HEX_BYTES_PER_ROW)
        self.bytes_caption.setText(caption)
        chosen = max(self.frame_choice.currentIndex(), 0)
        self.frame_choice.blockSignals(True)
        self.frame_choice.clear()
        for frame in analysis.frames:
            self.frame_choice.addItem(self._frame_title(frame))
        self.frame_choice.blockSignals(False)
        self.frame_choice.setCurrentIndex(min(chosen, len(analysis.frames) - 1))
        self.frame_choice.setEnabled(len(analysis.frames) > 1)
        self._show_chosen()
        self.violations.set_violations(ViolationRow(number, found) for number, found in analysis.violations)

    def answer_text(self, analysis: Analysis) -> str:
        count = len(analysis.violations)
        broken = self.tr("breaks no rule") if not count else self.tr("breaks {0} rule(s)").format(count)
        return self.tr("As a client's {0}: {1}. A compliant server answers: {2}.").format(
            self.tr("frame") if len(analysis.frames) < 2 else self.tr("{0} frames").format(len(analysis.frames)),
            broken, describe_expect(analysis.expect))

    def _frame_title(self, frame: Frame) -> str:
        flags = "FIN" if frame.fin else self.tr("no FIN")
        return self.tr("frame {0}: {1}, {2}, {3} bytes").format(frame.index + 1, opcode_name(frame.opcode), flags,
                                                              frame.payload_length)

    def chosen_frame(self) -> Frame | None:
        index = self.frame_choice.currentIndex()
        frames = self.analysis.frames
        return frames[index] if 0 <= index < len(frames) else None

    def chosen_fields(self) -> Field | None:
        frame = self.chosen_frame()
        return frame_fields(frame, message=self._message_of(frame)) if frame is not None else None

    def _message_of(self, frame: Frame) -> Message | None:
        return next((m for m in self.analysis.messages if m.frame_indices[-1] == frame.index), None)

    def _show_chosen(self) -> None:
        frame = self.chosen_frame()
        fields = self.chosen_fields()
        self.diagram.show_frame(frame, fields)
        self.masking.show_frame(frame, fields)
        self.tree.clear()
        if fields is not None:
            self.tree.addTopLevelItem(field_items(fields))
            self.tree.expandAll()

    def _select_field(self, filter_name: str) -> None:
        self.masking.select_field(filter_name)
        for item in self._items():
            if item.data(0, Qt.ItemDataRole.UserRole) == filter_name:
                self.tree.setCurrentItem(item)
                break

    def _tree_selected(self, item: QTreeWidgetItem | None) -> None:
        if item is not None:
            self.diagram.select_field(str(item.data(0, Qt.ItemDataRole.UserRole)))

    def _items(self) -> list[QTreeWidgetItem]:
        out: list[QTreeWidgetItem] = []
        stack = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while stack:
            item = stack.pop(0)
            out.append(item)
            stack[0:0] = [item.child(i) for i in range(item.childCount())]
        return out

    def tree_rows(self) -> list[tuple[str, str]]:
        """Every tree row as (field name, value), depth first: what the tests compare."""
        return [(item.text(0), item.text(1)) for item in self._items()]
