"""The main window: connections, their frames, the selected frame's bit-level tree and its bytes.

    [ Capture | Crafter ]
    [ capture.pcapng | 127.0.0.1:8765 (open) | … ]  session tabs, once the crafter connects (session_tabs.py)
    ┌ connections ──────┐┌ filter bar ─────────────────────────────────────────────┐
    │                   │├ frames of the selected connection ─────────────────────┤
    │                   │├ find bar (Ctrl+F) ──────────────────────────────────────┤
    ├ handshake ────────┤├ field tree ───────────┬ [Bytes|Masking|Diagram|Payload|  │
    │ key → accept, …   ││ explanation of field  │  Violations]                     │
    └───────────────────┘└───────────────────────┴─────────────────────────────────┘

`panes` maps a pane's name (as `--pane` takes it) to what brings it to the front; a new pane is one
entry there.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from PySide6.QtCore import QByteArray, QPoint, QSettings, Qt, Signal, Slot
from PySide6.QtGui import QAction, QDragEnterEvent, QDropEvent, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (
    QDockWidget,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMenu,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..capture.live import CaptureError, capture_permitted
from ..client.resend import ResendPlan
from ..errors import truncated_capture
from ..session.store import SessionStore
from . import export
from .calculator import CalculatorDialog
from .crafter.crafter import CrafterWidget
from .crafter.live import LiveSession
from .crafter.resend_dialog import ResendDialog
from .live_capture import LiveCapture
from .live_dialog import LiveCaptureDialog, privilege_box
from .loader import PROGRESS_STEPS, CaptureLoader
from .models import field_value
from .panes.connection_state import ConnectionStateStrip
from .panes.connections import ConnectionsPane
from .panes.explanation import ExplanationPane
from .panes.fields import FieldsPane
from .panes.filter_bar import FilterBar
from .panes.frames import FramesPane
from .panes.handshake import HandshakeComparison, HandshakePane
from .panes.hex import HexPane
from .panes.messages import MessagesPane
from .panes.playback import PlaybackBar
from .panes.search_bar import SearchBar
from .panes.teaching import DiagramPane, MaskingPane, PayloadPane, SessionViolationsPane
from .panes.timeline import TimelineStrip
from .session_model import SessionModel
from .session_tabs import SessionTabs
from .tour.panel import TourPanel

APP_NAME = "WebSocket Inspector"
MAX_RECENT_FILES = 10
DEFAULT_WIDTH, DEFAULT_HEIGHT = 1280, 800  # made smaller to fit a smaller screen
SCREEN_SHARE = 0.8  # on a larger screen, open at this share of it
PROGRESS_WIDTH = 220
TEMPLATES_TAB = 2  # the crafter's Templates tab


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
        self.calculator: CalculatorDialog | None = None  # Help → Handshake Calculator, built when first asked for
        self.resend_box: ResendDialog | None = None  # Tools → Resend, while open
        self.tour: TourPanel | None = None  # Help → Tour, built when first asked for
        self.session = SessionModel(self)
        self.loader = CaptureLoader(self)
        self.live_capture = LiveCapture(self)
        self.live_dialog: LiveCaptureDialog | None = None  # File → Capture Live, built when first asked for
        self._capturing_on = ""  # the interface of the live capture under way
        self.privilege_box: QMessageBox | None = None

        self._build_panes()
        self._build_teaching_tabs()
        self._build_crafter()
        self._build_actions()
        self._build_status_bar()
        self._connect()
        self._add_timeline()
        self._build_session_tabs()
        self._add_handshake_comparison()
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
        self.detail_tabs = QTabWidget()  # the bytes and the teaching panes share this corner
        self.detail_tabs.setDocumentMode(True)
        self.detail_tabs.addTab(self.hex_view, self.tr("Bytes"))
        self.bottom_splitter.addWidget(self.detail_tabs)
        self.filter_bar = FilterBar(session)
        self.search_bar = SearchBar(session)
        self.search_bar.hide()
        frames_area = QWidget()
        frames_layout = QVBoxLayout(frames_area)
        frames_layout.setContentsMargins(0, 0, 0, 0)
        frames_layout.setSpacing(2)
        frames_layout.addWidget(self.filter_bar)
        frames_layout.addWidget(self.frames_view, 1)
        frames_layout.addWidget(self.search_bar)
        self.right_splitter = QSplitter(Qt.Orientation.Vertical)
        self.right_splitter.addWidget(frames_area)
        self.right_splitter.addWidget(self.bottom_splitter)
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.main_splitter.addWidget(self.left_splitter)
        self.main_splitter.addWidget(self.right_splitter)
        # Proportions for a 1280 x 800 window; the hex pane gets the width of a full 16-byte row.
        self.main_splitter.setSizes([452, 828])
        self.main_tabs = QTabWidget()  # the capture being read, and the crafter
        self.main_tabs.setDocumentMode(True)
        self.main_tabs.addTab(self.main_splitter, self.tr("Capture"))
        self.right_splitter.setSizes([300, 500])
        self.bottom_splitter.setSizes([325, 503])
        self.detail_splitter.setSizes([310, 190])
        self.left_splitter.setSizes([170, 630])
        self.setCentralWidget(self.main_tabs)
        self.setAcceptDrops(True)
        self.panes: dict[str, Callable[[], None]] = {
            "handshake": lambda: self.main_tabs.setCurrentWidget(self.capture_page),
            "bytes": self._tab_revealer(self.detail_tabs, self.hex_view),
        }

    def _tab_revealer(self, tabs: QTabWidget, widget: QWidget) -> Callable[[], None]:
        """What shows `widget`, a page of `tabs` inside the capture view."""
        def reveal() -> None:
            self.main_tabs.setCurrentWidget(self.capture_page)
            tabs.setCurrentWidget(widget)
        return reveal

    def add_detail_pane(self, name: str, widget: QWidget, title: str) -> None:
        """A pane as a tab beside the bytes, reachable by `name` (`--pane name`)."""
        self.detail_tabs.addTab(widget, title)
        self.panes[name] = self._tab_revealer(self.detail_tabs, widget)

    def _build_teaching_tabs(self) -> None:
        session = self.session
        self.masking_pane = MaskingPane(session)
        self.diagram_pane = DiagramPane(session)
        self.payload_pane = PayloadPane(session)
        self.violations_pane = SessionViolationsPane(session)
        self.add_detail_pane("masking", self.masking_pane, self.tr("Masking"))
        self.add_detail_pane("diagram", self.diagram_pane, self.tr("Diagram"))
        self.add_detail_pane("payload", self.payload_pane, self.tr("Payload"))
        self.add_detail_pane("violations", self.violations_pane, self.tr("Violations"))

    def _build_crafter(self) -> None:
        self.crafter = CrafterWidget(self.settings)
        self.main_tabs.addTab(self.crafter, self.tr("Crafter"))
        self.panes["crafter"] = self.show_crafter
        self.panes["templates"] = self.show_templates

    def show_pane(self, name: str) -> bool:
        """Bring pane `name` to the front (False: no pane has that name)."""
        reveal = self.panes.get(name)
        if reveal is None:
            return False
        reveal()
        return True

    def show_crafter(self) -> None:
        self.main_tabs.setCurrentWidget(self.crafter)
        self.crafter.left_tabs.setCurrentIndex(0)

    def show_templates(self) -> None:
        self.main_tabs.setCurrentWidget(self.crafter)
        self.crafter.left_tabs.setCurrentIndex(TEMPLATES_TAB)

    def _add_timeline(self) -> None:
        """The timeline, playback and connection state under the panes; the messages view as a tab beside the bytes."""
        self.timeline = TimelineStrip(self.session)
        self.playback_bar = PlaybackBar(self.session)
        self.player = self.playback_bar.player
        self.state_strip = ConnectionStateStrip(self.session)
        self.messages_pane = MessagesPane(self.session)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(6, 2, 6, 2)
        for widget in (self.playback_bar, self.timeline, self.state_strip):
            layout.addWidget(widget)
        box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.timeline_dock = QDockWidget(self.tr("Timeline"), self)
        self.timeline_dock.setObjectName("timeline")
        self.timeline_dock.setWidget(box)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.timeline_dock)
        self.add_detail_pane("messages", self.messages_pane, self.tr("Messages"))
        menu = self.menuBar().addMenu(self.tr("&Playback"))
        play = QAction(self.tr("&Play / Pause"), self, shortcut=QKeySequence(Qt.Key.Key_F5))
        play.triggered.connect(self.player.toggle)
        menu.addAction(play)
        menu.addActions(self.timeline.stepper.actions(self))
        show_messages = QAction(self.tr("&Messages View"), self, shortcut=QKeySequence(Qt.Key.Key_F6))
        show_messages.triggered.connect(lambda: self.show_pane("messages"))
        menu.addAction(show_messages)

    def _add_handshake_comparison(self) -> None:
        """The handshake pane shares its corner with the comparison of the draft handshakes (`--pane compare`)."""
        self.handshake_comparison = HandshakeComparison(self.session)
        self.handshake_tabs = QTabWidget()
        self.handshake_tabs.setDocumentMode(True)
        self.left_splitter.replaceWidget(self.left_splitter.indexOf(self.handshake_pane), self.handshake_tabs)
        self.handshake_tabs.addTab(self.handshake_pane, self.tr("Handshake"))
        self.handshake_tabs.addTab(self.handshake_comparison, self.tr("Old and new handshakes"))
        self.panes["handshake"] = self._tab_revealer(self.handshake_tabs, self.handshake_pane)
        self.panes["compare"] = self._tab_revealer(self.handshake_tabs, self.handshake_comparison)

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
        self.live_action = self._action(file_menu, self.tr("Capture &Live…"), self.open_live_dialog,
                                        QKeySequence("Ctrl+K"))
        export_menu = file_menu.addMenu(self.tr("&Export"))
        self.export_actions = {
            "pcapng": self._action(export_menu, self.tr("Session as pcapng…"), lambda: self.export_dialog("pcapng")),
            "filtered-pcapng": self._action(export_menu, self.tr("Filtered frames as pcapng…"),
                                            lambda: self.export_dialog("pcapng", filtered=True)),
            "jsonl": self._action(export_menu, self.tr("Session as JSON Lines…"), lambda: self.export_dialog("jsonl")),
            "filtered-jsonl": self._action(export_menu, self.tr("Filtered frames as JSON Lines…"),
                                           lambda: self.export_dialog("jsonl", filtered=True)),
            "payload": self._action(export_menu, self.tr("Selected frame's payload…"),
                                    lambda: self.export_dialog("payload")),
            "message": self._action(export_menu, self.tr("Selected frame's message…"),
                                    lambda: self.export_dialog("message")),
        }
        file_menu.addSeparator()
        quit_action = QAction(self.tr("&Quit"), self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        edit_menu = self.menuBar().addMenu(self.tr("&Edit"))
        self.copy_actions = {
            "hex": self._action(edit_menu, self.tr("Copy Frame as &Hex"), lambda: self.copy_frame("hex")),
            "bytes": self._action(edit_menu, self.tr("Copy Frame as Python &bytes"), lambda: self.copy_frame("bytes")),
            "decode": self._action(edit_menu, self.tr("Copy Frame as inspector &decode Arguments"),
                                   lambda: self.copy_frame("decode")),
            "field": self._action(edit_menu, self.tr("Copy &Field Value"), self.copy_field_value),
        }
        edit_menu.addSeparator()
        self.find_action = self._action(edit_menu, self.tr("&Find in Payloads…"), self.search_bar.open,
                                        QKeySequence.StandardKey.Find)
        self._action(edit_menu, self.tr("Find &Next"), self.search_bar.find_next, QKeySequence.StandardKey.FindNext)
        self._action(edit_menu, self.tr("Find &Previous"), self.search_bar.find_previous,
                     QKeySequence.StandardKey.FindPrevious)
        self._action(edit_menu, self.tr("Display F&ilter"), self.filter_bar.edit.setFocus, QKeySequence("Ctrl+/"))

        tools_menu = self.menuBar().addMenu(self.tr("&Tools"))
        self._action(tools_menu, self.tr("&Crafter"), self.show_crafter)
        self._action(tools_menu, self.tr("&Templates"), self.show_templates)
        self._action(tools_menu, self.tr("C&onnect…"), self.open_connect_dialog)
        self.open_in_crafter_action = self._action(tools_menu, self.tr("&Open Frame in Crafter"), self.open_in_crafter)
        self.resend_action = self._action(tools_menu, self.tr("&Resend to a Live Connection…"), self.open_resend_dialog)

        go_menu = self.menuBar().addMenu(self.tr("&Go"))
        self.next_action = QAction(self.tr("&Next Frame"), self, shortcut=QKeySequence(Qt.Key.Key_F8))
        self.next_action.triggered.connect(lambda: self.step_frame(1))
        self.previous_action = QAction(self.tr("&Previous Frame"), self, shortcut=QKeySequence(Qt.Key.Key_F7))
        self.previous_action.triggered.connect(lambda: self.step_frame(-1))
        go_menu.addActions([self.next_action, self.previous_action])

        help_menu = self.menuBar().addMenu(self.tr("&Help"))
        self.calculator_action = QAction(self.tr("Handshake &Calculator…"), self)
        self.calculator_action.triggered.connect(self.show_calculator)
        help_menu.addAction(self.calculator_action)
        self._add_tour_action(help_menu)
        about = QAction(self.tr("&About"), self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)
        self._refresh_recent_menu()

    def _action(self, menu: QMenu, text: str, slot: Callable[[], object],
                shortcut: QKeySequence | QKeySequence.StandardKey | None = None) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        return action

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
        self.frames_view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.frames_view.customContextMenuRequested.connect(self._frames_menu)
        self.filter_bar.applied.connect(self._on_filter_applied)
        self.live_capture.started.connect(self.session.begin_store)
        self.live_capture.grew.connect(self._on_live_grew)
        self.live_capture.counts_changed.connect(self._on_live_counts)
        self.live_capture.finished.connect(self._on_live_finished)

    def _frames_menu(self, point: QPoint) -> None:
        menu = QMenu(self)
        menu.addAction(self.open_in_crafter_action)
        menu.addAction(self.resend_action)
        menu.addSeparator()
        menu.addActions([self.copy_actions["hex"], self.copy_actions["bytes"], self.copy_actions["decode"]])
        menu.popup(self.frames_view.viewport().mapToGlobal(point))

    @Slot(str)
    def _on_filter_applied(self, expression: str) -> None:
        kept = self.session.kept
        if kept is None or self.store is None:
            self.statusBar().showMessage(self.tr("Filter cleared"), 3000)
            return
        shown = sum(len(rows) for rows in kept.values())
        self.statusBar().showMessage(self.tr("{0}: {1} of {2} frames").format(
            expression, shown, self.store.frame_count), 5000)

    # -- opening files ----------------------------------------------------------------------

    def choose_file(self) -> None:
        start = os.path.dirname(self.current_path) if self.current_path else ""
        kinds = self.tr("Captures (*.pcap *.pcapng *.cap);;All files (*)")
        path, _ = QFileDialog.getOpenFileName(self, self.tr("Open Capture"), start, kinds)
        if path:
            self.open_file(path)

    def open_file(self, path: str) -> None:
        if self.live_capture.running:  # the file takes the window: the capture ends (it can still be saved)
            self.live_capture.stop()
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
        self._capture_status = status
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

    # -- live capture -----------------------------------------------------------------------

    def open_live_dialog(self) -> LiveCaptureDialog | None:
        """File → Capture Live: the dialog, or, when this process may not capture, what to do about it."""
        if not capture_permitted():
            self.privilege_box = privilege_box(self)
            self.privilege_box.open()
            return None
        if self.live_dialog is None:
            self.live_dialog = LiveCaptureDialog(self.live_capture, self)
            self.live_dialog.start_requested.connect(self.start_live)
        self.live_dialog.show()
        self.live_dialog.raise_()
        return self.live_dialog

    @Slot(str, str)
    def start_live(self, iface: str, bpf: str) -> None:
        """Capture on `iface` into the window; the file being loaded, if any, is given up first."""
        self.loader.cancel()
        try:
            self.live_capture.start(iface, bpf)
        except CaptureError as error:
            if self.live_dialog is not None:
                self.live_dialog.show_error(str(error))
            self.status_label.setText(str(error))
            return
        self.current_path = None
        self._capturing_on = iface
        self.status_label.setText(self.tr("Capturing on {0}…").format(iface))

    @Slot(int, int, int)
    def _on_live_counts(self, packets: int, frames: int, drops: int) -> None:
        """While capturing, the status line counts what came in, as the dialog does."""
        if self.store is not None and self.store is self.live_capture.store and self.live_capture.running:
            self.status_label.setText(self.tr("Capturing on {0}: {1} packets, {2} frames, {3} dropped by the kernel")
                                      .format(self._capturing_on, packets, frames, drops))

    @Slot()
    def _on_live_grew(self) -> None:
        if self.store is not None and self.store is self.live_capture.store:
            self.session.grow()

    @Slot(object, str)
    def _on_live_finished(self, store: SessionStore, error: str) -> None:
        if self.store is not store and (self.store is not None or self.loader.busy):
            return  # a file was opened meanwhile: it stays shown
        if store.events:
            self.session.set_store(store)
            self.setWindowTitle(self.tr("{0} — {1}").format(store.source, APP_NAME))
        status = self.tr("{0}: {1} packets, {2} WebSocket connection(s), {3} frames").format(
            store.source, store.packets, len(store.connections), store.frame_count)
        self.status_label.setText(error or status)

    # -- crafter ------------------------------------------------------------------------------

    def open_connect_dialog(self) -> None:
        self.show_crafter()
        self.crafter.open_connect_dialog()

    def open_in_crafter(self) -> None:
        """Edit and resend: the selected captured frame in the crafter's editor, its bits as they were."""
        record = self.session.frame
        if record is None:
            self.statusBar().showMessage(self.tr("Select a frame first"), 3000)
            return
        self.crafter.edit_frame(record.frame)
        self.show_crafter()

    # -- client connections as session tabs, and resending to them -------------------------

    def _build_session_tabs(self) -> None:
        """Tabs over the capture view: the capture, then each connection the crafter opens (session_tabs.py)."""
        self.session_tabs = SessionTabs(self.session)
        index = self.main_tabs.indexOf(self.main_splitter)
        title = self.main_tabs.tabText(index)
        self.main_tabs.removeTab(index)
        self.capture_page = QWidget()
        layout = QVBoxLayout(self.capture_page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.session_tabs)
        layout.addWidget(self.main_splitter, 1)
        self.main_splitter.show()  # the tab widget hid it when it stopped being a page of its own
        self.main_tabs.insertTab(index, self.capture_page, title)
        self.main_tabs.setCurrentIndex(index)
        tabs, crafter = self.session_tabs, self.crafter
        crafter.live_added.connect(tabs.add_live)
        crafter.live_selected.connect(lambda live: tabs.show_live(live) if live is not None else None)
        tabs.live_chosen.connect(crafter.select_live)
        self._capture_status = ""  # the capture's status line, shown again when its tab is chosen again
        tabs.tabs.currentChanged.connect(self._show_session_status)
        crafter.live_added.connect(lambda live: live.grew.connect(self._show_session_status))
        crafter.live_added.connect(lambda live: live.state_changed.connect(self._show_session_status))
        tabs.close_requested.connect(self.close_live)
        tabs.reconnect_requested.connect(crafter.reconnect)
        self.loader.started.connect(tabs.show_capture)
        self.capture_loaded.connect(lambda _path: tabs.show_capture(self.store))
        # After the model went back to the session shown before the load (connected in _connect).
        self.loader.cancelled.connect(tabs.load_abandoned)
        self.loader.failed.connect(lambda _message: tabs.load_abandoned())

    def _show_session_status(self, *_: object) -> None:
        """The status line speaks of the session shown: the capture's summary, or the client connection's."""
        live = self.session_tabs.current_live
        if live is None:
            if self._capture_status and not self.loader.busy and self.store is self.session_tabs.capture_store:
                self.status_label.setText(self._capture_status)
            return
        frames = live.store.frame_count if live.store is not None else 0
        self.status_label.setText(self.tr("Client connection {0}: {1} frames").format(live.state_text(), frames))

    def show_live(self, live: LiveSession) -> None:
        """A client connection's session in the window's panes."""
        self.session_tabs.show_live(live)
        self.main_tabs.setCurrentWidget(self.capture_page)

    def close_live(self, live: LiveSession) -> None:
        self.session_tabs.remove_live(live)
        self.crafter.close_live(live)

    def selected_frame_rows(self) -> list[int]:
        """The frames table's selected rows, as rows of the connection's frames."""
        shown = self.frames_view.shown_model
        rows = {shown.source_row(index.row()) for index in self.frames_view.selectionModel().selectedRows()}
        if self.session.frame_row >= 0:
            rows.add(self.session.frame_row)
        return sorted(rows)

    def open_resend_dialog(self) -> ResendDialog | None:
        """Tools → Resend: the selected connection's client frames or messages to an open connection."""
        record = self.session.connection
        if record is None:
            self.statusBar().showMessage(self.tr("Open a capture and select a connection first"), 5000)
            return None
        dialog = ResendDialog(record, self.crafter.open_lives(), self.selected_frame_rows(), self)
        dialog.accepted.connect(lambda: self.resend_to(dialog.chosen_target(), dialog.plan()))
        self.resend_box = dialog
        dialog.open()
        return dialog

    def resend_to(self, live: LiveSession | None, plan: ResendPlan) -> None:
        if live is None or not plan.items:
            self.statusBar().showMessage(self.tr("Nothing to resend, or no open connection"), 5000)
            return
        live.resend(plan)
        self.show_live(live)

    # -- export and copy --------------------------------------------------------------------

    def export_to(self, kind: str, path: str, *, filtered: bool = False) -> None:
        """Write the export `kind` (pcapng, jsonl, payload, message) to `path`."""
        store = self.store
        if store is None:
            raise ValueError(self.tr("No capture open"))
        kept = self.session.kept if filtered else None
        if kind == "pcapng":
            export.write_session_pcapng(path, store, kept)
        elif kind == "jsonl":
            export.write_jsonl(path, store, kept)
        else:
            data = self._selected_data(kind)
            with open(path, "wb") as file:
                file.write(data)

    def _selected_data(self, kind: str) -> bytes:
        record = self.session.frame
        if record is None:
            raise ValueError(self.tr("Select a frame first"))
        if kind == "message":
            if record.message is None:
                raise ValueError(self.tr("This frame belongs to no complete message"))
            return record.message.data
        return record.frame.payload

    def export_dialog(self, kind: str, *, filtered: bool = False) -> None:
        kinds = {"pcapng": self.tr("pcapng (*.pcapng)"), "jsonl": self.tr("JSON Lines (*.jsonl)")}
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Export"), "", kinds.get(kind, self.tr("All files (*)")))
        if not path:
            return
        try:
            self.export_to(kind, path, filtered=filtered)
        except (OSError, ValueError) as error:
            self.statusBar().showMessage(str(error).splitlines()[0], 5000)
            return
        self.statusBar().showMessage(self.tr("Exported to {0}").format(path), 5000)

    def copy_frame(self, form: str) -> str:
        """Put the selected frame on the clipboard as hex, a Python bytes literal or decode arguments."""
        record = self.session.frame
        if record is None:
            return ""
        formats = {"hex": export.frame_hex, "bytes": export.frame_bytes_literal,
                   "decode": export.frame_decode_arguments}
        text = formats[form](record.frame)
        QGuiApplication.clipboard().setText(text)
        return text

    def copy_field_value(self) -> str:
        node = self.session.field
        if node is None:
            return ""
        text = field_value(node)
        QGuiApplication.clipboard().setText(text)
        return text

    # -- drag and drop ----------------------------------------------------------------------

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # Qt's name
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # Qt's name
        files = [url.toLocalFile() for url in event.mimeData().urls() if url.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.open_file(files[0])

    def step_frame(self, delta: int) -> None:
        self.session.step_frame(delta)

    def show_calculator(self) -> CalculatorDialog:
        """Help → Handshake Calculator: one dialog, raised again when already open."""
        if self.calculator is None:
            self.calculator = CalculatorDialog(self)
        self.calculator.show()
        self.calculator.raise_()
        self.calculator.activateWindow()
        return self.calculator

    def _add_tour_action(self, help_menu: QMenu) -> None:
        self.tour_action = QAction(self.tr("&Tour"), self)
        self.tour_action.triggered.connect(lambda _checked=False: self.show_tour())
        help_menu.addAction(self.tour_action)

    def tour_panel(self) -> TourPanel:
        """The tour's dock, built (hidden) on first use."""
        if self.tour is None:
            self.tour = TourPanel(self)
            self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.tour)
            self.tour.hide()
        return self.tour

    def show_tour(self, step: int | None = None) -> TourPanel:
        """Help → Tour: the tour's dock, at `step` (from 0) or where the learner left it."""
        tour = self.tour_panel()
        if step is None:
            tour.resume()
        else:
            tour.show()
            tour.show_step(step)
        return tour

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
        self.live_capture.wait()
        self.crafter.shutdown()
        self.save_layout()
        super().closeEvent(event)  # type: ignore[arg-type]

    def central(self) -> QWidget:
        return self.main_tabs

