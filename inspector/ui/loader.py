"""Loading a capture off the GUI thread, with progress and cancellation, shown while it is read.

A child process decodes the file (capture/load_process.py) and sends what its store gained in batches
(`StoreTail`s); a reader thread here takes them off the pipe, so neither decoding nor waiting for it ever
holds the GUI thread or its interpreter. The GUI thread appends the tails to the store it shows in slices
of bounded time between which the event loop runs, so the first rows show at once and the window answers
all through a million-frame file.
"""

from __future__ import annotations

import threading
import time
from collections import deque

from PySide6.QtCore import QObject, QThread, QTimer, Signal, Slot

from ..capture.load_process import LoadProcess
from ..session.spill import Spill
from ..session.store import SessionStore, StoreTail
from ..session.transfer import ConnectionFacts, SessionReader

PROGRESS_STEPS = 1000
# A batch the child sends holds at most this many events (or what it decoded in 20 ms): a few batches per
# second of decoding, each cheap to add.
BATCH_EVENTS = 8192
# The GUI thread adds posted batches for at most this long before the event loop runs again.
SLICE_SECONDS = 0.03
# The window is told that the store grew at most this often while it loads (and when it is complete).
GROW_SECONDS = 0.25


class _Reader(QObject):
    """Reads the child's messages on a thread of its own and hands them to the GUI thread as signals."""

    # Each signal carries the load's number first: an earlier load's late signals are ignored.
    progressed = Signal(int, int)  # 0..PROGRESS_STEPS
    batch = Signal(int, object, object, float)  # StoreTail, its connections' facts, the first packet's time
    done = Signal(int, int, bool, object)  # complete packets, truncated, the last facts
    failed = Signal(int, str)  # one line for the user
    cancelled = Signal(int)

    def __init__(self, number: int, process: LoadProcess, cancel: threading.Event) -> None:
        super().__init__()
        self._number = number
        self._process = process
        self._cancel = cancel

    @Slot()
    def run(self) -> None:
        number = self._number
        ending: tuple[str, tuple[object, ...], list[ConnectionFacts]] = ("cancelled", (), [])
        try:
            for kind, values, facts in self._process.messages():
                if self._cancel.is_set():
                    break
                if kind == "batch":
                    tail, start = values
                    self.batch.emit(number, tail, facts, start)
                elif kind == "progress":
                    self.progressed.emit(number, int(values[0] * PROGRESS_STEPS))
                else:
                    ending = (kind, values, facts)
                    break
        except Exception as error:  # a bug must still end as one line, not a dead thread
            if not self._cancel.is_set():
                line = f"{self._process.path}: could not be decoded ({type(error).__name__}: {error})"
                ending = ("failed", (line,), [])
        self._process.stop()  # before the end is told: once loaded, the child is gone
        kind, values, facts = ending
        if kind == "done":
            self.done.emit(number, values[0], values[1], facts)
        elif kind == "failed":
            self.failed.emit(number, str(values[0]))
        else:
            self.cancelled.emit(number)


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
        self._reader: _Reader | None = None
        self._process: LoadProcess | None = None
        self._sessions = SessionReader()  # the current load's connections, kept from one batch to the next
        self._cancel = threading.Event()
        self._number = 0  # of the current load
        self._shown_busy = False
        self._store: SessionStore | None = None
        self._announced = False
        self._grown_at = 0.0
        self._pending: deque[tuple[StoreTail, list[ConnectionFacts]]] = deque()
        # The child's result and its connections' last facts, held until every batch is in.
        self._ending: tuple[int, bool, list[ConnectionFacts]] | None = None
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
        self._number += 1
        spill: Spill | None = None
        try:
            spill = Spill()  # the child writes the frames' bytes to it; the store reads them back
            process = LoadProcess(path, spill, BATCH_EVENTS)
        except OSError as error:  # no temporary file (a full or missing temporary directory), or no process
            if spill is not None:
                spill.close()
            self.failed.emit(f"{path}: could not start decoding ({error.strerror or error})")
            return
        self._store = SessionStore(path, spill)
        self._sessions = process.reader
        self._announced = False
        self._pending.clear()
        self._ending = None
        thread = QThread(self)
        reader = _Reader(self._number, process, self._cancel)
        reader.moveToThread(thread)
        thread.started.connect(reader.run)
        reader.progressed.connect(self._on_progressed)
        reader.batch.connect(self._on_batch)
        reader.done.connect(self._on_done)
        reader.failed.connect(self._on_failed)
        reader.cancelled.connect(self._on_cancelled)
        for signal in (reader.done, reader.failed, reader.cancelled):
            signal.connect(thread.quit)
        # Bound to this thread: a late `finished` from an earlier load must not tear down a newer one.
        thread.finished.connect(lambda: self._release(thread))
        self._thread, self._reader, self._process = thread, reader, process
        self._busy_check()
        thread.start()

    def cancel(self) -> None:
        self._cancel.set()
        if self._process is not None:
            self._process.stop()  # the reader sees the end of the child's output and stops
        if self._store is not None and self._thread is None:  # read, but batches still being added
            self._abandon()
            self.cancelled.emit()

    def wait(self) -> None:
        """Wait for the reader thread to end (after a cancel: at once; otherwise once the child is done)."""
        if self._thread is not None:
            if self._cancel.is_set() and self._process is not None:
                self._process.stop()
            thread = self._thread
            thread.quit()
            thread.wait()
            self._release(thread)

    @Slot(int, int)
    def _on_progressed(self, number: int, steps: int) -> None:
        if number == self._number:
            self.progressed.emit(steps)

    @Slot(int, object, object, float)
    def _on_batch(self, number: int, tail: StoreTail, facts: list[ConnectionFacts], start: float) -> None:
        if number != self._number or self._store is None or self._cancel.is_set():
            return
        self._store.times.see(start)
        self._pending.append((tail, facts))
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
            tail, facts = pending.popleft()
            self._sessions.apply(facts)  # here, not on the reader's thread: the panes read the connections
            store.absorb(tail)
            if time.monotonic() >= deadline:
                break
        now = time.monotonic()
        if not self._announced and store.events:
            self._announced = True
            self._grown_at = now
            self.started.emit(store)
        elif self._announced and now - self._grown_at >= GROW_SECONDS:
            # Every announcement repaints the tables: a few per second keep up with the reading.
            self._grown_at = now
            self.grew.emit()
        if pending:
            self._drain.start()
        elif self._ending is not None:
            self._complete()

    @Slot(int, int, bool, object)
    def _on_done(self, number: int, packets: int, truncated: bool, facts: list[ConnectionFacts]) -> None:
        if number != self._number or self._store is None:
            return
        self._ending = (packets, truncated, facts)
        if not self._pending and not self._drain.isActive():
            self._complete()

    def _complete(self) -> None:
        store, ending = self._store, self._ending
        assert store is not None and ending is not None
        store.packets, store.truncated, facts = ending
        self._sessions.apply(facts)
        store.finish()
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
        self._drain.stop()
        self._pending.clear()
        self._store = None
        self._ending = None
        self._busy_check()

    def _release(self, thread: QThread) -> None:
        if thread is not self._thread:
            return
        thread.deleteLater()
        if self._reader is not None:
            self._reader.deleteLater()
        self._thread, self._reader, self._process = None, None, None
        self._busy_check()

    def _busy_check(self) -> None:
        if self.busy != self._shown_busy:
            self._shown_busy = self.busy
            self.busy_changed.emit(self._shown_busy)
