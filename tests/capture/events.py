"""Helpers that pick session events apart in tests."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeVar

from inspector.protocol.frame import Frame
from inspector.protocol.messages import Message
from inspector.session.events import Connection, ConnectionOpened, FrameSeen, MessageSeen, SessionEvent

E = TypeVar("E", bound=SessionEvent)


def of_type(events: Iterable[SessionEvent], cls: type[E]) -> list[E]:
    """The events of exactly this class, in order."""
    return [e for e in events if type(e) is cls]


def connections(events: Iterable[SessionEvent]) -> list[Connection]:
    return [e.connection for e in of_type(events, ConnectionOpened)]


def frames(events: Iterable[SessionEvent]) -> list[Frame]:
    return [e.frame for e in of_type(events, FrameSeen)]


def messages(events: Iterable[SessionEvent]) -> list[Message]:
    return [e.message for e in of_type(events, MessageSeen)]
