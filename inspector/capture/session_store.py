"""Decoded traffic kept in memory for browsing: connections, their frames and messages.

The dump streams events and forgets them; a viewer needs to go back to any frame. This store is
plain data (no Qt), filled from session events, so the GUI's models stay thin adapters over it.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import InspectorError
from ..protocol.frame import Frame
from ..protocol.messages import Message
from ..session.events import Connection, FrameSeen, MessageSeen, NoteSeen, SessionEvent
from .pcapfile import CaptureFile
from .pipeline import CaptureDecoder

# Per-record overhead in pcap/pcapng files, used only to estimate progress from packet sizes.
_RECORD_OVERHEAD = 16
# How many packets pass between two progress reports (and cancellation checks).
PROGRESS_EVERY = 2000


class LoadCancelled(InspectorError):
    """The user stopped loading a capture."""


@dataclass(slots=True, eq=False)
class FrameRecord:
    frame: Frame
    packets: list[int]
    time: float
    message: Message | None = None  # the data message this frame belongs to, once it completed


@dataclass(eq=False)
class ConnectionRecord:
    connection: Connection
    first_time: float
    frames: list[FrameRecord] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    notes: list[NoteSeen] = field(default_factory=list)
    _by_index: dict[int, FrameRecord] = field(default_factory=dict, repr=False)

    @property
    def id(self) -> int:
        return self.connection.id

    def violation_count(self) -> int:
        count = len(self.connection.violations)
        count += sum(len(r.frame.violations) for r in self.frames)
        return count + sum(len(m.violations) for m in self.messages)

    def add_frame(self, record: FrameRecord) -> None:
        self.frames.append(record)
        self._by_index[record.frame.index] = record

    def add_message(self, message: Message) -> None:
        self.messages.append(message)
        for index in message.frame_indices:
            record = self._by_index.get(index)
            if record is not None:
                record.message = message


class SessionStore:
    def __init__(self, source: str = "") -> None:
        self.source = source
        self.connections: list[ConnectionRecord] = []
        self._by_id: dict[int, ConnectionRecord] = {}
        self.packets = 0

    def add(self, event: SessionEvent) -> None:
        record = self._by_id.get(event.connection.id)
        if record is None:
            record = ConnectionRecord(event.connection, event.time)
            self._by_id[event.connection.id] = record
            self.connections.append(record)
        if type(event) is FrameSeen:
            record.add_frame(FrameRecord(event.frame, event.packets, event.time))
        elif type(event) is MessageSeen:
            record.add_message(event.message)
        elif type(event) is NoteSeen:
            record.notes.append(event)

    @property
    def frame_count(self) -> int:
        return sum(len(c.frames) for c in self.connections)


def load_capture(
    path: str | os.PathLike[str],
    *,
    progress: Callable[[float], None] | None = None,
    cancel: threading.Event | None = None,
) -> SessionStore:
    """Read and decode a whole capture file into a store. Raises CaptureFileError or LoadCancelled."""
    store = SessionStore(os.fspath(path))
    total = max(os.path.getsize(path), 1)
    decoder = CaptureDecoder()
    consumed = 0
    with CaptureFile(path) as capture:
        for count, packet in enumerate(capture, 1):
            for event in decoder.feed(packet):
                store.add(event)
            consumed += len(packet.data) + _RECORD_OVERHEAD
            if count % PROGRESS_EVERY == 0:
                if cancel is not None and cancel.is_set():
                    raise LoadCancelled("loading was cancelled")
                if progress is not None:
                    progress(min(consumed / total, 1.0))
        store.packets = decoder.packets
    for event in decoder.finish():
        store.add(event)
    if progress is not None:
        progress(1.0)
    return store
