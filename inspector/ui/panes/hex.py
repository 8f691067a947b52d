"""The hex pane: a frame's bytes in rows of 16, with the selected field's exact bits highlighted.

HexView is the widget (bytes in, highlight by bit range); HexPane puts the selected frame's bytes in it
(as captured, unmasked or its message inflated, whichever the selected field is shown in) and lights
up the selected field.

Byte-aligned fields (length, key, payload) light up in the hex and ASCII columns. Fields narrower
than a byte (FIN, RSV, opcode, MASK, the 7-bit length) also light up in a bit strip under the dump,
so a learner sees that FIN is one bit of byte 0, not the whole byte.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import NamedTuple

from PySide6.QtCore import QCoreApplication, Qt, Slot
from PySide6.QtGui import QColor, QFont, QFontDatabase, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import QLabel, QPlainTextDocumentLayout, QPlainTextEdit, QTextEdit, QVBoxLayout, QWidget

from ...protocol.constants import MASKING_KEY_SIZE
from ...protocol.fieldtree import INFLATED_BYTES, UNMASKED_BYTES, WIRE_BYTES
from ..session_model import SessionModel
from ..widgets.palette import key_byte_colour

BYTES_PER_ROW = 16
OFFSET_WIDTH = 6  # "0000  " before the hex columns
HEX_CELL = 3  # "xx "
ASCII_GAP = 1
# Show at most this many bytes; payloads of megabytes would make the pane useless and slow.
MAX_SHOWN_BYTES = 64 * 1024
MAX_BIT_STRIP_BYTES = 16

HIGHLIGHT = QColor("#ffd54f")
# Small enough that a row of 16 bytes and their ASCII fits beside the field tree at 1280 x 800.
HEX_POINT_SIZE = 8
HIGHLIGHT_TEXT = QColor("#000000")
# Rows highlighted beyond the visible ones: a field of 70,000 bytes spans 4,375 rows, and one text
# selection per row for all of them made each click slow. The rest are lit as they scroll into view.
SPARE_ROWS = 8
# Laid-out dumps kept: a frame's wire, unmasked and inflated bytes, so clicking from field to field
# swaps documents instead of laying out thousands of rows again.
KEPT_DUMPS = 3


def _printable(byte: int) -> str:
    return chr(byte) if 0x20 <= byte < 0x7F else "."


def hex_dump_lines(data: bytes) -> list[str]:
    lines = []
    for start in range(0, len(data), BYTES_PER_ROW):
        row = data[start : start + BYTES_PER_ROW]
        hex_part = " ".join(f"{b:02x}" for b in row).ljust(BYTES_PER_ROW * HEX_CELL - 1)
        ascii_part = "".join(_printable(b) for b in row)
        lines.append(f"{start:04x}  {hex_part}{' ' * (ASCII_GAP + 1)}{ascii_part}")
    return lines


def bit_strip_lines(data: bytes) -> list[str]:
    """Bits of the first bytes, 4 bytes a row: `0000  10000001 10000101 ...`."""
    shown = data[:MAX_BIT_STRIP_BYTES]
    return [
        f"{start:04x}  " + " ".join(f"{b:08b}" for b in shown[start : start + 4]) for start in range(0, len(shown), 4)
    ]


def _monospace() -> QFont:
    font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    font.setStyleHint(QFont.StyleHint.Monospace)
    if font.pointSize() > HEX_POINT_SIZE:
        font.setPointSize(HEX_POINT_SIZE)
    return font


class _ReadOnlyText(QPlainTextEdit):
    def __init__(self) -> None:
        super().__init__()
        self.setReadOnly(True)
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.setFont(_monospace())
        # Coloured spans drawn over the highlight (the key bytes), so they show whichever field is selected.
        self.overlay: list[QTextEdit.ExtraSelection] = []
        self._lit: list[QTextEdit.ExtraSelection] = []

    def _selection(self, start: int, end: int, background: QColor) -> QTextEdit.ExtraSelection:
        fmt = QTextCharFormat()
        fmt.setBackground(background)
        fmt.setForeground(HIGHLIGHT_TEXT)  # black on the light colours, so it reads in a dark palette too
        selection = QTextEdit.ExtraSelection()
        cursor = QTextCursor(self.document())
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        selection.cursor = cursor  # type: ignore[attr-defined]
        selection.format = fmt  # type: ignore[attr-defined]
        return selection

    def colour_over(self, spans: list[tuple[int, int, QColor]]) -> None:
        """Colour these character spans (start, end, colour) over whatever is highlighted."""
        self.overlay = [self._selection(start, end, colour) for start, end, colour in spans]
        self.setExtraSelections(self._lit + self.overlay)

    def lit_selections(self) -> list[QTextEdit.ExtraSelection]:
        """The highlight's selections, without the overlay."""
        return self.extraSelections()[: len(self._lit)]

    def highlight(self, spans: list[tuple[int, int]], *, scroll: bool = True) -> None:
        """Highlight character spans (start, end) of the document; `scroll` brings the first into view."""
        selections = [self._selection(start, end, HIGHLIGHT) for start, end in spans]
        self._lit = selections
        self.setExtraSelections(selections + self.overlay)
        if spans and scroll:
            cursor = QTextCursor(self.document())
            cursor.setPosition(spans[0][0])
            self.setTextCursor(cursor)
            self.ensureCursorVisible()


