"""The opening handshake, RFC 6455 Section 4: the HTTP/1.1 Upgrade request and the server's answer.

Theory of operation
-------------------
`parse_request` / `parse_response` read a byte buffer that grows as the capture goes on. They return
None while the header block (ending in an empty line) is incomplete, and (message, consumed) once it
is there; bytes after `consumed` already belong to the frame stream. Given the same `HeadScan` on
each call, they look only at the bytes added since the last one, so a block fed a byte at a time
costs linear work. Bytes that cannot be HTTP raise `HandshakeParseError`, and so does a header block
longer than `MAX_HEADER_BLOCK`: a hostile peer cannot make us buffer forever. A header line with
whitespace before its colon is kept (the name trimmed) and reported, not taken for garbage.

`check_handshake` then compares the two sides: the accept key computed step by step
(`compute_accept`), the Upgrade/Connection tokens, the version, the subprotocol and the extensions,
and it names each broken rule with a connection-scope violation. A non-101 answer (403, 426...) is a
refusal, not a violation.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from .constants import KEY_NONCE_SIZE, PERMESSAGE_DEFLATE, WEBSOCKET_GUID, WEBSOCKET_VERSION
from .deflate import DeflateParameters, ExtensionOffer, negotiate_deflate, offer_problems, parse_extensions
from .violations import Violation, violation

# Our own limit, not the RFC's: the largest header block we buffer before calling it garbage.
MAX_HEADER_BLOCK: Final = 64 * 1024

# RFC 7230 Section 3.1: request-line and status-line.
_REQUEST_LINE: Final = re.compile(r"([!#$%&'*+\-.^_`|~0-9A-Za-z]+) (\S+) (HTTP/\d\.\d)")
_STATUS_LINE: Final = re.compile(r"(HTTP/\d\.\d) (\d{3})(?: (.*))?")
_METHOD_CHARS: Final = frozenset(b"!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_HTTP_PREFIX: Final = b"HTTP/"

# RFC 6455 Section 4.1: "the HTTP version MUST be at least 1.1".
MIN_HTTP_VERSION: Final = (1, 1)

# RFC 6455 Section 4.2.1 / 4.2.2: the status code that completes the handshake.
SWITCHING_PROTOCOLS: Final = 101


class HandshakeParseError(ValueError):
    """The bytes are not an HTTP/1.1 request or response, or the header block exceeds MAX_HEADER_BLOCK."""


@dataclass(slots=True)
class HeadScan:
    """How far a growing header block has been read, so the next call starts where this one stopped."""

    searched: int = 0  # bytes already searched for the end of the block (and for the first line's end)
    first_line_checked: bool = False


class _Headers:
    """Headers in wire order with their original case; lookups ignore case (RFC 7230 Section 3.2)."""

    __slots__ = ()
    headers: list[tuple[str, str]]
    malformed: list[str]  # header lines that break RFC 7230 Section 3.2.4 but could still be read

    def get(self, name: str) -> str | None:
        """The first value of a header, or None."""
        wanted = name.lower()
        for key, value in self.headers:
            if key.lower() == wanted:
                return value
        return None

    def get_all(self, name: str) -> list[str]:
        wanted = name.lower()
        return [value for key, value in self.headers if key.lower() == wanted]

    def tokens(self, name: str) -> list[str]:
        """Every comma-separated token of every line of a header, lower-cased (e.g. Connection)."""
        return [t.strip().lower() for value in self.get_all(name) for t in value.split(",") if t.strip()]


@dataclass(slots=True)
class HttpRequest(_Headers):
    method: str
    target: str
    version: str
    headers: list[tuple[str, str]]
    raw: bytes = b""  # the header block exactly as it arrived, blank line included
    malformed: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {"method": self.method, "target": self.target, "headers": [list(h) for h in self.headers]}


@dataclass(slots=True)
class HttpResponse(_Headers):
    version: str
    status: int
    reason: str
    headers: list[tuple[str, str]]
    raw: bytes = b""
    malformed: list[str] = field(default_factory=list)

    def to_json(self) -> dict[str, object]:
        return {"status": self.status, "reason": self.reason, "headers": [list(h) for h in self.headers]}


def _header_block(buf: bytes | bytearray, looks_right: bool, scan: HeadScan) -> tuple[list[str], int] | None:
    """Split the header block into lines once it is complete; None while more bytes are needed."""
    start = max(0, scan.searched - 3)  # a blank line may straddle the old end: look back 3 bytes
    scan.searched = len(buf)
    end = buf.find(b"\r\n\r\n", start, MAX_HEADER_BLOCK + 4)
    size = end + 4
    bare = buf.find(b"\n\n", start, MAX_HEADER_BLOCK + 2)  # tolerate bare LF line ends (RFC 7230 Section 3.5)
    if bare != -1 and (end == -1 or bare < end):
        end, size = bare, bare + 2
    if end == -1:
        if len(buf) > MAX_HEADER_BLOCK:
            raise HandshakeParseError(f"no end of the HTTP header block within {MAX_HEADER_BLOCK} bytes")
        if not looks_right:
            raise HandshakeParseError("the bytes do not start like an HTTP message")
        return None
    text = bytes(buf[:end]).decode("latin-1")  # RFC 7230 Section 3.2.4: octets, historically ISO-8859-1
    return text.replace("\r\n", "\n").split("\n"), size


def _first_line_ok(buf: bytes | bytearray, check: re.Pattern[str], scan: HeadScan) -> bool:
    """Cheap early test so garbage fails fast instead of being buffered up to the limit."""
    if scan.first_line_checked:
        return True
    newline = buf.find(b"\n", scan.searched)  # no newline before `searched`, or it would have been checked
    if newline == -1:
        return True
    scan.first_line_checked = True
    line = bytes(buf[:newline]).rstrip(b"\r").decode("latin-1")
    return check.fullmatch(line) is not None


def _parse_headers(lines: list[str], malformed: list[str]) -> list[tuple[str, str]]:
    """The header fields, in order. Lines with whitespace before the colon go to `malformed` as well."""
    headers: list[tuple[str, str]] = []
    for line in lines:
        if line[:1] in (" ", "\t"):  # obsolete line folding (RFC 7230 Section 3.2.4): join to the previous value
            if not headers:
                raise HandshakeParseError("a folded header line with no header before it")
            name, value = headers[-1]
            headers[-1] = (name, f"{value} {line.strip()}")
            continue
        name, colon, value = line.partition(":")
        trimmed = name.rstrip(" \t")
        if not colon or not trimmed or trimmed != trimmed.strip():
            raise HandshakeParseError(f"not a header line: {line[:80]!r}")
        if trimmed != name:  # RFC 7230 Section 3.2.4: no whitespace between the field name and the colon
            malformed.append(line)
        headers.append((trimmed, value.strip(" \t")))
    return headers


def parse_request(buf: bytes | bytearray, scan: HeadScan | None = None) -> tuple[HttpRequest, int] | None:
    """Parse the client's Upgrade request from the start of `buf`: (request, bytes consumed) or None.
    Pass the same `scan` while `buf` grows to look only at the new bytes each time."""
    if scan is None:
        scan = HeadScan()
    if buf and buf[0] not in _METHOD_CHARS:
        raise HandshakeParseError("the bytes do not start like an HTTP request")
    split = _header_block(buf, _first_line_ok(buf, _REQUEST_LINE, scan), scan)
    if split is None:
        return None
    lines, consumed = split
    match = _REQUEST_LINE.fullmatch(lines[0])
    if match is None:
        raise HandshakeParseError(f"not an HTTP request line: {lines[0][:80]!r}")
    method, target, version = match.groups()
    malformed: list[str] = []
    headers = _parse_headers(lines[1:], malformed)
    return HttpRequest(method, target, version, headers, bytes(buf[:consumed]), malformed), consumed


def parse_response(buf: bytes | bytearray, scan: HeadScan | None = None) -> tuple[HttpResponse, int] | None:
    """Parse the server's answer from the start of `buf`: (response, bytes consumed) or None (see parse_request)."""
    if scan is None:
        scan = HeadScan()
    head = bytes(buf[: len(_HTTP_PREFIX)])
    if head != _HTTP_PREFIX[: len(head)]:
        raise HandshakeParseError("the bytes do not start like an HTTP response")
    split = _header_block(buf, _first_line_ok(buf, _STATUS_LINE, scan), scan)
    if split is None:
        return None
    lines, consumed = split
    match = _STATUS_LINE.fullmatch(lines[0])
    if match is None:
        raise HandshakeParseError(f"not an HTTP status line: {lines[0][:80]!r}")
    version, status, reason = match.groups()
    malformed: list[str] = []
    headers = _parse_headers(lines[1:], malformed)
    return HttpResponse(version, int(status), reason or "", headers, bytes(buf[:consumed]), malformed), consumed


