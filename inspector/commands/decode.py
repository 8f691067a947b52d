"""`inspector decode HEX...`: decode frames pasted as hex, down to the bit.

The bytes are one direction's stream after the handshake: several frames may follow each other,
and the last may be cut short (it is then reported as truncated).
"""

from __future__ import annotations

import argparse
import string
import sys
from typing import Any

from inspector.commands.options import add_inflate_limit
from inspector.errors import InspectorError
from inspector.protocol.constants import DEFAULT_INFLATE_LIMIT, MASK_BIT, RSV1_BIT, Direction
from inspector.protocol.deflate import Inflater
from inspector.protocol.fieldtree import frame_fields
from inspector.protocol.frame import Frame, as_given_bytes
from inspector.protocol.messages import Message, MessageAssembler
from inspector.protocol.stream import FrameParser
from inspector.report.jsonl import dumps, frame_json, message_json
from inspector.report.text_tree import escape_text, format_violation, render_tree

_SEPARATORS = " \t\r\n:"
_HEX_DIGITS = frozenset(string.hexdigits)


def parse_hex(parts: list[str] | str, what: str = "hex") -> bytes:
    """Hex digits with optional spaces, colons or 0x prefixes between bytes (as tools copy them)."""
    text = parts if isinstance(parts, str) else " ".join(parts)
    for separator in _SEPARATORS:
        text = text.replace(separator, " ")
    tokens = [t[2:] if t[:2].lower() == "0x" else t for t in text.split()]
    digits = "".join(tokens)
    bad = next((ch for ch in digits if ch not in _HEX_DIGITS), None)
    if bad is not None:
        raise InspectorError(f"{what}: {bad!r} is not a hex digit")
    if len(digits) % 2:
        raise InspectorError(f"{what}: odd number of hex digits ({len(digits)}); each byte needs two")
    return bytes.fromhex(digits)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "decode",
        help="decode WebSocket frames given as hex",
        description="Decode one direction's frames from hex, bit by bit, and name every RFC rule they break.",
    )
    parser.add_argument("hex", nargs="+", metavar="HEX", help="frame bytes; spaces and colons are ignored")
    parser.add_argument("--from", dest="direction", choices=["client", "server"],
                        help="who sent the bytes (default: guessed from the first frame's MASK bit)")
    parser.add_argument("--json", action="store_true", help="JSON Lines: frame objects, then message objects")
    parser.add_argument("--deflate", action="store_true",
                        help="permessage-deflate was negotiated: RSV1 allowed, payloads inflated")
    parser.add_argument("--explain", action="store_true", help="print what each field means, with its RFC section")
    add_inflate_limit(parser)
    parser.set_defaults(handler=run)


def guess_direction(data: bytes) -> Direction:
    """RFC 6455 §5.1: clients mask, servers don't, so the MASK bit is the best guess there is."""
    masked = len(data) > 1 and bool(data[1] & MASK_BIT)
    return Direction.CLIENT if masked else Direction.SERVER


def decode_stream(data: bytes, direction: Direction, *, deflate: bool = False) -> tuple[list[Frame], int]:
    """All frames in `data`, the last possibly truncated; also how many trailing bytes held no header."""
    parser = FrameParser(direction, allowed_rsv=RSV1_BIT if deflate else 0)
    frames = parser.feed(data)
    leftover = parser.pending
    partial = parser.take_partial()  # a header cut short stays "trailing bytes", as typed input is no capture
    tail = [partial] if partial is not None else []
    frames += tail
    for index, frame in enumerate(frames):
        frame.index = index
        as_given_bytes(frame)  # pasted bytes, not a capture: a short last frame is worded so
    return frames, 0 if tail else leftover


def assemble(
    frames: list[Frame], direction: Direction, *, deflate: bool, inflate_limit: int = DEFAULT_INFLATE_LIMIT
) -> tuple[list[Message], dict[int, Message]]:
    """Messages from the frames, and which message each frame index belongs to."""
    assembler = MessageAssembler(direction, inflater=Inflater(limit=inflate_limit) if deflate else None)
    messages: list[Message] = []
    for frame in frames:
        messages.extend(assembler.feed(frame))
    messages.extend(assembler.finish())
    owner = {index: message for message in messages for index in message.frame_indices}
    return messages, owner


def run(args: argparse.Namespace) -> int:
    data = parse_hex(args.hex)
    if not data:
        raise InspectorError("no bytes given")
    guessed = args.direction is None
    direction = guess_direction(data) if guessed else Direction(args.direction)
    frames, leftover = decode_stream(data, direction, deflate=args.deflate)
    if not frames:
        raise InspectorError(f"{len(data)} bytes are too few for a frame header")
    messages, owner = assemble(frames, direction, deflate=args.deflate, inflate_limit=args.inflate_limit)
    out = sys.stdout
    if args.json:
        for frame in frames:
            out.write(dumps(frame_json(frame)) + "\n")
        for message in messages:
            out.write(dumps(message_json(message)) + "\n")
        return 0
    if guessed:
        out.write(f"(direction: {direction}, guessed from the MASK bit; use --from to set it)\n")
    for frame in frames:
        title = (
            f"Frame {frame.index}: {direction}, bytes {frame.offset}-{frame.end_offset - 1} "
            f"({frame.wire_length} bytes on the wire)"
        )
        root = frame_fields(frame, message=owner.get(frame.index))
        out.write(render_tree(root, title=title, explain=args.explain) + "\n")
    for number, message in enumerate(messages):
        out.write(_message_line(number, message) + "\n")
    if leftover:
        out.write(f"({leftover} trailing bytes are too few for a frame header)\n")
    return 0


def _message_line(number: int, message: Message) -> str:
    kind = "text" if message.text is not None else "binary"
    state = "" if message.complete else ", incomplete"
    packed = ", compressed" if message.compressed else ""
    body = repr_preview(message.text) if message.text is not None else message.data[:64].hex()
    lines = [f"Message {number}: {kind}, frames {list(message.frame_indices)}, "
             f"{len(message.data)} bytes{packed}{state}: {escape_text(body)}"]
    lines += [f"    ! {format_violation(v)}" for v in message.violations]
    return "\n".join(lines)


def repr_preview(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + f"… ({len(text) - limit} more characters)"
