"""The window in Chinese: the translation covers every string, is built, starts, draws, fits, and switches at once.

The .ts is compared with a fresh extraction by tests/tools/translations.py (PySide6's lupdate over
inspector/ui plus the teaching catalogue), so a string added anywhere in ui/ or teaching.py without
a translation fails here by name, with the command that lists it for translating.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale, QSettings, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QFontMetrics, QImage, QPainter
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QHeaderView,
    QLabel,
    QStyle,
    QTabBar,
    QWidget,
)

from inspector.protocol import teaching
from inspector.ui.crafter.connect_dialog import ConnectDialog
from inspector.ui.i18n import ENGLISH, SETTING, Translation, chosen_language, system_language, teaching_catalogue
from inspector.ui.language import LanguageSwitch
from tests.tools import translations as tool

ROOT = Path(__file__).resolve().parents[2]
ECHO = ROOT / "resources" / "captures" / "websockets-echo.pcapng"
CHINESE = "zh_CN"
WIDTH, HEIGHT = 1280, 800
UPDATE = ".venv/bin/python -m tests.tools.translations"
PLACEHOLDER_CHARS = "{}&"  # format fields and mnemonics must survive a translation


@pytest.fixture(scope="module")
def committed() -> ET.ElementTree:
    return ET.parse(tool.TS_FILE)


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> ET.ElementTree:
    return tool.extract(tmp_path_factory.mktemp("ts") / "fresh.ts")


@pytest.fixture
def translation(qapp) -> Iterator[Translation]:
    """The app's translation; English again afterwards, for the tests that follow."""
    translation = Translation(qapp)
    yield translation
    translation.use_language(ENGLISH)


def _settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


# -- (a) every string has a translation, and the built file is current --------------------------------------


def test_every_string_of_the_ui_and_the_teaching_catalogue_is_translated(fresh, committed) -> None:
    have = tool.translations(committed)
    wanted = [key for key, _ in tool.messages(fresh)]
    assert len(wanted) > 400  # the extraction saw the panes, the crafter and the catalogue
    untranslated = [key for key in wanted if key not in have]
    assert not untranslated, (
        f"{len(untranslated)} message(s) without a zh_CN translation (run `{UPDATE} update`, then "
        f"`{UPDATE} missing todo.json`, translate, `{UPDATE} fill todo.json`):\n{tool.describe(untranslated)}")
    stale = sorted(set(have) - set(wanted))
    assert not stale, f"the .ts holds messages the sources no longer have (run `{UPDATE} update`):\n" + tool.describe(
        stale)


def test_translations_keep_the_format_fields_and_mnemonics(committed) -> None:
    broken = []
    for (context, source, comment), text in tool.translations(committed).items():
        for char in PLACEHOLDER_CHARS:
            if source.count(char) != text.count(char):
                broken.append((context, source, comment))
        fields = sorted(part.split("}")[0] for part in source.split("{")[1:])
        if fields != sorted(part.split("}")[0] for part in text.split("{")[1:]):
            broken.append((context, source, comment))
    assert not broken, "translations that lost or gained a {field} or an &:\n" + tool.describe(broken)


def test_the_committed_qm_is_built_from_the_committed_ts() -> None:
    with tempfile.TemporaryDirectory() as folder:
        rebuilt = Path(folder) / "rebuilt.qm"
        tool.release(tool.TS_FILE, rebuilt)
        assert rebuilt.read_bytes() == tool.QM_FILE.read_bytes(), f"stale .qm: run `{UPDATE} release`"


def test_the_teaching_catalogue_follows_the_language(translation: Translation, committed) -> None:
    translation.use_language(CHINESE)
    catalogue = teaching_catalogue()
    same_in_chinese = {comment for (context, source, comment), text in tool.translations(committed).items()
                       if context == tool.TEACHING_CONTEXT and text == source}
    assert set(teaching.all_keys()) - set(catalogue) == same_in_chinese  # e.g. "RFC 6455 §5.2" reads the same
    assert "掩码" in teaching.field_text("websocket.mask")
    assert teaching.text("rule:unmasked-client-frame") == "客户端发送的每个帧都必须加掩码"
    assert teaching.text("meaning:bytes", count=5) == "5 字节"
    translation.use_language(ENGLISH)
    assert teaching.text("rule:unmasked-client-frame") == "a client must mask every frame it sends"


# -- (b) it starts in Chinese and the glyphs are drawn ------------------------------------------------------


def test_a_cjk_font_draws_chinese(qapp) -> None:
    families = QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese)
    assert families, "no font with Chinese glyphs: install fonts-wqy-microhei or fonts-noto-cjk (.ci/install-system)"

    def drawn(char: str) -> QImage:
        image = QImage(40, 40, QImage.Format.Format_RGB32)
        image.fill(QColor("white"))
        painter = QPainter(image)
        painter.setFont(QFont(QApplication.font().family(), 20))
        painter.drawText(4, 30, char)
        painter.end()
        return image

    # Two missing glyphs draw the same empty box; two real ones differ.
    assert drawn("文") != drawn("件")


