"""Fragmenting: the editor's message as N frames or cut at byte offsets, optionally with a control frame
between two fragments (RFC 6455 §5.4), listed frame by frame before anything is sent. A template with
several frames shows up here too, as a fixed sequence."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QRadioButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...protocol import encoder
from ...protocol.constants import Opcode, opcode_name
from ...protocol.encoder import FrameSpec
from .draft import even_pieces, fragment_specs, parse_offsets, split_at

MAX_PARTS = 4096
SHOWN_HEX_BYTES = 24  # the start of each frame's bytes in the table

CONTROL_NONE = "none"
CONTROLS = {  # name -> (opcode, payload) of the control frame put between fragments
    "ping": (Opcode.PING, b"between"),
    "pong": (Opcode.PONG, b""),
    "close": (Opcode.CLOSE, encoder.close_payload(1000)),
}


class SequencePanel(QWidget):
    """`specs(message)` is the sequence to send for the editor's frame, or the fixed one a template gave."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._fixed: list[FrameSpec] | None = None
        self.enabled = QCheckBox(self.tr("Send the editor's message as a sequence of frames"))
        self.by_count = QRadioButton(self.tr("in"))
        self.by_count.setChecked(True)
        self.parts = QSpinBox()
        self.parts.setRange(1, MAX_PARTS)
        self.parts.setValue(2)
        self.parts.setSuffix(self.tr(" frames"))
        self.by_offsets = QRadioButton(self.tr("cut at byte offsets"))
        self.offsets = QLineEdit()
        self.offsets.setPlaceholderText("3, 7")
        self.control = QComboBox()
        self.control.addItem(self.tr("no control frame"), CONTROL_NONE)
        for name in CONTROLS:
            self.control.addItem(name.capitalize(), name)
        self.control_after = QSpinBox()
        self.control_after.setRange(1, MAX_PARTS)
        self.control_after.setPrefix(self.tr("after frame "))
        self.note = QLabel()
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.table = QTableWidget(0, 5)
        self.table.setHorizontalHeaderLabels([self.tr("#"), self.tr("opcode"), self.tr("FIN"), self.tr("payload"),
                                              self.tr("bytes")])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        for column in range(4):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        count_row = QHBoxLayout()
        count_row.addWidget(self.by_count)
        count_row.addWidget(self.parts)
        count_row.addStretch(1)
        offsets_row = QHBoxLayout()
        offsets_row.addWidget(self.by_offsets)
        offsets_row.addWidget(self.offsets, 1)
        control_row = QHBoxLayout()
        control_row.addWidget(self.control)
        control_row.addWidget(self.control_after)
        control_row.addStretch(1)
        form = QFormLayout()
        form.addRow(self.enabled)
        form.addRow(self.tr("Split"), count_row)
        form.addRow("", offsets_row)
        form.addRow(self.tr("Between"), control_row)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        for signal in (self.enabled.toggled, self.by_count.toggled, self.parts.valueChanged,
                       self.offsets.textChanged, self.control.currentIndexChanged, self.control_after.valueChanged):
            signal.connect(self._edited)

    @property
    def active(self) -> bool:
        return self.enabled.isChecked()

    def set_fixed(self, specs: list[FrameSpec] | None, origin: str = "") -> None:
        """Show a sequence made elsewhere (a template's frames); None goes back to fragmenting the editor's."""
        self._fixed = specs
        self.enabled.blockSignals(True)
        self.enabled.setChecked(specs is not None)
        self.enabled.blockSignals(False)
        self.note.setText(self.tr("The frames of {0}; change a split setting to fragment the editor's "
                                  "message instead.").format(origin) if specs is not None else "")
        self.changed.emit()

    def specs(self, message: FrameSpec) -> list[FrameSpec]:
        """The frames to send. ValueError (one line) for offsets that do not fit the payload."""
        if self._fixed is not None:
            return list(self._fixed)
        if self.by_count.isChecked():
            pieces = even_pieces(message.payload, self.parts.value())
        else:
            pieces = split_at(message.payload, parse_offsets(self.offsets.text()))
        control = None
        name = self.control.currentData()
        if name != CONTROL_NONE:
            opcode, payload = CONTROLS[name]
            control = FrameSpec(payload, opcode, mask_bit=message.mask_bit, masking_key=message.masking_key)
        return fragment_specs(message, pieces, control, self.control_after.value())

    def show_specs(self, specs: list[FrameSpec]) -> None:
        self.table.setRowCount(len(specs))
        for row, spec in enumerate(specs):
            try:
                wire = encoder.encode(spec)
            except ValueError as error:
                wire_text = str(error)
            else:
                more = "…" if len(wire) > SHOWN_HEX_BYTES else ""
                wire_text = wire[:SHOWN_HEX_BYTES].hex(" ") + more
            cells = (str(row + 1), f"0x{spec.opcode:X} {opcode_name(spec.opcode)}", "1" if spec.fin else "0",
                     self.tr("{0} bytes").format(len(spec.payload)), wire_text)
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))

    def _edited(self) -> None:
        # Any split setting, or switching the sequence off, leaves a template's fixed frames.
        if self.sender() is not self.enabled or not self.enabled.isChecked():
            self._fixed = None
            self.note.setText("")
        self.changed.emit()
