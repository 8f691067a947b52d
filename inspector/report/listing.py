"""The text listing of session events (`inspector dump` and `capture` without --json, and `send`)."""

from __future__ import annotations

from collections import Counter
from typing import Final, TextIO

from inspector.protocol.constants import Direction, opcode_tag
from inspector.protocol.frame import Frame
from inspector.protocol.messages import Message
from inspector.report.escaping import escape_text
from inspector.report.output import EventWriter
from inspector.session.events import Connection, ConnectionOpened, FrameSeen, MessageSeen, NoteSeen

PREVIEW_BYTES: Final = 40
ARROW: Final = {Direction.CLIENT: "→", Direction.SERVER: "←"}


class TextWriter(EventWriter):
    """The listing a person reads: each connection's handshake, one line per frame, then a summary."""

    def __init__(self, stream: TextIO, payload: bool) -> None:
        super().__init__(stream, payload)
        self.frames = 0
        self.messages = 0
        self.notes = 0
        self.codes: Counter[str] = Counter()

    def opened(self, event: ConnectionOpened) -> None:
        connection = event.connection
        self.seen.add(connection.id)
        self.codes.update(v.code for v in connection.violations)
        self.lines.extend(connection_lines(connection))

    def frame(self, event: FrameSeen) -> None:
        frame = event.frame
        self.frames += 1
        self.codes.update(v.code for v in frame.violations)
        self.lines.append(self.frame_line(event.connection, frame, event.time))

    def message(self, event: MessageSeen) -> None:
        message = event.message
        self.messages += 1
        self.codes.update(v.code for v in message.violations)
        # Pre-RFC (hixie) messages have no RFC frames of their own, so they are listed here or nowhere.
        if message.violations or (message.compressed and self.payload) or not message.frame_indices:
            self.lines.append(self.message_line(message))

    def note(self, event: NoteSeen) -> None:
        self.notes += 1
        self.lines.append(f"       ! {event.message}")

    def frame_line(self, connection: Connection, frame: Frame, time: float) -> str:
        relative = self.times.since_start(time)
        flags = " ".join(name for name, on in (("FIN", frame.fin), ("RSV1", frame.rsv1), ("RSV2", frame.rsv2),
                                               ("RSV3", frame.rsv3), ("MASK", frame.masked)) if on)
        opcode = opcode_tag(frame.opcode)
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
