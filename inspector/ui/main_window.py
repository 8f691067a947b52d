"""The main window: connections, their frames, the selected frame's bit-level tree and its bytes.

    ┌ connections ──────┐┌ frames of the selected connection ─────────────────────┐
    │                   ││                                                         │
    ├ handshake ────────┤├ field tree ───────────┬ hex + bits ─────────────────────┤
    │ key → accept, …   ││ explanation of field  │                                 │
    └───────────────────┘└───────────────────────┴─────────────────────────────────┘
"""

from __future__ import annotations

import os

from PySide6.QtCore import QByteArray, QSettings, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSplitter,
    QWidget,
)

from ..errors import truncated_capture
from ..session.store import SessionStore
from .loader import PROGRESS_STEPS, CaptureLoader
from .panes.connections import ConnectionsPane
from .panes.explanation import ExplanationPane
from .panes.fields import FieldsPane
from .panes.frames import FramesPane
from .panes.handshake import HandshakePane
from .panes.hex import HexPane
from .session_model import SessionModel

APP_NAME = "WebSocket Inspector"
MAX_RECENT_FILES = 10
DEFAULT_WIDTH, DEFAULT_HEIGHT = 1280, 800  # made smaller to fit a smaller screen
SCREEN_SHARE = 0.8  # on a larger screen, open at this share of it
PROGRESS_WIDTH = 220


