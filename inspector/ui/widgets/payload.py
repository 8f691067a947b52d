"""The payload view: a payload as text, pretty JSON, a hex dump or base64, always as plain text.

Rendering stops at RENDER_LIMIT characters (a megabyte payload laid out in full takes seconds);
"Show all" renders the rest on request.
"""

from __future__ import annotations

import base64
import codecs
import json
from typing import Final

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFontDatabase, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from ...protocol.fieldtree import Field
from ...protocol.frame import Frame
from .masking import byte_character

MODE_TEXT, MODE_JSON, MODE_HEX, MODE_BASE64 = "text", "json", "hex", "base64"
MODES: Final = (MODE_TEXT, MODE_JSON, MODE_HEX, MODE_BASE64)
RENDER_LIMIT: Final = 200_000  # characters laid out before "Show all"
HEX_BYTES_PER_ROW: Final = 16
# A hex dump row: offset and gap, the hex cells, a gap, the characters, the newline.
HEX_ROW_CHARS: Final = 8 + HEX_BYTES_PER_ROW * 3 + 1 + HEX_BYTES_PER_ROW + 1
BASE64_LINE: Final = 76  # RFC 2045's line length
BASE64_LINE_BYTES: Final = BASE64_LINE * 3 // 4  # the bytes one full line encodes
# Control characters other than line breaks and tabs are shown escaped: they would draw as nothing.
_KEPT_CONTROLS: Final = frozenset("\n\t")
# Fields whose value is the payload as the application meant it, best first (inflated beats unmasked).
_PAYLOAD_FIELDS: Final = ("websocket.payload.inflated", "websocket.payload")


def visible_text(text: str) -> str:
    """`text` with each unprintable character but newline and tab written as an escape (\\x07, \\u200b)."""
    out = []
    for ch in text:
        if ch in _KEPT_CONTROLS or ch.isprintable():
            out.append(ch)
        elif ord(ch) <= 0xFF:
            out.append(f"\\x{ord(ch):02x}")
        else:
            out.append(f"\\u{ord(ch):04x}" if ord(ch) <= 0xFFFF else f"\\U{ord(ch):08x}")
    return "".join(out)


def hex_dump(data: bytes) -> str:
    rows = []
    for start in range(0, len(data), HEX_BYTES_PER_ROW):
        row = data[start : start + HEX_BYTES_PER_ROW]
        cells = " ".join(f"{b:02x}" for b in row).ljust(HEX_BYTES_PER_ROW * 3 - 1)
        rows.append(f"{start:06x}  {cells}  {''.join(byte_character(b) for b in row)}")
    return "\n".join(rows)


def pretty_json(data: bytes) -> str | None:
    """The payload as indented JSON, or None when it is not JSON (nor UTF-8)."""
    if data.lstrip()[:1] not in (b"{", b"["):
        return None  # not an object or array: no need to parse a megabyte of text to find out
    try:
        value = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return json.dumps(value, indent=2, ensure_ascii=False)


def render(data: bytes, mode: str, limit: int | None, pretty: str | None = None) -> tuple[str, bool]:
    """`data` written in `mode`, at most about `limit` characters; returns (text, whether it was cut).

    `pretty` is `pretty_json(data)` when the caller has it already. JSON mode on data that is not
    JSON falls back to text.
    """
    if mode == MODE_HEX:
        byte_limit = len(data) if limit is None else limit // HEX_ROW_CHARS * HEX_BYTES_PER_ROW
        return hex_dump(data[:byte_limit]), byte_limit < len(data)
    if mode == MODE_BASE64:
        byte_limit = len(data) if limit is None else limit // (BASE64_LINE + 1) * BASE64_LINE_BYTES
        encoded = base64.b64encode(data[:byte_limit]).decode("ascii")
        lines = [encoded[i : i + BASE64_LINE] for i in range(0, len(encoded), BASE64_LINE)]
        return "\n".join(lines), byte_limit < len(data)
    if mode == MODE_JSON:
        pretty = pretty if pretty is not None else pretty_json(data)
        if pretty is not None:
            cut = limit is not None and len(pretty) > limit
            return visible_text(pretty[:limit] if cut else pretty), cut
    byte_limit = len(data) if limit is None else limit
    decoder = codecs.getincrementaldecoder("utf-8")("replace")  # a cut character is dropped, not replaced
    text = decoder.decode(data[:byte_limit], final=byte_limit >= len(data))
    return visible_text(text), byte_limit < len(data)


