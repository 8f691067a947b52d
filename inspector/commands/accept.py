"""`inspector accept`: work a handshake's key through to the answer, step by step, with no capture.

RFC 6455 (§4.2.2 step 5.4): Sec-WebSocket-Accept = base64(SHA-1(key + GUID)).
draft-hixie-76 (§5.2): the 16-byte answer = MD5(part1 + part2 + key3), each part being a key's
digits divided by its spaces. The computations live in inspector.protocol and the step-by-step text
in inspector.report.accept_steps (the window's Handshake Calculator shows the same text); this module
only reads the command line and prints.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from inspector.errors import InspectorError
from inspector.protocol.hixie import challenge
from inspector.report.accept_steps import (
    hixie76_json,
    hixie76_lines,
    parse_hixie_answer,
    parse_key3,
    rfc6455_report,
)

EXIT_MISMATCH = 1  # --expect did not match, or the draft-76 keys leave nothing to compute


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "accept",
        help="work a Sec-WebSocket-Key (or draft-76 Key1/Key2/key3) through to the server's answer",
        description="Show how a server answers a handshake key, one step per line. With one KEY: RFC 6455's "
        "Sec-WebSocket-Accept (the key, key + GUID, SHA-1, base64), and whether the key is a valid "
        "16-byte nonce. With --hixie76 KEY1 KEY2 BODY_HEX: the draft-76 challenge (digits, spaces, the "
        "two divisions, MD5). Exit 0 when computed (and matching --expect), 1 when --expect differs or "
        "a draft-76 key cannot be divided.",
        epilog="Examples: inspector accept dGhlIHNhbXBsZSBub25jZQ== --expect s3pPLMBiTxaQ9kYGzzhZRbK+xOo= ; "
        "inspector accept --hixie76 '18x 6]8vM;54 *(5:  {   U1]8  z [  8' "
        "'1_ tx7X d  <  nw  334J702) 7]o}` 0' 546d5b4b20543275 (key3 'Tm[K T2u' in hex: printf %%s 'Tm[K T2u' "
        "| xxd -p)",
    )
    parser.add_argument("keys", nargs="+", metavar="KEY",
                        help="Sec-WebSocket-Key; with --hixie76: KEY1 KEY2 and the 8 bytes after the request (hex)")
    parser.add_argument("--hixie76", action="store_true",
                        help="the draft-hixie-76 challenge: Sec-WebSocket-Key1, Sec-WebSocket-Key2 and the 8-byte "
                        "request body (key3) in hex")
    parser.add_argument("--expect", metavar="ANSWER",
                        help="the answer to check: a Sec-WebSocket-Accept, or with --hixie76 the 16 bytes "
                        "as 32 hex digits or as the 16 characters themselves")
    parser.add_argument("--json", action="store_true", help="one JSON object with every step")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.hixie76:
        if len(args.keys) != 3:
            raise InspectorError(f"--hixie76 takes KEY1 KEY2 BODY_HEX (3 values), got {len(args.keys)}")
        key1, key2, body_hex = args.keys
        expect = None if args.expect is None else parse_hixie_answer(args.expect)
        result = challenge(key1, key2, parse_key3(body_hex), expect)
        report = hixie76_json(result) if args.json else "\n".join(hixie76_lines(result)) + "\n"
        ok = result.expected is not None and result.valid is not False
    else:
        if len(args.keys) != 1:
            raise InspectorError(f"give one Sec-WebSocket-Key (or --hixie76 KEY1 KEY2 BODY_HEX), got {len(args.keys)}")
        rfc = rfc6455_report(args.keys[0], args.expect)
        report = rfc.json if args.json else "\n".join(rfc.lines) + "\n"
        ok = rfc.matches is not False
    sys.stdout.write(report)
    return 0 if ok else EXIT_MISMATCH
