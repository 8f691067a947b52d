"""Pictures of the crafter, light and dark, made offscreen: for the README and for the window's
`--pane crafter` screenshot. The frame shown breaks rules on purpose, so the preview has something to say.

    QT_QPA_PLATFORM=offscreen python -c "from inspector.ui.crafter.shots import main; main('/tmp/shots')"
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from typing import Final

from PySide6.QtCore import QEventLoop, QSettings
from PySide6.QtWidgets import QApplication, QStyleFactory, QWidget

from ...protocol.constants import Opcode
from ...protocol.encoder import FrameSpec
from ..widgets.palette import dark_palette
from .crafter import CrafterWidget
from .draft import KEY_FIXED, RFC_SAMPLE_KEY
from .session import CLOSED, CONNECTING, OPEN

SHOT_SIZE: Final = (1280, 800)
VERDICT_TIMEOUT: Final = 10.0
CLOSE_WAIT: Final = 2.0  # seconds a scripted picture waits for a judged connection to close


def broken_frame() -> FrameSpec:
    """A masked text frame "Hello" with RSV2 set and its length written in 16 bits: two rules broken."""
    return FrameSpec(b"Hello", Opcode.TEXT, rsv2=True, mask_bit=True, masking_key=RFC_SAMPLE_KEY, length_form=16)


def crafter_with_broken_frame(settings: QSettings | None = None) -> CrafterWidget:
    crafter = CrafterWidget(settings)
    crafter.editor.set_frame_spec(broken_frame(), key_mode=KEY_FIXED)
    crafter.preview.violations.table.selectRow(0)
    return crafter


def crafter_on_templates(settings: QSettings | None = None) -> CrafterWidget:
    crafter = CrafterWidget(settings)
    crafter.left_tabs.setCurrentWidget(crafter.templates)
    crafter.templates.tree.expandAll()
    crafter.templates.select("opcode-3")
    crafter.load_template_by_name("opcode-3")
    crafter.left_tabs.setCurrentWidget(crafter.templates)
    return crafter


def crafter_with_verdict(settings: QSettings | None = None) -> CrafterWidget:
    """The broken frame sent to a strict lab server started in-process, once its verdict is in."""
    crafter = crafter_with_broken_frame(settings)
    problem = send_to_lab(crafter, "strict")
    if problem:
        raise OSError(problem)
    crafter.left_tabs.setCurrentWidget(crafter.templates)
    return crafter


def send_to_lab(crafter: CrafterWidget, mode: str, seconds: float = VERDICT_TIMEOUT) -> str:
    """Send the crafter's frames to a lab server in `mode` started in-process on 127.0.0.1 and wait for
    the verdict and the connection's end (a scripted picture needs both on screen). Returns "" or one line."""
    live = crafter.connect_to(crafter.start_lab(mode))
    assert live is not None
    _spin_until(lambda: live.state != CONNECTING, seconds)
    if live.state != OPEN:
        return f"the {mode} lab server did not accept the connection: {live.detail or live.state}"
    crafter.send_current()
    _spin_until(lambda: any(line.startswith("verdict ") for line in live.lines), seconds)
    if not any(line.startswith("verdict ") for line in live.lines):
        return f"no verdict from the {mode} lab server within {seconds:g} s"
    _spin_until(lambda: live.state == CLOSED, CLOSE_WAIT)  # a broken frame ends the connection: show how
    return ""


def _spin_until(done: Callable[[], bool], seconds: float = VERDICT_TIMEOUT) -> None:
    deadline = time.monotonic() + seconds
    while not done() and time.monotonic() < deadline:
        QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
        time.sleep(0.01)


SCENES: Final[dict[str, Callable[[], CrafterWidget]]] = {
    "crafter": crafter_with_broken_frame,
    "templates": crafter_on_templates,
    "verdict": crafter_with_verdict,
}


def grab(widget: QWidget, path: str, size: tuple[int, int] = SHOT_SIZE, *, dark: bool = False) -> str:
    """Render `widget` at `size` in the light or the dark Fusion palette and save it as `path`."""
    style = QStyleFactory.create("Fusion")
    widget.setStyle(style)
    for child in widget.findChildren(QWidget):
        child.setStyle(style)
    palette = dark_palette() if dark else style.standardPalette()
    widget.setPalette(palette)
    widget.setAutoFillBackground(True)
    widget.resize(*size)
    widget.show()
    QApplication.processEvents()
    if not widget.grab().save(path):
        raise OSError(f"could not write {path}")
    return path


def save_screenshots(out_dir: str, size: tuple[int, int] = SHOT_SIZE, scenes: list[str] | None = None) -> list[str]:
    """Each scene (`crafter`, `templates`, `verdict`) in light and dark; returns the PNG paths."""
    os.makedirs(out_dir, exist_ok=True)
    paths = []
    for name in scenes or list(SCENES):
        for dark in (False, True):
            crafter = SCENES[name]()
            paths.append(grab(crafter, os.path.join(out_dir, f"{name}-{'dark' if dark else 'light'}.png"), size,
                              dark=dark))
            crafter.shutdown()
            crafter.close()
            crafter.deleteLater()
    return paths


def main(out_dir: str) -> None:
    app = QApplication.instance() or QApplication([])
    app.setStyle("Fusion")
    for path in save_screenshots(out_dir):
        print(path)
