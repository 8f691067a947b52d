"""Loading a capture off the GUI thread, with progress and cancellation, shown while it is read.

The worker decodes into a store of its own and posts what that store gained (a `StoreTail`: new entries
of a few arrays) in small batches; it never touches a widget (Qt forbids it). The GUI thread appends
the tails to the store it shows (the worker store's follower) in slices of bounded time between which
the event loop runs, so the first rows show at once and the window answers all through a million-frame
file: the per-event work happens on the worker.
"""

from __future__ import annotations

import gc
import sys
import threading
import time
from collections import deque

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from ..capture.load import Batcher, LoadCancelled, stream_capture
from ..errors import InspectorError
from ..session.events import SessionEvent
from ..session.store import SessionStore, StoreTail
from ..session.timebase import TimeBase

PROGRESS_STEPS = 1000
# A batch the worker posts: at most this many events, or what it decoded in this long.
BATCH_EVENTS = 1024
BATCH_SECONDS = 0.02
# The worker adds events to its store this many at a time (see _Worker._post).
EXTEND_EVENTS = 32
# The GUI thread adds posted batches for at most this long before the event loop runs again.
SLICE_SECONDS = 0.03
# While a load runs, the interpreter lock changes hands this often (Python's default is 5 ms). Every call
# between Qt and Python on the GUI thread (a table's data, row counts) needs the lock, and waiting up to
# the default for each one while the worker decodes added up to stalls of hundreds of milliseconds.
LOADING_SWITCH_SECONDS = 0.0002
# The window is told that the store grew at most this often while it loads (and when it is complete).
GROW_SECONDS = 0.25
# After its first batch the worker waits (at most this long) until the window has shown it, checking for
# a cancel this often: see _Worker._await_first_show.
FIRST_SHOW_SECONDS = 1.0
CANCEL_CHECK_SECONDS = 0.02


class _Worker(QObject):
    # Each signal carries the load's number first: an earlier load's late signals are ignored.
    progressed = Signal(int, int)  # 0..PROGRESS_STEPS
    batch = Signal(int, object, float)  # StoreTail, the first packet's time
    done = Signal(int, int, bool)  # complete packets, truncated
    failed = Signal(int, str)  # one line for the user
    cancelled = Signal(int)

    def __init__(self, number: int, path: str, cancel: threading.Event, shown: threading.Event,
                 store: SessionStore) -> None:
        super().__init__()
        self._store: SessionStore | None = store  # the worker's own; the window shows its follower
        self._number = number
        self._path = path
        self._cancel = cancel
        self._shown = shown  # set by the loader once the first rows were shown
        self._times = TimeBase()
        self._posted = False

    @Slot()
    def run(self) -> None:
        batcher = Batcher(self._post, BATCH_EVENTS, BATCH_SECONDS)
        try:
            packets, truncated = stream_capture(
                self._path, batcher.add, self._times, progress=self._report, cancel=self._cancel)
            batcher.flush()
        except LoadCancelled:
            self.cancelled.emit(self._number)
        except InspectorError as error:
            self.failed.emit(self._number, str(error))
        except Exception as error:  # a bug must still end as one line, not a dead thread
            self.failed.emit(self._number, f"{self._path}: could not be decoded ({type(error).__name__}: {error})")
        else:
            self.done.emit(self._number, packets, truncated)
        finally:
            self._store = None  # its arrays were copied to the follower; the spill lives on with it

    def _post(self, events: list[SessionEvent]) -> None:
        store = self._store
        assert store is not None
        # In pieces: compiled code keeps the interpreter lock until it returns, and the GUI thread waits.
        for first in range(0, len(events), EXTEND_EVENTS):
            store.extend(events[first : first + EXTEND_EVENTS])
        start = self._times.start
        self.batch.emit(self._number, store.tail(), start if start is not None else 0.0)
        if not self._posted:
            self._posted = True
            self._await_first_show()
        time.sleep(0)  # let the GUI thread take the interpreter now rather than at the next switch

    def _await_first_show(self) -> None:
        """Showing the first rows sets up every pane, with hundreds of calls from Qt into Python that each
        wait for the interpreter lock while this thread decodes: the longest stall of a load. So decoding
        waits until they are shown (bounded, in case the window never gets to it)."""
        deadline = time.monotonic() + FIRST_SHOW_SECONDS
        while not self._shown.wait(CANCEL_CHECK_SECONDS):
            if self._cancel.is_set() or time.monotonic() >= deadline:
                return

    def _report(self, fraction: float) -> None:
        self.progressed.emit(self._number, int(fraction * PROGRESS_STEPS))


