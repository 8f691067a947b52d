"""The fields pane: the selected frame as a tree of fields, each with its value and meaning."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, Qt, Slot
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem, QTreeView, QWidget

from ..models import KEY_BYTES_ROLE, FieldTreeModel
from ..session_model import SessionModel
from ..widgets.palette import KEY_BYTE_TEXT

INDENTATION = 14
# The names never take more than this share of the pane: the values are what the learner came for.
NAMES_SHARE = 2
KEY_BYTE_PADDING = 3  # pixels either side of a key byte's hex digits


class KeyBytesDelegate(QStyledItemDelegate):
    """Draws the masking key's value as its four bytes, each on its key byte's colour (as in the masking table)."""

    def paint(self, painter: QPainter, option: QStyleOptionViewItem,
              index: QModelIndex | QPersistentModelIndex) -> None:
        key_bytes = index.data(KEY_BYTES_ROLE)
        if not key_bytes:
            super().paint(painter, option, index)
            return
        self.initStyleOption(option, index)
        option.text = ""
        style = option.widget.style() if option.widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, option, painter, option.widget)
        metrics = option.fontMetrics
        x = option.rect.left() + KEY_BYTE_PADDING
        painter.save()
        painter.setPen(KEY_BYTE_TEXT)
        for text, colour in key_bytes:
            width = metrics.horizontalAdvance(text) + 2 * KEY_BYTE_PADDING
            cell = QRect(x, option.rect.top() + 1, width, option.rect.height() - 2)
            painter.fillRect(cell, colour)
            painter.drawText(cell, Qt.AlignmentFlag.AlignCenter, text)
            x += width + 1
        painter.restore()


class FieldsPane(QTreeView):
    def __init__(self, session: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.tree_model = FieldTreeModel()
        self.setModel(self.tree_model)
        self.setUniformRowHeights(True)
        self.header().setStretchLastSection(True)
        self.setIndentation(INDENTATION)
        self.key_delegate = KeyBytesDelegate(self)
        self.setItemDelegateForColumn(1, self.key_delegate)
        session.connection_changed.connect(self._on_connection_changed)
        session.frame_changed.connect(self._on_frame_changed)
        session.field_changed.connect(self._on_field_changed)
        self.selectionModel().currentChanged.connect(self._on_current_changed)

    @Slot()
    def _on_connection_changed(self) -> None:
        self.tree_model.set_root(None)

    @Slot()
    def _on_frame_changed(self) -> None:
        self.tree_model.set_root(self.session.tree)
        self.expandToDepth(1)
        self.resizeColumnToContents(0)
        self.setColumnWidth(0, min(self.columnWidth(0), self.width() // NAMES_SHARE))

    @Slot()
    def _on_field_changed(self) -> None:
        node = self.session.field
        if node is not None and self.tree_model.field(self.currentIndex()) is not node:
            self.setCurrentIndex(self.tree_model.index_of(node))

    @Slot(QModelIndex, QModelIndex)
    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.session.select_field(self.tree_model.field(current))
