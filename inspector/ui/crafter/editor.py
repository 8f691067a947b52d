"""The bit editor, laid out like the RFC 6455 §5.2 diagram: one box per header field, in wire order.

Row one holds FIN, RSV1-3, the opcode, MASK, the 7-bit length and the extended length; row two the
masking key; then the payload. Every part is independent (the encoder's FrameSpec): MASK may be set
with no key written, and the declared length may lie about the payload.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ...protocol import encoder
from ...protocol.constants import (
    CLOSE_CODE_NAMES,
    CLOSE_CODE_SIZE,
    KNOWN_OPCODES,
    MASKING_KEY_SIZE,
    MAX_7BIT_LENGTH,
    PAYLOAD_LEN_16BIT,
    PAYLOAD_LEN_64BIT,
    Opcode,
    opcode_name,
)
from ...protocol.encoder import FrameSpec, minimal_length_form
from .draft import KEY_FIXED, KEY_NONE, KEY_RANDOM, RFC_SAMPLE_KEY, KeyChoice

PAYLOAD_TEXT, PAYLOAD_HEX, PAYLOAD_FILE, PAYLOAD_CLOSE = "text", "hex", "file", "close"
FORM_AUTO: Final = 0  # the length-form box's "shortest that fits"
MAX_FILE_BYTES: Final = 16 * 1024 * 1024  # a file payload is read whole; the lab server accepts up to 16 MiB
OPCODE_COUNT: Final = 16  # RFC 6455 §5.2: the opcode is 4 bits
OPCODE_CHARS: Final = 10  # the opcode box's width in characters; the list opens wider


class EditorInputError(ValueError):
    """A field holds something that is not a value (bad hex, a length that is not a number)."""


def parse_hex_bytes(text: str, what: str) -> bytes:
    cleaned = "".join(text.replace(":", " ").split())
    try:
        return bytes.fromhex(cleaned)
    except ValueError:
        raise EditorInputError(f"{what}: {text.strip()!r} is not hex (pairs of 0-9, a-f)") from None


def _box(title: str, bits: str) -> tuple[QFrame, QVBoxLayout]:
    """A diagram box: the field's name and bit range on top, its control below."""
    frame = QFrame()
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    layout = QVBoxLayout(frame)
    layout.setContentsMargins(4, 2, 4, 4)
    layout.setSpacing(2)
    caption = QLabel("\n".join((title, bits)))  # both already translated by the caller
    caption.setTextFormat(Qt.TextFormat.PlainText)
    caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
    small = QFont(caption.font())
    small.setPointSizeF(max(small.pointSizeF() - 1, 6.0))
    caption.setFont(small)
    layout.addWidget(caption)
    return frame, layout


class BitButton(QToolButton):
    """A one-bit toggle that reads 0 or 1."""

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setCheckable(True)
        self.setMinimumWidth(28)
        self.setToolTip(name)
        self.toggled.connect(self._show)
        self._show(False)

    def _show(self, on: bool) -> None:
        self.setText("1" if on else "0")


