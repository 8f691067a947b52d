"""The window's language: a Qt translation for the system locale, installed before any widget is built.

The translations are compiled Qt message files named `inspector_<locale>.qm` (inspector_zh_CN.qm)
in the packaged resources' translations folder. None ships yet, so finding none is the normal case
and the window stays in English. Every user-visible string in ui/ goes through tr() or
QCoreApplication.translate, so a new .qm is all a language needs; the teaching texts of the core
have their own seam (protocol.teaching.use_catalogue).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from .. import resources

FILE_PREFIX = "inspector"
PREFIX_SEPARATOR = "_"


def install_translator(
    app: QCoreApplication,
    locale: QLocale | None = None,
    folder: Path | None = None,
    translator: QTranslator | None = None,
) -> QTranslator | None:
    """Install the translation for `locale` (the system's) from `folder` (the packaged translations).

    Returns the installed translator, or None when there is no translation for the locale. A given
    `translator` that holds its messages already (one that was loaded before, or that translates in
    code) is installed as it is when no file is found."""
    translator = translator if translator is not None else QTranslator(app)
    where = folder if folder is not None else resources.translations_path()
    wanted = locale if locale is not None else QLocale.system()
    loaded = where.is_dir() and translator.load(wanted, FILE_PREFIX, PREFIX_SEPARATOR, str(where))
    if not loaded and translator.isEmpty():
        return None
    app.installTranslator(translator)
    return translator
