"""permessage-deflate, RFC 7692: the extension header, the agreed parameters, inflating and deflating.

Theory of operation
-------------------
A compressed message is one raw DEFLATE stream (no zlib header) cut at a sync flush, with the
final ``00 00 ff ff`` removed (Section 7.2.1). The receiver appends the tail and inflates. Unless
"no context takeover" was agreed for that sender, the LZ77 window carries over from one message to
the next (Section 7.2.3.2), so each direction keeps one `Inflater` for the whole connection.

An inspector reads hostile input: `Inflater` never produces more than its `limit` bytes for one
message. It asks zlib for at most limit + 1 bytes (``max_length``), so a zlib bomb costs at most
the limit in memory and time, and the result says the limit was hit.
"""

from __future__ import annotations

import zlib
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from .constants import (
    CLIENT_MAX_WINDOW_BITS,
    CLIENT_NO_CONTEXT_TAKEOVER,
    DEFAULT_INFLATE_LIMIT,
    DEFLATE_TAIL,
    MAX_WINDOW_BITS,
    MIN_WINDOW_BITS,
    PERMESSAGE_DEFLATE,
    SERVER_MAX_WINDOW_BITS,
    SERVER_NO_CONTEXT_TAKEOVER,
)

# zlib's deflate refuses a 256-byte window (raw windowBits 8) and silently means 9 elsewhere;
# a 512-byte window is still within any agreed window of 2^8 (RFC 7692 Section 7.1.2.1 allows smaller).
_ZLIB_MIN_DEFLATE_WINDOW_BITS: Final = 9
# RFC 7230 Section 3.2.6: characters allowed in a token.
_TOKEN_CHARS: Final = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


@dataclass(slots=True)
class ExtensionOffer:
    """One element of a Sec-WebSocket-Extensions list: a token and its parameters, in order."""

    name: str
    params: dict[str, str | None] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {"name": self.name, "params": dict(self.params)}

    def header_value(self) -> str:
        parts = [self.name]
        for key, value in self.params.items():
            parts.append(key if value is None else f"{key}={value}")
        return "; ".join(parts)


@dataclass(slots=True)
class ParsedExtensions:
    """The offers read from one or more header lines, plus what could not be read (never raised)."""

    offers: list[ExtensionOffer]
    errors: list[str]


