"""The client engine: one blocking socket, exact bytes out, everything received decoded and recorded.

Theory of operation
-------------------
`Client.connect` opens TCP (and TLS for wss://), sends the opening request (built from the options,
or a hand-written one sent verbatim) and reads the answer until its header block is complete. From
then on the caller alternates `send(step)` and `listen(seconds)`; every byte either way goes through
`Recording.record`, which feeds the lenient decoder, so the events the caller sees are the ones a
capture of the same session would give.

While listening the engine answers Pings (auto-pong, unless switched off), sends heartbeat Pings and
times their Pongs, and answers the server's Close. It never trusts the server: each wait has a
deadline, the bytes one server may send are capped (`receive_limit`), and a message may inflate only
up to `inflate_limit`. A problem ends the session with a `SessionProblem` (one line) and closes the
socket; what was recorded until then stays in `client.recording`.
"""

from __future__ import annotations

import socket
import ssl
import struct
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final
from urllib.parse import urlsplit

from inspector.protocol.connection import Event
from inspector.protocol.constants import (
    CLIENT_MAX_WINDOW_BITS,
    DEFAULT_INFLATE_LIMIT,
    PERMESSAGE_DEFLATE,
    Direction,
    Opcode,
    close_code_is_valid_on_wire,
)
from inspector.protocol.deflate import DeflateParameters, ExtensionOffer, MessageCompressor
from inspector.protocol.frame import Frame, parse_header
from inspector.protocol.handshake import (
    SWITCHING_PROTOCOLS,
    Handshake,
    HandshakeParseError,
    HttpResponse,
    build_request,
    parse_response,
)
from inspector.protocol.messages import Message

from . import steps
from .errors import ConnectFailed, HandshakeFailed, SessionProblem, TlsFailed
from .recording import Recording

DEFAULT_PORTS: Final = {"ws": 80, "wss": 443}  # RFC 6455 §3
# One read at most: the pcapng writer's segment size, so each recorded chunk is one synthesized packet.
RECV_SIZE: Final = 65000
MIB: Final = 1024 * 1024
DEFAULT_RECEIVE_LIMIT: Final = 64 * MIB
DEFAULT_TIMEOUT: Final = 5.0
HEARTBEAT_PAYLOAD: Final = struct.Struct("!4sI")  # a tag, then a counter: easy to tell apart from user Pings
HEARTBEAT_TAG: Final = b"beat"
INFLATE_LIMIT: Final = "inflate-limit-exceeded"  # the violation code messages.py flags
# Response-side handshake rules: a 101 that breaks one of these is not a WebSocket connection.
SERVER_HANDSHAKE_CODES: Final = frozenset(
    {"bad-accept", "unrequested-subprotocol", "unrequested-extension", "multiple-subprotocols"}
)


