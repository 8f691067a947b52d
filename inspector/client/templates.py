"""The catalogue of named test frames, legal and broken, each with what a compliant server must do.

The categories follow the Autobahn test suite's chapters (framing, pings and pongs, reserved bits,
opcodes, fragmentation, UTF-8, close handling, plus masking and compression). Every template is data:
steps to send (steps.py) and an `Expect`ation the verdict (verdict.py) checks the server's answer
against. The expectations are the RFC's, not any one server's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from inspector.protocol.constants import Opcode
from inspector.protocol.encoder import FrameSpec

from . import steps
from .steps import Frames, Message, Step

# RFC 6455 §7.4.1
NORMAL: Final = 1000
PROTOCOL_ERROR: Final = 1002
NO_STATUS: Final = 1005  # §7.1.5: the status of a Close frame that carries none
INVALID_PAYLOAD: Final = 1007

ECHO: Final = "echo"
PONG: Final = "pong"
NONE: Final = "none"
REPLIES: Final = (ECHO, PONG, NONE)


@dataclass(frozen=True, slots=True)
class Expect:
    """What a compliant server does: one reply ("echo", "pong", "none") or failing with a close code."""

    reply: str | None = None
    close_code: int | None = None

    def __post_init__(self) -> None:
        if (self.reply is None) == (self.close_code is None):
            raise ValueError("an expectation is either a reply or a close code")
        if self.reply is not None and self.reply not in REPLIES:
            raise ValueError(f"a reply is one of {', '.join(REPLIES)}, not {self.reply!r}")

    def to_json(self) -> dict[str, object]:
        return {"close_code": self.close_code} if self.close_code is not None else {"reply": self.reply}

    def describe(self) -> str:
        if self.close_code is not None:
            return f"a Close with code {self.close_code}"
        return {ECHO: "the same message echoed", PONG: "a Pong with the Ping's data", NONE: "no reply"}[
            self.reply or NONE
        ]


@dataclass(frozen=True, slots=True)
class Template:
    name: str
    category: str
    description: str
    rfc: str
    expect: Expect
    steps: tuple[Step, ...]
    deflate: bool | None = None  # True: needs permessage-deflate agreed; False: needs it absent
    source: str = "built-in"

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "category": self.category, "description": self.description, "rfc": self.rfc,
                "expect": self.expect.to_json()}


def close_with(code: int) -> Expect:
    return Expect(close_code=code)


def frame(payload: bytes = b"", opcode: int = Opcode.TEXT, *, fin: bool = True, rsv: int = 0,
          length_form: int | None = None, length: int | None = None) -> FrameSpec:
    """A frame's parts; `rsv` is the three RSV bits as a number 0-7 (RSV1 is 4)."""
    return FrameSpec(payload, opcode, fin, bool(rsv & 4), bool(rsv & 2), bool(rsv & 1),
                     length_form=length_form, length=length)


def frames(*specs: FrameSpec, masked: bool = True) -> Frames:
    return Frames(specs, masked)


HELLO: Final = b"Hello"
KOSME: Final = "κόσμε".encode()  # Greek "cosmos": 2- and 3-byte UTF-8 sequences
ERROR: Final = close_with(PROTOCOL_ERROR)
BAD_TEXT: Final = close_with(INVALID_PAYLOAD)


def _framing() -> list[Template]:
    sizes = [("text-0", Opcode.TEXT, 0, "7-bit length 0"), ("text-125", Opcode.TEXT, 125, "largest 7-bit length"),
             ("text-126", Opcode.TEXT, 126, "smallest 16-bit length"), ("text-127", Opcode.TEXT, 127, "16-bit length"),
             ("binary-65535", Opcode.BINARY, 65535, "largest 16-bit length"),
             ("binary-65536", Opcode.BINARY, 65536, "smallest 64-bit length")]
    out = [Template(name, "framing", f"a {size}-byte {'text' if opcode == Opcode.TEXT else 'binary'} message ({what})",
                    "5.2", Expect(ECHO), (Message(opcode, b"*" * size),))
           for name, opcode, size, what in sizes]
    out += [
        Template("non-minimal-length-16", "framing", "\"Hello\" with its length written in 16 bits instead of 7",
                 "5.2", ERROR, (frames(frame(HELLO, length_form=16)),)),
        Template("non-minimal-length-64", "framing", "\"Hello\" with its length written in 64 bits instead of 7",
                 "5.2", ERROR, (frames(frame(HELLO, length_form=64)),)),
        Template("length-2-63", "framing", "a frame claiming 2^63 bytes (the 64-bit length's top bit set), 5 sent",
                 "5.2", ERROR, (frames(frame(HELLO, length_form=64, length=2**63)),)),
        Template("frame-cut-short", "framing", "a header declaring 20 payload bytes, only 10 sent: the server waits",
                 "5.2", Expect(NONE), (frames(frame(b"0123456789", length=20)),)),
    ]
    return out