class _Scanner:
    """A tiny cursor over one header value (RFC 6455 Section 9.1 grammar)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t":
            self.pos += 1

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def token(self) -> str:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] in _TOKEN_CHARS:
            self.pos += 1
        return self.text[start : self.pos]

    def quoted(self) -> str | None:
        """A quoted-string starting at the opening quote; None when it never closes."""
        self.pos += 1
        out: list[str] = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            self.pos += 1
            if char == "\\" and self.pos < len(self.text):
                out.append(self.text[self.pos])
                self.pos += 1
            elif char == '"':
                return "".join(out)
            else:
                out.append(char)
        return None

    def skip_to_comma(self) -> None:
        """Recover from an error: jump past the next comma outside quotes."""
        quoted = False
        while self.pos < len(self.text):
            char = self.text[self.pos]
            self.pos += 1
            if char == '"':
                quoted = not quoted
            elif char == "," and not quoted:
                return


def _parse_one_value(text: str, offers: list[ExtensionOffer], errors: list[str]) -> None:
    scan = _Scanner(text)
    while True:
        scan.skip_space()
        if scan.pos >= len(text):
            return
        if scan.peek() == ",":  # empty list elements are allowed by the #rule (RFC 7230 Section 7)
            scan.pos += 1
            continue
        name = scan.token()
        if not name:
            errors.append(f"expected an extension token at character {scan.pos} of {text!r}")
            scan.skip_to_comma()
            continue
        offer = ExtensionOffer(name)
        ok = True
        while ok:
            scan.skip_space()
            char = scan.peek()
            if char in ("", ","):
                scan.pos += 1
                break
            if char != ";":
                errors.append(f"unexpected {char!r} at character {scan.pos} of {text!r}")
                ok = False
                break
            scan.pos += 1
            scan.skip_space()
            key = scan.token()
            if not key:
                errors.append(f"expected a parameter name at character {scan.pos} of {text!r}")
                ok = False
                break
            scan.skip_space()
            value: str | None = None
            if scan.peek() == "=":
                scan.pos += 1
                scan.skip_space()
                if scan.peek() == '"':
                    value = scan.quoted()
                    if value is None:
                        errors.append(f"unterminated quoted value for {key!r} in {text!r}")
                        ok = False
                        break
                    if not value or not _TOKEN_CHARS.issuperset(value):
                        errors.append(f"the quoted value {value!r} of {key!r} is not a token (RFC 6455 Section 9.1)")
                        ok = False
                        break
                else:
                    value = scan.token()
                    if not value:
                        errors.append(f"parameter {key!r} has '=' but no value in {text!r}")
                        ok = False
                        break
            if key in offer.params:
                errors.append(f"parameter {key!r} appears twice in extension {name!r}")
            offer.params[key] = value
        if ok:
            offers.append(offer)
        else:
            scan.skip_to_comma()


def parse_extensions(values: str | Iterable[str]) -> ParsedExtensions:
    """Read Sec-WebSocket-Extensions header values (one string or several header lines), in order."""
    lines = [values] if isinstance(values, str) else list(values)
    offers: list[ExtensionOffer] = []
    errors: list[str] = []
    for line in lines:
        _parse_one_value(line, offers, errors)
    return ParsedExtensions(offers, errors)


@dataclass(frozen=True, slots=True)
class DeflateParameters:
    """What the server agreed to (RFC 7692 Section 7.1). Window bits are 8..15; 15 when not limited."""

    server_no_context_takeover: bool = False
    client_no_context_takeover: bool = False
    server_max_window_bits: int = MAX_WINDOW_BITS
    client_max_window_bits: int = MAX_WINDOW_BITS

    def to_json(self) -> dict[str, object]:
        return {
            SERVER_NO_CONTEXT_TAKEOVER: self.server_no_context_takeover,
            CLIENT_NO_CONTEXT_TAKEOVER: self.client_no_context_takeover,
            SERVER_MAX_WINDOW_BITS: self.server_max_window_bits,
            CLIENT_MAX_WINDOW_BITS: self.client_max_window_bits,
        }


_KNOWN_PARAMS: Final = frozenset(
    {SERVER_NO_CONTEXT_TAKEOVER, CLIENT_NO_CONTEXT_TAKEOVER, SERVER_MAX_WINDOW_BITS, CLIENT_MAX_WINDOW_BITS}
)


def _window_bits_problem(value: str | None, name: str, where: str) -> str | None:
    """RFC 7692 Section 7.1.2: a window-bits value is a decimal number from 8 to 15 without leading zeros."""
    if value is None or not value.isdigit() or not MIN_WINDOW_BITS <= int(value) <= MAX_WINDOW_BITS:
        return f"{name}={value} in the {where} is not a number from 8 to 15 (RFC 7692 Section 7.1.2)"
    if value.startswith("0"):
        return f"{name}={value} in the {where} has a leading zero (RFC 7692 Section 7.1.2)"
    return None


def _window_bits(value: str | None, name: str, problems: list[str]) -> int:
    problem = _window_bits_problem(value, name, "response")
    if problem is not None:
        problems.append(problem)
        return MAX_WINDOW_BITS
    return int(value or MAX_WINDOW_BITS)


def offer_problems(offer: ExtensionOffer) -> list[str]:
    """What is wrong with the window-bits values of a client's permessage-deflate offer. Without a value,
    client_max_window_bits only says the client can take a limit (Section 7.1.2.2)."""
    problems: list[str] = []
    for name in (SERVER_MAX_WINDOW_BITS, CLIENT_MAX_WINDOW_BITS):
        if name not in offer.params or (name == CLIENT_MAX_WINDOW_BITS and offer.params[name] is None):
            continue
        problem = _window_bits_problem(offer.params[name], name, "request")
        if problem is not None:
            problems.append(problem)
    return problems


def negotiate_deflate(
    response_offer: ExtensionOffer, client_offers: Iterable[ExtensionOffer] = ()
) -> tuple[DeflateParameters, list[str]]:
    """The parameters in force, from the server's accepted permessage-deflate element.

    The response decides (Section 7.1): a parameter missing there means "not limited". The client's
    offers only matter to check the response: the server may send client_max_window_bits only if
    the client offered it (Section 7.1.2.2). Returns the parameters and a list of problems found.
    """
    problems: list[str] = []
    params = response_offer.params
    for key in params:
        if key not in _KNOWN_PARAMS:
            problems.append(f"unknown permessage-deflate parameter {key!r} (RFC 7692 Section 7.1)")
    for flag in (SERVER_NO_CONTEXT_TAKEOVER, CLIENT_NO_CONTEXT_TAKEOVER):
        if flag in params and params[flag] is not None:
            problems.append(f"{flag} takes no value (RFC 7692 Section 7.1.1)")
    server_bits = MAX_WINDOW_BITS
    if SERVER_MAX_WINDOW_BITS in params:
        server_bits = _window_bits(params[SERVER_MAX_WINDOW_BITS], SERVER_MAX_WINDOW_BITS, problems)
    client_bits = MAX_WINDOW_BITS
    if CLIENT_MAX_WINDOW_BITS in params:
        client_bits = _window_bits(params[CLIENT_MAX_WINDOW_BITS], CLIENT_MAX_WINDOW_BITS, problems)
        offered = [o for o in client_offers if o.name.lower() == PERMESSAGE_DEFLATE]
        if offered and not any(CLIENT_MAX_WINDOW_BITS in o.params for o in offered):
            problems.append("the server set client_max_window_bits, which the client did not offer (Section 7.1.2.2)")
    parameters = DeflateParameters(
        server_no_context_takeover=SERVER_NO_CONTEXT_TAKEOVER in params,
        client_no_context_takeover=CLIENT_NO_CONTEXT_TAKEOVER in params,
        server_max_window_bits=server_bits,
        client_max_window_bits=client_bits,
    )
    return parameters, problems


@dataclass(slots=True, init=False)  # init=False: see Frame (one per compressed message)
class InflateResult:
    data: bytes  # at most `limit` bytes
    error: str | None  # zlib's complaint, when the data is not valid DEFLATE
    limit_exceeded: bool

    def __init__(self, data: bytes, error: str | None = None, limit_exceeded: bool = False) -> None:
        self.data = data
        self.error = error
        self.limit_exceeded = limit_exceeded

    @property
    def ok(self) -> bool:
        return self.error is None and not self.limit_exceeded


class Inflater:
    """Inflates one direction's compressed messages, keeping the LZ77 window unless told not to."""

    def __init__(
        self,
        window_bits: int = MAX_WINDOW_BITS,
        no_context_takeover: bool = False,
        limit: int = DEFAULT_INFLATE_LIMIT,
    ) -> None:
        if not MIN_WINDOW_BITS <= window_bits <= MAX_WINDOW_BITS:
            raise ValueError(f"window bits must be 8..15, got {window_bits}")
        self.window_bits = window_bits
        self.no_context_takeover = no_context_takeover
        self.limit = limit
        # The recent output, to restart a stream after BFINAL with the last 2^window_bits bytes as its
        # dictionary. Kept as the messages' own bytes objects and joined only when needed: copying
        # the 32 KiB window after every message was a measurable part of decoding a capture.
        self._recent: deque[bytes] = deque()
        self._recent_size = 0
        self._zlib = self._new_stream()

    @property
    def window(self) -> bytes:
        """The last 2^window_bits bytes produced since the last reset."""
        return b"".join(self._recent)[-(1 << self.window_bits) :]

    def _new_stream(self) -> zlib._Decompress:
        if self._recent_size and not self.no_context_takeover:
            return zlib.decompressobj(-self.window_bits, zdict=self.window)
        return zlib.decompressobj(-self.window_bits)

    def reset(self) -> None:
        """Forget the window (after a capture gap, say: later messages may then fail to inflate)."""
        self._recent.clear()
        self._recent_size = 0
        self._zlib = self._new_stream()

    def probe(self) -> InflateProbe:
        """A probe for the next message: inflates on a copy of the stream, leaving this one untouched."""
        stream = self._new_stream() if self.no_context_takeover else self._zlib.copy()
        return InflateProbe(stream, self.limit)

    def inflate(self, payloads: Iterable[bytes]) -> InflateResult:
        """Inflate one message from its frames' payloads (the tail is appended here)."""
        if self.no_context_takeover:
            self._zlib = self._new_stream()
        stream = self._zlib
        out: list[bytes] = []
        produced = 0
        budget = self.limit + 1  # one byte over the limit proves it was exceeded
        held_back = False  # did the last decompress stop at max_length (zlib may then hold more output)?
        try:
            # One input, so one decompress call in the common case (a call costs more than the copy).
            data = b"".join([*payloads, DEFLATE_TAIL])
            while data and not stream.eof:
                room = budget - produced
                piece = stream.decompress(data, room)
                out.append(piece)
                produced += len(piece)
                if produced > self.limit:
                    return self._give_up(out, limit_exceeded=True)
                held_back = len(piece) == room
                data = stream.unconsumed_tail
            while held_back and not stream.eof:  # zlib may still hold output that max_length held back
                piece = stream.decompress(b"", budget - produced)
                if not piece:
                    break
                out.append(piece)
                produced += len(piece)
                if produced > self.limit:
                    return self._give_up(out, limit_exceeded=True)
        except zlib.error as error:
            return self._give_up(out, error=str(error))
        result = b"".join(out)
        if stream.eof:  # BFINAL was set (Section 7.2.3.3): the next message starts a fresh stream
            self._remember(result)
            self._zlib = self._new_stream()
        elif not self.no_context_takeover:
            self._remember(result)
        return InflateResult(result)

    def _remember(self, produced: bytes) -> None:
        size = 1 << self.window_bits
        recent = self._recent
        if len(produced) >= size:  # it fills the window alone; keep only its tail, not the whole message
            recent.clear()
            produced = produced[-size:]
            self._recent_size = 0
        recent.append(produced)
        self._recent_size += len(produced)
        # Drop the oldest outputs once the rest still cover the window.
        while self._recent_size - len(recent[0]) >= size:
            self._recent_size -= len(recent.popleft())

    def _give_up(self, out: list[bytes], *, error: str | None = None, limit_exceeded: bool = False) -> InflateResult:
        data = b"".join(out)[: self.limit]
        self.reset()  # the stream is broken; later messages may still inflate if they need no history
        return InflateResult(data, error, limit_exceeded)


