"""Session tabs: the opened capture and each client connection, shown one at a time in the same panes.

The first tab is the capture (whatever the loader shows); each connection the crafter opens adds a
tab. Choosing a tab puts its store in the window's one SessionModel, so the handshake pane, the frames
table, the field tree and the timeline show a client connection exactly as they show a capture, and
grow with it while it is live. Under the tabs, a live connection's state (connecting, open, closing,
closed with code and reason) stays in view with Disconnect and Reconnect beside it.
"""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QTabBar, QVBoxLayout, QWidget

from ..session.store import SessionStore
from .crafter.live import LiveSession
from .crafter.session import CLOSED, OPEN
from .session_model import SessionModel

CAPTURE_TAB = 0


class SessionTabs(QWidget):
    live_chosen = Signal(object)  # the LiveSession whose tab was chosen
    close_requested = Signal(object)  # the LiveSession whose tab's close button was clicked
    reconnect_requested = Signal(object)

    def __init__(self, model: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        self.lives: list[LiveSession] = []  # tab i + 1 shows lives[i]
        self.capture_store: SessionStore | None = None
        self._capture_before: SessionStore | None = None  # the capture shown before a load began
        self.tabs = QTabBar()
        self.tabs.setDocumentMode(True)
        self.tabs.setExpanding(False)
        self.tabs.setTabsClosable(True)
        self.tabs.addTab(self.tr("Capture"))
        self._hide_close_button(CAPTURE_TAB)
        self.state_label = QLabel()
        self.state_label.setTextFormat(Qt.TextFormat.PlainText)
        self.state_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.disconnect_button = QPushButton(self.tr("Disconnect"))
        self.reconnect_button = QPushButton(self.tr("Reconnect"))
        self.live_bar = QWidget()
        bar = QHBoxLayout(self.live_bar)
        bar.setContentsMargins(4, 0, 4, 0)
        bar.addWidget(self.state_label, 1)
        bar.addWidget(self.disconnect_button)
        bar.addWidget(self.reconnect_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.tabs)
        layout.addWidget(self.live_bar)
        self.live_bar.hide()
        self.tabs.currentChanged.connect(self._on_current)
        self.tabs.tabCloseRequested.connect(self._on_close_requested)
        self.disconnect_button.clicked.connect(lambda: self._act(LiveSession.disconnect))
        self.reconnect_button.clicked.connect(lambda: self._act(self.reconnect_requested.emit))
        self.setVisible(False)  # shown once there is more than the capture

    # ---- what is shown

    @property
    def current_live(self) -> LiveSession | None:
        index = self.tabs.currentIndex()
        return self.lives[index - 1] if index > CAPTURE_TAB else None

    def show_capture(self, store: SessionStore | None) -> None:
        """The loader shows `store` (it is in the model already): it is the capture tab's now, and in front."""
        if store is not self.capture_store:
            self._capture_before = self.capture_store
        self.capture_store = store
        name = os.path.basename(store.source) if store is not None and store.source else ""
        self.tabs.setTabText(CAPTURE_TAB, name or self.tr("Capture"))
        self._select_quietly(CAPTURE_TAB)

    def load_abandoned(self) -> None:
        """A load was cancelled or failed and the model went back to what it showed before: follow it."""
        store = self.model.store
        for number, live in enumerate(self.lives, start=1):
            if live.store is store:
                self.capture_store = self._capture_before
                self._select_quietly(number)
                return
        self.capture_store = store
        self._select_quietly(CAPTURE_TAB)

    def add_live(self, live: LiveSession) -> None:
        self.lives.append(live)
        index = self.tabs.addTab(live.title)
        live.state_changed.connect(lambda: self._on_state(live))
        live.grew.connect(lambda: self._on_grew(live))
        live.restarted.connect(lambda: self._on_restarted(live))
        self.setVisible(True)
        self.tabs.setCurrentIndex(index)
        self._on_state(live)

    def show_live(self, live: LiveSession) -> None:
        if live in self.lives:
            self.tabs.setCurrentIndex(self.lives.index(live) + 1)

    def remove_live(self, live: LiveSession) -> None:
        if live not in self.lives:
            return
        index = self.lives.index(live) + 1
        shown = self.tabs.currentIndex() == index
        self.lives.remove(live)
        if shown:
            self.tabs.setCurrentIndex(CAPTURE_TAB)
        self.tabs.removeTab(index)

    # ---- reactions

    def _on_current(self, index: int) -> None:
        live = self.current_live
        self.model.set_store(live.store if live is not None else self.capture_store)
        self._show_bar()
        if live is not None:
            self.live_chosen.emit(live)

    def _on_state(self, live: LiveSession) -> None:
        if live not in self.lives:
            return
        index = self.lives.index(live) + 1
        self.tabs.setTabText(index, self.tr("{0} ({1})").format(live.title, live.state))
        self.tabs.setTabToolTip(index, live.state_text())
        if live is self.current_live:
            self._show_bar()

    def _on_grew(self, live: LiveSession) -> None:
        """New events: the panes append rows. The selection stays put (following each new frame would lay out
        every large payload as it arrives); the line under the tabs has the connection's current state."""
        if live is self.current_live and self.model.store is live.store:
            self.model.grow()

    def _on_restarted(self, live: LiveSession) -> None:
        if live is self.current_live:
            self.model.set_store(live.store)

    def _show_bar(self) -> None:
        live = self.current_live
        self.live_bar.setVisible(live is not None)
        if live is None:
            return
        self.state_label.setText(self.tr("Client connection {0}").format(live.state_text()))
        self.state_label.setToolTip(self.state_label.text())
        self.disconnect_button.setEnabled(live.state == OPEN)
        self.reconnect_button.setEnabled(live.state in (OPEN, CLOSED))

    def _act(self, action: object) -> None:
        live = self.current_live
        if live is not None and callable(action):
            action(live)

    def _on_close_requested(self, index: int) -> None:
        if index > CAPTURE_TAB:
            self.close_requested.emit(self.lives[index - 1])

    def _select_quietly(self, index: int) -> None:
        """Put tab `index` in front without showing its store again (the model shows it already)."""
        self.tabs.blockSignals(True)
        self.tabs.setCurrentIndex(index)
        self.tabs.blockSignals(False)
        self._show_bar()

    def _hide_close_button(self, index: int) -> None:
        for side in (QTabBar.ButtonPosition.RightSide, QTabBar.ButtonPosition.LeftSide):
            button = self.tabs.tabButton(index, side)
            if button is not None:
                button.hide()
