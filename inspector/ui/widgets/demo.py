"""Sample frames for the teaching widgets, and offscreen renders of each widget in light and dark palettes.

Used by the widget tests and to look at the widgets before they join the window:

    QT_QPA_PLATFORM=offscreen python -c "from inspector.ui.widgets.demo import main; main('/tmp/shots')"
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable

from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget

from ...protocol.constants import Direction, Opcode
from ...protocol.encoder import FrameSpec, binary, close, encode, ping, text
from ...protocol.fieldtree import frame_fields
from ...protocol.frame import Frame, decode_frame
from .diagram import FrameDiagram
from .masking import MaskingTable
from .palette import dark_palette
from .payload import MODE_JSON, PayloadView
from .violations import ViolationsPane, violation_rows

# RFC 6455 §5.7: a single-frame masked text message "Hello", key 37 fa 21 3d.
RFC_HELLO_MASKED = bytes.fromhex("818537fa213d7f9f4d5158")
DEMO_KEY = bytes.fromhex("37fa213d")
SHOT_SIZE = (1000, 600)


def hello_frame() -> Frame:
    return decode_frame(RFC_HELLO_MASKED, Direction.CLIENT)


def json_frame() -> Frame:
    document = {"type": "chat", "from": "ada", "text": "hi <b>all</b>", "tags": ["demo", "rfc6455"], "seq": 7}
    return decode_frame(encode(text(json.dumps(document), mask=False)), Direction.SERVER)


def masked_text_frame() -> Frame:
    """A client's masked text message of a few hundred bytes."""
    words = "The quick brown fox jumps over the lazy dog; masking hides nothing, it only scrambles. " * 7
    return decode_frame(encode(text(words, mask=DEMO_KEY)), Direction.CLIENT)


def long_frame(length: int, *, mask: bool = True) -> Frame:
    """A binary frame of `length` bytes: 16-bit length from 126 bytes, 64-bit from 65,536."""
    data = bytes(range(256)) * (length // 256 + 1)
    return decode_frame(encode(binary(data[:length], mask=DEMO_KEY if mask else False)), Direction.CLIENT)


def violating_frames() -> list[Frame]:
    """Frames that each break a rule on their own (RFC 6455 §5.1, §5.2, §5.5, §7.4)."""
    specs = [
        (text("unmasked", mask=False), Direction.CLIENT),
        (FrameSpec(b"x", opcode=0x3, mask_bit=True, masking_key=DEMO_KEY), Direction.CLIENT),
        (FrameSpec(b"", opcode=Opcode.PING, fin=False), Direction.SERVER),
        (close(1005, mask=False), Direction.SERVER),
        (FrameSpec(b"short", length_form=16), Direction.SERVER),
        (ping(b"", mask=DEMO_KEY), Direction.SERVER),
    ]
    return [decode_frame(encode(spec), direction) for spec, direction in specs]


def _widgets() -> dict[str, Callable[[], QWidget]]:
    def masking() -> QWidget:
        widget = MaskingTable()
        widget.show_frame(masked_text_frame())
        return widget

    def masking_hello() -> QWidget:
        widget = MaskingTable()
        widget.show_frame(hello_frame())
        return widget

    def diagram(frame: Frame, field: str) -> Callable[[], QWidget]:
        def make() -> QWidget:
            widget = FrameDiagram()
            widget.show_frame(frame, frame_fields(frame))
            widget.select_field(field)
            return widget

        return make

    def payload() -> QWidget:
        widget = PayloadView()
        frame = json_frame()
        widget.show_frame(frame, frame_fields(frame))
        widget.set_mode(MODE_JSON)
        return widget

    def payload_hex() -> QWidget:
        widget = PayloadView()
        widget.show_frame(long_frame(600))
        widget.set_mode("hex")
        return widget

    def violations() -> QWidget:
        widget = ViolationsPane()
        widget.set_violations(violation_rows(enumerate(violating_frames())))
        widget.table.selectRow(1)
        return widget

    return {
        "masking": masking,
        "masking-hello": masking_hello,
        "diagram-hello": diagram(hello_frame(), "websocket.masking_key"),
        "diagram-16": diagram(long_frame(300), "websocket.payload_length_ext_16"),
        "diagram-64": diagram(long_frame(70_000), "websocket.payload_length_ext_64"),
        "diagram-violations": diagram(violating_frames()[1], "websocket.opcode"),
        "payload-json": payload,
        "payload-hex": payload_hex,
        "violations": violations,
    }


def save_screenshots(out_dir: str, size: tuple[int, int] = SHOT_SIZE) -> list[str]:
    """Render every demo widget at `size` in the light and the dark palette; returns the PNG paths."""
    os.makedirs(out_dir, exist_ok=True)
    style = QStyleFactory.create("Fusion")
    paths = []
    for name, make in _widgets().items():
        for theme, palette in (("light", style.standardPalette()), ("dark", dark_palette())):
            widget = make()
            widget.setPalette(palette)
            widget.setAutoFillBackground(True)
            widget.resize(*size)
            widget.show()
            QApplication.processEvents()
            path = os.path.join(out_dir, f"{name}-{theme}.png")
            if not widget.grab().save(path):
                raise OSError(f"could not write {path}")
            paths.append(path)
            widget.close()
            widget.deleteLater()
    return paths


def main(out_dir: str) -> None:
    app = QApplication.instance() or QApplication([])
    app.setStyle("Fusion")
    for path in save_screenshots(out_dir):
        print(path)


