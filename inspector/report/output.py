"""What every writer of session events shares: lines batched into few writes, the connections seen,
the time base, and the filter to one connection. A writer is an EventHandler: each event calls the
method for its kind (`deliver`), so no writer switches on event types by hand.
"""

from __future__ import annotations

from typing import Final, TextIO

from inspector.session.events import EventHandler, SessionEvent
from inspector.session.timebase import TimeBase

OUTPUT_BATCH: Final = 512  # lines written at once: one write() per line costs more than the formatting


class EventWriter(EventHandler):
    """Writes events as lines on `stream`; subclasses say what line each kind of event makes."""

    def __init__(self, stream: TextIO, payload: bool) -> None:
        self.stream = stream
        self.payload = payload
        self.lines: list[str] = []
        self.seen: set[int] = set()  # ids of the connections written
        self.times = TimeBase()  # relative times count from the capture's first packet

    def event(self, event: SessionEvent) -> None:
        event.deliver(self)
        if len(self.lines) >= OUTPUT_BATCH:
            self.flush()

    def write_all(self, events: list[SessionEvent], wanted: int | None) -> None:
        """Write the events of connection `wanted` (of every connection when None)."""
        for event in events:
            if wanted is None or event.connection.id == wanted:
                event.deliver(self)
        if len(self.lines) >= OUTPUT_BATCH:
            self.flush()

    def flush(self) -> None:
        if self.lines:
            self.lines.append("")
            self.stream.write("\n".join(self.lines))
            self.lines.clear()

    def close(self) -> None:
        self.flush()
        self.stream.flush()