@dataclass(frozen=True, slots=True)
class AcceptComputation:
    """Section 4.2.2 step 5, one value per step, so a learner can follow it."""

    key: str  # Sec-WebSocket-Key as sent (trimmed)
    concatenated: str  # key + GUID
    sha1_hex: str  # SHA-1 of the concatenation, hex
    accept: str  # base64 of the 20-byte digest: the expected Sec-WebSocket-Accept


def compute_accept(key: str) -> AcceptComputation:
    key = key.strip()
    concatenated = key + WEBSOCKET_GUID
    digest = hashlib.sha1(concatenated.encode("latin-1", "replace")).digest()
    return AcceptComputation(key, concatenated, digest.hex(), base64.b64encode(digest).decode("ascii"))


def key_is_valid(key: str) -> bool:
    """Section 4.1: the key is the base64 encoding of exactly 16 bytes."""
    try:
        return len(base64.b64decode(key.strip(), validate=True)) == KEY_NONCE_SIZE
    except (binascii.Error, ValueError):
        return False


@dataclass(slots=True)
class Handshake:
    request: HttpRequest
    response: HttpResponse
    accept: AcceptComputation | None = None
    accept_valid: bool | None = None
    subprotocol: str | None = None
    extensions: list[ExtensionOffer] = field(default_factory=list)  # agreed, as the response lists them
    deflate: DeflateParameters | None = None
    refused: bool = False
    violations: list[Violation] = field(default_factory=list)
    # A pre-RFC (hixie-76) handshake has no accept key; its expected 16-byte MD5 answer goes here, in hex.
    hixie_answer_expected: str | None = None

    @property
    def status(self) -> int:
        return self.response.status

    def to_json(self) -> dict[str, object]:
        """The `handshake` member of a connection object in the JSON dump (README, "The dump format")."""
        return {
            "request": self.request.to_json(),
            "response": self.response.to_json(),
            "accept_expected": self.accept.accept if self.accept else self.hixie_answer_expected,
            "accept_valid": self.accept_valid,
            "subprotocol": self.subprotocol,
            "extensions": [offer.to_json() for offer in self.extensions],
        }


