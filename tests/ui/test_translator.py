"""A translation installed through ui.i18n reaches the window: menus, column titles and pane texts.

The translation is a real Qt message file, compiled from a tiny .ts by the lrelease that ships with
PySide6. Where a PySide6 build lacks lrelease, the same function installs a QTranslator subclass that
answers from a dict, so the test still runs the whole path from install_translator to the widgets.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path
from xml.sax.saxutils import escape

import PySide6
import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QSettings, QTranslator

from inspector.ui.i18n import FILE_PREFIX, install_translator
from inspector.ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
ECHO = ROOT / "resources" / "captures" / "websockets-echo.pcapng"
LRELEASE = Path(PySide6.__file__).parent / "lrelease"
GERMAN = QLocale(QLocale.Language.German, QLocale.Country.Germany)
# context -> {source: translation}
MESSAGES = {
    "MainWindow": {"&Go": "&Gehe zu", "No capture open": "Kein Mitschnitt offen"},
    "FramesModel": {"Time": "Zeit", "C → S": "K → S"},
    "ExplanationPane": {"Value: {0}": "Wert: {0}"},
}


class DictTranslator(QTranslator):
    def translate(self, context: str, source: str, disambiguation: str | None = None, n: int = -1) -> str | None:
        return MESSAGES.get(context, {}).get(source)  # None: no translation, Qt keeps the source text

    def isEmpty(self) -> bool:
        return False


def _write_qm(folder: Path) -> None:
    contexts = "".join(
        f"<context><name>{context}</name>"
        + "".join(f"<message><source>{escape(s)}</source><translation>{escape(t)}</translation></message>"
                  for s, t in texts.items())
        + "</context>"
        for context, texts in MESSAGES.items()
    )
    ts = folder / f"{FILE_PREFIX}_de_DE.ts"
    ts.write_text(f'<?xml version="1.0" encoding="utf-8"?><!DOCTYPE TS><TS version="2.1" language="de_DE">'
                  f"{contexts}</TS>", encoding="utf-8")
    subprocess.run([str(LRELEASE), str(ts), "-qm", str(ts.with_suffix(".qm"))], check=True, capture_output=True)


@pytest.fixture
def german(qapp, tmp_path: Path) -> Iterator[QTranslator]:
    if LRELEASE.exists():
        _write_qm(tmp_path)
        translator = install_translator(qapp, GERMAN, tmp_path)
    else:
        print(f"no lrelease at {LRELEASE}: installing a QTranslator subclass instead of a .qm")
        translator = install_translator(qapp, GERMAN, tmp_path, DictTranslator(qapp))
    assert translator is not None
    yield translator
    QCoreApplication.removeTranslator(translator)


def test_a_missing_translation_is_normal(qapp, tmp_path: Path) -> None:
    assert install_translator(qapp, GERMAN, tmp_path) is None
    assert install_translator(qapp, GERMAN, tmp_path / "no such folder") is None
    assert install_translator(qapp, GERMAN) is None  # only zh_CN ships


def test_the_installed_translation_shows_in_the_window(qtbot, german: QTranslator, tmp_path: Path) -> None:
    window = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    assert "&Gehe zu" in [action.text() for action in window.menuBar().actions()]
    assert window.status_label.text() == "Kein Mitschnitt offen"
    with qtbot.waitSignal(window.capture_loaded, timeout=20_000):
        window.open_file(str(ECHO))
    assert window.frames_model.headerData(1, PySide6.QtCore.Qt.Orientation.Horizontal) == "Zeit"
    assert window.frames_model.index(0, 2).data() == "K → S"
    assert "\nWert: Text frame, 5 bytes\n" in window.explanation_pane.toPlainText()
    # what has no translation stays English
    assert window.frames_model.headerData(3, PySide6.QtCore.Qt.Orientation.Horizontal) == "Opcode"
    assert "&Help" in [action.text() for action in window.menuBar().actions()]
