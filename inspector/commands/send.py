"""`inspector send URL STEP...`: connect, send frames (legal or broken) in the order given, show both directions.

The session is printed after it ends, exactly as `inspector dump` prints a capture: the recording is
turned into a synthesized TCP session (capture/pcapng_writer.py) and decoded by the capture pipeline,
so `send --json` and `dump --json` of the `-w` file agree line for line. Then come the close outcome,
the heartbeat round trips and, for templates, the verdicts.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from typing import Any, Final

from inspector.capture.load import packet_events
from inspector.capture.packets import RawPacket
from inspector.capture.pcapng_writer import session_packets, write_pcapng
from inspector.capture.pipeline import CaptureDecoder
from inspector.client import steps
from inspector.client.engine import DEFAULT_RECEIVE_LIMIT, DEFAULT_TIMEOUT, MIB, Client, ClientOptions, deflate_offer
from inspector.client.errors import ClientError, SessionProblem
from inspector.client.recording import Recording
from inspector.client.templates import Template
from inspector.client.user_templates import all_templates
from inspector.client.verdict import Verdict, run_template
from inspector.commands.decode import parse_hex
from inspector.commands.dump import writer_for
from inspector.commands.options import add_inflate_limit, add_output_options
from inspector.errors import InspectorError
from inspector.protocol.constants import Opcode
from inspector.report.jsonl import JsonWriter, dumps

DEFAULT_WAIT: Final = 1.0
MAX_CLOSE_REASON: Final = 123  # RFC 6455 §5.5: 125 control bytes, 2 of them the code
SYN_LEAD: Final = 0.001  # the synthesized TCP handshake is stamped this long before the first bytes
SYN_STEP: Final = 0.0001
MICROSECONDS: Final = 1_000_000  # pcapng's default time resolution: times are rounded to it as the file stores them

StepOrTemplate = steps.Step | Template


class _Step(argparse.Action):
    """Collects every step option into one list, in the order typed."""

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: Any,
                 option_string: str | None = None) -> None:
        found = getattr(namespace, "steps", None) or []
        found.append((self.dest, values))
        namespace.steps = found


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "send",
        help="connect to a WebSocket server, send frames (even broken ones) and show both directions",
        description="Connect to URL (ws:// or wss://), send the steps in the order given, and print every frame "
        "both ways as `inspector dump` does, then how the connection closed and, for templates, whether the "
        "server reacted as RFC 6455 asks. Exit 0 once the session ran, whatever the server answered.",
    )
    parser.add_argument("url", metavar="URL", help="ws://host[:port]/path or wss://...; IPv6 as ws://[::1]:8765/")
    group = parser.add_argument_group("steps (repeatable, sent in order)")
    group.add_argument("--text", action=_Step, metavar="T", help="a text message (masked)")
    group.add_argument("--binary-hex", action=_Step, metavar="H", help="a binary message from hex (masked)")
    group.add_argument("--frame", action=_Step, metavar="HEX", help="raw frame bytes, sent exactly as given")
    group.add_argument("--template", action=_Step, metavar="NAME", help="a named template (see `inspector templates`)")
    group.add_argument("--ping", action=_Step, nargs="?", const="", metavar="HEX", help="a Ping, with optional data")
    group.add_argument("--pong", action=_Step, nargs="?", const="", metavar="HEX", help="a Pong, with optional data")
    group.add_argument("--close", action=_Step, nargs="*", metavar="CODE [REASON]",
                       help="a Close, optionally with a status code and a reason")
    shaping = parser.add_argument_group("how messages are built and sent")
    shaping.add_argument("--fragments", type=_positive_int, default=1, metavar="N",
                         help="split each --text/--binary-hex message into N frames")
    shaping.add_argument("--compress", action="store_true",
                         help="compress --text/--binary-hex messages with permessage-deflate (implies --deflate)")
    shaping.add_argument("--chunk", type=_positive_int, metavar="N", help="write at most N bytes at a time")
    shaping.add_argument("--delay", type=_non_negative, default=0.0, metavar="MS",
                         help="milliseconds between two writes of a step (with --chunk)")
    opening = parser.add_argument_group("opening handshake")
    opening.add_argument("--header", action="append", default=[], metavar="'K: V'", help="an extra request header")
    opening.add_argument("--origin", metavar="O", help="the Origin header")
    opening.add_argument("--subprotocol", action="append", default=[], metavar="P", help="a subprotocol to offer")
    opening.add_argument("--deflate", action="store_true", help="offer permessage-deflate")
    opening.add_argument("--raw-handshake", metavar="FILE",
                         help="send this file's bytes as the opening request, verbatim ('-' reads stdin)")
    opening.add_argument("--insecure", action="store_true", help="wss: do not verify the server's certificate")
    opening.add_argument("--cafile", metavar="PEM", help="wss: also trust the CA certificates in this file")
    behaviour = parser.add_argument_group("behaviour and limits")
    behaviour.add_argument("--no-auto-pong", action="store_true", help="do not answer the server's Pings")
    behaviour.add_argument("--heartbeat", type=_positive_float, metavar="S",
                           help="send a Ping every S seconds and report each round trip")
    behaviour.add_argument("--timeout", type=_positive_float, default=DEFAULT_TIMEOUT, metavar="S",
                           help="limit for connecting, the handshake, and silence inside a frame or after a Close "
                           f"(default {DEFAULT_TIMEOUT:g})")
    behaviour.add_argument("--wait", type=_non_negative, default=DEFAULT_WAIT, metavar="S",
                           help=f"how long to listen for answers after the last step (default {DEFAULT_WAIT:g})")
    behaviour.add_argument("--max-receive", type=_positive_float, default=DEFAULT_RECEIVE_LIMIT / MIB, metavar="MIB",
                           help=f"stop when the server has sent this many MiB (default {DEFAULT_RECEIVE_LIMIT // MIB})")
    add_inflate_limit(behaviour)
    output = parser.add_argument_group("output")
    add_output_options(output)
    output.add_argument("-w", "--write", metavar="OUT.pcapng", help="save the session as a pcapng file")
    parser.set_defaults(handler=run, steps=None)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return value


def _non_negative(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not value >= 0:
        raise argparse.ArgumentTypeError(f"{text} must not be negative")
    return value


def _positive_float(text: str) -> float:
    value = _non_negative(text)
    if value == 0:
        raise argparse.ArgumentTypeError("must be more than 0")
    return value


def parse_steps(args: argparse.Namespace) -> list[StepOrTemplate]:
    """The step options in the order typed, as steps and templates. Raises InspectorError on bad values."""
    templates = all_templates() if any(kind == "template" for kind, _ in args.steps or ()) else {}
    found: list[StepOrTemplate] = []
    for kind, value in args.steps or ():
        if kind == "text":
            found.append(steps.Message(Opcode.TEXT, value.encode("utf-8"), args.fragments, args.compress))
        elif kind == "binary_hex":
            found.append(steps.Message(Opcode.BINARY, parse_hex(value, "--binary-hex"), args.fragments, args.compress))
        elif kind == "frame":
            found.append(steps.Raw(parse_hex(value, "--frame")))
        elif kind == "ping":
            found.append(steps.ping(parse_hex(value, "--ping")))
        elif kind == "pong":
            found.append(steps.pong(parse_hex(value, "--pong")))
        elif kind == "close":
            found.append(_close_step(value))
        else:
            if value not in templates:
                raise InspectorError(f"no template named {value!r} (list them with `inspector templates`)")
            found.append(templates[value])
    return found


def _close_step(values: Sequence[str]) -> steps.Frames:
    if len(values) > 2:
        raise InspectorError(f"--close takes at most a code and a reason, got {len(values)} values")
    if not values:
        return steps.close()
    try:
        code = int(values[0])
    except ValueError:
        raise InspectorError(f"--close {values[0]!r}: the status code is a number") from None
    if not 0 <= code <= 0xFFFF:
        raise InspectorError(f"--close {code}: a status code is 2 bytes (0-65535)")
    reason = values[1].encode("utf-8") if len(values) > 1 else b""
    if len(reason) > MAX_CLOSE_REASON:
        # Not refused: a learner may want to send it; the encoder writes it and the decoder flags it.
        print(f"inspector: note: a {len(reason)}-byte reason makes the Close longer than 125 bytes", file=sys.stderr)
    return steps.close(code, reason)


def client_options(args: argparse.Namespace, plan: Sequence[StepOrTemplate]) -> ClientOptions:
    headers = []
    for line in args.header:
        name, colon, value = line.partition(":")
        if not colon or not name.strip():
            raise InspectorError(f"--header {line!r}: write it as 'Name: value'")
        headers.append((name.strip(), value.strip()))
    templates = [item for item in plan if isinstance(item, Template)]
    needs_deflate = args.deflate or args.compress or any(t.deflate for t in templates)
    against = [t.name for t in templates if t.deflate is False]
    if needs_deflate and against:
        raise InspectorError(f"template {against[0]} needs a connection without permessage-deflate, which "
                             "--deflate, --compress or another template asks for: send them separately")
    raw = None
    if args.raw_handshake is not None:
        raw = _read_raw(args.raw_handshake)
    timeout = args.timeout
    return ClientOptions(
        headers=headers, origin=args.origin, subprotocols=list(args.subprotocol),
        extensions=[deflate_offer()] if needs_deflate else [], raw_handshake=raw, insecure=args.insecure,
        cafile=args.cafile, chunk_size=args.chunk, chunk_delay=args.delay / 1000, auto_pong=not args.no_auto_pong,
        heartbeat=args.heartbeat, connect_timeout=timeout, handshake_timeout=timeout, idle_timeout=timeout,
        receive_limit=int(args.max_receive * MIB), inflate_limit=args.inflate_limit,
    )


def _read_raw(path: str) -> bytes:
    try:
        if path == "-":
            return sys.stdin.buffer.read()
        with open(path, "rb") as file:
            return file.read()
    except OSError as error:
        raise InspectorError(f"cannot read {path}: {error.strerror}") from None


def run(args: argparse.Namespace) -> int:
    plan = parse_steps(args)
    client = Client(args.url, client_options(args, plan))
    verdicts: list[Verdict] = []
    notes: list[str] = []
    try:
        client.connect()
    except ClientError:
        report(args, client, verdicts, notes)
        raise
    try:
        play(client, plan, args.wait, verdicts, notes)
    except SessionProblem as problem:
        notes.append(str(problem))
    report(args, client, verdicts, notes)
    for note in notes:
        print(f"inspector: {note}", file=sys.stderr)
    return 0


def play(client: Client, plan: Sequence[StepOrTemplate], wait: float, verdicts: list[Verdict],
         notes: list[str]) -> None:
    """Send the plan, listen `wait` seconds, then close politely unless the server already did."""
    for number, item in enumerate(plan):
        client.poll()
        if not client.open or client.server_closed:
            notes.append(f"the server closed the connection; {len(plan) - number} step(s) were not sent")
            break
        if isinstance(item, Template):
            verdicts.append(run_template(client, item, wait))
        else:
            client.send(item)
    if client.open:
        client.listen(wait, until=lambda: client.eof)
    client.close()


def report(args: argparse.Namespace, client: Client, verdicts: list[Verdict], notes: list[str]) -> None:
    """Print the session as `dump` prints a capture, then the outcome; write -w if asked."""
    packets = list(recording_packets(client))
    if not packets:  # no TCP connection: nothing to show or save
        return
    if args.write:
        try:
            write_pcapng(args.write, packets)
        except OSError as error:
            notes.append(f"cannot write {args.write}: {error.strerror}")
    writer = writer_for(args)
    decoder = CaptureDecoder(inflate_limit=args.inflate_limit)
    writer.times.see(packets[0].time)  # listing times count from the first packet, as dump's do
    for events in packet_events(packets, decoder):
        writer.write_all(events, None)
    writer.close()
    if client.response is None:
        return
    if isinstance(writer, JsonWriter):
        lines = [dumps(close_json(client))]
        if client.rtts:
            lines.append(dumps({"type": "heartbeat", "rtt_ms": [round(r * 1000, 3) for r in client.rtts]}))
        lines.extend(dumps(v.to_json()) for v in verdicts)
    else:
        lines = [client.outcome().describe()]
        if client.rtts:
            lines.append("heartbeat round trips (ms): " + ", ".join(f"{r * 1000:.2f}" for r in client.rtts))
        lines.extend(v.describe() for v in verdicts)
    sys.stdout.write("".join(line + "\n" for line in lines))
    sys.stdout.flush()


def close_json(client: Client) -> dict[str, object]:
    outcome = client.outcome()
    return {
        "type": "close",
        "first_closer": str(outcome.first_closer) if outcome.first_closer is not None else None,
        "code": outcome.code,
        "reason": outcome.reason.decode("utf-8", "replace"),
        "answered": outcome.answered,
        "tcp_closed_by_server": outcome.tcp_closed_by_server,
        "clean": outcome.clean,
        "problem": client.problem,
    }


def recording_packets(client: Client) -> Iterator[RawPacket]:
    """The recording as Ethernet/IP/TCP packets with the session's addresses and the chunks' times."""
    recording: Recording = client.recording
    if not recording.chunks:
        return iter(())
    first = recording.chunks[0].time
    return session_packets(
        [(chunk.direction, chunk.data, round(chunk.time * MICROSECONDS) / MICROSECONDS) for chunk in recording.chunks],
        client=client.client_address, server=client.server_address,
        start_time=first - SYN_LEAD, step=SYN_STEP,
    )
