"""The main window: connections, their frames, the selected frame's bit-level tree and its bytes.

    ┌ connections ──────┐┌ frames of the selected connection ─────────────────────┐
    │                   ││                                                         │
    ├ handshake ────────┤├ field tree ───────────┬ hex + bits ─────────────────────┤
    │ key → accept, …   ││ explanation of field  │                                 │
    └───────────────────┘└───────────────────────┴─────────────────────────────────┘
"""

from __future__ import annotations

import os

from PySide6.QtCore import QByteArray, QItemSelection, QModelIndex, QSettings, Qt, Signal, Slot
from PySide6.QtGui import QAction, QKeySequence, QTextOption
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeView,
    QWidget,
)

from ..errors import truncated_capture
from ..protocol.fieldtree import INFLATED_BYTES, UNMASKED_BYTES, WIRE_BYTES, Field, frame_fields
from ..report.handshake_text import handshake_lines
from ..report.text_tree import format_violation
from ..session.store import ConnectionRecord, FrameRecord, SessionStore
from .hexview import HexView
from .loader import PROGRESS_STEPS, CaptureLoader
from .models import ConnectionsModel, FieldTreeModel, FramesModel, field_value

APP_NAME = "WebSocket Inspector"
MAX_RECENT_FILES = 10
DEFAULT_WIDTH, DEFAULT_HEIGHT = 1280, 800  # made smaller to fit a smaller screen
SCREEN_SHARE = 0.8  # on a larger screen, open at this share of it
# Widths of the frames table's columns but Payload, which takes what is left.
FRAME_COLUMN_WIDTHS = (45, 78, 45, 130, 118, 60, 0, 90)
PAYLOAD_COLUMN = 6
CAPTURE_FILTER = "Captures (*.pcap *.pcapng *.cap);;All files (*)"


def _plain_text_pane(placeholder: str) -> QPlainTextEdit:
    """Read-only text that wraps at the pane's edge (a long header or hash breaks mid-word rather than
    hiding behind a horizontal scroll bar)."""
    pane = QPlainTextEdit()
    pane.setReadOnly(True)
    pane.setPlaceholderText(placeholder)
    pane.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    return pane


