"""File → Capture Live…: pick an interface (listed with its addresses), a BPF capture filter, Start / Stop,
and save what was captured as pcapng. The frames stream into the window behind the dialog (LiveCapture).

Without the capture privilege the dialog is not shown; a message box gives the one command that grants
it (the same `setcap` line as the README), with this interpreter's real path filled in.
"""

from __future__ import annotations

import os
import shlex
import sys

from PySide6.QtCore import QCoreApplication, Qt, Signal, Slot
from PySide6.QtNetwork import QNetworkInterface
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..errors import InspectorError
from .live_capture import LiveCapture

DEFAULT_FILTER = "tcp"
PREFERRED_INTERFACE = "lo"  # the learner's own servers and clients talk over loopback
PRIVILEGE_TEXT_WIDTH = 560
INTERFACE_LIST_HEIGHT = 130  # a handful of rows; a machine with dozens of interfaces scrolls


def _tr(text: str) -> str:
    return QCoreApplication.translate("LiveCaptureDialog", text)


def setcap_command(interpreter: str | None = None) -> str:
    """The command that lets this Python capture (the README's line, with the interpreter's real path)."""
    path = os.path.realpath(interpreter or sys.executable)
    return f"sudo setcap cap_net_raw,cap_net_admin=eip {shlex.quote(path)}"


def privilege_box(parent: QWidget | None) -> QMessageBox:
    """The message shown instead of the dialog when this process may not capture."""
    box = QMessageBox(QMessageBox.Icon.Information, _tr("Capture Live"),
                      _tr("Live capture needs the right to read raw packets, which this process does not have."),
                      parent=parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setInformativeText(_tr(
        "Run the window as root, or give its Python interpreter the capture capabilities once and "
        "start the window again:\n\n{0}").format(setcap_command()))
    box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # so the command can be copied
    # Wide enough for the command on one line (Qt names the message box's informative label so).
    box.setStyleSheet(f"QLabel#qt_msgbox_informativelabel {{ min-width: {PRIVILEGE_TEXT_WIDTH}px; }}")
    return box


def interfaces() -> list[tuple[str, list[str]]]:
    """The interfaces that are up, each with its IP addresses; loopback first."""
    found = []
    for interface in QNetworkInterface.allInterfaces():
        if not interface.flags() & QNetworkInterface.InterfaceFlag.IsUp:
            continue
        addresses = [entry.ip().toString() for entry in interface.addressEntries()]
        found.append((interface.name(), addresses))
    found.sort(key=lambda item: (item[0] != PREFERRED_INTERFACE, item[0]))
    return found


class LiveCaptureDialog(QDialog):
    """Not modal: the window stays usable, and shows the frames as they are captured."""

    start_requested = Signal(str, str)  # interface, BPF filter

    def __init__(self, live: LiveCapture, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.live = live
        self.setWindowTitle(self.tr("Capture Live"))
        self.interface_list = QTreeWidget()
        self.interface_list.setHeaderLabels([self.tr("Interface"), self.tr("Addresses")])
        self.interface_list.setRootIsDecorated(False)
        self.interface_list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.interface_list.setColumnWidth(0, 120)
        self.interface_list.setMaximumHeight(INTERFACE_LIST_HEIGHT)
        self.filter_edit = QLineEdit(DEFAULT_FILTER)
        self.filter_edit.setPlaceholderText(self.tr("BPF capture filter, e.g. tcp port 8765 (empty: everything)"))
        self.status = QLabel(self.tr("Not capturing"))
        self.status.setTextFormat(Qt.TextFormat.PlainText)
        self.status.setWordWrap(True)
        self.start_button = QPushButton(self.tr("&Start"))
        self.stop_button = QPushButton(self.tr("S&top"))
        self.save_button = QPushButton(self.tr("Save as &pcapng…"))
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.live.stop)
        self.save_button.clicked.connect(self.choose_save_path)
        buttons = QHBoxLayout()
        for button in (self.start_button, self.stop_button, self.save_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        buttons.addWidget(close)
        form = QFormLayout()
        form.addRow(self.tr("Capture filter:"), self.filter_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.interface_list)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addStretch(1)
        layout.addLayout(buttons)
        self.resize(560, 250)
        live.counts_changed.connect(self._show_counts)
        live.finished.connect(self._on_finished)
        self.refresh_interfaces()
        self._update_buttons()

    def refresh_interfaces(self) -> None:
        self.interface_list.clear()
        for name, addresses in interfaces():
            item = QTreeWidgetItem([name, ", ".join(addresses) or self.tr("(no address)")])
            item.setToolTip(1, "\n".join(addresses))
            self.interface_list.addTopLevelItem(item)
        if self.interface_list.topLevelItemCount():
            self.interface_list.setCurrentItem(self.interface_list.topLevelItem(0))

    def interface_names(self) -> list[str]:
        return [self.interface_list.topLevelItem(row).text(0) for row in range(self.interface_list.topLevelItemCount())]

    def select_interface(self, name: str) -> bool:
        for row, shown in enumerate(self.interface_names()):
            if shown == name:
                self.interface_list.setCurrentItem(self.interface_list.topLevelItem(row))
                return True
        return False

    def chosen_interface(self) -> str:
        item = self.interface_list.currentItem()
        return item.text(0) if item is not None else ""

    @Slot()
    def start(self) -> None:
        """Ask the window to start capturing; a capture that cannot start says why here, in one line."""
        iface = self.chosen_interface()
        if not iface:
            self.status.setText(self.tr("Choose an interface first"))
            return
        try:
            self.start_requested.emit(iface, self.filter_edit.text())
        finally:
            self._update_buttons()

    def show_error(self, message: str) -> None:
        self.status.setText(message)
        self._update_buttons()

    @Slot(int, int, int)
    def _show_counts(self, packets: int, frames: int, drops: int) -> None:
        engine = self.live.engine
        where = engine.capture.iface if engine is not None else ""
        text = self.tr("Capturing on {0}: {1} packets, {2} WebSocket frames").format(where, packets, frames)
        if drops:
            text += self.tr(", {0} dropped by the kernel").format(drops)
        self.status.setText(text)
        self._update_buttons()

    @Slot(object, str)
    def _on_finished(self, store: object, error: str) -> None:
        packets = len(self.live.packets)
        self.status.setText(error or self.tr("Stopped: {0} packets captured").format(packets))
        self._update_buttons()

    def _update_buttons(self) -> None:
        running = self.live.running
        self.start_button.setEnabled(not running)
        self.stop_button.setEnabled(running)
        self.interface_list.setEnabled(not running)
        self.filter_edit.setEnabled(not running)
        self.save_button.setEnabled(bool(self.live.packets) or running)

    @Slot()
    def choose_save_path(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save Live Capture"), "", self.tr("pcapng (*.pcapng)"))
        if path:
            self.save_to(path)

    def save_to(self, path: str) -> int:
        """Write what was captured so far as pcapng; the status line says how it went."""
        try:
            count = self.live.save(path)
        except (OSError, InspectorError) as error:
            self.status.setText(self.tr("Cannot save {0}: {1}").format(path, getattr(error, "strerror", None) or error))
            return 0
        self.status.setText(self.tr("Saved {0} packets to {1}").format(count, path))
        return count
