"""Resend: pick a captured connection's client frames or messages and send them to a live connection.

The picking, rebuilding and pacing are `client.resend`'s; this dialog only lists what can be resent
(the client's frames, or its messages), ticks what was selected in the window, and asks how to send.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ...client.resend import (
    AFTER_EACH_ANSWER,
    AT_ORIGINAL_PACING,
    ResendItem,
    ResendPlan,
    client_frame_rows,
    client_message_numbers,
    frame_items,
    message_items,
)
from ...session.store import ConnectionView
from .live import LiveSession

NUMBER_ROLE = Qt.ItemDataRole.UserRole + 1


class ResendDialog(QDialog):
    def __init__(self, view: ConnectionView, targets: list[LiveSession], selected_rows: list[int],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Resend to a live connection"))
        self.view = view
        self.targets = targets
        self.selected_rows = set(selected_rows)
        self.frames_choice = QRadioButton(self.tr("Frames"))
        self.messages_choice = QRadioButton(self.tr("Messages"))
        self.messages_choice.setChecked(True)
        kinds = QButtonGroup(self)
        kinds.addButton(self.frames_choice)
        kinds.addButton(self.messages_choice)
        self.items = QListWidget()
        self.target = QComboBox()
        for live in targets:
            self.target.addItem(live.state_text(), live)
        self.original = QCheckBox(self.tr("Original bytes (the captured masking keys)"))
        self.original.setToolTip(self.tr("Unticked: new frames with the same bits and a fresh masking key "
                                         "(RFC 6455 §5.3 wants an unpredictable key per frame)"))
        self.mode = QComboBox()
        self.mode.addItem(self.tr("At the original pacing"), AT_ORIGINAL_PACING)
        self.mode.addItem(self.tr("Each after the server's answer to the previous"), AFTER_EACH_ANSWER)
        self.note = QLabel()
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Resend"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.frames_choice)
        kind_row.addWidget(self.messages_choice)
        kind_row.addStretch(1)
        form = QFormLayout()
        form.addRow(self.tr("To:"), self.target)
        form.addRow(self.tr("Send as:"), self.original)
        form.addRow(self.tr("Pacing:"), self.mode)
        layout = QVBoxLayout(self)
        layout.addLayout(kind_row)
        layout.addWidget(self.items, 1)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.frames_choice.toggled.connect(self._fill)
        self.items.itemChanged.connect(self._update)
        self._fill()
        self.resize(560, 420)

    def _fill(self) -> None:
        """List the client's frames or messages; tick those the window had selected."""
        self.items.blockSignals(True)
        self.items.clear()
        if self.frames_choice.isChecked():
            numbers = client_frame_rows(self.view)
            found = frame_items(self.view, numbers)
            ticked = [number in self.selected_rows for number in numbers]
        else:
            numbers = client_message_numbers(self.view)
            found = message_items(self.view, numbers)
            rows_of = [self._message_rows(number) for number in numbers]
            ticked = [bool(rows & self.selected_rows) for rows in rows_of]
        for number, item, tick in zip(numbers, found, ticked, strict=True):
            entry = QListWidgetItem(item.label)
            entry.setData(NUMBER_ROLE, number)
            entry.setFlags(entry.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            entry.setCheckState(Qt.CheckState.Checked if tick else Qt.CheckState.Unchecked)
            self.items.addItem(entry)
        self.items.blockSignals(False)
        self._update()

    def _message_rows(self, number: int) -> set[int]:
        message = self.view.messages[number]
        frames = self.view.frames
        return {row for row, record in enumerate(frames) if record.frame.index in set(message.frame_indices)}

    def check(self, numbers: list[int]) -> None:
        """Tick exactly these frames (rows) or messages (numbers) of the list shown."""
        for row in range(self.items.count()):
            entry = self.items.item(row)
            entry.setCheckState(Qt.CheckState.Checked if entry.data(NUMBER_ROLE) in numbers
                                else Qt.CheckState.Unchecked)

    def labels(self) -> list[str]:
        return [self.items.item(row).text() for row in range(self.items.count())]

    def chosen(self) -> list[ResendItem]:
        numbers = [self.items.item(row).data(NUMBER_ROLE) for row in range(self.items.count())
                   if self.items.item(row).checkState() == Qt.CheckState.Checked]
        if self.frames_choice.isChecked():
            return frame_items(self.view, numbers)
        return message_items(self.view, numbers)

    def plan(self) -> ResendPlan:
        return ResendPlan(tuple(self.chosen()), self.original.isChecked(), str(self.mode.currentData()))

    def chosen_target(self) -> LiveSession | None:
        live = self.target.currentData()
        return live if isinstance(live, LiveSession) else None

    def _update(self) -> None:
        count = len(self.chosen())
        if not self.targets:
            self.note.setText(self.tr("No open connection: connect first (Tools → Connect…)."))
        else:
            self.note.setText(self.tr("{0} item(s) to resend").format(count))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(bool(self.targets) and count > 0)
