"""Crafter tests draw offscreen and keep their settings and user templates in a temporary directory."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings

from inspector.ui.crafter.crafter import CrafterWidget


@pytest.fixture
def crafter(qtbot, tmp_path, monkeypatch) -> Iterator[CrafterWidget]:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    widget = CrafterWidget(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    yield widget
    widget.shutdown()