def _malformed_lines(message: HttpRequest | HttpResponse, which: str) -> list[Violation]:
    return [
        violation("malformed-header-line", f"{which} header line {line[:80]!r} has whitespace before its colon")
        for line in message.malformed
    ]


def _version_number(version: str) -> tuple[int, int]:
    """"HTTP/1.1" -> (1, 1); the request-line pattern guarantees the shape."""
    major, _, minor = version.removeprefix("HTTP/").partition(".")
    return int(major), int(minor)


def _request_violations(request: HttpRequest) -> list[Violation]:
    found: list[Violation] = []
    if request.method != "GET":
        found.append(violation("method-not-get", f"the request method is {request.method}, not GET"))
    if _version_number(request.version) < MIN_HTTP_VERSION:
        found.append(violation("old-http-version", f"the request is {request.version}, not HTTP/1.1 or later"))
    if request.get("Host") is None:
        found.append(violation("missing-host-header", "the request has no Host header"))
    found.extend(_malformed_lines(request, "request"))
    if "websocket" not in request.tokens("Upgrade"):
        found.append(violation("missing-upgrade-header", "the request's Upgrade header lacks 'websocket'"))
    if "upgrade" not in request.tokens("Connection"):
        found.append(violation("missing-connection-header", "the request's Connection header lacks 'Upgrade'"))
    keys = request.get_all("Sec-WebSocket-Key")
    if not keys:
        found.append(violation("bad-key", "the request has no Sec-WebSocket-Key"))
    elif len(keys) > 1:
        found.append(violation("bad-key", f"the request has {len(keys)} Sec-WebSocket-Key headers"))
    elif not key_is_valid(keys[0]):
        found.append(violation("bad-key", f"Sec-WebSocket-Key {keys[0]!r} is not the base64 of 16 bytes"))
    versions = [value.strip() for value in request.get_all("Sec-WebSocket-Version")]
    if len(set(versions)) > 1:
        # RFC 7230 Section 3.2.2: repeated lines mean one comma-separated list, which is not '13'.
        found.append(violation("bad-version", f"Sec-WebSocket-Version is sent {len(versions)} times with "
                                              f"different values {versions}; it must be '13' alone"))
    elif not versions or versions[0] != WEBSOCKET_VERSION:
        version = request.get("Sec-WebSocket-Version")
        found.append(violation("bad-version", f"Sec-WebSocket-Version is {version!r}, not '13'"))
    return found


