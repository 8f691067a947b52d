"""The names a display filter can test, what type each has, and how to read it from a decoded frame.

Each field's value is a Python expression over three names, which the compiled filter takes as its
arguments: `f`, the protocol Frame; `c`, its connection id; `m`, the Message this frame completes
(the last, or only, frame of a data message), else None. The websocket.* names are Wireshark's, with
Wireshark's meaning: websocket.payload_length is the 7-bit field, so `> 125` finds the frames whose
length sits in an extended field.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from inspector.protocol.constants import Opcode
from inspector.protocol.frame import Frame
from inspector.protocol.messages import Message
from inspector.protocol.violations import RULES

# Field types.
NUMBER: Final = "number"
BOOLEAN: Final = "boolean"
TEXT: Final = "text"
BYTES: Final = "bytes"
DIRECTION: Final = "direction"
CODES: Final = "violation codes"
PROTOCOL: Final = "protocol"


@dataclass(frozen=True, slots=True)
class FieldSpec:
    name: str
    kind: str
    value: str  # Python over f, c, m; None when the field is absent from a frame (see `optional`)
    description: str
    optional: bool = False  # the value can be None: the frame does not have this field
    guard: str | None = None  # a cheap test that is false when the field is absent (CODES fields)


def payload_text(frame: Frame, message: Message | None) -> str | None:
    """The text a Text frame carries, as the field tree shows it: the frame's own payload as UTF-8
    (bad bytes replaced), or the inflated message's text for a compressed message."""
    if message is not None and message.compressed:
        return message.text
    if frame.opcode == Opcode.TEXT and not frame.rsv1:
        return frame.payload.decode("utf-8", "replace")
    if frame.opcode == Opcode.CONTINUATION and message is not None and message.opcode == Opcode.TEXT:
        return frame.payload.decode("utf-8", "replace")
    return None


def close_reason(frame: Frame) -> str | None:
    reason = frame.close_reason
    return reason.decode("utf-8", "replace") if reason else None


def violation_codes(frame: Frame, message: Message | None) -> list[str]:
    codes = [v.code for v in frame.violations]
    if message is not None:
        codes.extend(v.code for v in message.violations)
    return codes


HELPERS: Final = {"_payload_text": payload_text, "_close_reason": close_reason, "_codes": violation_codes}

_F = FieldSpec
FIELDS: Final[dict[str, FieldSpec]] = {
    spec.name: spec
    for spec in (
        _F("websocket", PROTOCOL, "True", "every WebSocket frame"),
        _F("websocket.fin", BOOLEAN, "f.fin", "FIN: the last frame of its message (RFC 6455 §5.2)"),
        _F("websocket.rsv", NUMBER, "(f.header[0] >> 4 & 7)", "the three reserved bits as a number, RSV1 first"),
        _F("websocket.rsv1", BOOLEAN, "f.rsv1", "RSV1: set on a compressed message's first frame (RFC 7692)"),
        _F("websocket.rsv2", BOOLEAN, "f.rsv2", "RSV2"),
        _F("websocket.rsv3", BOOLEAN, "f.rsv3", "RSV3"),
        _F("websocket.opcode", NUMBER, "f.opcode", "0 continuation, 1 text, 2 binary, 8 close, 9 ping, 10 pong"),
        _F("websocket.mask", BOOLEAN, "f.masked", "MASK: a masking key follows the length"),
        _F("websocket.payload_length", NUMBER, "(f.header[1] & 127 if len(f.header) > 1 else None)",
           "the 7-bit length field: 126 and 127 say an extended length follows (absent when the capture ends "
           "before the second header byte)", optional=True),
        _F("websocket.payload_length_ext_16", NUMBER, "(f.payload_length if f.length_form == 16 else None)",
           "the 16-bit extended length, when the 7-bit field is 126", optional=True),
        _F("websocket.payload_length_ext_64", NUMBER, "(f.payload_length if f.length_form == 64 else None)",
           "the 64-bit extended length, when the 7-bit field is 127", optional=True),
        _F("websocket.masking_key", BYTES, "f.masking_key", "the 4-byte masking key of a masked frame",
           optional=True),
        _F("websocket.payload", BYTES, "f.payload", "the payload bytes present, unmasked"),
        _F("websocket.masked_payload", BYTES, "(f.masked_payload if f.masked else None)",
           "a masked frame's payload as it travelled", optional=True),
        _F("websocket.unmasked_payload", BYTES, "(f.payload if f.masked else None)",
           "a masked frame's payload after unmasking", optional=True),
        _F("websocket.payload.text", TEXT, "_payload_text(f, m)",
           "a text frame's payload as UTF-8 (a compressed message's inflated text on its last frame)",
           optional=True),
        _F("websocket.payload.binary", BYTES, "(f.payload if f.opcode == 2 else None)",
           "a binary frame's payload", optional=True),
        _F("websocket.payload.close.status_code", NUMBER, "f.close_code", "a Close frame's status code",
           optional=True),
        _F("websocket.payload.close.reason", TEXT, "_close_reason(f)", "a Close frame's reason, as UTF-8",
           optional=True),
        _F("websocket.payload.ping", BYTES, "(f.payload if f.opcode == 9 else None)", "a Ping's application data",
           optional=True),
        _F("websocket.payload.pong", BYTES, "(f.payload if f.opcode == 10 else None)", "a Pong's application data",
           optional=True),
        _F("direction", DIRECTION, "f.direction", "client or server: who sent the frame"),
        _F("connection", NUMBER, "c", "the connection's id (from 1, as dump numbers them)"),
        _F("frame", NUMBER, "f.index", "the frame's index in its connection (from 0, as dump numbers them)"),
        _F("length", NUMBER, "f.payload_length", "the payload length the header declares, whichever form"),
        _F("violation", CODES, "_codes(f, m)",
           "the codes of the rules the frame (or the message it completes) breaks", guard="f.violations or "
           "(m is not None and m.violations)"),
        _F("text", TEXT, "(m.text if m is not None else None)",
           "the text of the message this frame completes (reassembled, inflated)", optional=True),
        _F("payload", BYTES, "f.payload", "the same as websocket.payload"),
    )
}

# The fields read from a frame's header, its connection and the violations of the frame and of the message
# it completes: a store can answer them from its numbers, without building the frame (FrameHead).
HEAD_FIELDS: Final = frozenset({
    "websocket", "websocket.fin", "websocket.rsv", "websocket.rsv1", "websocket.rsv2", "websocket.rsv3",
    "websocket.opcode", "websocket.mask", "websocket.payload_length", "websocket.payload_length_ext_16",
    "websocket.payload_length_ext_64", "websocket.masking_key", "direction", "connection", "frame", "length",
    "violation",
})

VIOLATION_CODES: Final = frozenset(RULES)
DIRECTIONS: Final = ("client", "server")


def complete(prefix: str) -> list[str]:
    """The field names that start with `prefix`, in the table's order (for a completer)."""
    return [name for name in FIELDS if name.startswith(prefix)]


def complete_value(field: str, prefix: str) -> list[str]:
    """The values a field takes that start with `prefix`, for the fields whose values are names."""
    spec = FIELDS.get(field)
    if spec is None:
        return []
    if spec.kind == DIRECTION:
        names: list[str] = list(DIRECTIONS)
    elif spec.kind == CODES:
        names = sorted(VIOLATION_CODES)
    else:
        return []
    return [name for name in names if name.startswith(prefix)]
