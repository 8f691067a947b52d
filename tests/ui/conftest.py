"""GUI tests draw offscreen: no display is needed, and screenshots still work."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


import pytest


@pytest.fixture
def exposed_window(qtbot, tmp_path):
    """A main window with its settings in the test's folder, shown, exposed and active."""
    from PySide6.QtCore import QSettings

    from inspector.ui.main_window import MainWindow

    window = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    return window
