"""JSON Lines objects of the dump schema (the README's "The dump format"), built as plain dicts.

Key order is part of that contract. `frame_json` runs once per frame of a capture (a million times for a
large one), so it builds the dict directly and never touches the field tree.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence

from inspector.protocol.frame import Frame
from inspector.protocol.messages import Message
from inspector.protocol.violations import Violation


def violations_json(violations: Iterable[Violation]) -> list[dict[str, object]]:
    return [v.to_json() for v in violations]


def hex_or_none(data: bytes | None) -> str | None:
    return None if data is None else data.hex()


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
