"""A decoded frame as a tree of fields, each knowing its exact bit range, value, meaning and rule.

The tree is what the GUI's detail pane, the hex highlighter and `inspector decode` draw. Bit
offsets count from the frame's first header bit (bit 0 is FIN), so a 64-bit length sits at
offset 16, width 64. Fields that are computed rather than read (the unmasked payload, inflated
bytes) still point at the wire bits they were computed from.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from . import teaching
from .constants import (
    BASE_HEADER_SIZE,
    CLOSE_CODE_SIZE,
    EXT_16_SIZE,
    EXT_64_SIZE,
    MASKING_KEY_SIZE,
    PAYLOAD_LEN_16BIT,
    PAYLOAD_LEN_64BIT,
    Opcode,
    close_code_name,
    opcode_name,
)
from .frame import LENGTH_FORM_16, LENGTH_FORM_64, Frame, parse_header
from .messages import Message
from .violations import Violation

BITS_PER_BYTE = 8

# RFC 6455 §5.2: positions of the fixed header fields, in bits from the start of the frame.
FIN_BIT_OFFSET = 0
RSV_BIT_OFFSET = 1
RSV_BIT_WIDTH = 3
OPCODE_BIT_OFFSET = 4
OPCODE_BIT_WIDTH = 4
MASK_BIT_OFFSET = 8
LENGTH7_BIT_OFFSET = 9
LENGTH7_BIT_WIDTH = 7
EXT_LENGTH_BIT_OFFSET = BASE_HEADER_SIZE * BITS_PER_BYTE

# Which bytes hold a field's value, for a viewer that shows them (the window's hex pane).
WIRE_BYTES = "wire"  # the frame as captured: bit offsets count from its first bit
UNMASKED_BYTES = "unmasked"  # the frame with its payload unmasked: the same offsets, the bytes the sender meant
INFLATED_BYTES = "inflated"  # the whole message after inflation: the value is all of those bytes


@dataclass(slots=True, eq=False)
class Field:
    name: str  # display name, as tshark prints it
    filter_name: str  # Wireshark-style display-filter name
    bit_offset: int  # from the first bit of the frame
    bit_width: int
    value: object  # bool, int, bytes or str
    display: str  # the short value tshark would print after "Name: "
    meaning_key: str = ""  # the teaching text (a `meaning:` key) that says what the value means, or ""
    meaning_values: dict[str, object] | None = None  # what fills that text's {fields}
    children: list[Field] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)
    shown_in: str = WIRE_BYTES  # WIRE_BYTES, UNMASKED_BYTES or INFLATED_BYTES

    @property
    def meaning(self) -> str:
        """A short phrase about the value, in the catalogue's language ("" when the display says it all)."""
        if not self.meaning_key:
            return ""
        return teaching.text(self.meaning_key, **(self.meaning_values or {}))

    @property
    def explanation(self) -> str:
        """What the field means and why it exists, looked up by its filter name."""
        return teaching.field_text(self.filter_name)

    @property
    def rfc(self) -> str:
        return teaching.field_rfc(self.filter_name)

    @property
    def summary(self) -> str:
        """The value in one line: the display, then the meaning when it says something the display does not."""
        if self.meaning and self.meaning not in self.display:
            return f"{self.display} · {self.meaning}"
        return self.display

    @property
    def byte_range(self) -> tuple[int, int]:
        """[start, end) bytes covering the field's bits, for coarse highlighting."""
        start = self.bit_offset // BITS_PER_BYTE
        end = -(-(self.bit_offset + self.bit_width) // BITS_PER_BYTE)
        return start, end

    def walk(self) -> list[Field]:
        """This field and all its descendants, depth first."""
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out

    def find(self, filter_name: str) -> Field | None:
        return next((f for f in self.walk() if f.filter_name == filter_name), None)

    def get(self, filter_name: str) -> Field:
        """Like find, but a missing field is an error (KeyError)."""
        found = self.find(filter_name)
        if found is None:
            raise KeyError(filter_name)
        return found

    def all_violations(self) -> list[Violation]:
        return [v for f in self.walk() for v in f.violations]


def _field(
    name: str, filter_name: str, offset: int, width: int, value: object, display: str, meaning: str = "",
    shown_in: str = WIRE_BYTES, **values: object,
) -> Field:
    """A field whose meaning is the teaching text `meaning` (its key without `meaning:`), filled from `values`."""
    key = teaching.MEANING + meaning if meaning else ""
    return Field(name, filter_name, offset, width, value, display, key, values or None, shown_in=shown_in)


def _flag_meaning(name: str, value: bool) -> str:
    """The meaning key of one state of a 1-bit flag: "fin.1", "mask.0"."""
    return f"{name}.{int(value)}"


def _bool(value: bool) -> str:
    return "True" if value else "False"


# Which field a frame-level violation is about; anything not listed stays on the root.
_VIOLATION_TARGET: dict[str, str] = {
    "unmasked-client-frame": "websocket.mask",
    "masked-server-frame": "websocket.mask",
    "reserved-bits": "websocket.rsv",
    "rsv1-on-continuation": "websocket.rsv1",
    "reserved-opcode": "websocket.opcode",
    "unexpected-continuation": "websocket.opcode",
    "expected-continuation": "websocket.opcode",
    "control-frame-too-long": "websocket.payload_length",
    "fragmented-control-frame": "websocket.fin",
    "length-msb-set": "websocket.payload_length_ext_64",
    "truncated-frame": "websocket.payload",
    "close-payload-one-byte": "websocket.payload",
    "invalid-close-code": "websocket.payload.close.status_code",
    "invalid-utf8": "websocket.payload.close.reason",
    "pong-mismatch": "websocket.payload.pong",
}


def frame_fields(frame: Frame, *, message: Message | None = None) -> Field:
    """The field tree of one frame. Give the frame's `message` to add its inflated bytes and message rules."""
    total_bits = (len(frame.header) + len(frame.payload)) * BITS_PER_BYTE
    root = _field("WebSocket", "websocket", 0, total_bits, frame.opcode, opcode_name(frame.opcode))
    root.display = f"{opcode_name(frame.opcode)} frame, {frame.payload_length} bytes"
    root.children = _header_fields(frame, message)
    payload = _payload_field(frame, message)
    root.children.append(payload)
    _attach_violations(root, frame.violations, frame)
    if message is not None:
        target = root.find("websocket.payload.inflated") or root.find("websocket.payload.text") or root
        target.violations.extend(message.violations)
    return root


def _header_fields(frame: Frame, message: Message | None) -> list[Field]:
    first = frame.header[0]
    rsv_value = (first >> 4) & 0b111
    rsv1_meaning = ""
    if message is not None and message.compressed:
        continuation = frame.opcode == Opcode.CONTINUATION
        rsv1_meaning = _flag_meaning("rsv1.continuation" if continuation else "rsv1.deflate", frame.rsv1)
    rsv = _field("Reserved", "websocket.rsv", RSV_BIT_OFFSET, RSV_BIT_WIDTH, rsv_value, f"0x{rsv_value:x}")
    rsv.children = [
        _field("RSV1", "websocket.rsv1", 1, 1, frame.rsv1, _bool(frame.rsv1), rsv1_meaning),
        _field("RSV2", "websocket.rsv2", 2, 1, frame.rsv2, _bool(frame.rsv2)),
        _field("RSV3", "websocket.rsv3", 3, 1, frame.rsv3, _bool(frame.rsv3)),
    ]
    opcode_text = f"{opcode_name(frame.opcode)} ({frame.opcode})"
    fields = [
        _field("Fin", "websocket.fin", FIN_BIT_OFFSET, 1, frame.fin, _bool(frame.fin), _flag_meaning("fin", frame.fin)),
        rsv,
        _field("Opcode", "websocket.opcode", OPCODE_BIT_OFFSET, OPCODE_BIT_WIDTH, frame.opcode, opcode_text),
    ]
    if len(frame.header) < 2:  # the capture cut the header after its first byte
        return fields
    fields.append(_field("Mask", "websocket.mask", MASK_BIT_OFFSET, 1, frame.masked, _bool(frame.masked),
                         _flag_meaning("mask", frame.masked)))
    length7 = frame.header[1] & 0x7F
    escape = length7 in (PAYLOAD_LEN_16BIT, PAYLOAD_LEN_64BIT)
    fields.append(_field("Payload length", "websocket.payload_length", LENGTH7_BIT_OFFSET, LENGTH7_BIT_WIDTH,
                         length7, str(length7), f"length7.{length7}" if escape else "bytes", count=length7))
    key_offset = EXT_LENGTH_BIT_OFFSET
    if parse_header(frame.header)[0] == 0:  # the capture cut the header inside its extended length
        return fields
    if frame.length_form == LENGTH_FORM_16:
        fields.append(_field("Extended Payload length (16 bits)", "websocket.payload_length_ext_16",
                             EXT_LENGTH_BIT_OFFSET, EXT_16_SIZE * BITS_PER_BYTE, frame.payload_length,
                             str(frame.payload_length), "bytes", count=frame.payload_length))
        key_offset += EXT_16_SIZE * BITS_PER_BYTE
    elif frame.length_form == LENGTH_FORM_64:
        fields.append(_field("Extended Payload length (64 bits)", "websocket.payload_length_ext_64",
                             EXT_LENGTH_BIT_OFFSET, EXT_64_SIZE * BITS_PER_BYTE, frame.payload_length,
                             str(frame.payload_length), "bytes", count=frame.payload_length))
        key_offset += EXT_64_SIZE * BITS_PER_BYTE
    if frame.masking_key is not None:
        fields.append(_field("Masking-Key", "websocket.masking_key", key_offset, MASKING_KEY_SIZE * BITS_PER_BYTE,
                             frame.masking_key, frame.masking_key.hex()))
    return fields


def _payload_field(frame: Frame, message: Message | None) -> Field:
    start = len(frame.header) * BITS_PER_BYTE
    width = len(frame.payload) * BITS_PER_BYTE
    present = len(frame.payload)
    shown = f"{present} bytes" if not frame.truncated else f"{present} of {frame.payload_length} bytes (truncated)"
    payload = _field("Payload", "websocket.payload", start, width, frame.payload, shown)
    children = payload.children
    if frame.masked:
        children.append(_field("Masked payload", "websocket.masked_payload", start, width, frame.masked_payload,
                               frame.masked_payload.hex()))
        children.append(_field("Unmasked payload", "websocket.unmasked_payload", start, width, frame.payload,
                               frame.payload.hex(), shown_in=UNMASKED_BYTES))
    compressed = message is not None and message.compressed
    if frame.opcode == Opcode.CLOSE:
        children.extend(_close_fields(frame, start))
    elif frame.opcode in (Opcode.PING, Opcode.PONG):
        kind = "ping" if frame.opcode == Opcode.PING else "pong"
        text = _printable_text(frame.payload)
        display, meaning = (text, "utf8-text") if text is not None else (frame.payload.hex(), "")
        children.append(_field(f"{kind.capitalize()} application data", f"websocket.payload.{kind}", start, width,
                               frame.payload, display, meaning, UNMASKED_BYTES))
    elif compressed and message is not None:
        frames = message.frame_indices
        whole = "inflated.one-frame" if len(frames) == 1 else "inflated.frames"
        inflated = _field("Inflated payload", "websocket.payload.inflated", start, width, message.data,
                          f"{len(message.data)} bytes", whole, INFLATED_BYTES, frame=frames[0] if frames else "",
                          frames=", ".join(map(str, frames)))
        if message.text is not None:
            inflated.children.append(_text_field(message.text, start, width, INFLATED_BYTES))
        children.append(inflated)
    elif _is_text(frame, message):
        children.append(_text_field(frame.payload.decode("utf-8", "replace"), start, width, UNMASKED_BYTES))
    return payload


def _printable_text(data: bytes) -> str | None:
    """`data` as text if it is UTF-8 made of printable characters (a ping's "keepalive"), else None."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return text if text and text.isprintable() else None


def _is_text(frame: Frame, message: Message | None) -> bool:
    if frame.opcode == Opcode.TEXT:
        return True
    return frame.opcode == Opcode.CONTINUATION and message is not None and message.opcode == Opcode.TEXT


def _text_field(text: str, start: int, width: int, shown_in: str) -> Field:
    return _field("Text", "websocket.payload.text", start, width, text, text, shown_in=shown_in)


def _close_fields(frame: Frame, start: int) -> list[Field]:
    code = frame.close_code
    if code is None:
        return []
    code_bits = CLOSE_CODE_SIZE * BITS_PER_BYTE
    fields = [
        _field("Status code", "websocket.payload.close.status_code", start, code_bits, code,
               f"{close_code_name(code)} ({code})", shown_in=UNMASKED_BYTES),
    ]
    reason = frame.close_reason
    if reason:
        text = reason.decode("utf-8", "replace")
        fields.append(_field("Reason", "websocket.payload.close.reason", start + code_bits,
                             len(reason) * BITS_PER_BYTE, text, text, shown_in=UNMASKED_BYTES))
    return fields


def _attach_violations(root: Field, violations: Sequence[Violation], frame: Frame) -> None:
    for found in violations:
        name = _VIOLATION_TARGET.get(found.code, "")
        if found.code == "non-minimal-length":
            name = "websocket.payload_length_ext_64" if frame.length_form == LENGTH_FORM_64 else \
                "websocket.payload_length_ext_16"
        target = (root.find(name) if name else None) or root.find("websocket.payload") or root
        target.violations.append(found)
