"""The fields pane: the selected frame as a tree of fields, each with its value and meaning."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Slot
from PySide6.QtWidgets import QTreeView, QWidget

from ..models import FieldTreeModel
from ..session_model import SessionModel

INDENTATION = 14
# The names never take more than this share of the pane: the values are what the learner came for.
NAMES_SHARE = 2


class FieldsPane(QTreeView):
    def __init__(self, session: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.tree_model = FieldTreeModel()
        self.setModel(self.tree_model)
        self.setUniformRowHeights(True)
        self.header().setStretchLastSection(True)
        self.setIndentation(INDENTATION)
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
