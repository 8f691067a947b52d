"""The opening handshake as a learner reads it: both header blocks, then the accept key step by step."""

from __future__ import annotations

from ..protocol import teaching
from ..protocol.constants import WEBSOCKET_GUID
from ..protocol.handshake import Handshake
from .text_tree import format_violation

HANDSHAKE = "handshake:"
VERDICTS = {True: "verdict.match", False: "verdict.mismatch", None: "verdict.none"}  # by Handshake.accept_valid


def handshake_lines(handshake: Handshake | None, protocol: str = "rfc6455") -> list[str]:
    """The pane's text; its sentences come from the teaching catalogue (HANDSHAKE keys), so they translate."""
    say = teaching.text
    if handshake is None:
        return [say(HANDSHAKE + "not-captured"), say(HANDSHAKE + "resynchronised")]
    request, response = handshake.request, handshake.response
    lines = [say(HANDSHAKE + "client-to-server", protocol=protocol),
             f"  {request.method} {request.target} {request.version}"]
    lines += [f"  {name}: {value}" for name, value in request.headers]
    lines += ["", say(HANDSHAKE + "server-to-client"), f"  {response.version} {response.status} {response.reason}"]
    lines += [f"  {name}: {value}" for name, value in response.headers]
    if handshake.refused:
        lines += ["", say(HANDSHAKE + "refused", status=response.status)]
    accept = handshake.accept
    if accept is not None:
        verdict = say(HANDSHAKE + VERDICTS[handshake.accept_valid])
        # One value a line, under its step: a narrow pane wraps a long line instead of hiding the verdict.
        lines += [
            "",
            say(HANDSHAKE + "accept-title"),
            f"  {say(HANDSHAKE + 'accept-key')}",
            f"       {accept.key}",
            f"  {say(HANDSHAKE + 'accept-guid', guid=WEBSOCKET_GUID)}",
            f"       {accept.concatenated}",
            f"  {say(HANDSHAKE + 'accept-sha1')}",
            f"       {accept.sha1_hex}",
            f"  {say(HANDSHAKE + 'accept-base64')}",
            f"       {accept.accept}",
            f"  {say(HANDSHAKE + 'accept-sent')}",
            f"       {response.get('Sec-WebSocket-Accept') or say(HANDSHAKE + 'nothing')}",
            f"  {verdict}",
        ]
    if handshake.subprotocol:
        lines += ["", say(HANDSHAKE + "subprotocol", subprotocol=handshake.subprotocol)]
    if handshake.extensions:
        lines += ["", say(HANDSHAKE + "extensions")]
        lines += [f"  {offer.header_value()}" for offer in handshake.extensions]
    if handshake.violations:
        lines += ["", say(HANDSHAKE + "broken-rules")]
        lines += [f"  {format_violation(teaching.violation_in_words(v))}" for v in handshake.violations]
    return lines
