"""Packets to session events, for a whole file or as they arrive: the producer that the window's
loader, `inspector capture` and the tests share, so a live capture and its saved file give the
same events."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator

from ..session.events import SessionEvent
from ..session.store import SessionStore
from ..session.timebase import TimeBase
from .packets import RawPacket
from .pcapfile import CaptureFile
from .pipeline import CaptureDecoder

# Per-record overhead in pcap/pcapng files, used only to estimate progress from packet sizes.
_RECORD_OVERHEAD = 16
# How many packets pass between two progress reports.
PROGRESS_EVERY = 2000
# Events load_capture hands its store at a time: a store adds a batch for much less than its events one by one.
STORE_BATCH_EVENTS = 256


def packet_events(packets: Iterable[RawPacket], decoder: CaptureDecoder) -> Iterator[list[SessionEvent]]:
    """The events each packet completed, one list per packet that completed any, then those that the
    end of the traffic completes (truncated frames, unfinished messages, the closes)."""
    for packet in packets:
        events = decoder.feed(packet)
        if events:
            yield events
    final = decoder.finish()
    if final:
        yield final


def batch_events(batches: Iterable[list[RawPacket]], decoder: CaptureDecoder) -> Iterator[list[SessionEvent]]:
    """packet_events for packets that arrive in batches (live capture): the events of each batch in one
    list, so a consumer writes or shows them once per batch, then those that the end completes."""
    feed = decoder.feed
    for batch in batches:
        events = [event for packet in batch for event in feed(packet)]
        if events:
            yield events
    final = decoder.finish()
    if final:
        yield final


def decode_packets(packets: Iterable[RawPacket], *, inflate_limit: int | None = None) -> Iterator[SessionEvent]:
    """Every event of a packet source, in order."""
    for events in packet_events(packets, CaptureDecoder(inflate_limit=inflate_limit)):
        yield from events


class StoreFeeder:
    """Gives a store the events of each packet in lists of `size`: a store adds a list for much less per
    event than a few events at a time. `flush` gives it the rest."""

    def __init__(self, store: SessionStore, size: int = STORE_BATCH_EVENTS) -> None:
        self._store = store
        self._size = size
        self._pending: list[SessionEvent] = []

    def add(self, events: list[SessionEvent]) -> bool:
        """Gather `events`; True when the store was given what was gathered."""
        pending = self._pending
        pending += events
        if len(pending) < self._size:
            return False
        self.flush()
        return True

    def flush(self) -> None:
        if self._pending:
            self._store.extend(self._pending)
            self._pending = []


def stream_capture(
    path: str | os.PathLike[str],
    deliver: Callable[[list[SessionEvent]], None],
    times: TimeBase,
    *,
    progress: Callable[[float], None] | None = None,
) -> tuple[int, bool]:
    """Read and decode a capture file, handing `deliver` its events in order, in lists of any size;
    `times` sees every packet's time before the events it completes are delivered. Returns (complete
    packets, whether the file ends inside a packet record). Raises CaptureFileError. (The window cancels a
    load by ending the process that runs this: capture/load_process.py.)"""
    decoder = CaptureDecoder()

    def watched(capture: CaptureFile) -> Iterator[RawPacket]:
        total = max(capture.size, 1)
        consumed = 0
        for count, packet in enumerate(capture, 1):
            times.see(packet.time)
            yield packet
            consumed += len(packet.data) + _RECORD_OVERHEAD
            if count % PROGRESS_EVERY == 0 and progress is not None:
                progress(min(consumed / total, 1.0))

    with CaptureFile(path) as capture:  # opened first: a missing or unreadable file is a CaptureFileError
        for events in packet_events(watched(capture), decoder):
            deliver(events)
        truncated = capture.truncated
    if progress is not None:
        progress(1.0)
    return decoder.packets, truncated


def load_capture(
    path: str | os.PathLike[str],
    *,
    progress: Callable[[float], None] | None = None,
) -> SessionStore:
    """Read and decode a whole capture file into a store. Raises CaptureFileError."""
    store = SessionStore(os.fspath(path))
    feeder = StoreFeeder(store)
    store.packets, store.truncated = stream_capture(path, feeder.add, store.times, progress=progress)
    feeder.flush()
    store.finish()
    return store
