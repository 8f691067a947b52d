"""The one JSON module: the objects of the dump schema (the README's "The dump format") and the writer
of session events as JSON Lines.

Key order is part of that contract. The dict builders (`frame_json`, `message_json`) are the general
path, used by `inspector decode` and for any line with violations; `frame_line` and `message_line`
write the same text directly for the common clean frame and message, and a test holds them to
`dumps(frame_json(...))`. Neither touches the field tree.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Final

from inspector.protocol.constants import Direction
from inspector.protocol.frame import FIRST_BYTE_FIELDS, Frame
from inspector.protocol.messages import Message
from inspector.protocol.violations import Violation
from inspector.report.output import OUTPUT_BATCH, EventWriter
from inspector.session.events import Connection, ConnectionOpened, FrameSeen, MessageSeen, SessionEvent

SERVER: Final = Direction.SERVER


def violations_json(violations: Iterable[Violation]) -> list[dict[str, object]]:
    return [v.to_json() for v in violations]


def frame_json(
    frame: Frame,
    *,
    connection: int | None = None,
    packets: Sequence[int] | None = None,
    time: float | None = None,
    include_payload: bool = True,
) -> dict[str, object]:
    """A `frame` object. connection/time/packets are left out when None (as `inspector decode` does)."""
    out: dict[str, object] = {"type": "frame"}
    if connection is not None:
        out["connection"] = connection
    out["index"] = frame.index
    out["direction"] = str(frame.direction)
    if time is not None:
        out["time"] = time
    if packets is not None:
        out["packets"] = list(packets)
    out["fin"] = frame.fin
    out["rsv1"] = frame.rsv1
    out["rsv2"] = frame.rsv2
    out["rsv3"] = frame.rsv3
    out["opcode"] = frame.opcode
    out["masked"] = frame.masked
    out["payload_length"] = frame.payload_length
    key = frame.masking_key
    out["masking_key"] = key.hex() if key is not None else None
    out["payload_hex"] = frame.payload.hex() if include_payload else None
    out["truncated"] = frame.truncated
    out["violations"] = violations_json(frame.violations) if frame.violations else []
    return out


def message_json(
    message: Message, *, connection: int | None = None, include_payload: bool = True
) -> dict[str, object]:
    """A `message` object: the reassembled (and inflated) data, with its frames' indices."""
    out: dict[str, object] = {"type": "message"}
    if connection is not None:
        out["connection"] = connection
    out["direction"] = str(message.direction)
    out["opcode"] = int(message.opcode)
    out["frames"] = list(message.frame_indices)
    out["compressed"] = message.compressed
    out["data_hex"] = message.data.hex() if include_payload else None
    out["text"] = message.text if include_payload else None
    out["violations"] = violations_json(message.violations)
    return out


def dumps(obj: dict[str, object]) -> str:
    """One JSON Lines record, ASCII only so any terminal or pipe encoding can carry it."""
    return json.dumps(obj)


class JsonWriter(EventWriter):
    """The JSON Lines of the dump format: a connection object when a connection opens, then a frame
    object per frame and a message object per message. Handshakes (inside the connection object),
    notes and closes are not in the schema."""

    def write_all(self, events: list[SessionEvent], wanted: int | None) -> None:
        # Frames and messages, nearly all of the lines, are written here without a call per event.
        lines = self.lines
        payload = self.payload
        for event in events:
            connection = event.connection
            if wanted is not None and connection.id != wanted:
                continue
            if type(event) is FrameSeen:
                lines.append(frame_line(event.frame, connection.id, event.packets, event.time, payload))
            elif type(event) is MessageSeen:
                lines.append(message_line(event.message, connection.id, payload))
            else:
                event.deliver(self)
        if len(lines) >= OUTPUT_BATCH:
            self.flush()

    def opened(self, event: ConnectionOpened) -> None:
        self.seen.add(event.connection.id)
        self.lines.append(dumps(connection_json(event.connection)))

    def frame(self, event: FrameSeen) -> None:
        self.lines.append(frame_line(event.frame, event.connection.id, event.packets, event.time, self.payload))

    def message(self, event: MessageSeen) -> None:
        self.lines.append(message_line(event.message, event.connection.id, self.payload))


# The two functions below write exactly what dumps(frame_json(...)) and dumps(message_json(...)) write
# (a test holds them to it), only faster: they run once per frame of a million-frame capture,
# and json.dumps of a 17-key dict was the largest single cost of a dump. The parts of a line that
# depend only on the header's first byte and MASK bit, or on the direction, are made once up front.
_BOOL: Final = ("false", "true")
_encode_str = json.encoder.encode_basestring_ascii  # type: ignore[attr-defined]
CLIENT_JSON: Final = '"client"'
SERVER_JSON: Final = '"server"'


