"""GUI tests draw offscreen: no display is needed, and screenshots still work."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


import pytest


@pytest.fixture
def exposed_window(qtbot, tmp_path):
    """A main window with its settings in the test's folder, shown, exposed and active."""
    from tests.ui.windows import new_window

    window = new_window(qtbot, tmp_path / "settings.ini")
    qtbot.waitExposed(window)
    window.activateWindow()
    return window
