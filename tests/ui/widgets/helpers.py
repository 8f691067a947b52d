"""Frames from the real captures in resources/captures/, for the widget tests."""

from __future__ import annotations

from pathlib import Path

from inspector.capture.load import load_capture
from inspector.session.store import FrameRecord

CAPTURES = Path(__file__).resolve().parents[3] / "resources" / "captures"


def capture_records(name: str) -> list[FrameRecord]:
    """Every frame record of capture `name`, all connections, in capture order."""
    store = load_capture(CAPTURES / name)
    return sorted((r for c in store.connections for r in c.frames), key=lambda r: (r.time, r.frame.index))
