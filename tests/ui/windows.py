"""A main window for a test: its settings in a file of the test's own, shown, and closed by qtbot at the end."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings

from inspector.ui.main_window import MainWindow


def new_window(qtbot, settings_file: Path) -> MainWindow:
    window = MainWindow(QSettings(str(settings_file), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    return window


def open_and_wait(qtbot, window: MainWindow, path: Path) -> None:
    """Open the capture at `path` and return once the window has loaded it whole."""
    with qtbot.waitSignal(window.capture_loaded, timeout=20_000):
        window.open_file(str(path))
