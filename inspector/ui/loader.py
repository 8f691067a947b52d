"""Loading a capture off the GUI thread, with progress and cancellation.

The worker only decodes and emits signals; it never touches a widget (Qt forbids it, and the
window must stay responsive on a million-frame file).
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QObject, QThread, Signal, Slot

from ..capture.load import LoadCancelled, load_capture
from ..errors import InspectorError
from ..session.store import SessionStore

PROGRESS_STEPS = 1000


class _Worker(QObject):
    progressed = Signal(int)  # 0..PROGRESS_STEPS
    loaded = Signal(object)  # SessionStore
    failed = Signal(str)  # one line for the user
    cancelled = Signal()

    def __init__(self, path: str, cancel: threading.Event) -> None:
        super().__init__()
        self._path = path
        self._cancel = cancel

    @Slot()
    def run(self) -> None:
        try:
            store = load_capture(self._path, progress=self._report, cancel=self._cancel)
        except LoadCancelled:
            self.cancelled.emit()
        except InspectorError as error:
            self.failed.emit(str(error))
        except Exception as error:  # a bug must still end as one line, not a dead thread
            self.failed.emit(f"{self._path}: could not be decoded ({type(error).__name__}: {error})")
        else:
            self.loaded.emit(store)

    def _report(self, fraction: float) -> None:
        self.progressed.emit(int(fraction * PROGRESS_STEPS))


class CaptureLoader(QObject):
    """Loads one capture at a time; starting a new load cancels the previous one."""

    progressed = Signal(int)
    loaded = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    busy_changed = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: _Worker | None = None
        self._cancel = threading.Event()

    @property
    def busy(self) -> bool:
        return self._thread is not None

    def load(self, path: str) -> None:
        self.cancel()
        self.wait()
        self._cancel = threading.Event()
        thread = QThread(self)
        worker = _Worker(path, self._cancel)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        worker.progressed.connect(self.progressed)
        worker.loaded.connect(self._on_loaded)
        worker.failed.connect(self._on_failed)
        worker.cancelled.connect(self._on_cancelled)
        for signal in (worker.loaded, worker.failed, worker.cancelled):
            signal.connect(thread.quit)
        # Bound to this thread: a late `finished` from an earlier load must not tear down a newer one.
        thread.finished.connect(lambda: self._release(thread))
        self._thread, self._worker = thread, worker
        self.busy_changed.emit(True)
        thread.start()

    def cancel(self) -> None:
        self._cancel.set()

    def wait(self) -> None:
        if self._thread is not None:
            thread = self._thread
            thread.quit()
            thread.wait()
            self._release(thread)

    @Slot(object)
    def _on_loaded(self, store: SessionStore) -> None:
        self.loaded.emit(store)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.failed.emit(message)

    @Slot()
    def _on_cancelled(self) -> None:
        self.cancelled.emit()

    def _release(self, thread: QThread) -> None:
        if thread is not self._thread:
            return
        thread.deleteLater()
        if self._worker is not None:
            self._worker.deleteLater()
        self._thread = self._worker = None
        self.busy_changed.emit(False)
