"""How a client session can go wrong. Each is one line a person can act on; the recording is kept."""

from __future__ import annotations

from inspector.errors import InspectorError


class ClientError(InspectorError):
    """Any problem of a client session."""


class ConnectFailed(ClientError):
    """No TCP connection: refused, unreachable, unknown host, or no answer within the connect timeout."""


class TlsFailed(ClientError):
    """The TLS handshake failed (an untrusted certificate, a name that does not match, not TLS at all)."""


class HandshakeFailed(ClientError):
    """The server refused the Upgrade, answered with something that is not a valid 101, or never answered."""


class SessionProblem(ClientError):
    """The WebSocket session started, then had to stop: a timeout, a limit, or a reset by the server."""
