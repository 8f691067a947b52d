"""A position in a session and the moves a viewer or a playback makes: step by event, frame, message
or connection (over the whole session or one connection), jump to a time, and the state a connection
was in at any event. Qt-free; the store's position lists make each step a bisect.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from ..protocol.connection import CLOSE_TRANSITIONS, CloseState
from ..protocol.constants import Direction
from .events import SessionEvent
from .store import SessionStore

PENDING = "pending"  # opened, the handshake not complete yet
ACCEPTED = "accepted"
REFUSED = "refused"
NOT_CAPTURED = "not captured"  # frames came first: the capture began after the handshake


class Unit(Enum):
    EVENT = "event"
    FRAME = "frame"
    MESSAGE = "message"
    CONNECTION = "connection"


@dataclass(frozen=True)
class ConnectionState:
    """What a connection looked like just after one event, replayed from its events up to there."""

    opened: bool
    handshake: str  # PENDING, ACCEPTED, REFUSED or NOT_CAPTURED
    close: CloseState
    frames: int
    messages: int
    ended: bool  # its ConnectionClosed was seen
    closed_by: Direction | None = None  # who sent the first Close frame


class Cursor:
    """A position in `store.events` (-1: before the first event)."""

    def __init__(self, store: SessionStore, position: int = -1) -> None:
        self.store = store
        self.position = position

    @property
    def event(self) -> SessionEvent | None:
        return self.store.events[self.position] if 0 <= self.position < len(self.store.events) else None

    def positions(self, unit: Unit, connection: int | None = None) -> Sequence[int]:
        """The positions a step of `unit` can land on, for one connection or the whole session."""
        store = self.store
        if unit is Unit.CONNECTION:
            return store.opened_positions
        if connection is None:
            if unit is Unit.FRAME:
                return store.frame_positions
            if unit is Unit.MESSAGE:
                return store.message_positions
            return range(len(store.events))
        view = store.by_id.get(connection)
        if view is None:
            return []
        if unit is Unit.FRAME:
            return view.frame_positions
        if unit is Unit.MESSAGE:
            return view.message_positions
        return view.positions

    def step(self, unit: Unit, delta: int = 1, *, connection: int | None = None) -> bool:
        """Move `delta` units forward (or back when negative). False, and no move, past either end."""
        positions = self.positions(unit, connection)
        if delta >= 0:
            index = bisect_right(positions, self.position) + delta - 1
        else:
            index = bisect_left(positions, self.position) + delta
        if not 0 <= index < len(positions) or delta == 0:
            return False
        self.position = positions[index]
        return True

    def seek_time(self, time: float) -> int:
        """Go to the last event that happened at or before `time` (-1 when none did); returns the position."""
        self.position = bisect_right(self.store.running_time, time) - 1
        return self.position

    def state(self, connection: int, at: int | None = None) -> ConnectionState:
        """Connection `connection` just after the event at position `at` (the cursor's when None).

        Read from what the store keeps per connection (where it opened, its handshakes, its first
        Close frame each way, its frame and message positions), so any position costs a few bisects."""
        at = self.position if at is None else at
        view = self.store.by_id.get(connection)
        if view is None or not view.positions or view.positions[0] > at:
            return ConnectionState(False, PENDING, CloseState.OPEN, 0, 0, False, None)
        opened = view.opened_at is not None and view.opened_at <= at
        frames = bisect_right(view.frame_positions, at)
        messages = bisect_right(view.message_positions, at)
        handshake = PENDING
        for position, refused in view.handshakes:
            if position <= at:
                handshake = REFUSED if refused else ACCEPTED
        if handshake == PENDING and frames:
            handshake = NOT_CAPTURED
        close = CloseState.OPEN
        first_closer: Direction | None = None
        for number, (position, direction) in enumerate(view.first_closes):
            if position <= at:
                if first_closer is None:
                    first_closer = direction
                step = "close-sent" if number == 0 else "close-answered"
                close = CLOSE_TRANSITIONS.get((close, step), close)
        ended = view.closed_at is not None and view.closed_at <= at
        return ConnectionState(opened, handshake, close, frames, messages, ended, first_closer)
