"""Start the window: `websocket-inspector [CAPTURE] [--screenshot PNG]`.

With no capture named, it opens the bundled sample so a newcomer sees real traffic at once.
`--screenshot` loads the capture, saves a picture of the window and quits (for docs and checks).
"""

from __future__ import annotations

import argparse
import faulthandler
import sys
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QTimer
from PySide6.QtWidgets import QApplication

from .. import resources
from .i18n import install_translator
from .main_window import APP_NAME, MainWindow

ORGANIZATION = "WebSocket Inspector"
SAMPLE_CAPTURE = resources.sample_capture()


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="websocket-inspector", description=f"{APP_NAME}: the window.")
    parser.add_argument("capture", nargs="?", help="a pcap or pcapng file (default: the bundled sample)")
    parser.add_argument("--screenshot", metavar="PNG", help="save a picture of the window once loaded, then quit")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    if sys.stderr is not None:  # a GUI launcher may start us without one
        # A crash inside Qt then still prints the Python stack that led to it (and a bug report can quote it).
        faulthandler.enable()
    args = parse_args(sys.argv[1:] if argv is None else argv)
    QCoreApplication.setOrganizationName(ORGANIZATION)
    QCoreApplication.setApplicationName(APP_NAME)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    install_translator(app)  # before the window: its texts are translated as they are built
    window = MainWindow()
    window.show()
    capture = args.capture or (str(SAMPLE_CAPTURE) if SAMPLE_CAPTURE.exists() else None)
    if args.screenshot:
        def save_and_quit(*_: object) -> None:
            # Let the views lay out their rows before the picture is taken.
            QTimer.singleShot(300, lambda: (window.grab().save(args.screenshot), app.quit()))

        window.capture_loaded.connect(save_and_quit)
        window.load_failed.connect(save_and_quit)
        if capture is None:
            QTimer.singleShot(300, save_and_quit)
    if capture is not None:
        window.open_file(capture)
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