def test_the_system_locale_or_the_remembered_choice_picks_the_language(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    assert system_language(QLocale("zh_CN")) == CHINESE
    assert system_language(QLocale("de_DE")) == ENGLISH
    assert chosen_language(settings, locale=QLocale("zh_CN")) == CHINESE
    settings.setValue(SETTING, ENGLISH)
    assert chosen_language(settings, locale=QLocale("zh_CN")) == ENGLISH
    assert chosen_language(settings, CHINESE, QLocale("de_DE")) == CHINESE  # --lang wins


def _run_window(tmp_path: Path, out: Path, *args: str, lang: str = "C.UTF-8") -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "HOME": str(tmp_path), "LANG": lang}
    env.pop("LC_ALL", None)
    env.pop("LC_MESSAGES", None)
    done = subprocess.run([sys.executable, "-m", "inspector.ui.app", str(ECHO), "--screenshot", str(out),
                           "--size", f"{WIDTH}x{HEIGHT}", *args], capture_output=True, text=True, timeout=120, env=env)
    assert done.returncode == 0, done.stderr


def test_the_window_starts_in_chinese_from_the_system_locale_and_from_lang(tmp_path: Path) -> None:
    english, from_locale, from_option = tmp_path / "en.png", tmp_path / "zh-locale.png", tmp_path / "zh-option.png"
    _run_window(tmp_path, english)
    _run_window(tmp_path, from_locale, lang="zh_CN.UTF-8")
    _run_window(tmp_path, from_option, "--lang", CHINESE)
    menu_bar = (0, 0, WIDTH, 24)
    pictures = [QImage(str(path)).copy(*menu_bar) for path in (english, from_locale, from_option)]
    assert pictures[0] != pictures[1]  # the menu titles changed
    assert pictures[1] == pictures[2]  # to the same Chinese either way


def test_the_window_in_chinese_has_chinese_menus_and_panes(qtbot, translation: Translation, tmp_path: Path) -> None:
    translation.use_language(CHINESE)
    window = LanguageSwitch(translation, _settings(tmp_path)).window
    qtbot.addWidget(window)
    titles = [action.text() for action in window.menuBar().actions()]
    assert titles[:3] == ["文件(&F)", "编辑(&E)", "工具(&T)"]
    assert "视图(&V)" in titles
    assert window.status_label.text() == "未打开抓包文件"
    with qtbot.waitSignal(window.capture_loaded, timeout=20_000):
        window.open_file(str(ECHO))
    window.session.select_session_frame(0)
    assert window.frames_model.headerData(3, Qt.Orientation.Horizontal) == "操作码"
    assert window.session.select_field_named("websocket.mask")
    assert "掩码" in window.explanation_pane.toPlainText()


# -- (c) nothing overflows at 1280 x 800 ---------------------------------------------------------------------


def _text_width(metrics: QFontMetrics, text: str) -> int:
    return max((metrics.horizontalAdvance(line) for line in text.replace("&&", "&").split("\n")), default=0)


def overflows(root: QWidget) -> list[str]:
    """Every visible text under `root` that is wider than the room its widget gives it."""
    found = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) or widget.width() <= 1:
            continue
        name = type(widget).__name__
        metrics = widget.fontMetrics()
        if isinstance(widget, QLabel) and not widget.wordWrap() and widget.text() and widget.pixmap().isNull():
            if widget.textFormat() != Qt.TextFormat.RichText:
                needed, room = _text_width(metrics, widget.text().replace("&", "")), widget.contentsRect().width()
                if needed > room:
                    found.append(f"{name} {widget.text()!r}: needs {needed} px, has {room}")
        elif isinstance(widget, (QAbstractButton, QAbstractSpinBox)) and widget.sizeHint().width() > widget.width():
            found.append(f"{name} {widget.text()!r}: needs {widget.sizeHint().width()} px, has {widget.width()}")
        elif isinstance(widget, QComboBox) and widget.currentText():
            room = widget.style().subControlRect(
                widget.style().ComplexControl.CC_ComboBox, _combo_option(widget),
                widget.style().SubControl.SC_ComboBoxEditField, widget).width()
            if metrics.horizontalAdvance(widget.currentText()) > room:
                found.append(f"{name} {widget.currentText()!r}: needs "
                             f"{metrics.horizontalAdvance(widget.currentText())} px, has {room}")
        elif isinstance(widget, QTabBar):
            for index in range(widget.count()):
                needed = _text_width(metrics, widget.tabText(index).replace("&", ""))
                room = widget.tabRect(index).width()
                if needed > room:
                    found.append(f"tab {widget.tabText(index)!r}: needs {needed} px, has {room}")
        elif isinstance(widget, QHeaderView) and widget.orientation() == Qt.Orientation.Horizontal and widget.model():
            if widget.highlightSections():  # the current column's title is drawn in bold
                bold = QFont(widget.font())
                bold.setBold(True)
                metrics = QFontMetrics(bold)
            margins = 2 * widget.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, widget)
            for section in range(widget.count()):
                if widget.isSectionHidden(section):
                    continue
                title = str(widget.model().headerData(section, Qt.Orientation.Horizontal) or "")
                needed, room = _text_width(metrics, title) + margins, widget.sectionSize(section)
                if needed > room:
                    found.append(f"column {title!r}: needs {needed} px, has {room}")
    return found


