"""Playing a session back at its original pace (scaled), one frame after another, across all connections.

The player keeps a playhead in capture time. Playing, the playhead runs at `speed` capture seconds
per wall second from the moment it was last anchored; the next frame is due when the playhead
reaches that frame's time. A silence longer than `max_gap` (when set) is cut down to `max_gap`:
the playhead jumps forward over the rest of it. Each frame reached moves the session's cursor and
its reveal (the frames table shows the session up to there).

Time comes from a `Clock`: `now()` and one pending `call_later`. The real one is a monotonic clock
and a single-shot QTimer; tests hand in a clock of their own, so playback runs without sleeping.
"""

from __future__ import annotations

import time
from bisect import bisect_left, bisect_right
from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal

from .session_model import SessionModel

MIN_SPEED, MAX_SPEED = 0.25, 16.0
SPEEDS = (0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0)
DEFAULT_MAX_GAP = 2.0  # seconds of capture time a silence is cut down to, when skipping is on


class Clock(Protocol):
    def now(self) -> float: ...

    def call_later(self, seconds: float, callback: Callable[[], None]) -> None:
        """Call `callback` after `seconds` of this clock's time, replacing whatever call was pending."""

    def cancel(self) -> None: ...


class QtClock:
    """Wall time: a monotonic clock and one single-shot timer."""

    def __init__(self, parent: QObject | None = None) -> None:
        self._timer = QTimer(parent)
        self._timer.setSingleShot(True)
        self._callback: Callable[[], None] | None = None
        self._timer.timeout.connect(self._fire)

    def now(self) -> float:
        return time.monotonic()

    def call_later(self, seconds: float, callback: Callable[[], None]) -> None:
        self._callback = callback
        self._timer.start(max(0, round(seconds * 1000)))

    def cancel(self) -> None:
        self._timer.stop()
        self._callback = None

    def _fire(self) -> None:
        callback, self._callback = self._callback, None
        if callback is not None:
            callback()


class Player(QObject):
    playing_changed = Signal(bool)
    frame_reached = Signal(int)  # the session position of the frame the playback just showed
    finished = Signal()

    def __init__(self, session: SessionModel, clock: Clock | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.session = session
        self.clock: Clock = clock if clock is not None else QtClock(self)
        self.speed = 1.0
        self.max_gap: float | None = None  # None: play silences at full length
        self.playing = False
        self._playhead = 0.0  # capture time (seconds since the epoch) at the anchor
        self._anchor = 0.0  # the clock's time when the playhead was last set
        self._next = 0  # index into store.frame_positions of the next frame due
        self._reached = -1  # the session position of the last frame this playback showed
        session.store_changed.connect(self.stop)
        session.position_changed.connect(self._on_position_changed)

    # -- controls ----------------------------------------------------------------------------

    def play(self) -> None:
        """Play from the cursor (from the start when the cursor is on the last frame or before any)."""
        store = self.session.store
        if self.playing or store is None or not store.frame_positions:
            return
        positions = store.frame_positions
        cursor = self.session.position
        # A paused playback goes on after the cursor; a new one replays the selected frame too.
        start = bisect_right(positions, cursor) if self.session.reveal is not None else bisect_left(positions, cursor)
        if start >= len(positions):
            start = 0  # at the end: from the beginning
        self.session.set_reveal(positions[start - 1] if start > 0 else -1)
        self._next = start
        self._playhead = self._time_of(max(start - 1, 0))
        self._anchor = self.clock.now()
        self.playing = True
        self.playing_changed.emit(True)
        self._schedule()

    def pause(self) -> None:
        if not self.playing:
            return
        self._playhead = self._current_playhead()
        self.clock.cancel()
        self.playing = False
        self.playing_changed.emit(False)

    def toggle(self) -> None:
        self.pause() if self.playing else self.play()

    def stop(self) -> None:
        """End the playback and show the whole session again."""
        self.pause()
        self.session.set_reveal(None)

    def set_speed(self, speed: float) -> None:
        speed = min(max(speed, MIN_SPEED), MAX_SPEED)
        if self.playing:
            self._playhead = self._current_playhead()
            self._anchor = self.clock.now()
        self.speed = speed
        if self.playing:
            self._schedule()

    def set_max_gap(self, seconds: float | None) -> None:
        self.max_gap = seconds
        if self.playing:
            self._playhead = self._current_playhead()
            self._anchor = self.clock.now()
            self._schedule()

    # -- the schedule ------------------------------------------------------------------------

    def _time_of(self, frame: int) -> float:
        store = self.session.store
        assert store is not None
        return store.running_time[store.frame_positions[frame]]

    def _current_playhead(self) -> float:
        return self._playhead + (self.clock.now() - self._anchor) * self.speed

    def _schedule(self) -> None:
        store = self.session.store
        if store is None or self._next >= len(store.frame_positions):
            self._finish()
            return
        playhead = self._current_playhead()
        due = self._time_of(self._next)
        if self.max_gap is not None and due - playhead > self.max_gap:
            # Cut the silence: move the playhead on so that only max_gap of it is left.
            self._playhead, self._anchor = due - self.max_gap, self.clock.now()
            playhead = self._playhead
        self.clock.call_later(max(due - playhead, 0.0) / self.speed, self._tick)

    def _tick(self) -> None:
        store = self.session.store
        if not self.playing or store is None:
            return
        positions = store.frame_positions
        playhead = self._current_playhead()
        # Every frame due by now is shown; the cursor lands on the last of them.
        reached = self._next
        while reached + 1 < len(positions) and self._time_of(reached + 1) <= playhead:
            reached += 1
        self._next = reached + 1
        position = positions[reached]
        self._reached = position
        self.session.set_reveal(position)
        self.session.select_position(position)
        self.frame_reached.emit(position)
        self._schedule()

    def _on_position_changed(self) -> None:
        """The user moved the cursor while playing: go on from there."""
        store = self.session.store
        position = self.session.position
        if not self.playing or store is None or position == self._reached:
            return
        self._reached = position
        self._next = bisect_right(store.frame_positions, position)
        self._playhead, self._anchor = store.running_time[position], self.clock.now()
        self._schedule()

    def _finish(self) -> None:
        self.clock.cancel()
        was_playing = self.playing
        self.playing = False
        if was_playing:
            self.playing_changed.emit(False)
            self.finished.emit()
