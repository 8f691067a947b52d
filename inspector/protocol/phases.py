"""The states a connection moves through, as tables: each direction's phase, and the close handshake.

A direction starts in HTTP: it reads its half of the opening handshake (RFC 6455 §4.1 for the client's
request, §4.2.2 for the server's response), then WAITS for the other half, because only the response
says which extensions give RSV1 a meaning. An accepted handshake (101) starts the frames; a refused one
ends decoding (IGNORED); a draft-75/76 handshake goes to the HIXIE decoder. When the handshake was not
captured, or a capture gap broke the frame boundaries, the direction is in RESYNC until a plausible
chain of frames is found (resync.py).

`ConnectionDecoder` changes a phase only through `next_phase`, so these tables are every step it can
take; `TRANSITIONS_FOR_DIAGRAM` lists them for a picture of the machine.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final


class SidePhase(StrEnum):
    HTTP = "http"  # reading the request (client) or the response (server)
    WAITING = "waiting"  # own HTTP part done, waiting for the other side's
    FRAMES = "frames"
    RESYNC = "resync"  # looking for a frame boundary
    IGNORED = "ignored"  # handshake refused: nothing more is decoded
    HIXIE = "hixie"  # a pre-RFC connection: bytes go to the HixieSession


class SideEvent(StrEnum):
    HTTP_DONE = "http-done"  # this side's request or response head was parsed
    ACCEPTED = "accepted"  # the response is 101 Switching Protocols: frames follow (§4.2.2)
    REFUSED = "refused"  # any other status: the connection is not upgraded
    HIXIE = "hixie"  # the request speaks draft-75 or draft-76
    NO_HANDSHAKE = "no-handshake"  # the handshake was not captured, or is not HTTP
    GAP_BEFORE_FRAMES = "gap-before-frames"  # the handshake completed, but bytes after this side's head were lost
    GAP = "gap"  # bytes lost while searching: the search starts again after them
    FRAME_START_FOUND = "frame-start-found"  # a plausible chain of frames begins here
    SYNC_LOST = "sync-lost"  # a gap hid where the next frame starts


SIDE_TRANSITIONS: Final[dict[tuple[SidePhase, SideEvent], SidePhase]] = {
    (SidePhase.HTTP, SideEvent.HTTP_DONE): SidePhase.WAITING,
    (SidePhase.HTTP, SideEvent.NO_HANDSHAKE): SidePhase.RESYNC,
    (SidePhase.WAITING, SideEvent.ACCEPTED): SidePhase.FRAMES,
    (SidePhase.WAITING, SideEvent.REFUSED): SidePhase.IGNORED,
    (SidePhase.WAITING, SideEvent.HIXIE): SidePhase.HIXIE,
    (SidePhase.WAITING, SideEvent.NO_HANDSHAKE): SidePhase.RESYNC,
    (SidePhase.WAITING, SideEvent.GAP_BEFORE_FRAMES): SidePhase.RESYNC,
    (SidePhase.RESYNC, SideEvent.GAP): SidePhase.RESYNC,
    (SidePhase.RESYNC, SideEvent.FRAME_START_FOUND): SidePhase.FRAMES,
    (SidePhase.FRAMES, SideEvent.SYNC_LOST): SidePhase.RESYNC,
}


def next_phase(phase: SidePhase, event: SideEvent) -> SidePhase:
    """The phase `event` leads to from `phase`; ValueError for a step the table does not have."""
    try:
        return SIDE_TRANSITIONS[(phase, event)]
    except KeyError:
        raise ValueError(f"no transition from {phase} on {event}") from None


class CloseState(StrEnum):
    OPEN = "open"  # no Close frame yet
    CLOSING = "closing"  # one side sent Close, the other has not answered
    CLOSED = "closed"  # both sides sent Close


class CloseEvent(StrEnum):
    CLOSE_SENT = "close-sent"  # the first Close, from either side (§5.5.1)
    CLOSE_ANSWERED = "close-answered"  # the other side's Close (§7.1.2)


CLOSE_TRANSITIONS: Final[dict[tuple[CloseState, CloseEvent], CloseState]] = {
    (CloseState.OPEN, CloseEvent.CLOSE_SENT): CloseState.CLOSING,
    (CloseState.CLOSING, CloseEvent.CLOSE_ANSWERED): CloseState.CLOSED,
}

# (from, event, to) for both machines, as text: what a state diagram draws.
TRANSITIONS_FOR_DIAGRAM: Final[list[tuple[str, str, str]]] = [
    *((str(start), str(event), str(end)) for (start, event), end in SIDE_TRANSITIONS.items()),
    *((str(start), str(event), str(end)) for (start, event), end in CLOSE_TRANSITIONS.items()),
]
