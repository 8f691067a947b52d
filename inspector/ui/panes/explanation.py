"""The explanation pane: what the selected field is, where its bits sit, what it means and which rule it breaks.

The teaching texts come from the catalogue (protocol/teaching.py) by key, so a translation of the
catalogue shows here; the rest of the pane's words go through tr().
"""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QWidget

from ...protocol import teaching
from ...protocol.fieldtree import Field
from ...report.text_tree import format_violation
from ..models import field_value
from ..session_model import SessionModel
from .text import ReadOnlyTextPane

VIOLATION_INDENT = "  "


class ExplanationPane(ReadOnlyTextPane):
    def __init__(self, session: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.setPlaceholderText(self.tr("Select a field to read what it means and which rule governs it."))
        session.connection_changed.connect(self.clear)
        session.field_changed.connect(self._on_field_changed)

    @Slot()
    def _on_field_changed(self) -> None:
        if self.session.field is not None:
            self.setPlainText(self.text_for(self.session.field))

    def text_for(self, node: Field) -> str:
        lines = [f"{node.name}  ({node.filter_name})"]
        if node.bit_width:
            last = node.bit_offset + node.bit_width - 1
            lines.append(self.tr("bits {0}–{1} of the frame").format(node.bit_offset, last))
        if node.display:
            lines.append(self.tr("Value: {0}").format(field_value(node)))
        explanation = node.explanation
        if explanation:
            rfc = node.rfc
            lines += ["", f"{explanation} ({rfc})" if rfc else explanation]
        if node.violations:
            lines += ["", self.tr("Broken here:")]
            lines += [VIOLATION_INDENT + format_violation(teaching.violation_in_words(v)) for v in node.violations]
        return "\n".join(lines)
