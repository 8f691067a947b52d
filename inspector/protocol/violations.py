"""Broken RFC rules as data: every code the decoder can emit, in one table that is complete at import.

The codes are a public contract (the README's "Violation codes" table lists each with its scope,
close code and section): the CLI, the GUI, the JSON dump and the tests all match on these strings,
so a code is never renamed once it exists. A new code is added here and nowhere else; the modules
that check a rule only call `violation(code)`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final


class Scope(StrEnum):
    FRAME = "frame"
    MESSAGE = "message"
    CONNECTION = "connection"


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    scope: Scope
    close_code: int | None
    rfc: str | None  # None for capture facts (a gap, a missing handshake) that no RFC rule covers
    summary: str


@dataclass(frozen=True, slots=True)
class Violation:
    code: str
    close_code: int | None
    rfc: str | None
    message: str

    def to_json(self) -> dict[str, object]:
        return {"code": self.code, "close_code": self.close_code, "rfc": self.rfc, "message": self.message}


_PROTOCOL_ERROR: Final = 1002
_INVALID_PAYLOAD: Final = 1007
_MESSAGE_TOO_BIG: Final = 1009  # RFC 6455 §7.4.1: what a receiver with the inspector's inflate limit would send

RULES: Final[dict[str, Rule]] = {
    rule.code: rule
    for rule in (
        Rule("unmasked-client-frame", Scope.FRAME, _PROTOCOL_ERROR, "5.1",
             "a client must mask every frame it sends"),
        Rule("masked-server-frame", Scope.FRAME, _PROTOCOL_ERROR, "5.1",
             "a server must not mask the frames it sends"),
        Rule("reserved-bits", Scope.FRAME, _PROTOCOL_ERROR, "5.2",
             "RSV1-3 must be 0 unless a negotiated extension gives them a meaning"),
        Rule("reserved-opcode", Scope.FRAME, _PROTOCOL_ERROR, "5.2",
             "opcodes 0x3-0x7 and 0xB-0xF are reserved"),
        Rule("control-frame-too-long", Scope.FRAME, _PROTOCOL_ERROR, "5.5",
             "a control frame carries at most 125 payload bytes"),
        Rule("fragmented-control-frame", Scope.FRAME, _PROTOCOL_ERROR, "5.5",
             "a control frame must not be fragmented (FIN must be 1)"),
        Rule("non-minimal-length", Scope.FRAME, _PROTOCOL_ERROR, "5.2",
             "the payload length must be written in the fewest bytes"),
        Rule("length-msb-set", Scope.FRAME, _PROTOCOL_ERROR, "5.2",
             "the most significant bit of a 64-bit length must be 0"),
        Rule("unexpected-continuation", Scope.FRAME, _PROTOCOL_ERROR, "5.4",
             "a continuation frame arrived with no fragmented message open"),
        Rule("expected-continuation", Scope.FRAME, _PROTOCOL_ERROR, "5.4",
             "a new data frame arrived while a fragmented message was still open"),
        Rule("invalid-utf8", Scope.MESSAGE, _INVALID_PAYLOAD, "5.6",
             "text must be valid UTF-8"),
        Rule("invalid-close-code", Scope.FRAME, _PROTOCOL_ERROR, "7.4",
             "this status code must not be sent in a Close frame"),
        Rule("close-payload-one-byte", Scope.FRAME, _PROTOCOL_ERROR, "5.5.1",
             "a Close body is empty or starts with a 2-byte status code"),
        Rule("data-after-close", Scope.FRAME, None, "5.5.1",
             "an endpoint sends no data frame after its Close frame"),
        Rule("pong-mismatch", Scope.FRAME, None, "5.5.3",
             "a Pong answering a Ping must carry the same application data"),
        Rule("rsv1-on-continuation", Scope.FRAME, _PROTOCOL_ERROR, "RFC 7692 6.1",
             "permessage-deflate sets RSV1 only on a message's first frame"),
        Rule("decompression-failed", Scope.MESSAGE, _INVALID_PAYLOAD, "RFC 7692 6.2",
             "the compressed payload could not be inflated"),
        Rule("truncated-frame", Scope.FRAME, None, "5.2",
             "the capture ends inside this frame"),
        Rule("bad-accept", Scope.CONNECTION, None, "4.2.2",
             "Sec-WebSocket-Accept must be base64(SHA-1(key + GUID))"),
        Rule("bad-key", Scope.CONNECTION, None, "4.1",
             "Sec-WebSocket-Key must be the base64 of 16 bytes"),
        Rule("bad-version", Scope.CONNECTION, None, "4.1",
             "Sec-WebSocket-Version must be 13"),
        Rule("missing-upgrade-header", Scope.CONNECTION, None, "4.1",
             "the Upgrade header must contain the token 'websocket'"),
        Rule("missing-connection-header", Scope.CONNECTION, None, "4.2.2",
             "the Connection header must contain the token 'Upgrade'"),
        Rule("method-not-get", Scope.CONNECTION, None, "4.1",
             "the opening handshake must be a GET request"),
        Rule("old-http-version", Scope.CONNECTION, None, "4.1",
             "the opening handshake must be an HTTP/1.1 (or later) request"),
        Rule("missing-host-header", Scope.CONNECTION, None, "4.1",
             "the opening request must carry a Host header"),
        Rule("repeated-accept-header", Scope.CONNECTION, None, "11.3.3",
             "Sec-WebSocket-Accept must not appear more than once in the response"),
        Rule("malformed-header-line", Scope.CONNECTION, None, "RFC 7230 3.2.4",
             "no whitespace is allowed between a header field's name and its colon"),
        Rule("unrequested-subprotocol", Scope.CONNECTION, None, "4.2.2",
             "the server chose a subprotocol the client did not offer"),
        Rule("unrequested-extension", Scope.CONNECTION, None, "9.1",
             "the server accepted an extension the client did not offer"),
        Rule("bad-extension-parameters", Scope.CONNECTION, None, "RFC 7692 7.1",
             "the extension negotiation headers are malformed or the agreed parameters are invalid"),
        Rule("multiple-subprotocols", Scope.CONNECTION, None, "4.2.2",
             "the server must choose at most one subprotocol"),
        Rule("inflate-limit-exceeded", Scope.MESSAGE, _MESSAGE_TOO_BIG, None,
             "the message inflates past the inspector's limit; the data shown stops at the limit"),
        # A fact about the capture, not a rule the sender broke: no close code.
        Rule("inflate-window-missing", Scope.MESSAGE, None, None,
             "the compression window from before the capture (or a gap) is missing, "
             "so this message cannot be inflated"),
        Rule("hixie-bad-key", Scope.CONNECTION, None, "hixie-76 5.2",
             "a Sec-WebSocket-Key has no spaces, a number not divisible by them, or a part over 32 bits"),
        Rule("hixie-bad-challenge", Scope.CONNECTION, None, "hixie-76 4.1",
             "the 16 bytes after the server's headers must be MD5(part1 + part2 + key3)"),
        Rule("hixie-missing-location", Scope.CONNECTION, None, "hixie-76 5.2",
             "the server must answer with the origin and location headers of its draft"),
        Rule("hixie-unknown-frame-type", Scope.FRAME, None, "hixie-76 4.2",
             "only type 0x00 carries text; other sentinel-terminated frames are discarded"),
        Rule("handshake-missing", Scope.CONNECTION, None, None,
             "the opening handshake was not captured; frame boundaries were found by resynchronising"),
        Rule("capture-gap", Scope.CONNECTION, None, None,
             "the capture lost bytes of this connection"),
        Rule("frame-gap", Scope.FRAME, None, None,
             "bytes of this frame were lost in a capture gap"),
    )
}


def violation(code: str, detail: str | None = None) -> Violation:
    """Build a violation of a known rule; `detail` replaces the generic sentence with a specific one."""
    rule = RULES[code]
    return Violation(code, rule.close_code, rule.rfc, detail or rule.summary)

