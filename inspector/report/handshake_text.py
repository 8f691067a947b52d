"""The opening handshake as a learner reads it: both header blocks, then the accept key step by step."""

from __future__ import annotations

from ..protocol.constants import WEBSOCKET_GUID
from ..protocol.handshake import Handshake
from .text_tree import format_violation


def handshake_lines(handshake: Handshake | None, protocol: str = "rfc6455") -> list[str]:
    if handshake is None:
        return [
            "The opening handshake was not captured (the capture began mid-connection).",
            "Frames were found by resynchronising on the byte stream.",
        ]
    request, response = handshake.request, handshake.response
    lines = [f"Client → server ({protocol})", f"  {request.method} {request.target} {request.version}"]
    lines += [f"  {name}: {value}" for name, value in request.headers]
    lines += ["", "Server → client", f"  {response.version} {response.status} {response.reason}"]
    lines += [f"  {name}: {value}" for name, value in response.headers]
    if handshake.refused:
        lines += ["", f"The server refused the upgrade with status {response.status}: no frames follow."]
    accept = handshake.accept
    if accept is not None:
        verdict = {True: "✓ matches", False: "✗ does not match", None: "(no accept header)"}[handshake.accept_valid]
        # One value a line, under its step: a narrow pane wraps a long line instead of hiding the verdict.
        lines += [
            "",
            "Sec-WebSocket-Accept, computed (RFC 6455 §4.2.2):",
            "  1. the client's key:",
            f"       {accept.key}",
            f"  2. append the GUID {WEBSOCKET_GUID} (fixed by §1.3):",
            f"       {accept.concatenated}",
            "  3. SHA-1 of that, in hex:",
            f"       {accept.sha1_hex}",
            "  4. base64 of those 20 bytes:",
            f"       {accept.accept}",
            "  The server sent:",
            f"       {response.get('Sec-WebSocket-Accept') or '(nothing)'}",
            f"  {verdict}",
        ]
    if handshake.subprotocol:
        lines += ["", f"Subprotocol chosen: {handshake.subprotocol}"]
    if handshake.extensions:
        lines += ["", "Extensions agreed:"]
        lines += [f"  {offer.header_value()}" for offer in handshake.extensions]
    if handshake.violations:
        lines += ["", "Broken rules:"]
        lines += [f"  {format_violation(v)}" for v in handshake.violations]
    return lines