class MainWindow(QMainWindow):
    """Arranges the panes around one SessionModel; menus, status bar, layout memory and loading live here."""

    capture_loaded = Signal(str)  # path; emitted once the store is shown
    load_failed = Signal(str)

    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self.settings = settings if settings is not None else QSettings()
        self.current_path: str | None = None
        self.error_box: QMessageBox | None = None
        self.notice_box: QMessageBox | None = None  # the truncated-file warning, non-modal
        self.session = SessionModel(self)
        self.loader = CaptureLoader(self)

        self._build_panes()
        self._build_actions()
        self._build_status_bar()
        self._connect()
        self.setWindowTitle(APP_NAME)
        self._fit_screen()
        self._restore_layout()

    @property
    def store(self) -> SessionStore | None:
        return self.session.store

    # -- construction -----------------------------------------------------------------------

    def _build_panes(self) -> None:
        session = self.session
        self.connections_view = ConnectionsPane(session)
        self.frames_view = FramesPane(session)
        self.fields_view = FieldsPane(session)
        self.hex_view = HexPane(session)
        self.handshake_pane = HandshakePane(session)
        self.explanation_pane = ExplanationPane(session)
        # The item models, by the names the tests and older callers use.
        self.connections_model = self.connections_view.table_model
        self.frames_model = self.frames_view.table_model
        self.fields_model = self.fields_view.tree_model

        self.left_splitter = QSplitter(Qt.Orientation.Vertical)
        self.left_splitter.addWidget(self.connections_view)
        self.left_splitter.addWidget(self.handshake_pane)
        self.detail_splitter = QSplitter(Qt.Orientation.Vertical)
        self.detail_splitter.addWidget(self.fields_view)
        self.detail_splitter.addWidget(self.explanation_pane)
        self.bottom_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.bottom_splitter.addWidget(self.detail_splitter)
        self.bottom_splitter.addWidget(self.hex_view)
        self.right_splitter = QSplitter(Qt.Orientation.Vertical)
        self.right_splitter.addWidget(self.frames_view)
        self.right_splitter.addWidget(self.bottom_splitter)
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.addWidget(self.left_splitter)
        self.main_splitter.addWidget(self.right_splitter)
        # Proportions for a 1280 x 800 window; the hex pane gets the width of a full 16-byte row.
        self.main_splitter.setSizes([452, 828])
        self.right_splitter.setSizes([300, 500])
        self.bottom_splitter.setSizes([325, 503])
        self.detail_splitter.setSizes([310, 190])
        self.left_splitter.setSizes([170, 630])
        self.setCentralWidget(self.main_splitter)

    def _fit_screen(self) -> None:
        """Open at the default size, at most the screen's free area, and larger on a large screen."""
        screen = self.screen()
        if screen is None:
            self.resize(DEFAULT_WIDTH, DEFAULT_HEIGHT)
            return
        room = screen.availableGeometry()
        width = min(max(DEFAULT_WIDTH, int(room.width() * SCREEN_SHARE)), room.width())
        height = min(max(DEFAULT_HEIGHT, int(room.height() * SCREEN_SHARE)), room.height())
        self.resize(width, height)

    def _build_actions(self) -> None:
        file_menu = self.menuBar().addMenu(self.tr("&File"))
        self.open_action = QAction(self.tr("&Open Capture…"), self, shortcut=QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self.choose_file)
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu(self.tr("Open &Recent"))
        file_menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        go_menu = self.menuBar().addMenu(self.tr("&Go"))
        self.next_action = QAction(self.tr("&Next Frame"), self, shortcut=QKeySequence(Qt.Key.Key_F8))
        self.next_action.triggered.connect(lambda: self.step_frame(1))
        self.previous_action = QAction(self.tr("&Previous Frame"), self, shortcut=QKeySequence(Qt.Key.Key_F7))
        self.previous_action.triggered.connect(lambda: self.step_frame(-1))
        go_menu.addActions([self.next_action, self.previous_action])

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        about = QAction(self.tr("&About"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)
        self._refresh_recent_menu()

    def _build_status_bar(self) -> None:
        self.status_label = QLabel(self.tr("No capture open"))
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, PROGRESS_STEPS)
        self.progress_bar.setMaximumWidth(PROGRESS_WIDTH)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.loader.cancel)
        bar = self.statusBar()
        bar.addWidget(self.status_label, 1)
        bar.addPermanentWidget(self.progress_bar)
        bar.addPermanentWidget(self.cancel_button)
        self._set_busy(False)

    def _connect(self) -> None:
        self.loader.progressed.connect(self.progress_bar.setValue)
        self.loader.started.connect(self.session.begin_store)  # the first rows show while the rest is read
        self.loader.grew.connect(self.session.grow)
        self.loader.loaded.connect(self._on_loaded)
        self.loader.failed.connect(self._on_failed)
        self.loader.cancelled.connect(self.session.restore_previous)
        self.loader.failed.connect(self.session.restore_previous)
        self.loader.cancelled.connect(lambda: self.status_label.setText(self.tr("Loading cancelled")))
        self.loader.busy_changed.connect(self._set_busy)

    # -- opening files ----------------------------------------------------------------------

    def choose_file(self) -> None:
        start = os.path.dirname(self.current_path) if self.current_path else ""
        kinds = self.tr("Captures (*.pcap *.pcapng *.cap);;All files (*)")
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open Capture"), start, kinds)
        if path:
            self.open_file(path)

    def open_file(self, path: str) -> None:
        self.current_path = path
        self.status_label.setText(self.tr("Loading {0}…").format(os.path.basename(path)))
        self.loader.load(path)

    @Slot(object)
    def _on_loaded(self, store: SessionStore) -> None:
        self._remember_recent(store.source)
        name = os.path.basename(store.source)
        self.setWindowTitle(self.tr("{0} — {1}").format(name, APP_NAME))
        status = self.tr("{0}: {1} packets, {2} WebSocket connection(s), {3} frames").format(
            name, store.packets, len(store.connections), store.frame_count)
        if store.truncated:
            warning = truncated_capture(store.source, store.packets)
            status += self.tr(" · warning: {0}").format(warning)
            self._show_notice(warning)
        self.status_label.setText(status)
        self.session.set_store(store)
        self.capture_loaded.emit(store.source)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.status_label.setText(message)
        box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, self.tr("The capture could not be opened."),
                          parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText(message)
        self.error_box = box
        box.open()
        self.load_failed.emit(message)

    def _show_notice(self, message: str) -> None:
        """A warning that does not block the window: the capture is open and usable behind it."""
        box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, message, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setWindowModality(Qt.WindowModality.NonModal)
        self.notice_box = box
        box.show()

    @Slot(bool)
    def _set_busy(self, busy: bool) -> None:
        self.progress_bar.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.progress_bar.setValue(0)

    def _remember_recent(self, path: str) -> None:
        path = os.path.abspath(path)
        recent = [p for p in self.recent_files() if p != path]
        self.settings.setValue("recentFiles", [path, *recent][:MAX_RECENT_FILES])
        self._refresh_recent_menu()

    def recent_files(self) -> list[str]:
        value = self.settings.value("recentFiles", [])
        if isinstance(value, str):  # QSettings returns a lone string for a one-item list on some backends
            value = [value]
        return [str(p) for p in value or []]

    def _refresh_recent_menu(self) -> None:
        self.recent_menu.clear()
        for path in self.recent_files():
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _checked=False, p=path: self.open_file(p))
        self.recent_menu.setEnabled(bool(self.recent_files()))

    def step_frame(self, delta: int) -> None:
        self.session.step_frame(delta)

    def _about(self) -> None:
        title = self.tr("About {0}").format(APP_NAME)
        box = QMessageBox(QMessageBox.Icon.Information, title, APP_NAME, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText(self.tr("See RFC 6455 WebSocket traffic down to the bit."))
        box.open()

    # -- layout memory -----------------------------------------------------------------------

    def _splitters(self) -> dict[str, QSplitter]:
        return {
            "main": self.main_splitter,
            "left": self.left_splitter,
            "right": self.right_splitter,
            "bottom": self.bottom_splitter,
            "detail": self.detail_splitter,
        }

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        for name, splitter in self._splitters().items():
            state = self.settings.value(f"window/splitter/{name}")
            if isinstance(state, QByteArray):
                splitter.restoreState(state)

    def save_layout(self) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        for name, splitter in self._splitters().items():
            self.settings.setValue(f"window/splitter/{name}", splitter.saveState())

    def closeEvent(self, event: object) -> None:  # Qt's name
        self.loader.cancel()
        self.loader.wait()
        self.save_layout()
        super().closeEvent(event)  # type: ignore[arg-type]

    def central(self) -> QWidget:
        return self.main_splitter

