"""A handshake key worked through to the server's answer, one step per line: the text `inspector accept`
prints and the window's Handshake Calculator shows, from this one source.

RFC 6455 (§4.2.2 step 5.4): Sec-WebSocket-Accept = base64(SHA-1(key + GUID)).
draft-hixie-76 (§5.2): the 16-byte answer = MD5(part1 + part2 + key3), each part being a key's
digits divided by its spaces. The computations live in inspector.protocol (handshake.compute_accept,
hixie.challenge); this module only lays their intermediate values out for a reader.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from ..errors import InspectorError
from ..protocol import teaching
from ..protocol.constants import KEY_NONCE_SIZE, WEBSOCKET_GUID
from ..protocol.handshake import compute_accept, key_is_valid
from ..protocol.hixie import CHALLENGE_RESPONSE_SIZE, KEY3_SIZE, Challenge, KeyPart
from .jsonl import dumps

PRINTABLE = range(0x20, 0x7F)
LABEL_WIDTH = 14
SUB = "  "  # a key's own steps sit under its line
WIDE = ("W", "F")  # east_asian_width classes drawn two columns wide


@dataclass(frozen=True)
class AcceptReport:
    """RFC 6455's steps for one key: the lines, the JSON object, and the verdict (None without an expected value)."""

    lines: list[str]
    json: str
    matches: bool | None


# -- RFC 6455 -------------------------------------------------------------------------------------


def rfc6455_report(key: str, expect: str | None) -> AcceptReport:
    steps = compute_accept(key)
    valid = key_is_valid(key)
    nonce = say("rfc6455.key-valid" if valid else "rfc6455.key-invalid", size=KEY_NONCE_SIZE)
    lines = [
        say("rfc6455.title"),
        row(say("label.key"), f"{steps.key!r}"),
        row("", nonce),
        row(say("label.guid"), f"{steps.concatenated!r}"),
        row(say("label.sha1"), say("rfc6455.sha1", sha1=steps.sha1_hex)),
        row(say("label.base64"), steps.accept),
    ]
    matches = None if expect is None else expect.strip() == steps.accept
    if expect is not None:
        lines.append(row(say("label.expected"), f"{expect.strip()!r}: {_verdict(matches)}"))
    record: dict[str, object] = {
        "draft": "rfc6455", "key": steps.key, "key_valid": valid, "guid": WEBSOCKET_GUID,
        "concatenated": steps.concatenated, "sha1": steps.sha1_hex, "accept": steps.accept,
    }
    if expect is not None:
        record.update(expect=expect.strip(), matches=matches)
    return AcceptReport(lines, dumps(record) + "\n", matches)


# -- draft-hixie-76 -------------------------------------------------------------------------------


def parse_key3(text: str) -> bytes:
    """The 8 bytes after a draft-76 request, from hex (spaces allowed); InspectorError says what is wrong."""
    try:
        key3 = bytes.fromhex(text)
    except ValueError:
        raise InspectorError(f"BODY_HEX must be hex digits, got {text!r}") from None
    if len(key3) != KEY3_SIZE:
        raise InspectorError(f"BODY_HEX must be {KEY3_SIZE} bytes ({2 * KEY3_SIZE} hex digits), got {len(key3)}")
    return key3


def parse_hixie_answer(text: str) -> bytes:
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


def shown(data: bytes) -> str:
    """Bytes as characters where they are printable ASCII, '.' elsewhere (never a control character)."""
    return "".join(chr(b) if b in PRINTABLE else "." for b in data)


def _key_lines(name: str, part: KeyPart) -> list[str]:
    lines = [f"{name} {part.key!r}",
             row(SUB + say("label.digits"), part.digits or say("hixie.no-digits")),
             row(SUB + say("label.spaces"), str(part.spaces))]
    if part.packed is None:
        lines.append(row(SUB + say("label.divide"), say("hixie.impossible", problem=part.problem)))
    else:
        lines.append(row(SUB + say("label.divide"), say("hixie.divide", number=part.number, spaces=part.spaces,
                                                        part=part.part, packed=part.packed.hex(" "))))
    return lines


def hixie76_lines(result: Challenge) -> list[str]:
    lines = [say("hixie.title")]
    lines += _key_lines("Key1", result.key1)
    lines += _key_lines("Key2", result.key2)
    lines.append(row("key3", f"{result.key3.hex(' ')}  {shown(result.key3)!r}"))
    if result.md5_input is None or result.expected is None:
        lines.append(row("MD5", say("hixie.not-computed")))
    else:
        lines.append(row(say("label.md5-input"), say("hixie.md5-input", md5_input=result.md5_input.hex(" "))))
        lines.append(row(say("label.answer"), f"{result.expected.hex()}  {shown(result.expected)!r}"))
    if result.received is not None:
        lines.append(row(say("label.expected"), f"{result.received.hex()}: {_verdict(result.valid)}"))
    return lines


def say(step: str, **values: object) -> str:
    """A step's words from the teaching catalogue (English unless the window installed a translation)."""
    return teaching.text(teaching.STEP + step, **values)


def _verdict(matches: bool | None) -> str:
    return say("verdict.match" if matches else "verdict.mismatch")


def _part_json(part: KeyPart) -> dict[str, object]:
    return {"key": part.key, "digits": part.digits, "number": part.number, "spaces": part.spaces,
            "part": part.part, "problem": part.problem}


def hixie76_json(result: Challenge) -> str:
    record: dict[str, object] = {
        "draft": "hixie-76", "key1": _part_json(result.key1), "key2": _part_json(result.key2),
        "key3": result.key3.hex(),
        "md5_input": None if result.md5_input is None else result.md5_input.hex(),
        "answer": None if result.expected is None else result.expected.hex(),
    }
    if result.received is not None:
        record.update(expect=result.received.hex(), matches=result.valid)
    return dumps(record) + "\n"


def row(label: str, value: str) -> str:
    """`label` padded to LABEL_WIDTH columns of a monospaced font, where a CJK character takes two."""
    width = sum(2 if unicodedata.east_asian_width(char) in WIDE else 1 for char in label)
    return label + " " * max(LABEL_WIDTH - width, 0) + value
