"""The one base for the relative times a person reads: seconds since the capture's first packet.

Wireshark's Time column counts from the first packet of the file, whatever protocol it carries. The
window's frame table, the `dump` listing and the live `capture` listing count the same way, so a
frame shows the same time in all of them and in Wireshark. JSON output keeps absolute timestamps.
"""

from __future__ import annotations


class TimeBase:
    """Give it packet times in capture order (`see`); it turns any later time into seconds since the first."""

    __slots__ = ("start",)

    def __init__(self) -> None:
        self.start: float | None = None  # the first packet's time, seconds since the epoch

    def see(self, packet_time: float) -> None:
        """Note a packet's time; only the first one counts."""
        if self.start is None:
            self.start = packet_time

    def since_start(self, time: float) -> float:
        return time - self.start if self.start is not None else 0.0