@dataclass(frozen=True, slots=True)
class Target:
    """Where a ws:// or wss:// URL points (RFC 6455 §3)."""

    secure: bool
    host: str
    port: int
    resource: str

    @classmethod
    def parse(cls, url: str) -> Target:
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as error:
            raise ConnectFailed(f"{url!r} is not a valid URL: {error}") from None
        scheme = parts.scheme.lower()
        if scheme not in DEFAULT_PORTS:
            raise ConnectFailed(f"{url!r}: the URL must start with ws:// or wss://")
        if not parts.hostname:
            raise ConnectFailed(f"{url!r} has no host")
        if parts.fragment:  # RFC 6455 §3: fragment identifiers are not allowed
            raise ConnectFailed(f"{url!r}: a WebSocket URL has no #fragment")
        resource = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        return cls(scheme == "wss", parts.hostname, port or DEFAULT_PORTS[scheme], resource)

    @property
    def host_header(self) -> str:
        """The Host header value: the port only when it is not the scheme's default; IPv6 in brackets."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        default = DEFAULT_PORTS["wss" if self.secure else "ws"]
        return host if self.port == default else f"{host}:{self.port}"


def deflate_offer(client_max_window_bits: bool = True, **params: str | None) -> ExtensionOffer:
    """A permessage-deflate offer (RFC 7692 §7.1). By default it lets the server limit our window."""
    offer = ExtensionOffer(PERMESSAGE_DEFLATE, dict(params))
    if client_max_window_bits:
        offer.params.setdefault(CLIENT_MAX_WINDOW_BITS, None)
    return offer


@dataclass
class ClientOptions:
    headers: list[tuple[str, str]] = field(default_factory=list)
    origin: str | None = None
    subprotocols: list[str] = field(default_factory=list)
    extensions: list[ExtensionOffer] = field(default_factory=list)
    raw_handshake: bytes | None = None  # sent verbatim instead of the built request
    insecure: bool = False  # wss: skip certificate and host name verification
    cafile: str | None = None  # wss: trust this CA (PEM) besides the system's
    chunk_size: int | None = None  # bytes per write; None: each step in one write
    chunk_delay: float = 0.0  # seconds between two writes of a step
    auto_pong: bool = True
    heartbeat: float | None = None  # seconds between heartbeat Pings
    connect_timeout: float = DEFAULT_TIMEOUT
    handshake_timeout: float = DEFAULT_TIMEOUT
    idle_timeout: float = DEFAULT_TIMEOUT  # silence allowed inside a frame, or while waiting for a Close
    receive_limit: int = DEFAULT_RECEIVE_LIMIT  # bytes one server may send in a session
    inflate_limit: int = DEFAULT_INFLATE_LIMIT


@dataclass(frozen=True, slots=True)
class CloseOutcome:
    """How the session ended (RFC 6455 §7.1.4-7.1.5)."""

    first_closer: Direction | None  # who sent the first Close frame
    code: int | None  # the first closer's status code; None: no code in the frame, or no Close at all
    reason: bytes
    answered: bool  # the other side sent its Close too
    tcp_closed_by_server: bool
    clean: bool  # both Close frames, then the TCP connection closed

    def describe(self) -> str:
        if self.first_closer is None:
            how = "the server closed TCP" if self.tcp_closed_by_server else "the connection ended"
            return f"close: no Close frame; {how} without one (status 1006, abnormal closure), not clean"
        code = f"code {self.code}" if self.code is not None else "no status code (1005)"
        reason = f" reason {self.reason.decode('utf-8', 'replace')!r}" if self.reason else ""
        other = self.first_closer.peer
        answer = f"the {other} answered" if self.answered else f"the {other} never answered"
        tcp = "the server closed TCP" if self.tcp_closed_by_server else "the client closed TCP"
        return f"close: the {self.first_closer} closed first with {code}{reason}; {answer}; {tcp}; " + (
            "clean" if self.clean else "not clean"
        )


class Client:
    """One WebSocket session (see the module docstring)."""

    def __init__(self, url: str, options: ClientOptions | None = None) -> None:
        self.target = Target.parse(url)
        self.options = options if options is not None else ClientOptions()
        self.recording = Recording(self.options.inflate_limit)
        self.sock: socket.socket | None = None
        self.client_address: tuple[str, int] = ("", 0)
        self.server_address: tuple[str, int] = ("", 0)
        self.response: HttpResponse | None = None
        self.compressor: MessageCompressor | None = None
        self.rtts: list[float] = []  # heartbeat round trips, seconds
        self.eof = False  # the server closed its side of TCP
        self.close_sent = False
        self.problem: str | None = None
        self._beats = 0
        self._beat_sent: dict[bytes, float] = {}
        self._next_beat = 0.0
        self._frame_end = 0  # where the server's last complete frame ends in its stream
        # When the server last sent a byte: the idle timeout inside a frame counts from it across short
        # listens (the window's session listens 50 ms at a time between commands).
        self._last_byte = 0.0

    # -- opening ----------------------------------------------------------------------------------

    @property
    def handshake(self) -> Handshake | None:
        return self.recording.decoder.handshake

    @property
    def open(self) -> bool:
        """Bytes can still arrive: connected, the server has not closed TCP, no problem stopped us."""
        return self.sock is not None and not self.eof and self.problem is None

    @property
    def server_closed(self) -> bool:
        return Direction.SERVER in self.recording.decoder.close.close_frame

    def connect(self) -> HttpResponse:
        """TCP, TLS for wss://, then the opening handshake; returns the server's 101 answer."""
        target = self.target
        options = self.options
        try:
            sock = socket.create_connection((target.host, target.port), timeout=options.connect_timeout)
        except TimeoutError:
            raise ConnectFailed(
                f"no TCP answer from {target.host} port {target.port} within {options.connect_timeout:g} s"
            ) from None
        except socket.gaierror as error:
            raise ConnectFailed(f"cannot resolve {target.host}: {error.strerror}") from None
        except OSError as error:
            where = f"{target.host} port {target.port}"
            raise ConnectFailed(f"cannot connect to {where}: {error.strerror or error}") from None
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # a learner's chunks leave as written
        self.client_address = sock.getsockname()[:2]
        self.server_address = sock.getpeername()[:2]
        self.recording.connected(self.client_address, self.server_address)
        if target.secure:
            sock = self._tls(sock)
        self.sock = sock
        request = options.raw_handshake if options.raw_handshake is not None else self._request()
        self._write(request)
        return self._read_response()

    def _request(self) -> bytes:
        options = self.options
        extra = list(options.headers)
        if options.origin is not None:
            extra.append(("Origin", options.origin))
        return build_request(
            self.target.host_header,
            self.target.resource,
            subprotocols=options.subprotocols,
            extensions=options.extensions,
            extra_headers=extra,
        )

    def _tls(self, sock: socket.socket) -> ssl.SSLSocket:
        context = ssl.create_default_context(cafile=self.options.cafile)
        if self.options.insecure:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        sock.settimeout(self.options.handshake_timeout)
        try:
            return context.wrap_socket(sock, server_hostname=self.target.host)  # SNI and the name to verify
        except ssl.SSLCertVerificationError as error:
            sock.close()
            raise TlsFailed(
                f"TLS: the server's certificate is not trusted ({error.verify_message}); "
                "for a lab server with a self-signed certificate use --insecure"
            ) from None
        except (ssl.SSLError, OSError) as error:
            sock.close()
            raise TlsFailed(f"TLS handshake with {self.target.host} port {self.target.port} failed: {error}") from None

    def _read_response(self) -> HttpResponse:
        deadline = time.monotonic() + self.options.handshake_timeout
        buffer = bytearray()
        early: list[Event] = []  # frames that came with the answer, acted on once it is accepted
        while True:
            try:
                parsed = parse_response(buffer)
            except HandshakeParseError as error:
                self._stop()
                raise HandshakeFailed(f"the server's answer to the Upgrade is not HTTP: {error}") from None
            if parsed is not None:
                break
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self._stop()
                raise HandshakeFailed(
                    f"no complete answer to the Upgrade within {self.options.handshake_timeout:g} s "
                    f"({len(buffer)} bytes received)"
                )
            data = self._recv(remaining)
            if data is None:
                continue
            if not data:
                self.eof = True
                self._stop()
                raise HandshakeFailed(
                    f"the server closed the connection before answering the Upgrade ({len(buffer)} bytes received)"
                )
            buffer += data
            early += self._record_server(data, react=False)
        self.response = parsed[0]
        self._frame_end = max(self._frame_end, parsed[1])
        if self.response.status != SWITCHING_PROTOCOLS:
            self._stop()
            raise HandshakeFailed(
                f"the server refused the Upgrade: {self.response.status} {self.response.reason}".rstrip()
            )
        handshake = self.handshake
        if handshake is not None:
            broken = [v for v in handshake.violations
                      if v.code in SERVER_HANDSHAKE_CODES or "response" in v.message]
            if broken:
                self._stop()
                raise HandshakeFailed(f"invalid handshake: {broken[0].code}: {broken[0].message}")
            deflate = handshake.deflate
            if deflate is not None:
                self.compressor = compressor_for(deflate)
        self._next_beat = time.monotonic() + (self.options.heartbeat or 0.0)
        self._react(early)
        return self.response

    # -- sending ----------------------------------------------------------------------------------

    def send(self, step: steps.Step) -> None:
        """Send one step's bytes (see steps.py)."""
        try:
            data = step.wire(self.compressor)
        except steps.StepError as error:
            raise SessionProblem(str(error)) from None
        self.send_bytes(data)

    def send_bytes(self, data: bytes) -> None:
        """Exactly these bytes, cut into writes of `chunk_size` with `chunk_delay` between them."""
        size = self.options.chunk_size or len(data) or 1
        pieces = [data[start : start + size] for start in range(0, len(data), size)]
        for number, piece in enumerate(pieces):
            if number and self.options.chunk_delay:
                time.sleep(self.options.chunk_delay)
            self._write(piece)

    def _write(self, data: bytes) -> None:
        if self.sock is None:
            raise SessionProblem("the connection is closed; nothing more can be sent")
        try:
            self.sock.sendall(data)
        except OSError as error:
            self._fail(f"sending failed: {error.strerror or error}")
        self._record(Direction.CLIENT, data)
        if data and self.recording.decoder.close.close_frame.get(Direction.CLIENT) is not None:
            self.close_sent = True

    # -- receiving --------------------------------------------------------------------------------

    def listen(self, seconds: float, until: Callable[[], bool] | None = None, *, whole_frames: bool = True) -> bool:
        """Read, decode and react for up to `seconds`, or until `until()` holds or the server closes TCP.
        Returns whether `until()` held. With `whole_frames`, a server frame still incomplete when the time
        is up is a problem (a server dripping bytes would otherwise keep us forever)."""
        deadline = time.monotonic() + seconds
        if not self.pending:  # no frame under way: the idle clock starts now
            self._last_byte = time.monotonic()
        idle = self.options.idle_timeout
        while self.open:
            if until is not None and until():
                return True
            now = time.monotonic()
            if now >= deadline:
                if self.pending and whole_frames:
                    self._fail(f"the server's frame was still incomplete after {seconds:g} s: {self._pending_text()}")
                return False
            wait = deadline - now
            if self.options.heartbeat:
                wait = min(wait, self._beat(now))
            if self.pending:
                wait = min(wait, max(0.0, self._last_byte + idle - now))
            data = self._recv(wait)
            if data is None:
                if self.pending and time.monotonic() - self._last_byte >= idle:
                    self._fail(f"the server went silent for {idle:g} s inside a frame: {self._pending_text()}")
                continue
            if not data:
                self._on_eof()
                break
            self._record_server(data, react=True)
        return until is not None and until()

    def poll(self) -> None:
        """Take in whatever the server has sent already, without waiting."""
        if self.open:
            self.listen(0.0, whole_frames=False)

    def _recv(self, timeout: float) -> bytes | None:
        """Bytes, b"" when the server closed TCP, or None when nothing came within `timeout`."""
        assert self.sock is not None
        self.sock.settimeout(max(timeout, 0.0) or 0.0)
        try:
            return self.sock.recv(RECV_SIZE)
        except (TimeoutError, BlockingIOError, ssl.SSLWantReadError):
            return None
        except ConnectionResetError:
            where = f" inside a frame ({self._pending_text()})" if self.pending else ""
            self._fail(f"the server reset the connection{where}")
        except OSError as error:
            self._fail(f"reading failed: {error.strerror or error}")
        return None  # not reached: _fail raises

    def _on_eof(self) -> None:
        self.eof = True
        if self.pending:
            self._fail(f"the server closed the connection inside a frame ({self._pending_text()})")
        self._stop()

    def _record_server(self, data: bytes, *, react: bool) -> list[Event]:
        events = self._record(Direction.SERVER, data)
        if self.recording.received > self.options.receive_limit:
            what = f"; {self._pending_text()}" if self.pending else ""
            self._fail(f"the server sent more than {self.options.receive_limit // MIB} MiB, the receive limit{what}")
        if react:
            self._react(events)
        return events

    def _react(self, events: list[Event]) -> None:
        """Answer Pings and Closes, time Pongs, and stop at a zlib bomb."""
        for event in events:
            if type(event) is Frame and event.direction is Direction.SERVER:
                self._on_server_frame(event)
            elif type(event) is Message and event.direction is Direction.SERVER and event.has(INFLATE_LIMIT):
                limit = self.options.inflate_limit // MIB
                self._fail(f"a server message inflates past the inflate limit ({limit} MiB); stopped reading")

    def _record(self, direction: Direction, data: bytes) -> list[Event]:
        if direction is Direction.SERVER:
            self._last_byte = time.monotonic()
        events = self.recording.record(direction, data, time.time())
        for event in events:
            if type(event) is Frame and event.direction is Direction.SERVER:
                self._frame_end = event.offset + event.header_length + event.payload_length
        return events

    def _on_server_frame(self, frame: Frame) -> None:
        opcode = frame.opcode
        if opcode == Opcode.PING and self.options.auto_pong and not self.close_sent:
            self.send(steps.pong(frame.payload))
        elif opcode == Opcode.PONG:
            sent = self._beat_sent.pop(frame.payload, None)
            if sent is not None:
                self.rtts.append(time.monotonic() - sent)
        elif opcode == Opcode.CLOSE and not self.close_sent:
            # RFC 6455 §5.5.1: answer with a Close, typically echoing the status code received.
            code = frame.close_code
            self.send(steps.close(code if code is not None and close_code_is_valid_on_wire(code) else None))

    def _beat(self, now: float) -> float:
        """Send a heartbeat Ping when one is due; returns the seconds until the next."""
        interval = self.options.heartbeat or 0.0
        if now >= self._next_beat and not self.close_sent:
            self._beats += 1
            payload = HEARTBEAT_PAYLOAD.pack(HEARTBEAT_TAG, self._beats)
            self._beat_sent[payload] = time.monotonic()
            self.send(steps.ping(payload))
            self._next_beat = now + interval
        return max(0.0, self._next_beat - now)

    @property
    def pending(self) -> int:
        """Bytes of a server frame that has started but not completed."""
        return self.recording.received - self._frame_end if self.response is not None else 0

    def _pending_text(self) -> str:
        held = self.pending
        header = self.recording.stream(Direction.SERVER)[self._frame_end : self._frame_end + 14]
        header_length, payload_length, _, _ = parse_header(bytes(header))
        if header_length == 0:
            return f"{held} byte(s) of a frame header"
        return f"{held} of the {header_length + payload_length} bytes its header claims"

    # -- closing ----------------------------------------------------------------------------------

    def close(self, code: int | None = 1000, reason: bytes | str = b"") -> None:
        """Send a Close unless one was sent, then wait for the server's Close and its end of TCP."""
        if self.open and not self.close_sent:
            self.send(steps.close(code, reason))
        if self.open:
            timeout = self.options.idle_timeout
            self.listen(timeout, until=lambda: self.eof)
            if not self.server_closed and self.problem is None:
                self._fail(f"the server did not answer the Close within {timeout:g} s")
        self._stop()

    def abort(self) -> None:
        """Drop the TCP connection without a close handshake."""
        self._stop()

    def outcome(self) -> CloseOutcome:
        table = self.recording.decoder.close
        first = table.first_closer
        answered = first is not None and first.peer in table.close_frame
        return CloseOutcome(
            first_closer=first,
            code=table.code.get(first) if first is not None else None,
            reason=table.reason.get(first, b"") if first is not None else b"",
            answered=answered,
            tcp_closed_by_server=self.eof,
            clean=answered and self.eof,
        )

    def _fail(self, message: str) -> None:
        self.problem = message
        self._stop()
        raise SessionProblem(message)

    def _stop(self) -> None:
        if self.sock is not None:
            try:
                self.sock.close()
            finally:
                self.sock = None
        self.recording.finish(time.time())


def compressor_for(deflate: DeflateParameters) -> MessageCompressor:
    """The client's compressor for the agreed parameters (RFC 7692 §7.1.1-7.1.2)."""
    return MessageCompressor(deflate.client_max_window_bits, deflate.client_no_context_takeover)