class BitEditor(QWidget):
    """Edit every part of one frame; `changed` fires on each edit. `frame_spec()` gives the parts."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._file_data = b""
        grid = QGridLayout()
        grid.setSpacing(2)
        self.fin = BitButton("FIN")
        self.rsv = [BitButton(f"RSV{n}") for n in (1, 2, 3)]
        self.mask = BitButton("MASK")
        self.fin.setChecked(True)
        self.mask.setChecked(True)
        column = 0
        for title, bits, button in (("FIN", "0", self.fin), ("RSV1", "1", self.rsv[0]),
                                    ("RSV2", "2", self.rsv[1]), ("RSV3", "3", self.rsv[2])):
            box, layout = _box(title, self.tr("bit {0}").format(bits))
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(box, 0, column)
            column += 1
        self.opcode = QComboBox()
        for value in range(OPCODE_COUNT):
            reserved = value not in KNOWN_OPCODES
            label = self.tr("{0} reserved ({1})").format(f"0x{value:X}", opcode_name(value).split()[-1]) if reserved \
                else f"0x{value:X} {opcode_name(value)}"
            self.opcode.addItem(label, value)
            if reserved:
                self.opcode.setItemData(value, self.tr("reserved by RFC 6455 §5.2: a receiver must fail the "
                                                       "connection"), Qt.ItemDataRole.ToolTipRole)
        self.opcode.setCurrentIndex(Opcode.TEXT)
        self.opcode.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.opcode.setMinimumContentsLength(OPCODE_CHARS)
        box, layout = _box(self.tr("opcode"), self.tr("bits 4-7"))
        layout.addWidget(self.opcode)
        grid.addWidget(box, 0, column)
        column += 1
        box, layout = _box("MASK", self.tr("bit 8"))
        layout.addWidget(self.mask, 0, Qt.AlignmentFlag.AlignCenter)
        grid.addWidget(box, 0, column)
        column += 1
        self.length_form = QComboBox()
        for title, form in ((self.tr("shortest"), FORM_AUTO), (self.tr("7-bit"), 7), (self.tr("16-bit"), 16),
                            (self.tr("64-bit"), 64)):
            self.length_form.addItem(title, form)
        self.length7 = QLabel()
        self.length7.setTextFormat(Qt.TextFormat.PlainText)
        self.length7.setAlignment(Qt.AlignmentFlag.AlignCenter)
        box, layout = _box(self.tr("payload len"), self.tr("bits 9-15"))
        layout.addWidget(self.length_form)
        layout.addWidget(self.length7)
        grid.addWidget(box, 0, column)
        column += 1
        self.lie = QCheckBox(self.tr("declare"))
        self.lie.setToolTip(self.tr("Write a length that differs from the payload's real length"))
        self.length = QLineEdit()
        self.length.setPlaceholderText(self.tr("bytes"))
        self.length.setMinimumWidth(60)
        self.length.setEnabled(False)
        self.real_length = QLabel()
        self.real_length.setTextFormat(Qt.TextFormat.PlainText)
        declared = QHBoxLayout()
        declared.addWidget(self.lie)
        declared.addWidget(self.length, 1)
        box, layout = _box(self.tr("extended length"), self.tr("bits 16-31 (or -79)"))
        layout.addLayout(declared)
        layout.addWidget(self.real_length)
        grid.addWidget(box, 0, column)
        grid.setColumnStretch(column, 4)
        grid.setColumnStretch(column - 1, 1)
        grid.setColumnStretch(column - 3, 1)
        self.key_mode = QComboBox()
        for title, mode in ((self.tr("random for each send"), KEY_RANDOM), (self.tr("fixed"), KEY_FIXED),
                            (self.tr("none written"), KEY_NONE)):
            self.key_mode.addItem(title, mode)
        self.key = QLineEdit(RFC_SAMPLE_KEY.hex(" "))
        self.key.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.new_key = QPushButton(self.tr("New key"))
        self.new_key.setToolTip(self.tr("Draw another random key for the preview"))
        key_row = QHBoxLayout()
        key_row.addWidget(self.key_mode)
        key_row.addWidget(self.key, 1)
        key_row.addWidget(self.new_key)
        box, layout = _box(self.tr("masking-key"), self.tr("32 bits, when written"))
        layout.addLayout(key_row)
        grid.addWidget(box, 1, 0, 1, column + 1)

        self.payload_box, payload_layout = _box(self.tr("payload data"), self.tr("after the header"))
        self.payload_mode = QComboBox()
        for title, mode in ((self.tr("Text (UTF-8)"), PAYLOAD_TEXT), (self.tr("Hex"), PAYLOAD_HEX),
                            (self.tr("File"), PAYLOAD_FILE), (self.tr("Status code and reason"), PAYLOAD_CLOSE)):
            self.payload_mode.addItem(title, mode)
        self.payload_text = QPlainTextEdit()
        self.payload_text.setPlaceholderText(self.tr("Payload"))
        self.payload_text.setTabChangesFocus(True)
        self.file_label = QLabel(self.tr("No file chosen"))
        self.file_label.setTextFormat(Qt.TextFormat.PlainText)
        self.file_button = QPushButton(self.tr("Choose file…"))
        file_row = QWidget()
        file_layout = QHBoxLayout(file_row)
        file_layout.setContentsMargins(0, 0, 0, 0)
        file_layout.addWidget(self.file_button)
        file_layout.addWidget(self.file_label, 1)
        self.payload_stack = QStackedWidget()
        self.payload_stack.addWidget(self.payload_text)
        self.payload_stack.addWidget(file_row)
        self.close_code_on = QCheckBox(self.tr("status code"))
        self.close_code_on.setChecked(True)
        self.close_code = QComboBox()
        self.close_code.setEditable(True)
        for code, name in CLOSE_CODE_NAMES.items():
            self.close_code.addItem(f"{code} {name}", code)
        self.close_code.setCurrentIndex(0)
        self.close_reason = QLineEdit()
        self.close_reason.setPlaceholderText(self.tr("reason (UTF-8)"))
        self.close_row = QWidget()
        close_layout = QHBoxLayout(self.close_row)
        close_layout.setContentsMargins(0, 0, 0, 0)
        close_layout.addWidget(self.close_code_on)
        close_layout.addWidget(self.close_code, 1)
        close_layout.addWidget(self.close_reason, 2)
        self.close_hint = QLabel(self.tr("Close body: a 2-byte status code, then a UTF-8 reason (RFC 6455 §5.5.1)"))
        self.close_hint.setTextFormat(Qt.TextFormat.PlainText)
        payload_layout.addWidget(self.payload_mode, 0, Qt.AlignmentFlag.AlignLeft)
        payload_layout.addWidget(self.close_hint)
        payload_layout.addWidget(self.close_row)
        payload_layout.addWidget(self.payload_stack, 1)
        grid.addWidget(self.payload_box, 2, 0, 1, column + 1)
        grid.setRowStretch(2, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(grid)
        self._preview_key = encoder.random_key()
        self._wire_signals()
        self._refresh()

    def _wire_signals(self) -> None:
        for button in (self.fin, *self.rsv, self.mask):
            button.toggled.connect(self._edited)
        self.opcode.currentIndexChanged.connect(self._opcode_changed)
        for box in (self.length_form, self.key_mode, self.payload_mode):
            box.currentIndexChanged.connect(self._edited)
        self.close_code.currentTextChanged.connect(self._edited)
        self.close_code_on.toggled.connect(self._edited)
        self.lie.toggled.connect(self._edited)
        for line in (self.length, self.key, self.close_reason):
            line.textChanged.connect(self._edited)
        self.payload_text.textChanged.connect(self._edited)
        self.new_key.clicked.connect(self._draw_key)
        self.file_button.clicked.connect(self._choose_file)

    # ---- reading the parts

    @property
    def opcode_value(self) -> int:
        return int(self.opcode.currentData())

    def key_choice(self) -> KeyChoice:
        """How the key is chosen at send time (a fixed key that does not parse reads as the sample key)."""
        mode = str(self.key_mode.currentData())
        try:
            fixed = self._typed_key()
        except EditorInputError:
            fixed = RFC_SAMPLE_KEY
        return KeyChoice(mode, fixed)

    def _typed_key(self) -> bytes:
        key = parse_hex_bytes(self.key.text(), self.tr("masking key"))
        if len(key) != MASKING_KEY_SIZE:
            raise EditorInputError(self.tr("the masking key is 4 bytes (8 hex digits), not {0}").format(len(key)))
        return key

    def payload_bytes(self) -> bytes:
        mode = self.payload_mode.currentData()
        if mode == PAYLOAD_CLOSE:
            return self._close_body()
        if mode == PAYLOAD_FILE:
            return self._file_data
        if mode == PAYLOAD_HEX:
            return parse_hex_bytes(self.payload_text.toPlainText(), self.tr("payload"))
        return self.payload_text.toPlainText().encode("utf-8")

    def _close_body(self) -> bytes:
        if not self.close_code_on.isChecked():
            return b""
        word = self.close_code.currentText().split(maxsplit=1)
        try:
            code = int(word[0]) if word else -1
        except ValueError:
            code = -1
        if not 0 <= code <= 0xFFFF:
            raise EditorInputError(self.tr("a status code is a number from 0 to 65535"))
        return encoder.close_payload(code, self.close_reason.text())

    def declared_length(self) -> int | None:
        if not self.lie.isChecked():
            return None
        text = self.length.text().strip().replace("_", "")
        try:
            value = int(text, 0) if text else -1
        except ValueError:
            value = -1
        if not 0 <= value <= encoder.MAX_64BIT_LENGTH:
            raise EditorInputError(self.tr("the declared length is a number from 0 to 2^64-1"))
        return value

    def frame_spec(self) -> FrameSpec:
        """The frame as edited, with the key the preview shows. Raises EditorInputError for a bad field."""
        mode = self.key_mode.currentData()
        key = None if mode == KEY_NONE else self._typed_key() if mode == KEY_FIXED else self._preview_key
        form = int(self.length_form.currentData())
        return FrameSpec(self.payload_bytes(), self.opcode_value, self.fin.isChecked(), self.rsv[0].isChecked(),
                         self.rsv[1].isChecked(), self.rsv[2].isChecked(), self.mask.isChecked(), key,
                         form or None, self.declared_length())

    # ---- setting the parts

    def set_frame_spec(self, spec: FrameSpec, *, key_mode: str | None = None) -> None:
        """Show `spec`'s parts (a template's frame, say). Its payload is shown as text when it is UTF-8."""
        with QSignalBlocker(self):
            self.fin.setChecked(spec.fin)
            for button, on in zip(self.rsv, (spec.rsv1, spec.rsv2, spec.rsv3), strict=True):
                button.setChecked(on)
            self.mask.setChecked(spec.mask_bit)
            self.opcode.setCurrentIndex(spec.opcode)
            self.length_form.setCurrentIndex(self.length_form.findData(spec.length_form or FORM_AUTO))
            self.lie.setChecked(spec.length is not None)
            self.length.setText("" if spec.length is None else str(spec.length))
            if key_mode is None:
                key_mode = KEY_NONE if spec.masking_key is None else KEY_FIXED
            self.key_mode.setCurrentIndex(self.key_mode.findData(key_mode))
            if spec.masking_key is not None:
                if key_mode == KEY_RANDOM:
                    self._preview_key = spec.masking_key
                self.key.setText(spec.masking_key.hex(" "))
            self._set_payload(spec)
        self._edited()

    def _set_payload(self, spec: FrameSpec) -> None:
        payload = spec.payload
        if spec.opcode == Opcode.CLOSE and (len(payload) >= CLOSE_CODE_SIZE or not payload):
            reason = payload[CLOSE_CODE_SIZE:]
            try:
                text = reason.decode("utf-8")
            except UnicodeDecodeError:
                text = None
            if text is not None:
                self.payload_mode.setCurrentIndex(self.payload_mode.findData(PAYLOAD_CLOSE))
                self.close_code_on.setChecked(bool(payload))
                if payload:
                    code = int.from_bytes(payload[:CLOSE_CODE_SIZE], "big")
                    index = self.close_code.findData(code)
                    if index >= 0:
                        self.close_code.setCurrentIndex(index)
                    else:
                        self.close_code.setEditText(str(code))
                self.close_reason.setText(text)
                return
        # Any other payload, a Close body that is not code + text included (one byte, bad UTF-8): text or hex.
        try:
            text = payload.decode("utf-8")
            mode = PAYLOAD_TEXT if text.isprintable() or not text else PAYLOAD_HEX
        except UnicodeDecodeError:
            mode = PAYLOAD_HEX
        self.payload_mode.setCurrentIndex(self.payload_mode.findData(mode))
        self.payload_text.setPlainText(payload.decode("utf-8") if mode == PAYLOAD_TEXT else payload.hex(" "))

    def set_payload_text(self, text: str) -> None:
        self.payload_mode.setCurrentIndex(self.payload_mode.findData(PAYLOAD_TEXT))
        self.payload_text.setPlainText(text)

    def set_file_payload(self, path: str) -> None:
        """Load `path` as the payload; a problem is shown in place of the file name, the payload left as it was."""
        try:
            size = Path(path).stat().st_size
            if size > MAX_FILE_BYTES:
                raise EditorInputError(self.tr("{0} is larger than 16 MiB").format(Path(path).name))
            data = Path(path).read_bytes()
        except (OSError, EditorInputError) as error:
            self.file_label.setText(str(getattr(error, "strerror", None) or error))
            return
        self._file_data = data
        self.file_label.setText(self.tr("{0} ({1} bytes)").format(Path(path).name, len(data)))
        self.payload_mode.setCurrentIndex(self.payload_mode.findData(PAYLOAD_FILE))
        self._edited()

    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Payload from a file"))
        if path:
            self.set_file_payload(path)

    def _draw_key(self) -> None:
        self._preview_key = encoder.random_key()
        self._edited()

    # ---- keeping the boxes in step

    def _opcode_changed(self) -> None:
        """A Close gets the status-code boxes; leaving Close goes back to text."""
        close = self.opcode_value == Opcode.CLOSE
        in_close_mode = self.payload_mode.currentData() == PAYLOAD_CLOSE
        if close != in_close_mode:
            with QSignalBlocker(self.payload_mode):
                self.payload_mode.setCurrentIndex(self.payload_mode.findData(PAYLOAD_CLOSE if close else PAYLOAD_TEXT))
        self._edited()

    def _edited(self) -> None:
        self._refresh()
        self.changed.emit()

    def _refresh(self) -> None:
        mode = self.payload_mode.currentData()
        close = mode == PAYLOAD_CLOSE
        self.close_row.setVisible(close)
        self.close_hint.setVisible(close)
        self.payload_stack.setVisible(not close)
        self.close_code.setEnabled(self.close_code_on.isChecked())
        self.close_reason.setEnabled(self.close_code_on.isChecked())
        self.payload_stack.setCurrentIndex(1 if mode == PAYLOAD_FILE else 0)
        monospace = mode == PAYLOAD_HEX
        self.payload_text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont) if monospace
                                  else self.font())
        titles = {Opcode.PING: self.tr("ping application data"), Opcode.PONG: self.tr("pong application data"),
                  Opcode.CLOSE: self.tr("close body")}
        caption = self.payload_box.findChild(QLabel)
        if caption is not None:
            title = titles.get(self.opcode_value, self.tr("payload data"))
            caption.setText("\n".join((title, self.tr("after the header"))))
        key_mode = self.key_mode.currentData()
        self.key.setReadOnly(key_mode != KEY_FIXED)
        self.key.setEnabled(key_mode != KEY_NONE)
        self.new_key.setVisible(key_mode == KEY_RANDOM)
        if key_mode == KEY_RANDOM:
            self.key.setText(self._preview_key.hex(" "))
        self.length.setEnabled(self.lie.isChecked())
        self._show_lengths()

    def _show_lengths(self) -> None:
        try:
            real = len(self.payload_bytes())
            declared = self.declared_length()
        except EditorInputError:
            self.length7.setText("?")
            self.real_length.setText("")
            return
        value = real if declared is None else declared
        form = int(self.length_form.currentData()) or minimal_length_form(value)
        seven = value if form == 7 and value <= MAX_7BIT_LENGTH else PAYLOAD_LEN_16BIT if form == 16 \
            else PAYLOAD_LEN_64BIT if form == 64 else value
        self.length7.setText(self.tr("= {0}").format(seven))
        self.real_length.setText(self.tr("real {0}, declared {1}").format(real, value))
