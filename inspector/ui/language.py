"""View → Language: switch the window's language at once, and remember the choice.

A switch rebuilds the window rather than retranslating it in place: every text is then set by the
same code that sets it at start-up (the panes fill many of theirs from data as they draw), so no
pane needs a retranslate method of its own and none can be missed. What the reader was looking at
carries over: the open capture (the loaded session itself, not a reload), the selected frame, the
front tabs, the window's geometry and splitters, and an open Handshake Calculator. The crafter's
live connection and lab server end, as when the window closes (its templates and recent URLs are
kept in QSettings).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QSettings, Signal
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QMenu

from ..session.store import SessionStore
from .i18n import LANGUAGES, SETTING, Translation
from .main_window import MainWindow

WindowFactory = Callable[[QSettings], MainWindow]


class LanguageSwitch(QObject):
    """Owns the window and the translation; `switch(code)` puts a window in that language in its place."""

    window_replaced = Signal(object)  # the new MainWindow

    def __init__(self, translation: Translation, settings: QSettings,
                 factory: WindowFactory = MainWindow) -> None:
        super().__init__()
        self.translation, self.settings, self.factory = translation, settings, factory
        self.loaded: SessionStore | None = None  # the window's store once read whole; None while one loads
        self.window = self._build()

    @property
    def language(self) -> str:
        return self.translation.language

    def _build(self) -> MainWindow:
        window = self.factory(self.settings)
        window.loader.started.connect(self._forget_loaded)
        window.loader.loaded.connect(self._remember_loaded)
        self.add_menu(window)
        return window

    def _forget_loaded(self, *_: object) -> None:
        self.loaded = None

    def _remember_loaded(self, store: SessionStore) -> None:
        self.loaded = store

    def add_menu(self, window: MainWindow) -> QMenu:
        """View → Language, one checkable entry per language, placed before Help."""
        view = QMenu(self.tr("&View"), window)
        languages = view.addMenu(self.tr("&Language"))
        group = QActionGroup(languages)
        self.actions: dict[str, QAction] = {}
        for code, name in LANGUAGES.items():
            action = QAction(name, languages, checkable=True, checked=code == self.language)
            action.triggered.connect(lambda _checked=False, c=code: self.switch(c))
            group.addAction(action)
            languages.addAction(action)
            self.actions[code] = action
        bar = window.menuBar()
        help_menu = next((a for a in bar.actions() if a.menu() and window.calculator_action in a.menu().actions()),
                         None)
        bar.insertMenu(help_menu, view) if help_menu is not None else bar.addMenu(view)
        return view

    def switch(self, code: str) -> MainWindow:
        """Show the window in language `code` now, with what the old one showed, and remember the choice."""
        self.settings.setValue(SETTING, code)
        if code == self.language:
            return self.window
        old = self.window
        old.save_layout()  # the new window restores geometry and splitters from the settings
        self.translation.use_language(code)
        new = self._build()
        self._carry_over(old, new)
        new.show()
        self.window = new
        old.close()
        old.deleteLater()
        self.window_replaced.emit(new)
        return new

    def _carry_over(self, old: MainWindow, new: MainWindow) -> None:
        if old.isMaximized():
            new.setWindowState(old.windowState())
        if old.store is not None and old.store is not self.loaded and old.current_path:
            new.open_file(old.current_path)  # still loading: start again in the new window
        elif old.store is not None:
            new.current_path = old.current_path
            new._on_loaded(old.store)  # the session as loaded: status line, title and panes, no second read
            if old.session.position >= 0:
                new.session.select_position(old.session.position)
        new.main_tabs.setCurrentIndex(old.main_tabs.currentIndex())
        new.detail_tabs.setCurrentIndex(old.detail_tabs.currentIndex())
        if old.calculator is not None and old.calculator.isVisible():
            new.show_calculator()
