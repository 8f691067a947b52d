"""Start the window: `websocket-inspector [CAPTURE] [--screenshot PNG [--frame N] [--field NAME] [--pane P]
[--send-to-lab MODE] [--tour-step N] [--size WxH] [--dark]] [--lang LANG]`.

With no capture named, it opens the bundled sample so a newcomer sees real traffic at once.
`--screenshot` loads the capture, selects a frame (counted from 0 across the whole session, in capture
order; by default the first data frame) and a field, shows a pane, saves a picture of the window at
the given size and quits (for the README and for checks). With `--pane crafter` (or `--send-to-lab`),
`--frame N` opens that frame in the crafter; `--send-to-lab MODE` sends the crafter's frame to a lab
server first and waits for its verdict; `--pane templates` shows the catalogue unfolded.
`--tour-step N` opens Help → Tour at step N instead, which opens its own capture and makes its own selection.
"""

from __future__ import annotations

import argparse
import faulthandler
import os
import sys
import tempfile
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QLayout

from .. import resources
from ..lab.server import MODES as LAB_MODES
from ..protocol.constants import Opcode
from .crafter.shots import send_to_lab
from .i18n import LANGUAGES, Translation, chosen_language
from .language import LanguageSwitch
from .main_window import APP_NAME, DEFAULT_HEIGHT, DEFAULT_WIDTH, MainWindow
from .tour.steps import STEPS
from .widgets.palette import dark_palette

ORGANIZATION = "WebSocket Inspector"
SAMPLE_CAPTURE = resources.sample_capture()
USAGE_ERROR = 2
LAYOUT_DELAY_MS = 300  # let the views lay out their rows before the picture is taken
DATA_OPCODES = (Opcode.TEXT, Opcode.BINARY)


def size_argument(text: str) -> tuple[int, int]:
    width, sep, height = text.lower().partition("x")
    if not sep or not width.isdigit() or not height.isdigit() or int(width) < 1 or int(height) < 1:
        raise argparse.ArgumentTypeError(f"expected WIDTHxHEIGHT such as 1280x800, got {text!r}")
    return int(width), int(height)


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="websocket-inspector", description=f"{APP_NAME}: the window.")
    parser.add_argument("capture", nargs="?", help="a pcap or pcapng file (default: the bundled sample)")
    parser.add_argument("--screenshot", metavar="PNG", help="save a picture of the window once loaded, then quit")
    parser.add_argument("--frame", type=int, metavar="N",
                        help="with --screenshot: select frame N of the session (from 0, in capture order; "
                        "default: the first data frame)")
    parser.add_argument("--field", metavar="FILTER_NAME", help="with --screenshot: select this field, e.g. "
                        "websocket.masking_key")
    parser.add_argument("--pane", help="with --screenshot: show this pane (masking, diagram, payload, violations, "
                        "messages, handshake, compare, bytes, crafter, templates)")
    parser.add_argument("--send-to-lab", choices=LAB_MODES, metavar="MODE",
                        help="with --screenshot: send the crafter's frame (with --frame N, that frame of the capture) "
                        "to a lab server in MODE (echo, chat, strict) started on 127.0.0.1, and take the picture "
                        "once the verdict is in")
    parser.add_argument("--tour-step", type=int, metavar="N",
                        help=f"open Help → Tour at step N (1 to {len(STEPS)}); it opens its own capture")
    parser.add_argument("--size", type=size_argument, metavar="WxH",
                        help=f"with --screenshot: the window's size (default {DEFAULT_WIDTH}x{DEFAULT_HEIGHT})")
    parser.add_argument("--dark", action="store_true", help="use a dark palette")
    parser.add_argument("--lang", choices=list(LANGUAGES),
                        help="the window's language for this run (default: the one chosen under View → Language, "
                        "else the system's when a translation ships, else English)")
    return parser.parse_args(argv)


def first_data_frame(window: MainWindow) -> int:
    store = window.store
    if store is None:
        return 0
    for number, position in enumerate(store.frame_positions):
        found = store.frame_row(position)
        if found is not None and found[0].opcode(found[1]) in DATA_OPCODES:
            return number
    return 0