class InflateProbe:
    """Inflates a message's fragments as they arrive, so that a failure is known at the frame that shows
    it, even if the message never ends. The message is still inflated once, by `Inflater.inflate`, when
    it ends; the probe stops at the inflate limit, so it costs at most that much again."""

    def __init__(self, stream: zlib._Decompress, limit: int) -> None:
        self._stream = stream
        self._room = limit + 1
        self.error: str | None = None  # zlib's complaint, once the data broke

    def feed(self, payload: bytes) -> bytes | None:
        """This fragment's output so far; None once the probe has stopped (failed, or past the limit)."""
        stream = self._stream
        if self._room <= 0 or self.error is not None:
            return None
        try:
            piece = stream.decompress(stream.unconsumed_tail + payload, self._room)
        except zlib.error as error:
            self.error = str(error)
            return None
        self._room -= len(piece)
        return piece if self._room > 0 else None


class MessageCompressor:
    """Compresses whole messages the way a permessage-deflate sender does (tail stripped)."""

    def __init__(self, window_bits: int = MAX_WINDOW_BITS, no_context_takeover: bool = False, level: int = 6) -> None:
        if not MIN_WINDOW_BITS <= window_bits <= MAX_WINDOW_BITS:
            raise ValueError(f"window bits must be 8..15, got {window_bits}")
        self.window_bits = max(window_bits, _ZLIB_MIN_DEFLATE_WINDOW_BITS)
        self.no_context_takeover = no_context_takeover
        self.level = level
        self._zlib = self._new_stream()

    def _new_stream(self) -> zlib._Compress:
        return zlib.compressobj(self.level, zlib.DEFLATED, -self.window_bits)

    def compress(self, data: bytes) -> bytes:
        if self.no_context_takeover:
            self._zlib = self._new_stream()
        out = self._zlib.compress(data) + self._zlib.flush(zlib.Z_SYNC_FLUSH)
        if out.endswith(DEFLATE_TAIL):
            out = out[: -len(DEFLATE_TAIL)]
        return out