def _ping_pong() -> list[Template]:
    return [
        Template("ping-empty", "ping-pong", "a Ping without data", "5.5.2", Expect(PONG), (steps.ping(),)),
        Template("ping-125", "ping-pong", "a Ping with 125 bytes, the most a control frame holds", "5.5",
                 Expect(PONG), (steps.ping(b"p" * 125),)),
        Template("ping-126", "ping-pong", "a Ping with 126 bytes, one more than a control frame may hold", "5.5",
                 ERROR, (steps.ping(b"p" * 126),)),
        Template("ping-binary", "ping-pong", "a Ping whose data is not text (bytes 00-07 and ff-f8)", "5.5.2",
                 Expect(PONG), (steps.ping(bytes(range(8)) + bytes(range(255, 247, -1))),)),
        Template("unsolicited-pong", "ping-pong", "a Pong nobody asked for (a heartbeat): no answer is due", "5.5.3",
                 Expect(NONE), (steps.pong(b"heartbeat"),)),
        Template("unsolicited-pong-then-ping", "ping-pong", "an unsolicited Pong, then a Ping", "5.5.3",
                 Expect(PONG), (steps.pong(b"first"), steps.ping(b"second"))),
        Template("ten-pings", "ping-pong", "ten Pings in a row; at least the last must be answered", "5.5.3",
                 Expect(PONG), tuple(steps.ping(f"ping {n}".encode()) for n in range(10))),
    ]


def _reserved_bits() -> list[Template]:
    return [Template(f"rsv-{rsv}", "reserved-bits", f"\"Hello\" with RSV bits {rsv:03b} and no extension agreed",
                     "5.2", ERROR, (frames(frame(HELLO, rsv=rsv)),), deflate=False)
            for rsv in range(1, 8)]


def _opcodes() -> list[Template]:
    reserved = [*range(0x3, 0x8), *range(0xB, 0x10)]
    return [Template(f"opcode-{op}", "opcodes",
                     f"a frame with reserved {'non-control' if op < 8 else 'control'} opcode 0x{op:X}",
                     "5.2", ERROR, (frames(frame(b"" if op >= 8 else HELLO, op)),))
            for op in reserved]


def _fragmentation() -> list[Template]:
    first, rest = frame(b"Hel", fin=False), frame(b"lo", Opcode.CONTINUATION)
    return [
        Template("fragmented-text", "fragmentation", "\"Hello\" in two frames", "5.4", Expect(ECHO),
                 (Message(Opcode.TEXT, HELLO, parts=2),)),
        Template("fragmented-one-byte-pieces", "fragmentation", "a 16-byte text message in 16 one-byte frames", "5.4",
                 Expect(ECHO), (Message(Opcode.TEXT, b"Hello, fragments", parts=16),)),
        Template("fragmented-ping", "fragmentation", "a Ping split in two frames: control frames are never fragmented",
                 "5.5", ERROR, (frames(frame(b"pi", Opcode.PING, fin=False), frame(b"ng", Opcode.CONTINUATION)),)),
        Template("continuation-without-start", "fragmentation", "a continuation frame with no message to continue",
                 "5.4", ERROR, (frames(frame(HELLO, Opcode.CONTINUATION)),)),
        Template("text-inside-fragmented", "fragmentation", "a new text frame while a fragmented message is open",
                 "5.4", ERROR, (frames(first, frame(b"lo")),)),
        Template("ping-between-fragments", "fragmentation", "a Ping between the two fragments of \"Hello\"", "5.4",
                 Expect(ECHO), (frames(first, frame(b"in", Opcode.PING), rest),)),
        Template("pong-between-fragments", "fragmentation", "an unsolicited Pong between the fragments of \"Hello\"",
                 "5.4", Expect(ECHO), (frames(first, frame(b"", Opcode.PONG), rest),)),
        Template("close-between-fragments", "fragmentation",
                 "a Close 1000 after the first fragment: control frames may come between fragments, so the server "
                 "answers the Close", "5.4", close_with(NORMAL),
                 (frames(first, frame(NORMAL.to_bytes(2, "big"), Opcode.CLOSE)),)),
    ]


def _utf8() -> list[Template]:
    bad = {
        "utf8-invalid": (b"\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80edited", "κόσμε, then a surrogate"),
        "utf8-overlong-2": (b"\xc0\xaf", "'/' as an overlong 2-byte form"),
        "utf8-overlong-3": (b"\xe0\x80\xaf", "'/' as an overlong 3-byte form"),
        "utf8-overlong-4": (b"\xf0\x80\x80\xaf", "'/' as an overlong 4-byte form"),
        "utf8-surrogate": (b"\xed\xa0\x80", "the lone surrogate U+D800"),
        "utf8-surrogate-pair": (b"\xed\xa0\x80\xed\xb0\x80", "a surrogate pair encoded as two 3-byte forms"),
        "utf8-above-max": (b"\xf4\x90\x80\x80", "a code point above U+10FFFF"),
        "utf8-truncated-end": (b"Hello \xe2\x82", "a 3-byte sequence cut off at the message's end"),
    }
    out = [Template(name, "utf-8", f"a text message with invalid UTF-8: {what}", "8.1", BAD_TEXT,
                    (Message(Opcode.TEXT, data),)) for name, (data, what) in bad.items()]
    out += [
        Template("utf8-valid", "utf-8", "valid multi-byte UTF-8 (κόσμε)", "5.6", Expect(ECHO),
                 (Message(Opcode.TEXT, KOSME),)),
        Template("utf8-valid-split", "utf-8", "κόσμε one byte per frame: code points split across frames are fine",
                 "5.6", Expect(ECHO), (Message(Opcode.TEXT, KOSME, parts=len(KOSME)),)),
        Template("utf8-invalid-split", "utf-8", "a fragmented text message whose second frame holds invalid UTF-8",
                 "8.1", BAD_TEXT, (frames(frame(b"Hello ", fin=False),
                                          frame(b"\xff world", Opcode.CONTINUATION)),)),
    ]
    return out