class ScriptedShot:
    """Select, show, resize, save, quit; any mistake is one line on stderr and exit status 2."""

    def __init__(self, app: QApplication, window: MainWindow, args: argparse.Namespace) -> None:
        self.app, self.window, self.args = app, window, args
        self.status = 0

    def fail(self, message: str) -> None:
        print(f"websocket-inspector: {message}", file=sys.stderr)
        self.status = USAGE_ERROR
        self.app.exit(USAGE_ERROR)

    def prepare(self, *_: object) -> None:
        window, args = self.window, self.args
        if window.store is not None:
            count = window.store.frame_count
            number = first_data_frame(window) if args.frame is None else args.frame
            if count and not window.session.select_session_frame(number):
                self.fail(f"frame {number} is past the end: the session has {count} frames (0 to {count - 1})")
                return
            if args.frame is not None and not count:
                self.fail(f"frame {args.frame} is past the end: the session has no frames")
                return
            if args.field and not window.session.select_field_named(args.field):
                self.fail(f"frame {number} has no field {args.field!r}")
                return
        if args.pane:
            window.show_pane(args.pane)
        if not self.craft():
            return
        self.resize_and_save()

    def resize_and_save(self, *_: object) -> None:
        window, args = self.window, self.args
        # The picture is taken at the size asked for, even below the size the panes would like.
        window.layout().setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        window.setMinimumSize(1, 1)
        window.resize(*(args.size or (DEFAULT_WIDTH, DEFAULT_HEIGHT)))
        QTimer.singleShot(LAYOUT_DELAY_MS, self.save)

    def craft(self) -> bool:
        """Edit and resend, scripted: the chosen frame into the crafter, and a send to a lab server if asked."""
        window, args = self.window, self.args
        if args.frame is not None and (args.pane == "crafter" or args.send_to_lab):
            window.open_in_crafter()
        if args.pane == "templates":  # the catalogue open, its first template chosen and described
            browser = window.crafter.templates
            browser.tree.expandAll()
            if browser.templates:
                browser.select(browser.templates[0].name)
        if args.send_to_lab:
            problem = send_to_lab(window.crafter, args.send_to_lab)
            if problem:
                self.fail(problem)
                return False
            store = window.store
            if store is not None and store.events:  # the timeline's cursor at the end: the state strip agrees
                window.session.select_position(len(store.events) - 1)
            if args.pane:
                window.show_pane(args.pane)
        return True

    def save(self) -> None:
        if not self.window.grab().save(self.args.screenshot):
            self.fail(f"could not write {self.args.screenshot}")
            return
        self.app.quit()


def main(argv: Sequence[str] | None = None) -> int:
    if sys.stderr is not None:  # a GUI launcher may start us without one
        # A crash inside Qt then still prints the Python stack that led to it (and a bug report can quote it).
        faulthandler.enable()
    args = parse_args(sys.argv[1:] if argv is None else argv)
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APP_NAME)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    assert isinstance(app, QApplication)
    if args.dark:
        app.setStyle("Fusion")
        app.setPalette(dark_palette())
    settings = QSettings()
    if args.screenshot:  # a picture shows the default layout and language, not the ones this user last left
        settings = QSettings(os.path.join(tempfile.mkdtemp(), "shot.ini"), QSettings.Format.IniFormat)
    translation = Translation(app)
    try:
        translation.use_language(chosen_language(settings, args.lang))  # before the window: texts translate as built
    except ValueError as problem:  # a translation file missing from a broken install: the window stays English
        print(f"websocket-inspector: {problem}", file=sys.stderr)
    switch = LanguageSwitch(translation, settings)
    window = switch.window
    if args.screenshot and args.pane and args.pane not in window.panes:
        names = ", ".join(sorted(window.panes))
        print(f"websocket-inspector: unknown pane {args.pane!r} (one of: {names})", file=sys.stderr)
        return USAGE_ERROR
    if args.tour_step is not None and not 1 <= args.tour_step <= len(STEPS):
        print(f"websocket-inspector: --tour-step is 1 to {len(STEPS)}, not {args.tour_step}", file=sys.stderr)
        return USAGE_ERROR
    window.show()
    capture = args.capture or (str(SAMPLE_CAPTURE) if SAMPLE_CAPTURE.exists() else None)
    shot: ScriptedShot | None = None
    if args.tour_step is not None:
        capture = None  # the step opens its own
        tour = window.tour_panel()
        if args.screenshot:
            shot = ScriptedShot(app, window, args)
            tour.step_shown.connect(shot.resize_and_save)
            window.load_failed.connect(lambda message: shot.fail(message.splitlines()[0]) if shot else None)
        window.show_tour(args.tour_step - 1)
    elif args.screenshot:
        shot = ScriptedShot(app, window, args)
        window.capture_loaded.connect(shot.prepare)
        window.load_failed.connect(lambda message: shot.fail(message.splitlines()[0]) if shot else None)
        if capture is None:
            QTimer.singleShot(0, shot.prepare)
    if capture is not None:
        window.open_file(capture)
    status = app.exec()
    switch.window.close()  # the crafter's lab servers and connections end with the window
    return shot.status if shot is not None and shot.status else status


if __name__ == "__main__":
    sys.exit(main())