class CaptureLoader(QObject):
    """Loads one capture at a time; starting a new load cancels the previous one.

    `started(store)` comes with the first events, `grew()` after each slice of them was added, then
    one of `loaded(store)` (complete), `failed(message)` or `cancelled()`. A capture without any
    WebSocket events sends only `loaded`.
    """

    progressed = Signal(int)
    started = Signal(object)  # SessionStore, still filling
    grew = Signal()
    loaded = Signal(object)  # SessionStore
    failed = Signal(str)
    cancelled = Signal()
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
        self._cancel = threading.Event()
        self._shown = threading.Event()  # the current load's first rows are shown
        self._number = 0  # of the current load
        self._shown_busy = False
        self._store: SessionStore | None = None
        self._announced = False
        self._grown_at = 0.0
        self._switch_interval: float | None = None  # the interpreter's own, while a load runs
        self._pending: deque[StoreTail] = deque()
        self._ending: tuple[int, bool] | None = None  # the worker's result, held until every batch is in
        self._drain = QTimer(self)
        self._drain.setSingleShot(True)
        self._drain.setInterval(0)
        self._drain.timeout.connect(self._add_slice)

    @property
    def busy(self) -> bool:
        return self._thread is not None or self._store is not None

    def load(self, path: str) -> None:
        self._cancel.set()
        self.wait()
        if self._store is not None:  # the previous load was still being shown
            self._abandon()
            self.cancelled.emit()
        self._cancel = threading.Event()
        self._shown = threading.Event()
        self._number += 1
        # What exists now (the window, Qt's wrappers, the capture shown) outlives the load: keep the
        # collector's full passes, which the decoder's short-lived objects set off every few hundred
        # milliseconds, from walking all of it each time. Undone when the load ends.
        gc.freeze()
        if self._switch_interval is None:
            self._switch_interval = sys.getswitchinterval()
            sys.setswitchinterval(LOADING_SWITCH_SECONDS)
        decoding = SessionStore(path)
        self._store = decoding.follower(path)
        self._announced = False
        self._pending.clear()
        self._ending = None
        thread = QThread(self)
        worker = _Worker(self._number, path, self._cancel, self._shown, decoding)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.progressed.connect(self._on_progressed)
        worker.batch.connect(self._on_batch)
        worker.done.connect(self._on_done)
        worker.failed.connect(self._on_failed)
        worker.cancelled.connect(self._on_cancelled)
        for signal in (worker.done, worker.failed, worker.cancelled):
            signal.connect(thread.quit)
        # Bound to this thread: a late `finished` from an earlier load must not tear down a newer one.
        thread.finished.connect(lambda: self._release(thread))
        self._thread, self._worker = thread, worker
        self._busy_check()
        thread.start()

    def cancel(self) -> None:
        self._cancel.set()
        if self._store is not None and self._thread is None:  # read, but batches still being added
            self._abandon()
            self.cancelled.emit()

    def wait(self) -> None:
        if self._thread is not None:
            thread = self._thread
            thread.quit()
            thread.wait()
            self._release(thread)

    @Slot(int, int)
    def _on_progressed(self, number: int, steps: int) -> None:
        if number == self._number:
            self.progressed.emit(steps)

    @Slot(int, object, float)
    def _on_batch(self, number: int, tail: StoreTail, start: float) -> None:
        if number != self._number or self._store is None or self._cancel.is_set():
            return
        self._store.times.see(start)
        self._pending.append(tail)
        if not self._drain.isActive():
            self._drain.start()

    @Slot()
    def _add_slice(self) -> None:
        """Absorb posted tails for at most SLICE_SECONDS, then let the event loop run."""
        store = self._store
        if store is None:
            return
        # Until the first rows are shown, one tail per slice: showing them (every pane's first paint) is a
        # slice of its own.
        deadline = time.monotonic() + (SLICE_SECONDS if self._announced else 0.0)
        pending = self._pending
        while pending:  # at least one batch per slice, so every slice makes progress
            store.absorb(pending.popleft())
            if time.monotonic() >= deadline:
                break
        now = time.monotonic()
        if not self._announced and store.events:
            self._announced = True
            self._grown_at = now
            self.started.emit(store)
            # Timers run after the events posted meanwhile: the panes' first paint comes before the worker goes on.
            QTimer.singleShot(0, self._shown.set)
        elif self._announced and now - self._grown_at >= GROW_SECONDS:
            # Every announcement repaints the tables: a few per second keep up with the reading.
            self._grown_at = now
            self.grew.emit()
        if pending:
            self._drain.start()
        elif self._ending is not None:
            self._complete()

    @Slot(int, int, bool)
    def _on_done(self, number: int, packets: int, truncated: bool) -> None:
        if number != self._number or self._store is None:
            return
        self._ending = (packets, truncated)
        if not self._pending and not self._drain.isActive():
            self._complete()

    def _complete(self) -> None:
        store, ending = self._store, self._ending
        assert store is not None and ending is not None
        store.packets, store.truncated = ending
        store.finish()
        self._end_loading()
        self._store = None
        self._ending = None
        self.loaded.emit(store)
        self._busy_check()

    @Slot(int, str)
    def _on_failed(self, number: int, message: str) -> None:
        if number != self._number:
            return
        self._abandon()
        self.failed.emit(message)

    @Slot(int)
    def _on_cancelled(self, number: int) -> None:
        if number != self._number or self._store is None:
            return
        self._abandon()
        self.cancelled.emit()

    def _abandon(self) -> None:
        self._end_loading()
        self._drain.stop()
        self._pending.clear()
        self._store = None
        self._ending = None
        self._busy_check()

    def _end_loading(self) -> None:
        gc.unfreeze()
        if self._switch_interval is not None:
            sys.setswitchinterval(self._switch_interval)
            self._switch_interval = None

    def _release(self, thread: QThread) -> None:
        if thread is not self._thread:
            return
        thread.deleteLater()
        if self._worker is not None:
            self._worker.deleteLater()
        self._thread = self._worker = None
        self._busy_check()

    def _busy_check(self) -> None:
        if self.busy != self._shown_busy:
            self._shown_busy = self.busy
            self.busy_changed.emit(self._shown_busy)
