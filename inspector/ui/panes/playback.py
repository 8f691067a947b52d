"""The playback controls: play / pause, the speed, and shortening long silences (see ui/playback.py)."""

from __future__ import annotations

from bisect import bisect_right

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QCheckBox, QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QPushButton, QWidget

from ..playback import DEFAULT_MAX_GAP, SPEEDS, Clock, Player
from ..session_model import SessionModel

MAX_GAP_LIMIT = 3600.0


class PlaybackBar(QWidget):
    def __init__(self, session: SessionModel, clock: Clock | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.player = Player(session, clock, self)
        self.play_button = QPushButton(self.tr("Play"))
        self.play_button.setToolTip(self.tr("Replay the session at its own pace from the cursor (F5)"))
        self.play_button.clicked.connect(self.player.toggle)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("End the playback and show every frame again"))
        self.stop_button.clicked.connect(self.player.stop)
        self.speed_box = QComboBox()
        for speed in SPEEDS:
            self.speed_box.addItem(self.tr("{0}×").format(f"{speed:g}"), speed)
        self.speed_box.setCurrentIndex(SPEEDS.index(1.0))
        self.speed_box.setToolTip(self.tr("Playback speed"))
        self.speed_box.currentIndexChanged.connect(self._on_speed)
        self.skip_box = QCheckBox(self.tr("Skip gaps longer than"))
        self.gap_box = QDoubleSpinBox()
        self.gap_box.setRange(0.1, MAX_GAP_LIMIT)
        self.gap_box.setDecimals(1)
        self.gap_box.setValue(DEFAULT_MAX_GAP)
        self.gap_box.setSuffix(self.tr(" s"))
        self.skip_box.toggled.connect(self._on_gap)
        self.gap_box.valueChanged.connect(self._on_gap)
        self.time_label = QLabel()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.play_button, self.stop_button, self.speed_box, self.skip_box, self.gap_box):
            layout.addWidget(widget)
        layout.addWidget(self.time_label, 1)
        self.player.playing_changed.connect(self._on_playing)
        session.position_changed.connect(self._show_time)
        session.store_changed.connect(self._show_time)
        session.store_grew.connect(self._show_time)  # "of N" follows a capture that is still loading
        session.reveal_changed.connect(self._on_reveal_changed)
        self._on_reveal_changed()
        self._show_time()

    @Slot()
    def _on_speed(self) -> None:
        self.player.set_speed(float(self.speed_box.currentData()))

    @Slot()
    def _on_gap(self) -> None:
        self.player.set_max_gap(self.gap_box.value() if self.skip_box.isChecked() else None)

    @Slot(bool)
    def _on_playing(self, playing: bool) -> None:
        self.play_button.setText(self.tr("Pause") if playing else self.tr("Play"))

    @Slot()
    def _on_reveal_changed(self) -> None:
        self.stop_button.setEnabled(self.session.reveal is not None)

    @Slot()
    def _show_time(self) -> None:
        store = self.session.store
        position = self.session.position
        if store is None or not 0 <= position < len(store.events):
            self.time_label.setText(self.tr("No frame at the cursor"))
            return
        frames = store.frame_positions
        number = bisect_right(frames, position)
        seconds = store.times.since_start(store.running_time[position])
        self.time_label.setText(self.tr("{0:.6f} s · frame {1} of {2}").format(seconds, number, len(frames)))
