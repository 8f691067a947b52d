"""`inspector accept`: work a handshake's key through to the answer, step by step, with no capture.

RFC 6455 (§4.2.2 step 5.4): Sec-WebSocket-Accept = base64(SHA-1(key + GUID)).
draft-hixie-76 (§5.2): the 16-byte answer = MD5(part1 + part2 + key3), each part being a key's
digits divided by its spaces. The computations live in inspector.protocol (handshake.compute_accept,
hixie.challenge); this module only lays their intermediate values out for a reader.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from inspector.errors import InspectorError
from inspector.protocol.constants import KEY_NONCE_SIZE, WEBSOCKET_GUID
from inspector.protocol.handshake import compute_accept, key_is_valid
from inspector.protocol.hixie import CHALLENGE_RESPONSE_SIZE, KEY3_SIZE, Challenge, KeyPart, challenge
from inspector.report.jsonl import dumps

EXIT_MISMATCH = 1  # --expect did not match, or the draft-76 keys leave nothing to compute
PRINTABLE = range(0x20, 0x7F)
LABEL_WIDTH = 14


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
        expect = None if args.expect is None else _hixie_answer(args.expect)
        result = challenge(key1, key2, _key3(body_hex), expect)
        report = _hixie_json(result) if args.json else "\n".join(_hixie_lines(result)) + "\n"
        ok = result.expected is not None and result.valid is not False
    else:
        if len(args.keys) != 1:
            raise InspectorError(f"give one Sec-WebSocket-Key (or --hixie76 KEY1 KEY2 BODY_HEX), got {len(args.keys)}")
        report_lines, json_report, ok = _rfc_report(args.keys[0], args.expect)
        report = json_report if args.json else "\n".join(report_lines) + "\n"
    sys.stdout.write(report)
    return 0 if ok else EXIT_MISMATCH


# -- RFC 6455 -------------------------------------------------------------------------------------


def _rfc_report(key: str, expect: str | None) -> tuple[list[str], str, bool]:
    steps = compute_accept(key)
    valid = key_is_valid(key)
    nonce = (f"valid: the base64 of a {KEY_NONCE_SIZE}-byte nonce (RFC 6455 §4.1)" if valid else
             f"NOT valid: §4.1 wants the base64 of exactly {KEY_NONCE_SIZE} bytes (computed anyway)")
    lines = [
        "RFC 6455 §4.2.2 step 5.4: Sec-WebSocket-Accept = base64(SHA-1(key + GUID))",
        _row("1. key", f"{steps.key!r}"),
        _row("", nonce),
        _row("2. + GUID", f"{steps.concatenated!r}"),
        _row("3. SHA-1", f"{steps.sha1_hex}  (20 bytes, hex)"),
        _row("4. base64", steps.accept),
    ]
    matches = None if expect is None else expect.strip() == steps.accept
    if expect is not None:
        lines.append(_row("expected", f"{expect.strip()!r}: {'matches' if matches else 'does NOT match'}"))
    record: dict[str, object] = {
        "draft": "rfc6455", "key": steps.key, "key_valid": valid, "guid": WEBSOCKET_GUID,
        "concatenated": steps.concatenated, "sha1": steps.sha1_hex, "accept": steps.accept,
    }
    if expect is not None:
        record.update(expect=expect.strip(), matches=matches)
    return lines, dumps(record) + "\n", matches is not False


# -- draft-hixie-76 -------------------------------------------------------------------------------


def _key3(text: str) -> bytes:
    try:
        key3 = bytes.fromhex(text)
    except ValueError:
        raise InspectorError(f"BODY_HEX must be hex digits, got {text!r}") from None
    if len(key3) != KEY3_SIZE:
        raise InspectorError(f"BODY_HEX must be {KEY3_SIZE} bytes ({2 * KEY3_SIZE} hex digits), got {len(key3)}")
    return key3


def _hixie_answer(text: str) -> bytes:
    """The answer as 32 hex digits, or as the 16 characters a study note prints."""
    if len(text) == 2 * CHALLENGE_RESPONSE_SIZE:
        try:
            return bytes.fromhex(text)
        except ValueError:
            pass
    raw = text.encode("latin-1", "replace")
    if len(raw) != CHALLENGE_RESPONSE_SIZE:
        raise InspectorError(f"--expect must be {CHALLENGE_RESPONSE_SIZE} bytes: "
                             f"{2 * CHALLENGE_RESPONSE_SIZE} hex digits or {CHALLENGE_RESPONSE_SIZE} characters")
    return raw


def _shown(data: bytes) -> str:
    """Bytes as characters where they are printable ASCII, '.' elsewhere (never a control character)."""
    return "".join(chr(b) if b in PRINTABLE else "." for b in data)


def _key_lines(name: str, part: KeyPart) -> list[str]:
    lines = [f"{name} {part.key!r}",
             _row("  digits", part.digits or "(none)"),
             _row("  spaces", str(part.spaces))]
    if part.packed is None:
        lines.append(_row("  divide", f"impossible: {part.problem}"))
    else:
        lines.append(_row("  divide", f"{part.number} / {part.spaces} = {part.part}"
                                      f" -> {part.packed.hex(' ')} (4 bytes, big-endian)"))
    return lines


def _hixie_lines(result: Challenge) -> list[str]:
    lines = ["draft-hixie-76 §5.2: answer = MD5(Key1 number / spaces + Key2 number / spaces + key3)"]
    lines += _key_lines("Key1", result.key1)
    lines += _key_lines("Key2", result.key2)
    lines.append(_row("key3", f"{result.key3.hex(' ')}  {_shown(result.key3)!r}"))
    if result.md5_input is None or result.expected is None:
        lines.append(_row("MD5", "not computed: a key cannot be divided"))
    else:
        lines.append(_row("MD5 input", f"{result.md5_input.hex(' ')}  (16 bytes)"))
        lines.append(_row("answer", f"{result.expected.hex()}  {_shown(result.expected)!r}"))
    if result.received is not None:
        verdict = "matches" if result.valid else "does NOT match"
        lines.append(_row("expected", f"{result.received.hex()}: {verdict}"))
    return lines


def _part_json(part: KeyPart) -> dict[str, object]:
    return {"key": part.key, "digits": part.digits, "number": part.number, "spaces": part.spaces,
            "part": part.part, "problem": part.problem}


def _hixie_json(result: Challenge) -> str:
    record: dict[str, object] = {
        "draft": "hixie-76", "key1": _part_json(result.key1), "key2": _part_json(result.key2),
        "key3": result.key3.hex(),
        "md5_input": None if result.md5_input is None else result.md5_input.hex(),
        "answer": None if result.expected is None else result.expected.hex(),
    }
    if result.received is not None:
        record.update(expect=result.received.hex(), matches=result.valid)
    return dumps(record) + "\n"


def _row(label: str, value: str) -> str:
    return f"{label:<{LABEL_WIDTH}}{value}"
