"""The Connect dialog: where to connect and how (headers, Origin, subprotocols, permessage-deflate, TLS,
timeouts), with recent URLs remembered and a button that starts the bundled lab server."""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...client.engine import DEFAULT_TIMEOUT, ClientOptions, Target, deflate_offer
from ...client.errors import ClientError
from ...lab.server import MODES
from ...protocol.constants import (
    CLIENT_MAX_WINDOW_BITS,
    CLIENT_NO_CONTEXT_TAKEOVER,
    MAX_WINDOW_BITS,
    MIN_WINDOW_BITS,
    SERVER_MAX_WINDOW_BITS,
    SERVER_NO_CONTEXT_TAKEOVER,
)

RECENT_KEY: Final = "crafter/recent_urls"
RECENT_COUNT: Final = 10
DEFAULT_URL: Final = "ws://127.0.0.1:8765/"
MAX_TIMEOUT: Final = 600.0

LabStarter = Callable[[str], str]  # mode -> the URL it listens on (raises OSError)


def recent_urls(settings: QSettings) -> list[str]:
    value = settings.value(RECENT_KEY, [])
    if isinstance(value, str):  # QSettings gives a lone string for a one-item list on some back ends
        value = [value]
    return [str(url) for url in value or []]


def remember_url(settings: QSettings, url: str) -> None:
    urls = [url, *(u for u in recent_urls(settings) if u != url)][:RECENT_COUNT]
    settings.setValue(RECENT_KEY, urls)


def parse_headers(text: str) -> list[tuple[str, str]]:
    """`Name: value` lines into pairs; a line without a colon is an error."""
    headers = []
    for line in text.splitlines():
        if not line.strip():
            continue
        name, colon, value = line.partition(":")
        if not colon or not name.strip():
            raise ValueError(f"a header line is 'Name: value', not {line.strip()!r}")
        headers.append((name.strip(), value.strip()))
    return headers


class ConnectDialog(QDialog):
    def __init__(self, settings: QSettings, start_lab: LabStarter | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Connect"))
        self.settings = settings
        self.start_lab = start_lab
        self.url = QComboBox()
        self.url.setEditable(True)
        self.url.addItems(recent_urls(settings) or [DEFAULT_URL])
        self.url.setMinimumWidth(360)
        self.lab_mode = QComboBox()
        self.lab_mode.addItems(list(MODES))
        self.lab_button = QPushButton(self.tr("Start lab server"))
        self.lab_button.setToolTip(self.tr("Start the bundled server on 127.0.0.1 and use its URL"))
        self.lab_button.clicked.connect(self._start_lab)
        self.lab_button.setEnabled(start_lab is not None)
        lab_row = QHBoxLayout()
        lab_row.addWidget(self.lab_mode)
        lab_row.addWidget(self.lab_button)
        lab_row.addStretch(1)
        self.headers = QPlainTextEdit()
        self.headers.setPlaceholderText(self.tr("Name: value, one a line"))
        self.headers.setFixedHeight(60)
        self.origin = QLineEdit()
        self.origin.setPlaceholderText(self.tr("none sent"))
        self.subprotocols = QLineEdit()
        self.subprotocols.setPlaceholderText(self.tr("chat, superchat"))
        self.deflate = QCheckBox(self.tr("offer permessage-deflate (RFC 7692)"))
        self.client_window = QCheckBox(CLIENT_MAX_WINDOW_BITS)  # a protocol token, never translated
        self.client_window.setChecked(True)
        self.server_no_takeover = QCheckBox(SERVER_NO_CONTEXT_TAKEOVER)
        self.client_no_takeover = QCheckBox(CLIENT_NO_CONTEXT_TAKEOVER)
        self.server_window = QSpinBox()
        self.server_window.setRange(MIN_WINDOW_BITS - 1, MAX_WINDOW_BITS)
        self.server_window.setSpecialValueText(self.tr("not asked"))
        self.server_window.setValue(MIN_WINDOW_BITS - 1)
        deflate_box = QWidget()
        deflate_layout = QFormLayout(deflate_box)
        deflate_layout.setContentsMargins(20, 0, 0, 0)
        for check in (self.client_window, self.server_no_takeover, self.client_no_takeover):
            deflate_layout.addRow(check)
        deflate_layout.addRow(SERVER_MAX_WINDOW_BITS, self.server_window)
        self.deflate.toggled.connect(deflate_box.setEnabled)
        deflate_box.setEnabled(False)
        self.insecure = QCheckBox(self.tr("wss: accept any certificate (self-signed lab servers)"))
        self.timeouts = {}
        timeout_row = QHBoxLayout()
        for key, title in (("connect", self.tr("connect")), ("handshake", self.tr("handshake")),
                           ("idle", self.tr("idle"))):
            spin = QDoubleSpinBox()
            spin.setRange(0.1, MAX_TIMEOUT)
            spin.setValue(DEFAULT_TIMEOUT)
            spin.setSuffix(" s")
            self.timeouts[key] = spin
            timeout_row.addWidget(QLabel(title))
            timeout_row.addWidget(spin)
        self.error = QLabel()
        self.error.setTextFormat(Qt.TextFormat.PlainText)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #e53935;")
        form = QFormLayout()
        form.addRow(self.tr("URL"), self.url)
        form.addRow(self.tr("Lab server"), lab_row)
        form.addRow(self.tr("Headers"), self.headers)
        form.addRow(self.tr("Origin"), self.origin)
        form.addRow(self.tr("Subprotocols"), self.subprotocols)
        form.addRow(self.deflate)
        form.addRow(deflate_box)
        form.addRow(self.insecure)
        form.addRow(self.tr("Timeouts"), timeout_row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(self.tr("Connect"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def chosen_url(self) -> str:
        return self.url.currentText().strip()

    def options(self) -> ClientOptions:
        """The options as filled in; ValueError with one line for a field that does not parse."""
        extensions = []
        if self.deflate.isChecked():
            params: dict[str, str | None] = {}
            for check in (self.server_no_takeover, self.client_no_takeover):
                if check.isChecked():
                    params[check.text()] = None
            if self.server_window.value() >= MIN_WINDOW_BITS:
                params[SERVER_MAX_WINDOW_BITS] = str(self.server_window.value())
            extensions.append(deflate_offer(self.client_window.isChecked(), **params))
        return ClientOptions(
            headers=parse_headers(self.headers.toPlainText()),
            origin=self.origin.text().strip() or None,
            subprotocols=[p.strip() for p in self.subprotocols.text().split(",") if p.strip()],
            extensions=extensions,
            insecure=self.insecure.isChecked(),
            connect_timeout=self.timeouts["connect"].value(),
            handshake_timeout=self.timeouts["handshake"].value(),
            idle_timeout=self.timeouts["idle"].value(),
        )

    def accept(self) -> None:
        try:
            Target.parse(self.chosen_url())
            self.options()
        except (ClientError, ValueError) as error:
            self.error.setText(str(error))
            return
        remember_url(self.settings, self.chosen_url())
        super().accept()

    def _start_lab(self) -> None:
        if self.start_lab is None:
            return
        try:
            url = self.start_lab(self.lab_mode.currentText())
        except OSError as error:
            self.error.setText(self.tr("The lab server did not start: {0}").format(error))
            return
        self.url.setEditText(url)
        self.error.setText("")
