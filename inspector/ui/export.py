"""What File → Export and Edit → Copy write: the session (or the frames a filter keeps) as pcapng or as
JSON Lines in the dump schema, and one frame as hex, as a Python bytes literal or as `inspector decode`
arguments. Qt-free, so each format is tested on its own.

The pcapng is rebuilt from what was decoded: per connection, its opening handshake and the kept
frames' exact bytes, one TCP segment each, at their original times and between the original addresses
and ports. `inspector dump` and tshark read it back as the same frames.
"""

from __future__ import annotations

import io
import shlex
from collections.abc import Iterator

from ..capture.packets import RawPacket
from ..capture.pcapng_writer import session_packets, write_pcapng
from ..protocol.frame import Frame
from ..report.jsonl import JsonWriter
from ..session.events import ConnectionOpened, FrameSeen, HandshakeSeen, MessageSeen, SessionEvent
from ..session.store import ConnectionView, SessionStore


def _kept_set(store: SessionStore, kept: dict[int, list[int]] | None) -> set[int] | None:
    """The event positions of the kept frames, or None for all."""
    if kept is None:
        return None
    return {store.by_id[cid].frame_positions[row] for cid, rows in kept.items() if cid in store.by_id for row in rows}


def selected_events(store: SessionStore, kept: dict[int, list[int]] | None) -> list[SessionEvent]:
    """The session's events as `dump --filter` lets them through: each connection just before its first kept
    frame, the kept frames, and the messages a kept frame completes."""
    positions = _kept_set(store, kept)
    if positions is None:
        return list(store.events)
    out: list[SessionEvent] = []
    waiting: dict[int, SessionEvent] = {}
    completed_by_kept: object = None
    for position, event in enumerate(store.events):
        kind = type(event)
        if kind is ConnectionOpened:
            waiting[event.connection.id] = event
        elif kind is FrameSeen:
            if position in positions:
                opened = waiting.pop(event.connection.id, None)
                if opened is not None:
                    out.append(opened)
                out.append(event)
                completed_by_kept = _completes(store, event, position)
        elif kind is MessageSeen:
            assert isinstance(event, MessageSeen)
            if event.message is completed_by_kept:
                out.append(event)
    return out


def _completes(store: SessionStore, event: SessionEvent, position: int) -> object:
    following = store.events[position + 1] if position + 1 < len(store.events) else None
    if isinstance(following, MessageSeen) and isinstance(event, FrameSeen):
        message = following.message
        if message.direction is event.frame.direction and message.frame_indices[-1:] == [event.frame.index]:
            return message
    return None


def jsonl_text(store: SessionStore, kept: dict[int, list[int]] | None = None) -> str:
    """The JSON Lines `inspector dump --json` writes for these events."""
    stream = io.StringIO()
    writer = JsonWriter(stream, True)
    writer.write_all(selected_events(store, kept), None)
    writer.close()
    return stream.getvalue()


def _address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host.strip("[]"), int(port)


def _handshake(store: SessionStore, view: ConnectionView) -> HandshakeSeen | None:
    for position in view.positions:
        event = store.events[position]
        if isinstance(event, HandshakeSeen):
            return event
        if isinstance(event, FrameSeen):
            break
    return None


def export_packets(store: SessionStore, kept: dict[int, list[int]] | None = None) -> Iterator[RawPacket]:
    """Packets carrying each connection's handshake and its kept frames (all frames when `kept` is None)."""
    for view in store.connections:
        rows = kept.get(view.id, []) if kept is not None else range(len(view.frames))
        if not rows:
            continue
        handshake = _handshake(store, view)
        exchanges: list[tuple[str, bytes, float]] = []
        if handshake is not None:
            exchanges.append(("client", handshake.handshake.request.raw, handshake.time))
            exchanges.append(("server", handshake.handshake.response.raw, handshake.time))
        for row in rows:
            record = view.frames[row]
            exchanges.append((str(record.frame.direction), record.frame.raw, record.time))
        start = exchanges[0][2] if exchanges else view.first_time
        yield from session_packets(exchanges, client=_address(view.connection.client),
                                   server=_address(view.connection.server), start_time=start)


def write_session_pcapng(path: str, store: SessionStore, kept: dict[int, list[int]] | None = None) -> int:
    """Write the export as pcapng; returns the packet count."""
    return write_pcapng(path, export_packets(store, kept))


def write_jsonl(path: str, store: SessionStore, kept: dict[int, list[int]] | None = None) -> None:
    with open(path, "w", encoding="ascii") as file:
        file.write(jsonl_text(store, kept))


# -- copy as

def frame_hex(frame: Frame) -> str:
    return frame.raw.hex(" ")


def frame_bytes_literal(frame: Frame) -> str:
    return repr(bytes(frame.raw))


def frame_decode_arguments(frame: Frame) -> str:
    """The command line that decodes this frame again."""
    args = ["inspector", "decode", "--from", str(frame.direction), frame.raw.hex()]
    return shlex.join(args)