class _Dump(NamedTuple):
    """One byte string laid out for both panes, with where each row starts in them."""

    hex_document: QTextDocument
    line_starts: list[int]
    bit_document: QTextDocument
    bit_line_starts: list[int]


def _line_starts(lines: list[str]) -> list[int]:
    starts, position = [], 0
    for line in lines:
        starts.append(position)
        position += len(line) + 1
    return starts


class HexView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.caption = QLabel()  # which bytes these are: as captured, unmasked or inflated
        self.caption.setTextFormat(Qt.TextFormat.PlainText)
        self.caption.setWordWrap(True)
        self.hex_text = _ReadOnlyText()
        self.bit_text = _ReadOnlyText()
        self.bit_text.setMaximumHeight(90)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.hex_text, 3)
        layout.addWidget(self.bit_text, 1)
        self._data = b""
        self._line_starts: list[int] = []
        self._bit_line_starts: list[int] = []
        self._hex_span_count = 0
        self._dumps: OrderedDict[bytes, _Dump] = OrderedDict()
        self._rows_lit: tuple[int, int] = (0, -1)  # first and last byte of the highlighted field, in rows lit
        self._bytes_lit: tuple[int, int] | None = None  # first and last byte of the highlighted field
        self.hex_text.verticalScrollBar().valueChanged.connect(self._light_visible_rows)

    @property
    def data(self) -> bytes:
        return self._data

    def set_data(self, data: bytes, caption: str = "") -> None:
        self.caption.setText(caption)
        self._data = bytes(data[:MAX_SHOWN_BYTES])
        dump = self._dumps.pop(bytes(data), None) or self._lay_out(data)
        self._dumps[bytes(data)] = dump
        while len(self._dumps) > KEPT_DUMPS:
            _, old = self._dumps.popitem(last=False)
            old.hex_document.deleteLater()
            old.bit_document.deleteLater()
        self._line_starts, self._bit_line_starts = dump.line_starts, dump.bit_line_starts
        self._bytes_lit = None
        self._rows_lit = (0, -1)
        self.hex_text.overlay = []
        self.bit_text.overlay = []
        self.hex_text.highlight([])
        self.bit_text.highlight([])
        self.hex_text.setDocument(dump.hex_document)
        self.bit_text.setDocument(dump.bit_document)

    def colour_key(self, first_byte: int) -> None:
        """Colour the four masking-key bytes from `first_byte` on, each in its key byte's colour (the masking
        table's): in the hex column, the ASCII column and the bit strip, over the highlight."""
        hex_column: list[tuple[int, int, QColor]] = []
        ascii_column: list[tuple[int, int, QColor]] = []
        bits: list[tuple[int, int, QColor]] = []
        for k in range(min(MASKING_KEY_SIZE, len(self._data) - first_byte)):
            colour = key_byte_colour(k)
            hex_spans, ascii_spans = self._hex_spans(first_byte + k, first_byte + k)
            hex_column += [(start, end, colour) for start, end in hex_spans]
            ascii_column += [(start, end, colour) for start, end in ascii_spans]
            bits += [(start, end, colour) for start, end in self._bit_spans((first_byte + k) * 8, 8)]
        self.hex_text.colour_over(hex_column + ascii_column)
        self.bit_text.colour_over(bits)

    def key_colours(self) -> list[tuple[str, QColor]]:
        """(text, background) of each coloured key span in the hex column, then the ASCII column (for tests)."""
        return [(s.cursor.selectedText(), s.format.background().color()) for s in self.hex_text.overlay]

    def _lay_out(self, data: bytes) -> _Dump:
        shown = data[:MAX_SHOWN_BYTES]
        lines = hex_dump_lines(shown)
        if len(data) > MAX_SHOWN_BYTES:
            more = QCoreApplication.translate("HexView", "… {0} more bytes not shown")
            lines.append(more.format(len(data) - MAX_SHOWN_BYTES))
        bit_lines = bit_strip_lines(shown)
        return _Dump(self._document(lines), _line_starts(lines), self._document(bit_lines), _line_starts(bit_lines))

    def _document(self, lines: list[str]) -> QTextDocument:
        document = QTextDocument(self)  # owned by this view: the editors only borrow it
        document.setDocumentLayout(QPlainTextDocumentLayout(document))
        document.setDefaultFont(self.hex_text.font())
        document.setPlainText("\n".join(lines))
        return document

    def highlight_bits(self, bit_offset: int, bit_width: int) -> None:
        """Light up the bytes touched by [bit_offset, bit_offset + bit_width) and, in the strip, the bits."""
        if bit_width <= 0 or not self._data or bit_offset // 8 >= len(self._data):
            self._bytes_lit = None
            self._hex_span_count = 0
            self.hex_text.highlight([])
            self.bit_text.highlight([])
            return
        first_byte = bit_offset // 8
        last_byte = min((bit_offset + bit_width - 1) // 8, len(self._data) - 1)
        self._bytes_lit = (first_byte, last_byte)
        self._light_rows(first_byte // BYTES_PER_ROW, scroll=True)
        self.bit_text.highlight(self._bit_spans(bit_offset, bit_width))

    def _visible_rows(self) -> int:
        line_height = max(self.hex_text.fontMetrics().lineSpacing(), 1)
        return self.hex_text.viewport().height() // line_height + 1

    def _light_visible_rows(self) -> None:
        if self._bytes_lit is not None:
            self._light_rows(self.hex_text.firstVisibleBlock().blockNumber(), scroll=False)

    def _light_rows(self, top_row: int, *, scroll: bool) -> None:
        """Highlight the field's bytes in the rows from `top_row` to the bottom of the pane (and a few more)."""
        assert self._bytes_lit is not None
        first_byte, last_byte = self._bytes_lit
        first_row = max(first_byte // BYTES_PER_ROW, top_row - SPARE_ROWS)
        last_row = min(last_byte // BYTES_PER_ROW, top_row + self._visible_rows() + SPARE_ROWS)
        if self._rows_lit == (first_row, last_row) and not scroll:
            return
        self._rows_lit = (first_row, last_row)
        start = max(first_byte, first_row * BYTES_PER_ROW)
        end = min(last_byte, last_row * BYTES_PER_ROW + BYTES_PER_ROW - 1)
        hex_spans, ascii_spans = self._hex_spans(start, end) if start <= end else ([], [])
        self._hex_span_count = len(hex_spans)
        self.hex_text.highlight(hex_spans + ascii_spans, scroll=scroll)

    def highlighted_hex_text(self) -> str:
        """The highlighted bytes of the hex column, e.g. "81", in the rows lit (for tests and accessibility)."""
        selections = self.hex_text.lit_selections()[: self._hex_span_count]
        return " ".join(s.cursor.selectedText() for s in selections)

    def highlighted_ascii_text(self) -> str:
        selections = self.hex_text.lit_selections()[self._hex_span_count :]
        return "".join(s.cursor.selectedText() for s in selections)

    def highlighted_bit_text(self) -> str:
        return "".join(s.cursor.selectedText() for s in self.bit_text.lit_selections())

    def _hex_spans(self, first_byte: int, last_byte: int) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """Character spans of the bytes in the hex column and in the ASCII column."""
        hex_spans: list[tuple[int, int]] = []
        ascii_spans: list[tuple[int, int]] = []
        for row in range(first_byte // BYTES_PER_ROW, last_byte // BYTES_PER_ROW + 1):
            if row >= len(self._line_starts):
                break
            row_first = max(first_byte, row * BYTES_PER_ROW) - row * BYTES_PER_ROW
            row_last = min(last_byte, row * BYTES_PER_ROW + BYTES_PER_ROW - 1) - row * BYTES_PER_ROW
            base = self._line_starts[row] + OFFSET_WIDTH
            hex_spans.append((base + row_first * HEX_CELL, base + row_last * HEX_CELL + 2))
            ascii_base = self._line_starts[row] + OFFSET_WIDTH + BYTES_PER_ROW * HEX_CELL + ASCII_GAP
            ascii_spans.append((ascii_base + row_first, ascii_base + row_last + 1))
        return hex_spans, ascii_spans

    def _bit_spans(self, bit_offset: int, bit_width: int) -> list[tuple[int, int]]:
        spans = []
        limit = min(bit_offset + bit_width, MAX_BIT_STRIP_BYTES * 8)
        bit = bit_offset
        while bit < limit:
            byte, within = divmod(bit, 8)
            run_end = min(limit, (byte + 1) * 8)
            row, column = divmod(byte, 4)
            if row >= len(self._bit_line_starts):
                break
            start = self._bit_line_starts[row] + OFFSET_WIDTH + column * 9 + within
            spans.append((start, start + (run_end - bit)))
            bit = run_end
        return spans


class HexPane(HexView):
    def __init__(self, session: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self._bytes_shown = ""  # which bytes of the selected frame the view holds (fieldtree's *_BYTES)
        session.connection_changed.connect(self._on_connection_changed)
        session.frame_changed.connect(self._on_frame_changed)
        session.field_changed.connect(self._on_field_changed)

    @Slot()
    def _on_connection_changed(self) -> None:
        self._bytes_shown = ""
        self.set_data(b"")

    @Slot()
    def _on_frame_changed(self) -> None:
        self._bytes_shown = ""
        self.show_bytes(WIRE_BYTES)

    @Slot()
    def _on_field_changed(self) -> None:
        node = self.session.field
        if node is None:
            return
        self.show_bytes(node.shown_in)
        if node.shown_in == INFLATED_BYTES:  # the value is the whole inflated message
            self.highlight_bits(0, len(self.data) * 8)
        else:
            self.highlight_bits(node.bit_offset, node.bit_width)

    def show_bytes(self, which: str) -> None:
        """Show the frame's wire bytes, its unmasked bytes or its message's inflated bytes."""
        record = self.session.frame
        if record is None:
            return
        frame = record.frame
        if which == UNMASKED_BYTES and not frame.masked:
            which = WIRE_BYTES  # the same bytes: an unmasked frame needs no second view
        if which == INFLATED_BYTES and (record.message is None or not record.message.compressed):
            which = WIRE_BYTES
        if which == self._bytes_shown:
            return
        self._bytes_shown = which
        if which == INFLATED_BYTES:
            assert record.message is not None
            frames = record.message.frame_indices
            if len(frames) == 1:
                where = self.tr("frame {0}").format(frames[0])
            else:
                where = self.tr("frames {0}–{1}").format(frames[0], frames[-1])
            data = record.message.data
            caption = self.tr("Message of {0}, inflated: {1} bytes").format(where, len(data))
        elif which == UNMASKED_BYTES:
            assert frame.masking_key is not None
            data = frame.header + frame.payload
            caption = self.tr("Frame {0} with its payload unmasked (XOR with {1}): {2} bytes").format(
                frame.index, frame.masking_key.hex(), len(data))
        else:
            data = frame.raw
            if frame.masked:
                caption = self.tr("Frame {0} as captured: {1} bytes, payload masked").format(frame.index, len(data))
            else:
                caption = self.tr("Frame {0} as captured: {1} bytes").format(frame.index, len(data))
        self.set_data(data, caption)
        if frame.masking_key is not None and which != INFLATED_BYTES:  # both views start with the header and key
            self.colour_key(len(frame.header) - MASKING_KEY_SIZE)
