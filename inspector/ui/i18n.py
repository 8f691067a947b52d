"""The window's language: a Qt translation installed before any widget is built, and the teaching texts with it.

The translations are compiled Qt message files named `inspector_<locale>.qm` (inspector_zh_CN.qm)
in the packaged resources' translations folder, beside the .ts they are built from. Every
user-visible string in ui/ goes through tr() or QCoreApplication.translate. The teaching texts of
the protocol core (protocol/teaching.py, Qt-free) are in the same .ts under the context "teaching",
the English text as the source and the catalogue key as the disambiguation; `use_language` hands
their translations to teaching.use_catalogue, so the field and rule explanations follow the window.

The language comes from `--lang`, else the choice remembered in QSettings ("language"), else the
system locale when a translation for it ships, else English (the sources' language).
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QSettings, QTranslator

from .. import resources
from ..protocol import teaching

FILE_PREFIX = "inspector"
QT_FILE_PREFIX = "qtbase"  # Qt's own texts (dialog buttons, file dialogs, edit menus), shipped with PySide6
PREFIX_SEPARATOR = "_"
TEACHING_CONTEXT: Final = "teaching"
ENGLISH: Final = "en"
# Each language by its own name, so a reader finds theirs whatever the window speaks now.
LANGUAGES: Final[dict[str, str]] = {ENGLISH: "English", "zh_CN": "中文"}
SETTING: Final = "language"


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


def teaching_catalogue() -> dict[str, str]:
    """The teaching texts the installed translators have, by catalogue key (English ones are left out)."""
    found = {}
    for key in teaching.all_keys():
        english = teaching.english_text(key)
        translated = QCoreApplication.translate(TEACHING_CONTEXT, english, key)
        if translated != english:
            found[key] = translated
    return found


def system_language(locale: QLocale | None = None) -> str:
    """The shipped language closest to `locale` (the system's): its full name, else its language alone."""
    name = (locale or QLocale.system()).name()  # e.g. zh_CN
    if name in LANGUAGES:
        return name
    language = name.split("_")[0]
    return next((code for code in LANGUAGES if code.split("_")[0] == language), ENGLISH)


def chosen_language(settings: QSettings, requested: str | None = None, locale: QLocale | None = None) -> str:
    """`requested` (--lang), else the remembered choice, else the system's language when one ships."""
    if requested in LANGUAGES:
        return requested
    remembered = settings.value(SETTING)
    if isinstance(remembered, str) and remembered in LANGUAGES:
        return remembered
    return system_language(locale)


class Translation:
    """The one translator the window's language installs; `use_language` swaps it (and the teaching texts)."""

    def __init__(self, app: QCoreApplication, folder: Path | None = None) -> None:
        self.app = app
        self.folder = folder if folder is not None else resources.translations_path()
        self.translators: list[QTranslator] = []
        self.language = ENGLISH

    def use_language(self, code: str) -> None:
        """Install `code`'s translation (English: none); a language without a file is a ValueError."""
        if code not in LANGUAGES:
            raise ValueError(f"no translation for {code!r} (one of: {', '.join(LANGUAGES)})")
        translators = []
        if code != ENGLISH:
            ours = QTranslator(self.app)
            if not ours.load(f"{FILE_PREFIX}{PREFIX_SEPARATOR}{code}", str(self.folder)):
                raise ValueError(f"the {code} translation is missing from {self.folder}")
            translators.append(ours)
            qt = QTranslator(self.app)
            qt_folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            if qt.load(f"{QT_FILE_PREFIX}{PREFIX_SEPARATOR}{code}", qt_folder):  # a Qt without it: buttons stay English
                translators.append(qt)
        for old in self.translators:
            QCoreApplication.removeTranslator(old)
        self.translators = translators
        for translator in translators:
            QCoreApplication.installTranslator(translator)
        self.language = code
        teaching.use_catalogue(teaching_catalogue())
