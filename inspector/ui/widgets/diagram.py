"""The RFC 6455 §5.2 frame diagram, drawn with one frame's real bits.

Thirty-two bits a row, bit numbers on top, as the RFC draws it. Each header field is a cell (or
several, when it runs over a row end: a 64-bit length takes parts of three rows), showing its
name, its value and its bits; the payload follows the header. The cells come from the frame's
field tree, so their bit ranges are the tree's own; selecting a field lights every cell it covers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from PySide6.QtCore import QCoreApplication, QPoint, QPointF, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QMouseEvent, QPainter, QPaintEvent, QPalette, QPen
from PySide6.QtWidgets import QToolTip, QWidget

from ...protocol.constants import MASKING_KEY_SIZE, opcode_name
from ...protocol.fieldtree import BITS_PER_BYTE, Field, frame_fields
from ...protocol.frame import Frame
from .palette import KEY_BYTE_TEXT, VIOLATION_COLOUR, key_byte_colour

BITS_PER_ROW: Final = 32  # RFC 6455 §5.2 draws the frame 32 bits a row
MARGIN: Final = 8
NUMBERS_HEIGHT: Final = 18  # the bit-number line above the rows
MIN_BIT_WIDTH: Final = 14
MIN_LABEL_POINTS: Final = 6.0  # labels shrink to this size to fit before they are cut short
PREFERRED_BIT_WIDTH: Final = 26
PAYLOAD_NAME: Final = "websocket.payload"
KEY_NAME: Final = "websocket.masking_key"
# The header fields drawn as cells, in wire order; "websocket.rsv" is drawn as its three bits.
CELL_FIELDS: Final = (
    "websocket.fin",
    "websocket.rsv1",
    "websocket.rsv2",
    "websocket.rsv3",
    "websocket.opcode",
    "websocket.mask",
    "websocket.payload_length",
    "websocket.payload_length_ext_16",
    "websocket.payload_length_ext_64",
    KEY_NAME,
)


def _tr(text: str) -> str:
    return QCoreApplication.translate("FrameDiagram", text)


@dataclass(frozen=True, slots=True)
class Cell:
    """One box of the diagram: `bit_count` bits of one field, from `bit_offset` (counted from the frame's start)."""

    filter_name: str
    label: str
    bit_offset: int
    bit_count: int
    bits: str  # the wire bits drawn in the box, "" for the closing "payload continues" box
    # The wire bits the box stands for, when not the ones it is drawn at: the "payload continues" box
    # stands for every payload byte after those drawn.
    stands_for: tuple[int, int] | None = None

    @property
    def row(self) -> int:
        return self.bit_offset // BITS_PER_ROW

    @property
    def column(self) -> int:
        return self.bit_offset % BITS_PER_ROW

    def covers(self, start: int, end: int) -> bool:
        """Does the box stand for any wire bit in [start, end)?"""
        first, last = self.stands_for or (self.bit_offset, self.bit_offset + self.bit_count)
        return first < end and start < last


def _wire_bits(wire: bytes, start: int, count: int) -> str:
    return "".join(str((wire[b // BITS_PER_BYTE] >> (7 - b % BITS_PER_BYTE)) & 1) for b in range(start, start + count))


def _field_label(field: Field, frame: Frame) -> str:
    name = field.filter_name
    if name == "websocket.opcode":
        return _tr("opcode {0} ({1})").format(frame.opcode, opcode_name(frame.opcode))
    if name == "websocket.payload_length":
        return _tr("payload len {0}").format(field.value)
    if name.startswith("websocket.payload_length_ext_"):
        return _tr("extended payload length: {0}").format(frame.payload_length)
    if name == KEY_NAME and frame.masking_key is not None:
        return _tr("masking key {0}").format(frame.masking_key.hex(" "))
    return {"websocket.fin": "FIN", "websocket.mask": "MASK"}.get(name, field.name.upper())


# What a one-bit box says when its label does not fit even in the smallest font.
_ONE_BIT_SHORT: Final = {"FIN": "F", "RSV1": "R1", "RSV2": "R2", "RSV3": "R3", "MASK": "M"}


def diagram_cells(frame: Frame, fields: Field) -> list[Cell]:
    """The diagram's boxes for `frame`, in wire order: header fields split at row ends, then the payload."""
    header_bits = len(frame.header) * BITS_PER_BYTE
    wire = frame.header + frame.masked_payload[:MASKING_KEY_SIZE]  # enough for the payload's first row
    cells: list[Cell] = []
    for name in CELL_FIELDS:
        field = fields.find(name)
        if field is not None:
            cells += _split(field.filter_name, _field_label(field, frame), field.bit_offset, field.bit_width, wire)
    if frame.payload_length == 0:
        return cells
    # The payload's first bits fill the header's last row, or one row when the header ends on a row end.
    room = -header_bits % BITS_PER_ROW or BITS_PER_ROW
    drawn = min(room, len(frame.masked_payload) * BITS_PER_BYTE)
    if drawn:
        label = _tr("payload data (masked, as sent)") if frame.masked else _tr("payload data")
        cells.append(Cell(PAYLOAD_NAME, label, header_bits, drawn, _wire_bits(wire, header_bits, drawn)))
    rest = frame.payload_length - drawn // BITS_PER_BYTE
    if rest > 0:
        start = header_bits + drawn
        row_start = start + -start % BITS_PER_ROW  # a full row of its own
        label = _tr("payload data … {0} more bytes ({1} in all)").format(rest, frame.payload_length)
        present_end = header_bits + len(frame.masked_payload) * BITS_PER_BYTE
        cells.append(Cell(PAYLOAD_NAME, label, row_start, BITS_PER_ROW, "", (start, present_end)))
    return cells


def _split(name: str, label: str, offset: int, width: int, wire: bytes) -> list[Cell]:
    """A field as one box per row it touches; boxes after the first say they continue it."""
    cells = []
    bit = offset
    while bit < offset + width:
        count = min(offset + width - bit, BITS_PER_ROW - bit % BITS_PER_ROW)
        text = label if bit == offset else _tr("{0} (continued)").format(label.split(":")[0])
        cells.append(Cell(name, text, bit, count, _wire_bits(wire, bit, count)))
        bit += count
    return cells


class FrameDiagram(QWidget):
    """A custom-painted §5.2 diagram. `select_field` lights a field's boxes; a click emits `field_clicked`."""

    field_clicked = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._frame: Frame | None = None
        self._fields: Field | None = None
        self._cells: list[Cell] = []
        self._selected: str | None = None
        self._lit: set[int] = set()  # indices of the cells covering the selected field
        self._faulty: set[str] = set()  # fields carrying a violation
        self.setMouseTracking(True)

    # ---- the public API

    def show_frame(self, frame: Frame | None, fields: Field | None = None) -> None:
        """Draw `frame`; `fields` is its field tree (made here when not given)."""
        self._frame = frame
        if frame is not None and fields is None:
            fields = frame_fields(frame)
        self._fields = fields
        self._cells = diagram_cells(frame, fields) if frame is not None and fields is not None else []
        self._faulty = {f.filter_name for f in fields.walk() if f.violations} if fields is not None else set()
        self._selected = None
        self._lit = set()
        self.updateGeometry()
        self.update()

    def select_field(self, filter_name: str | None) -> None:
        """Light the boxes of field `filter_name`: its own, or those its bits cover (the RSV bits, the payload)."""
        self._selected = filter_name
        self._lit = self._cell_indices(filter_name) if filter_name else set()
        self.update()

    def selected_field(self) -> str | None:
        return self._selected

    def cells(self) -> list[Cell]:
        return list(self._cells)

    def lit_cells(self) -> list[Cell]:
        return [self._cells[i] for i in sorted(self._lit)]

    def cells_of(self, filter_name: str) -> list[QRect]:
        """Where field `filter_name`'s boxes are drawn, at the widget's current size."""
        return [self._cell_rect(self._cells[i]).toAlignedRect() for i in sorted(self._cell_indices(filter_name))]

    def field_at(self, point: QPoint | QPointF) -> str | None:
        """The filter name of the box under `point`, or None between boxes and outside them."""
        cell = self._cell_at(QPointF(point))
        return cell.filter_name if cell is not None else None

    def row_count(self) -> int:
        return max((c.row for c in self._cells), default=-1) + 1

    # ---- geometry

    def _bit_width(self) -> float:
        return max((self.width() - 2 * MARGIN) / BITS_PER_ROW, 1.0)

    def _row_height(self) -> int:
        return QFontMetrics(self._label_font()).height() + QFontMetrics(self._bits_font()).height() + 10

    def _cell_rect(self, cell: Cell) -> QRectF:
        width = self._bit_width()
        top = MARGIN + NUMBERS_HEIGHT + cell.row * self._row_height()
        return QRectF(MARGIN + cell.column * width, top, cell.bit_count * width, self._row_height())

    def _cell_indices(self, filter_name: str) -> set[int]:
        own = {i for i, c in enumerate(self._cells) if c.filter_name == filter_name}
        field = self._fields.find(filter_name) if self._fields is not None and not own else None
        if field is None:
            return own
        start, end = field.bit_offset, field.bit_offset + field.bit_width
        return {i for i, c in enumerate(self._cells) if c.covers(start, end)}

    def _cell_at(self, point: QPointF) -> Cell | None:
        return next((c for c in self._cells if self._cell_rect(c).contains(point)), None)

    def _size_for(self, bit_width: int) -> QSize:
        rows = max(self.row_count(), 2)
        return QSize(2 * MARGIN + BITS_PER_ROW * bit_width, 2 * MARGIN + NUMBERS_HEIGHT + rows * self._row_height())

    def sizeHint(self) -> QSize:
        return self._size_for(PREFERRED_BIT_WIDTH)

    def minimumSizeHint(self) -> QSize:
        return self._size_for(MIN_BIT_WIDTH)

    # ---- events

    def mousePressEvent(self, event: QMouseEvent) -> None:
        name = self.field_at(event.position())
        if name is None:
            super().mousePressEvent(event)
            return
        self.select_field(name)
        self.field_clicked.emit(name)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        cell = self._cell_at(event.position())
        self.setCursor(Qt.CursorShape.PointingHandCursor if cell else Qt.CursorShape.ArrowCursor)
        if cell is not None:
            QToolTip.showText(event.globalPosition().toPoint(), f"{cell.label}\n{cell.filter_name}", self)
        else:
            QToolTip.hideText()

    # ---- painting

    def _label_font(self) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF() - 1, 6.0))
        return font

    def _bits_font(self) -> QFont:
        font = QFont(self.font())
        font.setFamily("monospace")
        font.setStyleHint(QFont.StyleHint.Monospace)
        font.setPointSizeF(max(font.pointSizeF() - 1, 6.0))
        return font

    def paintEvent(self, event: QPaintEvent) -> None:
        del event
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        palette = self.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.Base))
        self._paint_numbers(painter, palette)
        if not self._cells:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, _tr("Select a frame to see its bits."))
            return
        for index, cell in enumerate(self._cells):
            self._paint_cell(painter, palette, cell, index in self._lit)
        painter.end()

    def _paint_numbers(self, painter: QPainter, palette: QPalette) -> None:
        painter.setFont(self._bits_font())
        painter.setPen(palette.color(QPalette.ColorRole.Text))
        width = self._bit_width()
        for bit in range(BITS_PER_ROW):
            box = QRectF(MARGIN + bit * width, MARGIN, width, NUMBERS_HEIGHT)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, str(bit))

    def _paint_cell(self, painter: QPainter, palette: QPalette, cell: Cell, lit: bool) -> None:
        rect = self._cell_rect(cell)
        key_bytes = self._key_bytes(cell)
        if key_bytes:  # each key byte in its colour, as in the masking table; a lit key keeps them
            text = KEY_BYTE_TEXT
            labels = []
            for first_bit, k, value in key_bytes:
                box = QRectF(rect.left() + first_bit * self._bit_width(), rect.top(),
                             BITS_PER_BYTE * self._bit_width(), rect.height())
                painter.fillRect(box, key_byte_colour(k))
                labels.append((box, f"key[{k}] = {value:02x}"))
        else:
            fill = palette.color(QPalette.ColorRole.Highlight if lit else QPalette.ColorRole.AlternateBase)
            text = palette.color(QPalette.ColorRole.HighlightedText if lit else QPalette.ColorRole.Text)
            painter.fillRect(rect, fill)
            labels = [(rect, cell.label)]
        painter.setPen(text)
        label_height = QFontMetrics(self._label_font()).height() + 4
        for box, label in labels:
            self._paint_label(painter, QRectF(box.left() + 2, box.top() + 2, box.width() - 4, label_height), label,
                              shrink=cell.bit_count == 1)
        painter.setFont(self._bits_font())
        bits_top = rect.top() + label_height
        width = self._bit_width()
        for bit, digit in enumerate(cell.bits):
            painter.drawText(QRectF(rect.left() + bit * width, bits_top, width, rect.bottom() - bits_top),
                             Qt.AlignmentFlag.AlignCenter, digit)
        self._paint_border(painter, palette, rect, cell, lit)

    def _paint_label(self, painter: QPainter, box: QRectF, label: str, *, shrink: bool) -> None:
        """Draw `label` in `box`, cut short if it does not fit. A one-bit box's label (`shrink`) first tries
        smaller fonts, then its short form ("R1" for RSV1)."""
        font = self._label_font()
        width = int(box.width())

        def fits() -> bool:
            return QFontMetrics(font).elidedText(label, Qt.TextElideMode.ElideRight, width) == label

        while shrink and not fits():
            if font.pointSizeF() > MIN_LABEL_POINTS:
                font.setPointSizeF(font.pointSizeF() - 0.5)
            elif label in _ONE_BIT_SHORT:
                label = _ONE_BIT_SHORT[label]
            else:
                break
        painter.setFont(font)
        shown = QFontMetrics(font).elidedText(label, Qt.TextElideMode.ElideRight, width)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, shown)

    def _key_bytes(self, cell: Cell) -> list[tuple[int, int, int]]:
        """For a masking-key box: (first bit in the box, k, key[k]) of each key byte it holds."""
        key = self._frame.masking_key if self._frame is not None else None
        if cell.filter_name != KEY_NAME or key is None:
            return []
        first_k = (cell.bit_offset - self._key_offset()) // BITS_PER_BYTE
        count = cell.bit_count // BITS_PER_BYTE
        return [(j * BITS_PER_BYTE, first_k + j, key[first_k + j]) for j in range(count)]

    def _paint_border(self, painter: QPainter, palette: QPalette, rect: QRectF, cell: Cell, lit: bool) -> None:
        faulty = cell.filter_name in self._faulty
        if faulty:
            colour = VIOLATION_COLOUR
        else:
            colour = palette.color(QPalette.ColorRole.Highlight if lit else QPalette.ColorRole.Mid)
        pen = QPen(colour)
        pen.setWidth(3 if lit else 2 if faulty else 1)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRect(rect.adjusted(1, 1, -1, -1) if lit else rect.adjusted(0, 0, -1, -1))
        if cell.bits:  # the RFC's tick marks between bits
            painter.setPen(QPen(QColor(palette.color(QPalette.ColorRole.Mid))))
            width = self._bit_width()
            for bit in range(1, cell.bit_count):
                x = rect.left() + bit * width
                painter.drawLine(QPointF(x, rect.bottom() - 4), QPointF(x, rect.bottom()))

    def _key_offset(self) -> int:
        return next((c.bit_offset for c in self._cells if c.filter_name == KEY_NAME), 0)