def _offered(request: HttpRequest) -> tuple[list[str], list[ExtensionOffer], list[str]]:
    protocols = [t.strip() for value in request.get_all("Sec-WebSocket-Protocol") for t in value.split(",")]
    parsed = parse_extensions(request.get_all("Sec-WebSocket-Extensions"))
    return [p for p in protocols if p], parsed.offers, parsed.errors


def check_handshake(request: HttpRequest, response: HttpResponse) -> Handshake:
    """Compare request and response; every broken Section 4 rule becomes a connection violation."""
    handshake = Handshake(request, response, refused=response.status != SWITCHING_PROTOCOLS)
    found = _request_violations(request)
    protocols, offers, errors = _offered(request)
    found.extend(violation("bad-extension-parameters", f"request: {e}") for e in errors)
    for offer in offers:
        if offer.name.lower() == PERMESSAGE_DEFLATE:
            found.extend(violation("bad-extension-parameters", p) for p in offer_problems(offer))
    key = request.get("Sec-WebSocket-Key")
    if key is not None:
        handshake.accept = compute_accept(key)
    if handshake.refused:
        handshake.violations = found
        return handshake

    if "websocket" not in response.tokens("Upgrade"):
        found.append(violation("missing-upgrade-header", "the response's Upgrade header lacks 'websocket'"))
    if "upgrade" not in response.tokens("Connection"):
        found.append(violation("missing-connection-header", "the response's Connection header lacks 'Upgrade'"))

    found.extend(_malformed_lines(response, "response"))
    accepts = response.get_all("Sec-WebSocket-Accept")
    if len(accepts) > 1:
        found.append(
            violation("repeated-accept-header", f"the response has {len(accepts)} Sec-WebSocket-Accept headers")
        )
    given = response.get("Sec-WebSocket-Accept")
    if handshake.accept is not None:
        handshake.accept_valid = given is not None and given.strip() == handshake.accept.accept
        if not handshake.accept_valid:
            detail = "missing" if given is None else repr(given)
            found.append(
                violation("bad-accept", f"Sec-WebSocket-Accept is {detail}; expected {handshake.accept.accept!r}")
            )

    chosen = [t.strip() for value in response.get_all("Sec-WebSocket-Protocol") for t in value.split(",")]
    chosen = [c for c in chosen if c]
    if len(chosen) > 1:
        found.append(violation("multiple-subprotocols", f"the server chose {chosen}"))
    if chosen:
        handshake.subprotocol = chosen[0]
        if chosen[0] not in protocols:
            found.append(violation("unrequested-subprotocol", f"the server chose {chosen[0]!r}; offered {protocols}"))

    agreed = parse_extensions(response.get_all("Sec-WebSocket-Extensions"))
    found.extend(violation("bad-extension-parameters", f"response: {e}") for e in agreed.errors)
    handshake.extensions = agreed.offers
    offered_names = {o.name.lower() for o in offers}
    for offer in agreed.offers:
        name = offer.name.lower()
        if name not in offered_names:
            found.append(violation("unrequested-extension", f"the server accepted {offer.name!r}, never offered"))
        if name == PERMESSAGE_DEFLATE:
            if handshake.deflate is not None:
                found.append(violation("bad-extension-parameters", "permessage-deflate accepted twice"))
                continue
            handshake.deflate, problems = negotiate_deflate(offer, offers)
            found.extend(violation("bad-extension-parameters", p) for p in problems)
    handshake.violations = found
    return handshake


def new_key() -> str:
    """A fresh Sec-WebSocket-Key: 16 random bytes, base64 (Section 4.1)."""
    return base64.b64encode(os.urandom(KEY_NONCE_SIZE)).decode("ascii")


def build_request(
    host: str,
    target: str = "/",
    *,
    key: str | None = None,
    subprotocols: Iterable[str] = (),
    extensions: Iterable[ExtensionOffer | str] = (),
    extra_headers: Iterable[tuple[str, str]] = (),
) -> bytes:
    """A valid Section 4.1 opening request, ready to send."""
    lines = [
        f"GET {target} HTTP/1.1",
        f"Host: {host}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key if key is not None else new_key()}",
        f"Sec-WebSocket-Version: {WEBSOCKET_VERSION}",
    ]
    protocols = list(subprotocols)
    if protocols:
        lines.append(f"Sec-WebSocket-Protocol: {', '.join(protocols)}")
    offers = [e if isinstance(e, str) else e.header_value() for e in extensions]
    if offers:
        lines.append(f"Sec-WebSocket-Extensions: {', '.join(offers)}")
    lines.extend(f"{name}: {value}" for name, value in extra_headers)
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
