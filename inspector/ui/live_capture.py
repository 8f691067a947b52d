"""A live capture feeding the window: the engine `inspector capture` uses, run off the GUI thread.

LiveDecoding (capture/live.py) opens the packet ring in `start()` (so a missing privilege or a bad
filter is one CaptureError at once), then a worker thread here iterates its `events()`: the reader
process takes packets off the ring, the worker decodes them in batches and queues each batch's events.
The GUI thread never waits on the socket: a timer takes what is queued every POLL_MS and adds it
to a SessionStore, which the window shows as it grows (`SessionModel.begin_store`, then `grow`), the
way a file being loaded is shown. Stopping the reader (which drains the kernel first) happens on a
thread of its own too. The raw packets are kept, so the capture can be saved as pcapng at any time.
"""

from __future__ import annotations

import os
import threading
from collections import deque

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ..capture.live import CaptureError, LiveDecoding
from ..capture.packets import RawPacket
from ..capture.pcapng_writer import write_pcapng
from ..errors import InspectorError
from ..session.events import SessionEvent
from ..session.store import SessionStore

POLL_MS = 50  # how often the GUI thread takes the decoded batches


class LiveCapture(QObject):
    """One live capture at a time. `started(store)` once its first events are in the store, `grew()` after
    each later batch, `counts_changed(packets, frames, drops)` as it goes, then `finished(store, error)`
    (error "" when it ended normally) once it stopped and every batch is in."""

    started = Signal(object)  # SessionStore, still filling
    grew = Signal()
    counts_changed = Signal(int, int, int)
    finished = Signal(object, str)  # SessionStore, one-line error or ""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.engine: LiveDecoding | None = None
        self.store: SessionStore | None = None
        self.packets: list[RawPacket] = []  # everything captured, for saving as pcapng
        self._lock = threading.Lock()  # guards `packets` and the queue between the worker and the GUI thread
        self._queue: deque[tuple[float, list[SessionEvent]]] = deque()
        self._worker: threading.Thread | None = None
        self._error = ""
        self._worker_done = False
        self._announced = False
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._take)

    @property
    def running(self) -> bool:
        return self.engine is not None

    def start(self, iface: str, bpf: str) -> None:
        """Begin capturing on `iface` with the BPF filter `bpf` ("" for none); raises CaptureError at once
        when capturing cannot start (privilege, interface, filter)."""
        if self.running:
            raise InspectorError("a live capture is already running")
        try:
            store = SessionStore(f"live capture on {iface}")
        except OSError as error:  # no room for its temporary file: said before anything starts
            reason = error.strerror or error
            raise CaptureError(f"cannot capture: no temporary file for the frames ({reason})") from error
        engine = LiveDecoding(iface, bpf.strip() or None, on_packets=self._keep)
        engine.start()
        self.engine = engine
        self.store = store
        self.packets = []
        self._queue.clear()
        self._error = ""
        self._worker_done = False
        self._announced = False
        self._worker = threading.Thread(target=self._decode, args=(engine,), name=f"live {iface}", daemon=True)
        self._worker.start()
        self._timer.start()

    def stop(self) -> None:
        """Ask the capture to end without waiting for it; `finished` follows once the last batch is in."""
        engine = self.engine
        if engine is not None:
            threading.Thread(target=engine.stop, name="live stop", daemon=True).start()

    def wait(self) -> None:
        """Stop and block until the worker ended (closing the window); the queued batches are dropped."""
        engine, worker = self.engine, self._worker
        if engine is not None:
            engine.stop()
        if worker is not None:
            worker.join()
        self._timer.stop()
        self.engine = None

    def _keep(self, batch: list[RawPacket]) -> None:  # the worker thread
        with self._lock:
            self.packets += batch

    def _decode(self, engine: LiveDecoding) -> None:  # the worker thread
        try:
            for events in engine.events():
                first = self.packets[0].time if self.packets else 0.0
                with self._lock:
                    self._queue.append((first, events))
        except InspectorError as error:
            self._error = str(error)
        except Exception as error:  # a bug must still end as one line, not a dead thread
            self._error = f"live capture failed ({type(error).__name__}: {error})"
        finally:
            self._worker_done = True

    @Slot()
    def _take(self) -> None:
        """The GUI thread: add what the worker decoded since the last tick, and end once it is done."""
        store, engine = self.store, self.engine
        if store is None or engine is None:
            return
        done = self._worker_done  # read first: every batch queued before it was set is taken below
        with self._lock:
            batches = list(self._queue)
            self._queue.clear()
        for first, events in batches:
            store.times.see(first)
            store.extend(events)
        if batches:
            if not self._announced and store.events:
                self._announced = True
                self.started.emit(store)
            elif self._announced:
                self.grew.emit()
        self.counts_changed.emit(engine.packets_read, store.frame_count, engine.kernel_drops)
        if done:
            self._timer.stop()
            if self._worker is not None:
                self._worker.join()
            store.packets = engine.packets_read
            store.finish()
            self.engine = None
            self.finished.emit(store, self._error)

    def save(self, path: str | os.PathLike[str]) -> int:
        """Write every packet captured so far as pcapng (also while capturing); returns the packet count."""
        with self._lock:
            packets = list(self.packets)
        return write_pcapng(os.fspath(path), packets)
