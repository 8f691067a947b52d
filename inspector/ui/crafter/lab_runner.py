"""The bundled lab server run inside the window's process, on a thread of its own, so the crafter works offline."""

from __future__ import annotations

import asyncio
import io
import threading
from typing import Final

from ...lab.server import DEFAULT_HOST, LabServer

START_TIMEOUT: Final = 10.0


class LabRunner:
    """One lab server on 127.0.0.1 and a free port; `start` returns its URL, `stop` ends it."""

    def __init__(self, mode: str = "echo") -> None:
        self.server = LabServer(host=DEFAULT_HOST, port=0, mode=mode, out=io.StringIO())
        self._loop = asyncio.new_event_loop()
        self._stop: asyncio.Future[None] | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._main, name=f"lab-{mode}", daemon=True)
        self._failure: BaseException | None = None

    @property
    def mode(self) -> str:
        return self.server.mode

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def running(self) -> bool:
        return self._thread.is_alive() and self._ready.is_set()

    def log(self) -> str:
        """What the server printed so far (connections, broken rules)."""
        out = self.server.out
        return out.getvalue() if isinstance(out, io.StringIO) else ""

    def start(self) -> str:
        self._thread.start()
        if not self._ready.wait(START_TIMEOUT) or not self.server.url:
            raise OSError(f"the lab server did not start: {self._failure or 'no answer'}")
        return self.server.url

    def stop(self) -> None:
        if self._stop is not None and self._thread.is_alive():
            self._loop.call_soon_threadsafe(self._stop.set_result, None)
            self._thread.join(START_TIMEOUT)

    def _main(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._stop = self._loop.create_future()
        try:
            self._loop.run_until_complete(self.server.run(lambda _url: self._ready.set(), self._stop))
        except OSError as error:
            self._failure = error
        finally:
            self._ready.set()
            self._loop.close()
