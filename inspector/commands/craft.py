"""`inspector craft ...`: build one frame from its parts and say which rules it breaks before it is sent.

Every header part is set independently, so malformed frames are as easy to make as good ones.
The first output line is the frame's hex (ready for `inspector decode` or the built-in client).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from inspector.commands.options import bytes_argument
from inspector.errors import InspectorError
from inspector.protocol.constants import MASKING_KEY_SIZE, RSV1_BIT, Direction, Opcode
from inspector.protocol.encoder import FrameSpec, close_payload, encode, random_key, spec_violations
from inspector.protocol.fieldtree import frame_fields
from inspector.protocol.frame import FrameHeaderError, as_given_bytes, decode_frame
from inspector.report.text_tree import format_violation, render_tree

from .decode import parse_hex

OPCODE_WORDS = {
    "continuation": Opcode.CONTINUATION,
    "text": Opcode.TEXT,
    "binary": Opcode.BINARY,
    "close": Opcode.CLOSE,
    "ping": Opcode.PING,
    "pong": Opcode.PONG,
}
_MAX_OPCODE = 0xF
_MAX_LENGTH = 2**64 - 1


def _bit(text: str) -> bool:
    if text not in ("0", "1"):
        raise argparse.ArgumentTypeError(f"expected 0 or 1, got {text!r}")
    return text == "1"


def parse_opcode(text: str) -> int:
    word = text.strip().lower()
    if word in OPCODE_WORDS:
        return int(OPCODE_WORDS[word])
    try:
        value = int(word, 0)
    except ValueError:
        names = "|".join(OPCODE_WORDS)
        raise InspectorError(f"unknown opcode {text!r}: use 0-15 or {names}") from None
    if not 0 <= value <= _MAX_OPCODE:
        raise InspectorError(f"opcode {value} does not fit in 4 bits (0-15)")
    return value


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "craft",
        help="build a frame (even a malformed one) and list the rules it breaks",
        description="Build one WebSocket frame from independent parts; print its hex and the RFC rules it breaks.",
    )
    parser.add_argument("--fin", type=_bit, default=True, metavar="0|1", help="FIN bit (default 1)")
    for n in (1, 2, 3):
        parser.add_argument(f"--rsv{n}", type=_bit, default=False, metavar="0|1", help=f"RSV{n} bit (default 0)")
    parser.add_argument("--opcode", default=None, metavar="N|NAME",
                        help="0-15 or text|binary|close|ping|pong|continuation (default text; close with --close-code)")
    parser.add_argument("--mask-key", default=None, metavar="HEX|random|none",
                        help="masking key to write (default: random for a client, none for a server)")
    parser.add_argument("--mask-bit", type=_bit, default=None, metavar="0|1",
                        help="MASK bit as written (default: 1 when a key is written)")
    parser.add_argument("--length-form", type=int, choices=[7, 16, 64], default=None,
                        help="length encoding (default: the shortest that fits)")
    parser.add_argument("--length", type=int, default=None, metavar="N",
                        help="declared payload length, true or not (default: the real length)")
    body = parser.add_mutually_exclusive_group()
    body.add_argument("--payload", type=bytes_argument, default=None, metavar="TEXT",
                      help="payload as text, sent as UTF-8; a byte that is not UTF-8 is sent as typed")
    body.add_argument("--payload-hex", default=None, metavar="HEX", help="payload as hex bytes")
    body.add_argument("--close-code", type=int, default=None, metavar="N",
                      help="Close status code (payload = code + reason)")
    parser.add_argument("--reason", type=bytes_argument, default=None, metavar="TEXT",
                        help="Close reason (with --close-code), sent like --payload")
    parser.add_argument("--from", dest="direction", choices=["client", "server"], default="client",
                        help="who sends the frame; decides the masking rule (default client)")
    parser.add_argument("--deflate", action="store_true", help="permessage-deflate negotiated: RSV1 allowed")
    parser.add_argument("--tree", action="store_true", help="also print the decoded field tree")
    parser.set_defaults(handler=run)


def build_spec(args: argparse.Namespace) -> FrameSpec:
    direction = Direction(args.direction)
    if args.reason is not None and args.close_code is None:
        raise InspectorError("--reason needs --close-code")
    if args.close_code is not None:
        if not 0 <= args.close_code <= 0xFFFF:
            raise InspectorError(f"a close code is 16 bits (0-65535), got {args.close_code}")
        payload = close_payload(args.close_code, args.reason or b"")
    elif args.payload_hex is not None:
        payload = parse_hex(args.payload_hex, "--payload-hex")
    else:
        payload = args.payload or b""
    default_opcode = Opcode.CLOSE if args.close_code is not None else Opcode.TEXT
    opcode = parse_opcode(args.opcode) if args.opcode is not None else int(default_opcode)
    key = _mask_key(args.mask_key, direction)
    mask_bit = key is not None if args.mask_bit is None else args.mask_bit
    if args.length is not None and not 0 <= args.length <= _MAX_LENGTH:
        raise InspectorError(f"--length must be 0..2^64-1, got {args.length}")
    return FrameSpec(payload, opcode, args.fin, args.rsv1, args.rsv2, args.rsv3, mask_bit, key,
                     args.length_form, args.length)


def _mask_key(text: str | None, direction: Direction) -> bytes | None:
    choice = (text or ("random" if direction is Direction.CLIENT else "none")).strip().lower()
    if choice == "random":
        return random_key()
    if choice == "none":
        return None
    key = parse_hex(choice, "--mask-key")
    if len(key) != MASKING_KEY_SIZE:
        raise InspectorError(f"--mask-key must be {MASKING_KEY_SIZE} bytes (8 hex digits), got {len(key)}")
    return key


def run(args: argparse.Namespace) -> int:
    spec = build_spec(args)
    direction = Direction(args.direction)
    try:
        data = encode(spec)
    except ValueError as error:
        raise InspectorError(str(error)) from None
    allowed = RSV1_BIT if args.deflate else 0
    found = spec_violations(spec, direction, allowed_rsv=allowed)
    out = sys.stdout
    out.write(data.hex() + "\n")
    if args.tree:
        try:
            frame = as_given_bytes(decode_frame(data, direction, allowed_rsv=allowed))
            out.write(render_tree(frame_fields(frame)) + "\n")
        except FrameHeaderError:
            out.write("(the frame ends inside its own header; no tree)\n")
    if found:
        out.write(f"Violations as a {direction} frame ({len(found)}):\n")
        out.writelines(f"    {format_violation(v)}\n" for v in found)
    else:
        out.write(f"Violations as a {direction} frame: none\n")
    if spec.length is not None and spec.length < len(spec.payload):
        out.write("(note: the declared length is shorter than the payload; "
                  "a receiver reads the rest as the next frame)\n")
    return 0