def _close() -> list[Template]:
    def close_frame(payload: bytes) -> Frames:
        return frames(frame(payload, Opcode.CLOSE))

    out = [
        Template("close-empty", "close", "a Close without a body; the answer has none either (status 1005)",
                 "5.5.1", close_with(NO_STATUS), (steps.close(),)),
        Template("close-1000", "close", "a normal Close, code 1000", "7.4.1", close_with(NORMAL),
                 (steps.close(NORMAL),)),
        Template("close-1000-reason", "close", "Close 1000 with a reason", "5.5.1", close_with(NORMAL),
                 (steps.close(NORMAL, "bye"),)),
        Template("close-3000", "close", "Close 3000 (registered range): the server answers with the same code",
                 "7.4.2", close_with(3000), (steps.close(3000),)),
        Template("close-4999", "close", "Close 4999 (private range): the server answers with the same code",
                 "7.4.2", close_with(4999), (steps.close(4999),)),
        Template("close-one-byte", "close", "a Close whose body is one byte: too short for a status code", "5.5.1",
                 ERROR, (close_frame(b"\x03"),)),
        Template("close-reason-126", "close", "Close 1000 with a 126-byte reason: 128 bytes, over the control limit",
                 "5.5", ERROR, (close_frame(NORMAL.to_bytes(2, "big") + b"r" * 126),)),
        Template("close-reason-invalid-utf8", "close", "Close 1000 whose reason is not valid UTF-8", "5.5.1",
                 BAD_TEXT, (close_frame(NORMAL.to_bytes(2, "big") + b"\xce\xba\xed\xa0\x80"),)),
    ]
    for code in (0, 999, 1004, 1005, 1006, 1016, 1100, 2000, 2999, 5000):
        out.append(Template(f"close-code-{code}", "close", f"a Close with status code {code}, which must not be sent",
                            "7.4.1", ERROR, (close_frame(code.to_bytes(2, "big")),)))
    return out


def _masking() -> list[Template]:
    return [
        Template("unmasked-text", "masking", "\"Hello\" from the client without a mask", "5.1", ERROR,
                 (frames(frame(HELLO), masked=False),)),
        Template("unmasked-ping", "masking", "a Ping from the client without a mask", "5.1", ERROR,
                 (frames(frame(b"x", Opcode.PING), masked=False),)),
    ]


def _compression() -> list[Template]:
    long_text = b"compress me, compress me, compress me " * 8
    return [
        Template("compressed-text", "compression", "a compressed text message", "RFC 7692 6", Expect(ECHO),
                 (Message(Opcode.TEXT, long_text, compress=True),), deflate=True),
        Template("compressed-fragmented", "compression", "a compressed message in three frames, RSV1 on the first",
                 "RFC 7692 6.1", Expect(ECHO), (Message(Opcode.TEXT, long_text, parts=3, compress=True),),
                 deflate=True),
        Template("compressed-binary", "compression", "a compressed binary message", "RFC 7692 6", Expect(ECHO),
                 (Message(Opcode.BINARY, bytes(range(256)) * 4, compress=True),), deflate=True),
        Template("rsv1-on-continuation", "compression", "a compressed message with RSV1 on its continuation too",
                 "RFC 7692 6.1", ERROR,
                 (Message(Opcode.TEXT, long_text, parts=2, compress=True, rsv1_everywhere=True),), deflate=True),
        Template("compressed-ping", "compression", "a Ping with RSV1 set: control frames are never compressed",
                 "RFC 7692 6.1", ERROR, (frames(frame(b"ping", Opcode.PING, rsv=4)),), deflate=True),
        Template("bad-deflate-data", "compression",
                 "RSV1 on a text frame whose payload is not DEFLATE data (block type 11 is reserved); RFC 7692 "
                 "names no close code, 1007 (invalid data) fits", "RFC 7692 6.2", BAD_TEXT,
                 (frames(frame(b"\xff\xff\xff\xff", rsv=4)),), deflate=True),
    ]


CATALOGUE: Final[tuple[Template, ...]] = (
    *_framing(), *_ping_pong(), *_reserved_bits(), *_opcodes(), *_fragmentation(), *_utf8(), *_close(),
    *_masking(), *_compression(),
)
BY_NAME: Final[dict[str, Template]] = {t.name: t for t in CATALOGUE}
assert len(BY_NAME) == len(CATALOGUE), "template names are unique"
