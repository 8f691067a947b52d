"""The three opening handshakes side by side, oldest first: draft-hixie-75's echoed origin and location,
draft-hixie-76's MD5 challenge and RFC 6455's key and accept, each with what it fixed.

The section of the connection's own dialect is worked out on its real headers and bytes (the hixie-76
challenge and its check against the server's 16 bytes, the RFC's accept against the server's header);
the others point to the bundled capture that shows them, and the RFC's section falls back to its own
§1.3 example. The step lines come from accept_steps (the text `inspector accept` prints); the words
around them from the teaching catalogue (`compare:<id>`), so a translation reaches them.
"""

from __future__ import annotations

from typing import Final

from ..protocol import teaching
from ..protocol.handshake import Handshake
from ..protocol.hixie import (
    H_KEY1,
    H_KEY2,
    H_LOCATION_75,
    H_LOCATION_76,
    H_ORIGIN_75,
    H_ORIGIN_76,
    HIXIE_75,
    HIXIE_76,
    Challenge,
)
from ..session.events import Connection
from .accept_steps import hixie76_lines, rfc6455_report

RFC6455: Final = "rfc6455"
RFC_EXAMPLE_KEY: Final = "dGhlIHNhbXBsZSBub25jZQ=="  # RFC 6455 §1.3
RFC_EXAMPLE_ACCEPT: Final = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="
CAPTURES: Final = {HIXIE_75: "hixie-75.pcapng", HIXIE_76: "hixie-76.pcapng", RFC6455: "websockets-echo.pcapng"}
INDENT: Final = "  "
HEADING_MARK: Final = "■ "  # a section's first line; a narrow pane wraps it, so no underline of fixed length
SECTION_KEYS: Final = {HIXIE_75: "hixie75", HIXIE_76: "hixie76", RFC6455: "rfc6455"}


def _heading(key: str) -> list[str]:
    return [HEADING_MARK + teaching.text(teaching.COMPARE + key)]


def section_heading(protocol: str) -> str | None:
    """The first line of the section about `protocol`, to scroll to (None for a dialect without one)."""
    key = SECTION_KEYS.get(protocol)
    return _heading(key)[0] if key is not None else None


def _text(key: str, **values: object) -> str:
    return teaching.text(teaching.COMPARE + key, **values)


def _headers(handshake: Handshake, request_names: tuple[str, ...], response_names: tuple[str, ...]) -> list[str]:
    """The named headers as they were written (names compared in lower case), the request's first."""
    found = [(n, v) for n, v in handshake.request.headers if n.lower() in request_names]
    found += [(n, v) for n, v in handshake.response.headers if n.lower() in response_names]
    return [f"{INDENT}{name}: {value}" for name, value in found]


def _hixie75(protocol: str, handshake: Handshake | None) -> list[str]:
    lines = [*_heading(SECTION_KEYS[HIXIE_75]), _text("hixie75.how")]
    if protocol == HIXIE_75 and handshake is not None:
        lines += [_text("this-connection", protocol=protocol),
                  *_headers(handshake, ("origin", "host"), (H_ORIGIN_75, H_LOCATION_75))]
    else:
        lines.append(_text("other-capture", capture=CAPTURES[HIXIE_75]))
    return [*lines, _text("hixie75.problem")]


def _hixie76(protocol: str, handshake: Handshake | None, challenge: Challenge | None) -> list[str]:
    lines = [*_heading(SECTION_KEYS[HIXIE_76]), _text("hixie76.how")]
    if protocol == HIXIE_76 and handshake is not None and challenge is not None:
        lines += [_text("this-connection", protocol=protocol),
                  *_headers(handshake, (H_KEY1, H_KEY2), (H_ORIGIN_76, H_LOCATION_76)),
                  *(INDENT + line for line in hixie76_lines(challenge))]
    else:
        lines.append(_text("other-capture", capture=CAPTURES[HIXIE_76]))
    return [*lines, _text("hixie76.fixed")]


def _rfc6455(protocol: str, handshake: Handshake | None) -> list[str]:
    lines = [*_heading(SECTION_KEYS[RFC6455]), _text("rfc6455.how")]
    accept = handshake.accept if handshake is not None else None
    if protocol == RFC6455 and handshake is not None and accept is not None:
        sent = handshake.response.get("Sec-WebSocket-Accept")
        lines.append(_text("this-connection", protocol=protocol))
        lines += [INDENT + line for line in rfc6455_report(accept.key, sent).lines]
    else:
        lines.append(_text("example"))
        lines += [INDENT + line for line in rfc6455_report(RFC_EXAMPLE_KEY, RFC_EXAMPLE_ACCEPT).lines]
    return [*lines, _text("rfc6455.fixed")]


def comparison_lines(protocol: str, handshake: Handshake | None, challenge: Challenge | None = None) -> list[str]:
    """The comparison for a connection of `protocol` ("rfc6455", "hixie-75", "hixie-76") with its handshake and,
    for hixie-76, its worked challenge."""
    return [
        _text("title"), "",
        *_hixie75(protocol, handshake), "",
        *_hixie76(protocol, handshake, challenge), "",
        *_rfc6455(protocol, handshake),
    ]


def connection_comparison(connection: Connection) -> list[str]:
    """The comparison for a captured connection: its dialect worked out on its own handshake."""
    hixie = connection.decoder.hixie
    return comparison_lines(connection.protocol, connection.handshake, hixie.challenge if hixie is not None else None)
