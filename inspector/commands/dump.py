"""`inspector dump CAPTURE`: every WebSocket connection in a pcap/pcapng file, frame by frame.

--json writes the JSON Lines contract described in the README ("The dump format": every key of the
connection, frame and message objects); without it, a listing a person reads: each connection's
handshake with both header blocks, one line per frame, then a summary.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import sys
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final, TextIO

from inspector.capture.pcapfile import CaptureFile
from inspector.capture.pipeline import CaptureDecoder, CaptureEvent, Connection, Note
from inspector.capture.timebase import TimeBase
from inspector.commands.frame_selection import FrameSelection
from inspector.commands.options import add_filter_option, add_inflate_limit, add_output_options, path_argument
from inspector.errors import InspectorError, truncated_capture
from inspector.protocol.constants import Direction
from inspector.protocol.frame import FIRST_BYTE_FIELDS, Frame
from inspector.protocol.messages import Message
from inspector.report.escaping import escape_text
from inspector.report.jsonl import dumps, frame_json, message_json, violations_json

PREVIEW_BYTES: Final = 40
GC_YOUNG_THRESHOLD: Final = 100_000  # allocations between young-generation collections (Python's default: 700)
OUTPUT_BATCH: Final = 512  # lines written at once: one write() per line costs more than the formatting
OPCODE_LABELS: Final = {0x0: "CONT", 0x1: "TEXT", 0x2: "BINARY", 0x8: "CLOSE", 0x9: "PING", 0xA: "PONG"}
ARROW: Final = {Direction.CLIENT: "→", Direction.SERVER: "←"}
SERVER: Final = Direction.SERVER


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "dump",
        help="list the WebSocket connections, frames and messages in a capture file",
        description="Find WebSocket connections in a pcap or pcapng file (from the HTTP Upgrade, not the port) "
        "and list their handshakes, frames and messages.",
    )
    parser.add_argument("capture", type=path_argument, metavar="CAPTURE", help="a .pcap or .pcapng file")
    parser.add_argument("--connection", type=int, metavar="N", help="only connection N (ids start at 1)")
    add_filter_option(parser)
    add_output_options(parser)
    add_inflate_limit(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.connection is not None and args.connection < 1:
        raise InspectorError(f"--connection {args.connection}: connection ids start at 1")
    with CaptureFile(args.capture) as capture, few_collections():
        writer = writer_for(args)
        decoder = CaptureDecoder(inflate_limit=args.inflate_limit)
        wanted = args.connection
        selection = FrameSelection(args.filter) if args.filter is not None else None
        packets = iter(capture)
        first = next(packets, None)
        if first is not None:
            writer.times.see(first.time)  # the only packet whose time sets the base: no call per packet
        source = packets if first is None else itertools.chain((first,), packets)
        if selection is not None:  # its own loop: the unfiltered one below stays as fast as it was
            selection.write(source, decoder, writer.write_all, wanted)
        else:
            # decoder.run(source), taken a packet's events at a time so the writer can loop over them itself.
            for packet in source:
                events = decoder.feed(packet)
                if events:
                    writer.write_all(events, wanted)
            writer.write_all(decoder.finish(), wanted)
        seen = writer.seen if selection is None else selection.announced
        if wanted is not None and wanted not in seen:  # before close(), so no empty summary is printed
            found = decoder.connections_found
            raise InspectorError(f"no connection {wanted} in {args.capture} (it has {found})")
        writer.close()
        if capture.truncated:
            print(f"inspector: warning: {truncated_capture(args.capture, decoder.packets)}", file=sys.stderr)
    return 0


def writer_for(args: argparse.Namespace) -> JsonWriter | TextWriter:
    """The writer that --json and --no-payload (options.add_output_options) ask for, on stdout."""
    payload = not args.no_payload
    return JsonWriter(sys.stdout, payload) if args.json else TextWriter(sys.stdout, payload)


@contextmanager
def few_collections() -> Iterator[None]:
    """Each frame allocates a handful of short-lived objects, none in a cycle: collect the young
    generation far less often (3% of a dump) and leave the objects of start-up out of it, until done."""
    previous = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        gc.unfreeze()


class _Writer:
    def __init__(self, stream: TextIO, payload: bool) -> None:
        self.stream = stream
        self.payload = payload
        self.lines: list[str] = []
        self.seen: set[int] = set()
        self.times = TimeBase()  # the listing's times count from the capture's first packet

    def event(self, event: CaptureEvent) -> None:
        raise NotImplementedError

    def write_all(self, events: list[CaptureEvent], wanted: int | None) -> None:
        """Write the events of connection `wanted` (of every connection when None)."""
        for event in events:
            if wanted is None or event.connection.id == wanted:
                self.event(event)

    def flush(self) -> None:
        if self.lines:
            self.lines.append("")
            self.stream.write("\n".join(self.lines))
            self.lines.clear()

    def close(self) -> None:
        self.flush()
        self.stream.flush()


class JsonWriter(_Writer):
    def write_all(self, events: list[CaptureEvent], wanted: int | None) -> None:
        # `event` inlined for frames and messages, which are nearly all of the lines.
        lines = self.lines
        payload = self.payload
        for event in events:
            connection = event.connection
            if wanted is not None and connection.id != wanted:
                continue
            item = event.item
            if type(item) is Frame:
                lines.append(frame_line(item, connection.id, event.packets, event.time, payload))
            elif type(item) is Message:
                lines.append(message_line(item, connection.id, payload))
            else:
                self.event(event)
        if len(lines) >= OUTPUT_BATCH:
            self.flush()

    def event(self, event: CaptureEvent) -> None:
        item = event.item
        connection = event.connection
        if type(item) is Frame:
            line = frame_line(item, connection.id, event.packets, event.time, self.payload)
        elif type(item) is Message:
            line = message_line(item, connection.id, self.payload)
        elif item is connection:
            self.seen.add(connection.id)
            line = dumps(connection_json(connection))
        else:
            return  # notes (lost segments, conflicting retransmissions) are not in the JSON schema
        self.lines.append(line)
        if len(self.lines) >= OUTPUT_BATCH:
            self.flush()


# The two functions below write exactly what dumps(frame_json(...)) and dumps(message_json(...)) write
# (a test holds them to it), only 4-5x faster: they run once per frame of a million-frame capture,
# and json.dumps of a 17-key dict was the largest single cost of a dump. The parts of a line that
# depend only on the header's first byte and MASK bit, or on the direction, are made once up front.
_BOOL: Final = ("false", "true")
_encode_str = json.encoder.encode_basestring_ascii  # type: ignore[attr-defined]
CLIENT_JSON: Final = '"client"'
SERVER_JSON: Final = '"server"'


def _frame_flags(first: int, masked: int) -> str:
    """From "fin" to the "payload_length" key, for a frame whose first header byte is `first`."""
    fin, rsv1, rsv2, rsv3, opcode = FIRST_BYTE_FIELDS[first]
    return (
        f'"fin": {_BOOL[fin]}, "rsv1": {_BOOL[rsv1]}, "rsv2": {_BOOL[rsv2]}, "rsv3": {_BOOL[rsv3]}, '
        f'"opcode": {opcode}, "masked": {_BOOL[masked]}, "payload_length": '
    )


# Indexed by `first header byte << 1 | MASK bit`: a decoded Frame's fin/rsv/opcode/masked fields are
# those bits (frame.py builds them from the header), so the text can be looked up instead of formatted.
_FRAME_FLAGS: Final[tuple[str, ...]] = tuple(_frame_flags(index >> 1, index & 1) for index in range(512))


class _SharedText:
    """Text that consecutive lines share, kept from one line to the next instead of formatted again.

    The frames one packet completes share its time (repr() of a float is a third of a frame line)
    and its packets list; a frame and its one-frame message share an index; runs of lines share a
    connection. The attributes are typed, so the compiled build (setup.py) compares plain C values.
    """

    def __init__(self) -> None:
        self.time = -1.0
        self.time_text = repr(-1.0)
        self.packets: list[int] = []
        self.packets_text = ""
        self.index = -1
        self.index_text = "-1"
        self.connection = -1
        self.frame_start = ""
        self.message_start = ""

    def use_time(self, time: float) -> str:
        if time != self.time:
            self.time = time
            self.time_text = repr(time)
        return self.time_text

    def use_packets(self, packets: list[int]) -> str:
        if packets is not self.packets:  # the pipeline hands every event of a packet the same list
            self.packets = packets
            self.packets_text = str(packets[0]) if len(packets) == 1 else ", ".join(map(str, packets))
        return self.packets_text

    def use_index(self, index: int) -> str:
        """A frame's index, formatted once for its line and its one-frame message's line."""
        if index != self.index:
            self.index = index
            self.index_text = str(index)
        return self.index_text

    def use_connection(self, connection: int) -> None:
        if connection != self.connection:
            self.connection = connection
            self.frame_start = f'{{"type": "frame", "connection": {connection}, "index": '
            self.message_start = f'{{"type": "message", "connection": {connection}, "direction": '


_SHARED: Final = _SharedText()


def frame_line(frame: Frame, connection: int, packets: list[int], time: float, payload: bool) -> str:
    if frame.violations:
        return dumps(frame_json(frame, connection=connection, packets=packets, time=time, include_payload=payload))
    shared = _SHARED
    shared.use_connection(connection)
    index_text = shared.use_index(frame.index)
    # One f-string, so one string is built: a null is the text "null" between empty quotes.
    key = frame.masking_key
    key_text, key_quote = "null", ""
    if key is not None:
        key_text, key_quote = key.hex(), '"'
    data_text, data_quote = "null", ""
    if payload:
        data_text, data_quote = frame.payload.hex(), '"'
    return (
        f'{shared.frame_start}{index_text}, "direction": {SERVER_JSON if frame.direction is SERVER else CLIENT_JSON}, '
        f'"time": {shared.use_time(time)}, "packets": [{shared.use_packets(packets)}], '
        f"{_FRAME_FLAGS[frame.header[0] << 1 | frame.masked]}{frame.payload_length}, "
        f'"masking_key": {key_quote}{key_text}{key_quote}, "payload_hex": {data_quote}{data_text}{data_quote}, '
        f'"truncated": {"true" if frame.truncated else "false"}, "violations": []}}'
    )


def message_line(message: Message, connection: int, payload: bool) -> str:
    if message.violations:
        return dumps(message_json(message, connection=connection, include_payload=payload))
    if payload:
        data = f'"{message.data.hex()}"'
        text = _encode_str(message.text) if message.text is not None else "null"
    else:
        data = text = "null"
    indices = message.frame_indices
    frames = _SHARED.use_index(indices[0]) if len(indices) == 1 else ", ".join(map(str, indices))
    shared = _SHARED
    shared.use_connection(connection)
    return (
        f'{shared.message_start}{SERVER_JSON if message.direction is SERVER else CLIENT_JSON}, '
        f'"opcode": {int(message.opcode)}, "frames": [{frames}], '
        f'"compressed": {"true" if message.compressed else "false"}, "data_hex": {data}, "text": {text}, '
        '"violations": []}'
    )


def connection_json(connection: Connection) -> dict[str, object]:
    handshake = connection.handshake
    return {
        "type": "connection",
        "id": connection.id,
        "protocol": connection.protocol,
        "client": connection.client,
        "server": connection.server,
        "handshake": handshake.to_json() if handshake is not None else None,
        "violations": violations_json(connection.violations),
    }


class TextWriter(_Writer):
    def __init__(self, stream: TextIO, payload: bool) -> None:
        super().__init__(stream, payload)
        self.frames = 0
        self.messages = 0
        self.notes = 0
        self.codes: Counter[str] = Counter()

    def event(self, event: CaptureEvent) -> None:
        item = event.item
        if type(item) is Frame:
            self.frames += 1
            self.codes.update(v.code for v in item.violations)
            self.lines.append(self.frame_line(event.connection, item, event.time))
        elif type(item) is Message:
            self.messages += 1
            self.codes.update(v.code for v in item.violations)
            # Pre-RFC (hixie) messages have no RFC frames of their own, so they are listed here or nowhere.
            if item.violations or (item.compressed and self.payload) or not item.frame_indices:
                self.lines.append(self.message_line(item))
        elif type(item) is Note:
            self.notes += 1
            self.lines.append(f"       ! {item.message}")
        elif type(item) is Connection and item is event.connection:
            self.seen.add(item.id)
            self.codes.update(v.code for v in item.violations)
            self.lines.extend(connection_lines(item))
        if len(self.lines) >= OUTPUT_BATCH:
            self.flush()

    def frame_line(self, connection: Connection, frame: Frame, time: float) -> str:
        relative = self.times.since_start(time)
        flags = " ".join(name for name, on in (("FIN", frame.fin), ("RSV1", frame.rsv1), ("RSV2", frame.rsv2),
                                               ("RSV3", frame.rsv3), ("MASK", frame.masked)) if on)
        opcode = OPCODE_LABELS.get(frame.opcode, f"0x{frame.opcode:X}")
        preview = f"  {preview_bytes(frame.payload)}" if self.payload and frame.payload else ""
        if frame.close_code is not None:
            reason = f" {preview_bytes(frame.close_reason)}" if self.payload and frame.close_reason else ""
            preview = f"  code {frame.close_code}{reason}"
        codes = f"  [{', '.join(v.code for v in frame.violations)}]" if frame.violations else ""
        cut = " (truncated)" if frame.truncated else ""
        return (f"  {connection.id}:{frame.index:<6} {relative:12.6f} {ARROW[frame.direction]} {opcode:<6} "
                f"{flags:<18} {frame.payload_length:>8}{cut}{preview}{codes}")

    def message_line(self, message: Message) -> str:
        codes = f"  [{', '.join(v.code for v in message.violations)}]" if message.violations else ""
        what = "compressed message" if message.compressed else "message"
        preview = f"  {preview_bytes(message.data)}" if self.payload else ""
        if not message.frame_indices:  # a hixie 0x00 ... 0xFF frame: no RFC 6455 frame to point at
            arrow = ARROW[message.direction]
            return f"       {arrow} pre-RFC text frame: {len(message.data)} bytes{preview}{codes}"
        frames = ",".join(str(i) for i in message.frame_indices)
        return f"       = {what} from frames {frames}: {len(message.data)} bytes{preview}{codes}"

    def close(self) -> None:
        by_code = ", ".join(f"{code} x{count}" for code, count in sorted(self.codes.items())) or "none"
        self.lines.append("")
        self.lines.append(f"{len(self.seen)} connection(s), {self.frames} frame(s), {self.messages} message(s); "
                          f"violations: {by_code}")
        if self.notes:
            self.lines.append(f"capture problems: {self.notes} (lost or conflicting TCP segments, marked with !)")
        super().close()


def connection_lines(connection: Connection) -> list[str]:
    lines = [f"connection {connection.id}: {connection.client} → {connection.server} ({connection.protocol})"]
    handshake = connection.handshake
    if handshake is None:
        lines.append("  (handshake not captured: frames found by resynchronising on the byte stream)")
    else:
        request, response = handshake.request, handshake.response
        lines.append(f"  {escape_text(f'{request.method} {request.target} {request.version}')}")
        lines.extend(header_lines(request.headers))
        lines.append(f"  {escape_text(f'{response.version} {response.status} {response.reason}')}")
        lines.extend(header_lines(response.headers))
        if handshake.accept is not None:
            mark = "✓" if handshake.accept_valid else "✗"
            got = response.get("Sec-WebSocket-Accept")
            lines.append(f"  key {handshake.accept.key} → accept {handshake.accept.accept} {mark}"
                         + ("" if handshake.accept_valid or got is None else f" (server sent {got})"))
        if handshake.subprotocol:
            lines.append(f"  subprotocol: {handshake.subprotocol}")
        if handshake.extensions:
            lines.append("  extensions: " + ", ".join(offer.header_value() for offer in handshake.extensions))
    for violation in connection.violations:
        lines.append(f"  ! {violation.code}: {violation.message}")
    return lines


def header_lines(headers: list[tuple[str, str]]) -> list[str]:
    """One header per line, in the order and case sent; control characters escaped for the terminal."""
    return [f"    {escape_text(name)}: {escape_text(value)}" for name, value in headers]


def preview_bytes(data: bytes) -> str:
    """The first bytes as text a terminal shows safely: printable ASCII as is, the rest escaped."""
    out = []
    for byte in data[:PREVIEW_BYTES]:
        if 0x20 <= byte < 0x7F and byte != 0x5C:
            out.append(chr(byte))
        elif byte == 0x0A:
            out.append("\\n")
        else:
            out.append(f"\\x{byte:02x}")
    more = "…" if len(data) > PREVIEW_BYTES else ""
    return '"' + "".join(out) + '"' + more
