"""Servers the client tests talk to: the lab server (the `websockets` library) on 127.0.0.1, in a thread."""

from __future__ import annotations

import asyncio
import io
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest

from inspector.lab.server import LabServer


@contextmanager
def running(make: Callable[[asyncio.Future[None], Callable[[str], None]], Any]) -> Iterator[str]:
    """Run `make(stop, ready)` (a coroutine that serves until `stop` is done) in its own thread and loop."""
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    urls: list[str] = []
    stops: list[asyncio.Future[None]] = []

    def main() -> None:
        asyncio.set_event_loop(loop)
        stop = loop.create_future()
        stops.append(stop)

        def on_ready(url: str) -> None:
            urls.append(url)
            ready.set()

        loop.run_until_complete(make(stop, on_ready))

    thread = threading.Thread(target=main, daemon=True)
    thread.start()
    assert ready.wait(10), "the server did not start"
    try:
        yield urls[0]
    finally:
        loop.call_soon_threadsafe(stops[0].set_result, None)
        thread.join(10)
        loop.close()


@contextmanager
def lab(**options: Any) -> Iterator[tuple[LabServer, str]]:
    """A lab server on a free port; its log goes to `server.out` (a StringIO)."""
    server = LabServer(host="127.0.0.1", port=0, out=io.StringIO(), **options)
    with running(lambda stop, ready: server.run(ready, stop)) as url:
        yield server, url


@pytest.fixture(scope="module")
def echo_url() -> Iterator[str]:
    with lab(mode="echo") as (_, url):
        yield url