def _combo_option(combo: QComboBox):
    from PySide6.QtWidgets import QStyleOptionComboBox

    option = QStyleOptionComboBox()
    option.initFrom(combo)
    option.editable = combo.isEditable()
    return option


def _chinese_window(qtbot, translation: Translation, tmp_path: Path):
    translation.use_language(CHINESE)
    window = LanguageSwitch(translation, _settings(tmp_path)).window
    qtbot.addWidget(window)
    window.resize(WIDTH, HEIGHT)
    window.show()
    with qtbot.waitSignal(window.capture_loaded, timeout=20_000):
        window.open_file(str(ECHO))
    window.session.select_session_frame(0)
    return window


def test_nothing_overflows_in_chinese_at_1280x800(qtbot, translation: Translation, tmp_path: Path) -> None:
    window = _chinese_window(qtbot, translation, tmp_path)
    found = []
    for pane in sorted(window.panes):
        window.show_pane(pane)
        qtbot.wait(10)
        found += [f"{pane}: {problem}" for problem in overflows(window)]
    for tab in range(window.crafter.left_tabs.count()):
        window.show_crafter()
        window.crafter.left_tabs.setCurrentIndex(tab)
        qtbot.wait(10)
        found += [f"crafter tab {tab}: {problem}" for problem in overflows(window)]
    assert not found, "\n".join(sorted(set(found)))


def test_the_dialogs_fit_in_chinese(qtbot, translation: Translation, tmp_path: Path) -> None:
    window = _chinese_window(qtbot, translation, tmp_path)
    calculator = window.show_calculator()
    found = []
    for tab in range(calculator.tabs.count()):
        calculator.tabs.setCurrentIndex(tab)
        qtbot.wait(10)
        found += [f"calculator: {problem}" for problem in overflows(calculator)]
    calculator.close()
    dialog = ConnectDialog(window.crafter.settings, window.crafter.start_lab, window)
    dialog.show()  # as Tools → Connect opens it, without the modal exec()
    qtbot.wait(10)
    found += [f"connect dialog: {problem}" for problem in overflows(dialog)]
    dialog.close()
    assert not found, "\n".join(found)


# -- (d) the switch applies at once and is remembered --------------------------------------------------------


def test_the_language_switch_applies_at_once_and_is_remembered(qtbot, translation: Translation,
                                                                tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    switch = LanguageSwitch(translation, settings)
    window = switch.window
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitSignal(window.capture_loaded, timeout=20_000):
        window.open_file(str(ECHO))
    window.session.select_session_frame(2)
    window.show_pane("masking")
    position, store = window.session.position, window.store
    assert window.menuBar().actions()[0].text() == "&File"

    with qtbot.waitSignal(switch.window_replaced, timeout=5_000):
        switch.actions[CHINESE].trigger()
    chinese = switch.window
    qtbot.addWidget(chinese)
    assert chinese is not window and not window.isVisible() and chinese.isVisible()
    assert chinese.menuBar().actions()[0].text() == "文件(&F)"
    assert switch.actions[CHINESE].isChecked()
    assert chinese.store is store and chinese.session.position == position  # the same session, same frame
    assert chinese.detail_tabs.currentWidget() is chinese.masking_pane
    assert chinese.status_label.text().startswith("websockets-echo.pcapng：")
    assert settings.value(SETTING) == CHINESE

    assert chosen_language(settings) == CHINESE  # what the next start reads

    with qtbot.waitSignal(switch.window_replaced, timeout=5_000):
        switch.actions[ENGLISH].trigger()
    qtbot.addWidget(switch.window)
    assert switch.window.menuBar().actions()[0].text() == "&File"
    assert settings.value(SETTING) == ENGLISH
    assert teaching.text("rule:unmasked-client-frame") == "a client must mask every frame it sends"


def test_the_overflow_check_sees_a_cut_text(qtbot) -> None:
    from PySide6.QtWidgets import QPushButton, QTableWidget

    box = QWidget()
    qtbot.addWidget(box)
    button = QPushButton("一个放不下的很长的按钮文字", box)
    button.setGeometry(0, 0, 40, 24)
    label = QLabel("一个放不下的很长的标签文字", box)
    label.setGeometry(0, 30, 40, 20)
    table = QTableWidget(1, 1, box)
    table.setHorizontalHeaderLabels(["一个放不下的很长的列标题"])
    table.setGeometry(0, 60, 200, 100)
    table.setColumnWidth(0, 30)
    box.resize(300, 200)
    box.show()
    found = overflows(box)
    assert len(found) == 3, found


def test_the_cli_stays_english_and_says_where_the_translation_lives(capsys) -> None:
    from inspector import cli, resources

    with pytest.raises(SystemExit):
        cli.main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "View → Language" in text and "--lang zh_CN" in text
    for name in ("inspector_zh_CN.qm", "inspector_zh_CN.ts"):
        assert name in text
        assert (resources.translations_path() / name).is_file()  # where the package puts it, as the help says