class PayloadView(QWidget):
    """A switchable plain-text view of one payload. Emits `mode_changed(mode)` when the learner switches."""

    mode_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode_box = QComboBox()
        for mode, title in zip(MODES, (self.tr("Text"), self.tr("JSON (pretty)"), self.tr("Hex dump"),
                                       self.tr("Base64")), strict=True):
            self.mode_box.addItem(title, mode)
        self.mode_box.currentIndexChanged.connect(self._mode_picked)
        self.caption = QLabel()
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.show_all_button = QPushButton(self.tr("Show all"))
        self.show_all_button.clicked.connect(self.show_all)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.text.setUndoRedoEnabled(False)
        top = QHBoxLayout()
        top.addWidget(self.mode_box)
        top.addWidget(self.caption, 1)
        top.addWidget(self.show_all_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.text, 1)
        self._data = b""
        self._pretty: str | None = None
        self._limit: int | None = RENDER_LIMIT
        self.show_bytes(b"")

    @property
    def mode(self) -> str:
        return str(self.mode_box.currentData())

    def show_frame(self, frame: Frame | None, fields: Field | None = None) -> None:
        """Show the payload the application sent: inflated when the tree has it, else unmasked."""
        if frame is None:
            self.show_bytes(b"")
            return
        payload = next((f for name in _PAYLOAD_FIELDS if fields is not None and (f := fields.find(name))), None)
        value = payload.value if payload is not None else frame.payload
        inflated = payload is not None and payload.filter_name == _PAYLOAD_FIELDS[0]
        self.show_bytes(value if isinstance(value, bytes) else frame.payload, inflated=inflated)

    def show_bytes(self, data: bytes, *, inflated: bool = False) -> None:
        self._data = bytes(data)
        self._limit = RENDER_LIMIT
        self._pretty = pretty_json(self._data)
        self._enable_mode(MODE_JSON, self._pretty is not None)
        if self.mode == MODE_JSON and self._pretty is None:
            self.set_mode(MODE_TEXT)  # renders
        else:
            self._render()
        what = self.tr("{0} bytes, inflated") if inflated else self.tr("{0} bytes")
        self.caption.setText(what.format(len(self._data)) if self._data else self.tr("no payload"))

    def set_mode(self, mode: str) -> None:
        self.mode_box.setCurrentIndex(MODES.index(mode))

    def select_field(self, filter_name: str) -> None:
        """Fields inside the payload all show the same bytes here; the hex dump suits raw byte fields."""
        if filter_name in ("websocket.masked_payload", "websocket.unmasked_payload"):
            self.set_mode(MODE_HEX)

    def show_all(self) -> None:
        self._limit = None
        self._render()

    def _enable_mode(self, mode: str, enabled: bool) -> None:
        model = self.mode_box.model()
        assert isinstance(model, QStandardItemModel)
        item = model.item(MODES.index(mode))
        item.setEnabled(enabled)

    def _mode_picked(self) -> None:
        self._limit = RENDER_LIMIT
        self._render()
        self.mode_changed.emit(self.mode)

    def _render(self) -> None:
        text, cut = render(self._data, self.mode, self._limit, self._pretty)
        monospace = self.mode in (MODE_HEX, MODE_BASE64)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont) if monospace else self.font())
        wrap = QPlainTextEdit.LineWrapMode.NoWrap if monospace else QPlainTextEdit.LineWrapMode.WidgetWidth
        self.text.setLineWrapMode(wrap)
        self.text.setPlainText(text)
        self.show_all_button.setVisible(cut)
        if cut:
            self.show_all_button.setToolTip(self.tr("Only the start of the payload is shown; render all of it."))