def _frame_flags(first: int, masked: int) -> str:
    """From "fin" to the "payload_length" key, for a frame whose first header byte is `first`."""
    fin, rsv1, rsv2, rsv3, opcode = FIRST_BYTE_FIELDS[first]
    return (
        f'"fin": {_BOOL[fin]}, "rsv1": {_BOOL[rsv1]}, "rsv2": {_BOOL[rsv2]}, "rsv3": {_BOOL[rsv3]}, '
        f'"opcode": {opcode}, "masked": {_BOOL[masked]}, "payload_length": '
    )


# Indexed by `first header byte << 1 | MASK bit`: a decoded Frame's fin/rsv/opcode/masked fields are
# those bits (frame.py builds them from the header), so the text can be looked up instead of formatted.
_FRAME_FLAGS: Final[tuple[str, ...]] = tuple(_frame_flags(index >> 1, index & 1) for index in range(512))


class _SharedText:
    """Text that consecutive lines share, kept from one line to the next instead of formatted again.

    The frames one packet completes share its time (repr() of a float is a costly part of a frame line)
    and its packets list; a frame and its one-frame message share an index; runs of lines share a
    connection. The attributes are typed, so the compiled build (setup.py) compares plain C values.
    """

    def __init__(self) -> None:
        self.time = -1.0
        self.time_text = repr(-1.0)
        self.packets: list[int] = []
        self.packets_text = ""
        self.index = -1
        self.index_text = "-1"
        self.connection = -1
        self.frame_start = ""
        self.message_start = ""

    def use_time(self, time: float) -> str:
        if time != self.time:
            self.time = time
            self.time_text = repr(time)
        return self.time_text

    def use_packets(self, packets: list[int]) -> str:
        if packets is not self.packets:  # the pipeline hands every event of a packet the same list
            self.packets = packets
            self.packets_text = str(packets[0]) if len(packets) == 1 else ", ".join(map(str, packets))
        return self.packets_text

    def use_index(self, index: int) -> str:
        """A frame's index, formatted once for its line and its one-frame message's line."""
        if index != self.index:
            self.index = index
            self.index_text = str(index)
        return self.index_text

    def use_connection(self, connection: int) -> None:
        if connection != self.connection:
            self.connection = connection
            self.frame_start = f'{{"type": "frame", "connection": {connection}, "index": '
            self.message_start = f'{{"type": "message", "connection": {connection}, "direction": '


_SHARED: Final = _SharedText()


def frame_line(frame: Frame, connection: int, packets: list[int], time: float, payload: bool) -> str:
    if frame.violations:
        return dumps(frame_json(frame, connection=connection, packets=packets, time=time, include_payload=payload))
    shared = _SHARED
    shared.use_connection(connection)
    index_text = shared.use_index(frame.index)
    # One f-string, so one string is built: a null is the text "null" between empty quotes.
    key = frame.masking_key
    key_text, key_quote = "null", ""
    if key is not None:
        key_text, key_quote = key.hex(), '"'
    data_text, data_quote = "null", ""
    if payload:
        data_text, data_quote = frame.payload.hex(), '"'
    return (
        f'{shared.frame_start}{index_text}, "direction": {SERVER_JSON if frame.direction is SERVER else CLIENT_JSON}, '
        f'"time": {shared.use_time(time)}, "packets": [{shared.use_packets(packets)}], '
        f"{_FRAME_FLAGS[frame.header[0] << 1 | frame.masked]}{frame.payload_length}, "
        f'"masking_key": {key_quote}{key_text}{key_quote}, "payload_hex": {data_quote}{data_text}{data_quote}, '
        f'"truncated": {"true" if frame.truncated else "false"}, "violations": []}}'
    )


def message_line(message: Message, connection: int, payload: bool) -> str:
    if message.violations:
        return dumps(message_json(message, connection=connection, include_payload=payload))
    if payload:
        data = f'"{message.data.hex()}"'
        text = _encode_str(message.text) if message.text is not None else "null"
    else:
        data = text = "null"
    indices = message.frame_indices
    frames = _SHARED.use_index(indices[0]) if len(indices) == 1 else ", ".join(map(str, indices))
    shared = _SHARED
    shared.use_connection(connection)
    return (
        f'{shared.message_start}{SERVER_JSON if message.direction is SERVER else CLIENT_JSON}, '
        f'"opcode": {int(message.opcode)}, "frames": [{frames}], '
        f'"compressed": {"true" if message.compressed else "false"}, "data_hex": {data}, "text": {text}, '
        '"violations": []}'
    )


def connection_json(connection: Connection) -> dict[str, object]:
    handshake = connection.handshake
    return {
        "type": "connection",
        "id": connection.id,
        "protocol": connection.protocol,
        "client": connection.client,
        "server": connection.server,
        "handshake": handshake.to_json() if handshake is not None else None,
        "violations": violations_json(connection.violations),
    }
