"""The lab server: a real, conformant WebSocket server (the `websockets` library) to practise against offline.

Modes: `echo` sends every message back; `chat` broadcasts every message to every connected client
(the sender too); `strict` echoes and also names the rule behind each protocol error it closes on.

Learners break the protocol on purpose all day, so a client that does is one log line (its address,
the close code, the rule), never a traceback: the handler catches the library's close exceptions, and
the library logs through `_OneLineLogs`, which drops tracebacks and its routine chatter.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import ssl
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final, TextIO

from websockets.asyncio.server import ServerConnection, broadcast, serve
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

MODES: Final = ("echo", "chat", "strict")
DEFAULT_HOST: Final = "127.0.0.1"
DEFAULT_PORT: Final = 8765
MAX_MESSAGE: Final = 16 * 1024 * 1024  # the library's own default (1 MiB) is small for a learner's tests
# websockets' close reasons, mapped to the inspector's rule codes (violations.py) for the strict mode.
REASON_RULES: Final = (
    ("reserved bits", "reserved-bits", "5.2"),
    ("invalid opcode", "reserved-opcode", "5.2"),
    ("incorrect masking", "unmasked-client-frame", "5.1"),
    ("control frame too long", "control-frame-too-long", "5.5"),
    ("fragmented control frame", "fragmented-control-frame", "5.5"),
    ("unexpected continuation", "unexpected-continuation", "5.4"),
    ("expected a continuation", "expected-continuation", "5.4"),
    ("incomplete fragmented message", "expected-continuation", "5.4"),
    ("invalid status code", "invalid-close-code", "7.4"),
    ("close frame too short", "close-payload-one-byte", "5.5.1"),
    ("invalid start byte", "invalid-utf8", "8.1"),
    ("invalid continuation byte", "invalid-utf8", "8.1"),
    ("unexpected end of data", "invalid-utf8", "8.1"),
    ("decompression failed", "decompression-failed", "RFC 7692 6.2"),
    ("message too big", "inflate-limit-exceeded", "7.4.1"),
)


def rule_for(reason: str) -> str:
    """The inspector's rule code and RFC section for a websockets close reason, when one matches."""
    lowered = reason.lower()
    for words, code, rfc in REASON_RULES:
        if words in lowered:
            return f"{code} (§{rfc})" if not rfc.startswith("RFC") else f"{code} ({rfc})"
    return "no matching rule"


class _OneLineLogs(logging.Handler):
    """The library's warnings and errors as one line each; tracebacks dropped."""

    def __init__(self, out: TextIO) -> None:
        super().__init__(logging.WARNING)
        self.out = out

    def emit(self, record: logging.LogRecord) -> None:
        detail = f": {record.exc_info[1]}" if record.exc_info and record.exc_info[1] else ""
        self.out.write(f"lab: websockets: {record.getMessage()}{detail}\n")
        self.out.flush()


@dataclass
class LabServer:
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    mode: str = "echo"
    tls: ssl.SSLContext | None = None
    deflate: bool = True
    out: TextIO = field(default_factory=lambda: sys.stdout)
    clients: set[ServerConnection] = field(default_factory=set)
    url: str = ""

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"mode is one of {', '.join(MODES)}, not {self.mode!r}")
        self.logger = logging.getLogger(f"inspector.lab.{id(self)}")
        self.logger.propagate = False
        self.logger.setLevel(logging.WARNING)
        self.logger.addHandler(_OneLineLogs(self.out))

    def say(self, line: str) -> None:
        self.out.write(f"{time.strftime('%H:%M:%S')} {line}\n")
        self.out.flush()

    async def handler(self, connection: ServerConnection) -> None:
        who = _address(connection)
        self.clients.add(connection)
        self.say(f"{who} connected ({len(self.clients)} connected)")
        try:
            async for message in connection:
                if self.mode == "chat":
                    broadcast(self.clients, message)
                else:
                    await connection.send(message)
        except ConnectionClosed:
            pass  # reported below, from the close frames, in one line
        finally:
            self.clients.discard(connection)
            self.say(self._closed_line(who, connection))

    def _closed_line(self, who: str, connection: ServerConnection) -> str:
        protocol = connection.protocol
        sent, received = protocol.close_sent, protocol.close_rcvd
        if sent is not None and protocol.close_rcvd_then_sent is not True and sent.code not in (1000, 1001):
            # We closed first, with an error code: the client broke a rule.
            line = f"{who} broke the protocol: closed with {sent.code} ({sent.reason or 'no reason'})"
            return f"{line}; rule {rule_for(sent.reason)}" if self.mode == "strict" else line
        if received is not None:
            return f"{who} disconnected: it sent Close {received.code} {received.reason!r}".rstrip()
        if sent is not None:
            return f"{who} disconnected after our Close {sent.code}"
        return f"{who} disconnected without a Close frame (1006)"

    def _response(self, connection: ServerConnection, request: Request, response: Response) -> Response:
        if response.status_code != 101:
            body = response.body.decode("utf-8", "replace").strip().splitlines()
            self.say(f"{_address(connection)} handshake refused: {response.status_code} {body[0] if body else ''}")
        return response

    async def run(self, ready: Callable[[str], None] | None = None, stop: asyncio.Future[None] | None = None) -> None:
        """Serve until `stop` is done (forever without one). `ready(url)` is called once listening."""
        async with serve(
            self.handler, self.host, self.port, ssl=self.tls, logger=self.logger,
            compression="deflate" if self.deflate else None, max_size=MAX_MESSAGE,
            process_response=self._response,
        ) as server:
            bound = server.sockets[0].getsockname()
            host = f"[{bound[0]}]" if ":" in bound[0] else bound[0]
            self.url = f"{'wss' if self.tls else 'ws'}://{host}:{bound[1]}/"
            if ready is not None:
                ready(self.url)
            await (stop if stop is not None else asyncio.get_running_loop().create_future())


def _address(connection: ServerConnection) -> str:
    address: Any = connection.remote_address
    if not address:
        return "?"
    host = f"[{address[0]}]" if ":" in address[0] else address[0]
    return f"{host}:{address[1]}"


def run_forever(server: LabServer, ready: Callable[[str], None]) -> None:
    """Serve until Ctrl-C."""
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(server.run(ready))