class MainWindow(QMainWindow):
    capture_loaded = Signal(str)  # path; emitted once the store is shown
    load_failed = Signal(str)

    def __init__(self, settings: QSettings | None = None) -> None:
        super().__init__()
        self.settings = settings if settings is not None else QSettings()
        self.store: SessionStore | None = None
        self.current_path: str | None = None
        self.error_box: QMessageBox | None = None
        self.notice_box: QMessageBox | None = None  # the truncated-file warning, non-modal
        self._connection: ConnectionRecord | None = None
        self._frame: FrameRecord | None = None
        self._bytes_shown = ""  # which bytes of self._frame the hex pane holds (fieldtree's *_BYTES)

        self.connections_model = ConnectionsModel()
        self.frames_model = FramesModel()
        self.fields_model = FieldTreeModel()
        self.loader = CaptureLoader(self)

        self._build_views()
        self._build_actions()
        self._build_status_bar()
        self._connect()
        self.setWindowTitle(APP_NAME)
        self._fit_screen()
        self._restore_layout()

    # -- construction -----------------------------------------------------------------------

    def _build_views(self) -> None:
        self.connections_view = QTableView()
        self.connections_view.setModel(self.connections_model)
        self.frames_view = QTableView()
        self.frames_view.setModel(self.frames_model)
        for view in (self.connections_view, self.frames_view):
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
            view.verticalHeader().setVisible(False)
            view.verticalHeader().setDefaultSectionSize(22)
            view.horizontalHeader().setStretchLastSection(True)
            view.setAlternatingRowColors(True)
            view.setWordWrap(False)  # a long payload preview is cut at the edge, not wrapped out of sight
        frames_header = self.frames_view.horizontalHeader()
        frames_header.setStretchLastSection(False)
        frames_header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        frames_header.setSectionResizeMode(PAYLOAD_COLUMN, QHeaderView.ResizeMode.Stretch)
        for column, width in enumerate(FRAME_COLUMN_WIDTHS):
            if column != PAYLOAD_COLUMN:
                self.frames_view.setColumnWidth(column, width)

        self.handshake_pane = _plain_text_pane("Select a connection to see its opening handshake.")
        self.fields_view = QTreeView()
        self.fields_view.setModel(self.fields_model)
        self.fields_view.setUniformRowHeights(True)
        self.fields_view.header().setStretchLastSection(True)
        self.fields_view.setIndentation(14)
        self.explanation_pane = _plain_text_pane("Select a field to read what it means and which rule governs it.")
        self.hex_view = HexView()

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
        file_menu = self.menuBar().addMenu("&File")
        self.open_action = QAction("&Open Capture…", self, shortcut=QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(self.choose_file)
        file_menu.addAction(self.open_action)
        self.recent_menu = file_menu.addMenu("Open &Recent")
        file_menu.addSeparator()
        quit_action = QAction("&Quit", self, shortcut=QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        file_menu.addAction(quit_action)

        go_menu = self.menuBar().addMenu("&Go")
        self.next_action = QAction("&Next Frame", self, shortcut=QKeySequence(Qt.Key.Key_F8))
        self.next_action.triggered.connect(lambda: self.step_frame(1))
        self.previous_action = QAction("&Previous Frame", self, shortcut=QKeySequence(Qt.Key.Key_F7))
        self.previous_action.triggered.connect(lambda: self.step_frame(-1))
        go_menu.addActions([self.next_action, self.previous_action])

        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)
        self._refresh_recent_menu()

    def _build_status_bar(self) -> None:
        self.status_label = QLabel("No capture open")
        self.status_label.setTextFormat(Qt.TextFormat.PlainText)
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, PROGRESS_STEPS)
        self.progress_bar.setMaximumWidth(220)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.loader.cancel)
        bar = self.statusBar()
        bar.addWidget(self.status_label, 1)
        bar.addPermanentWidget(self.progress_bar)
        bar.addPermanentWidget(self.cancel_button)
        self._set_busy(False)

    def _connect(self) -> None:
        self.connections_view.selectionModel().selectionChanged.connect(self._on_connection_selected)
        self.frames_view.selectionModel().selectionChanged.connect(self._on_frame_selected)
        self.fields_view.selectionModel().currentChanged.connect(self._on_field_selected)
        self.loader.progressed.connect(self.progress_bar.setValue)
        self.loader.loaded.connect(self._on_loaded)
        self.loader.failed.connect(self._on_failed)
        self.loader.cancelled.connect(lambda: self.status_label.setText("Loading cancelled"))
        self.loader.busy_changed.connect(self._set_busy)

    # -- opening files ----------------------------------------------------------------------

    def choose_file(self) -> None:
        start = os.path.dirname(self.current_path) if self.current_path else ""
        path, _ = QFileDialog.getOpenFileName(self, "Open Capture", start, CAPTURE_FILTER)
        if path:
            self.open_file(path)

    def open_file(self, path: str) -> None:
        self.current_path = path
        self.status_label.setText(f"Loading {os.path.basename(path)}…")
        self.loader.load(path)

    @Slot(object)
    def _on_loaded(self, store: SessionStore) -> None:
        self.store = store
        self.connections_model.set_store(store)
        self.connections_view.resizeColumnsToContents()
        self._remember_recent(store.source)
        name = os.path.basename(store.source)
        self.setWindowTitle(f"{name} — {APP_NAME}")
        status = (f"{name}: {store.packets} packets, {len(store.connections)} WebSocket connection(s), "
                  f"{store.frame_count} frames")
        if store.truncated:
            warning = truncated_capture(store.source, store.packets)
            status += f" · warning: {warning}"
            self._show_notice(warning)
        self.status_label.setText(status)
        if store.connections:
            self.connections_view.selectRow(0)
        else:
            self._show_connection(None)
        self.capture_loaded.emit(store.source)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.status_label.setText(message)
        box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, "The capture could not be opened.", parent=self)
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

    # -- selection ---------------------------------------------------------------------------

    @Slot(QItemSelection, QItemSelection)
    def _on_connection_selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = selected.indexes()
        self._show_connection(self.connections_model.record(rows[0].row()) if rows else None)

    def _show_connection(self, record: ConnectionRecord | None) -> None:
        self._connection = record
        self.frames_model.set_connection(record, self.store.times if self.store is not None else None)
        self.fields_model.set_root(None)
        self._frame, self._bytes_shown = None, ""
        self.hex_view.set_data(b"")
        self.explanation_pane.clear()
        if record is None:
            self.handshake_pane.clear()
            return
        lines = handshake_lines(record.connection.handshake, record.connection.protocol)
        extra = [format_violation(v) for v in record.connection.violations if v not in _handshake_violations(record)]
        if extra:
            lines += ["", "Connection notes:", *(f"  {line}" for line in extra)]
        if record.notes:
            lines += ["", "Capture notes:", *(f"  {note.message}" for note in record.notes)]
        self.handshake_pane.setPlainText("\n".join(lines))
        if record.frames:
            self.frames_view.selectRow(0)

    @Slot(QItemSelection, QItemSelection)
    def _on_frame_selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        rows = selected.indexes()
        if not rows:
            return
        self.show_frame(self.frames_model.frame_record(rows[0].row()))

    def show_frame(self, record: FrameRecord) -> None:
        root = frame_fields(record.frame, message=record.message)
        self.fields_model.set_root(root)
        self.fields_view.expandToDepth(1)
        self.fields_view.resizeColumnToContents(0)
        # The names never take more than half: the values are what the learner came for.
        names = min(self.fields_view.columnWidth(0), self.fields_view.width() // 2)
        self.fields_view.setColumnWidth(0, names)
        self._frame, self._bytes_shown = record, ""
        self._show_bytes(WIRE_BYTES)
        self.fields_view.setCurrentIndex(self.fields_model.index(0, 0))

    @Slot(QModelIndex, QModelIndex)
    def _on_field_selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        node = self.fields_model.field(current)
        if node is None:
            return
        self._show_bytes(node.shown_in)
        if node.shown_in == INFLATED_BYTES:  # the value is the whole inflated message
            self.hex_view.highlight_bits(0, len(self.hex_view.data) * 8)
        else:
            self.hex_view.highlight_bits(node.bit_offset, node.bit_width)
        self.explanation_pane.setPlainText(_explanation_text(node))

    def _show_bytes(self, which: str) -> None:
        """Put the frame's wire bytes, its unmasked bytes or its message's inflated bytes in the hex pane."""
        record = self._frame
        if record is None:
            return
        frame = record.frame
        if which == UNMASKED_BYTES and not frame.masked:
            which = WIRE_BYTES  # the same bytes: an unmasked frame needs no second view
        if which == INFLATED_BYTES and (record.message is None or not record.message.compressed):
            which = WIRE_BYTES
        if which == self._bytes_shown:
            return
        self._bytes_shown = which
        if which == INFLATED_BYTES:
            assert record.message is not None
            frames = record.message.frame_indices
            where = f"frame {frames[0]}" if len(frames) == 1 else f"frames {frames[0]}–{frames[-1]}"
            data = record.message.data
            caption = f"Message of {where}, inflated: {len(data)} bytes"
        elif which == UNMASKED_BYTES:
            assert frame.masking_key is not None
            data = frame.header + frame.payload
            caption = f"Frame {frame.index} with its payload unmasked (XOR with {frame.masking_key.hex()}): " \
                f"{len(data)} bytes"
        else:
            data = frame.raw
            masked = ", payload masked" if frame.masked else ""
            caption = f"Frame {frame.index} as captured: {len(data)} bytes{masked}"
        self.hex_view.set_data(data, caption)

    def step_frame(self, delta: int) -> None:
        rows = self.frames_model.rowCount()
        if not rows:
            return
        current = self.frames_view.currentIndex().row()
        target = min(max(current + delta, 0), rows - 1) if current >= 0 else 0
        self.frames_view.selectRow(target)

    def _about(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Information, f"About {APP_NAME}", APP_NAME, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setInformativeText("See RFC 6455 WebSocket traffic down to the bit.")
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


def _handshake_violations(record: ConnectionRecord) -> list:
    handshake = record.connection.handshake
    return list(handshake.violations) if handshake is not None else []


def _explanation_text(node: Field) -> str:
    lines = [f"{node.name}  ({node.filter_name})"]
    if node.bit_width:
        lines.append(f"bits {node.bit_offset}–{node.bit_offset + node.bit_width - 1} of the frame")
    if node.display:
        lines.append(f"Value: {field_value(node)}")
    if node.explanation:
        section = f" ({node.rfc})" if node.rfc else ""
        lines += ["", node.explanation + section]
    if node.violations:
        lines += ["", "Broken here:", *(f"  {format_violation(v)}" for v in node.violations)]
    return "\n".join(lines)
