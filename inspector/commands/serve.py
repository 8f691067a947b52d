"""`inspector serve`: the lab server, to practise `send` (and broken frames) without the internet."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path
from typing import Any

from inspector.errors import InspectorError
from inspector.lab.certificate import make_self_signed
from inspector.lab.server import DEFAULT_HOST, DEFAULT_PORT, MODES, LabServer, run_forever

MAX_PORT = 65535


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the lab WebSocket server (echo, chat or strict) on this machine",
        description="A real, conformant WebSocket server (the websockets library) to send frames to, broken ones "
        "included. It prints its URL, logs each connection, and logs a client that breaks the protocol in one "
        "line: its address, the close code and the rule. Stop it with Ctrl-C.",
    )
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST})")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT}; 0 picks one)")
    parser.add_argument("--mode", choices=MODES, default="echo",
                        help="echo: send each message back; chat: send each message to every client; "
                        "strict: echo, and name the RFC rule behind each protocol error")
    parser.add_argument("--tls", action="store_true", help="serve wss:// with a self-signed certificate made now")
    parser.add_argument("--no-deflate", action="store_true", help="do not agree to permessage-deflate")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if not 0 <= args.port <= MAX_PORT:
        raise InspectorError(f"--port {args.port}: a port is 0-65535")
    out = sys.stdout
    with tempfile.TemporaryDirectory(prefix="inspector-lab-") as folder:
        context = None
        if args.tls:
            certificate = make_self_signed(Path(folder), args.host)
            context = certificate.server_context()
        server = LabServer(args.host, args.port, args.mode, context, not args.no_deflate, out)

        def ready(url: str) -> None:
            out.write(f"lab server ({args.mode}) listening on {url}\n")
            if args.tls:
                out.write(f"self-signed certificate: {certificate.cert}\n"
                          f"  trust it with: inspector send {url} --cafile {certificate.cert} ...\n"
                          f"  or skip verification: inspector send {url} --insecure ...\n")
            out.write("Ctrl-C stops it.\n")
            out.flush()

        try:
            run_forever(server, ready)
        except OSError as error:
            raise InspectorError(f"cannot listen on {args.host} port {args.port}: {error.strerror or error}") from None
    out.write("lab server stopped\n")
    out.flush()
    return 0
