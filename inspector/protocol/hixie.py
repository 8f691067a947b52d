"""The pre-RFC WebSocket protocols, draft-hixie-thewebsocketprotocol-75 and -76 (2010).

Browsers and Flash shims spoke these before RFC 6455, and old captures still contain them.

Theory of operation:
- hixie-75 handshake: `Upgrade: WebSocket` request; the server answers `101 Web Socket Protocol
  Handshake` with `WebSocket-Origin` and `WebSocket-Location`. Nothing is hashed.
- hixie-76 handshake: the request carries `Sec-WebSocket-Key1`/`Key2` headers and 8 random bytes
  after the blank line (key3). For each key, the digits form a number which is divided by the
  count of spaces in the key; the two 32-bit big-endian quotients plus key3 are hashed with MD5,
  and the 16-byte digest follows the server's blank line. `challenge()` shows every step.
- Framing (both drafts): a frame-type byte. With its high bit clear, bytes run up to a 0xFF
  sentinel (type 0x00 = UTF-8 text). With its high bit set, a base-128 length follows and that
  many bytes are skipped. The sequence 0xFF 0x00 is draft 76's closing handshake.

Everything here is pure: `HixieParser` takes bytes in any chunks and returns `HixieFrame`s with
their stream offsets, and collects violations instead of stopping.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Final

from . import teaching
from .constants import Direction, Opcode
from .handshake import SWITCHING_PROTOCOLS, Handshake, HttpRequest, HttpResponse
from .messages import Message
from .stream import HeldBytes
from .violations import Violation, violation

Event = Handshake | Message

HIXIE_75: Final = "hixie-75"
HIXIE_76: Final = "hixie-76"

# draft-hixie-76 Section 1.3 / 4.1: the 8 random bytes (key3) the client sends after its headers.
KEY3_SIZE: Final = 8
# draft-hixie-76 Section 5.2: the server's answer is a 16-byte MD5 digest after its headers.
CHALLENGE_RESPONSE_SIZE: Final = 16
# draft-hixie-76 Section 5.2: each key number divided by its spaces must fit in 32 bits.
KEY_PART_MAX: Final = 0xFFFFFFFF
KEY_PART_SIZE: Final = 4

# draft-hixie-75/76 Section 4.2 / 5.3: frame-type bytes and sentinels.
TEXT_FRAME_TYPE: Final = 0x00
FRAME_END: Final = 0xFF
LENGTH_FRAME_BIT: Final = 0x80  # high bit of the type: a length-prefixed (binary) frame
LENGTH_CONTINUE_BIT: Final = 0x80  # each length byte: more length bytes follow
LENGTH_VALUE_MASK: Final = 0x7F
CLOSE_FRAME_TYPE: Final = 0xFF  # draft-76: 0xFF followed by a zero length is the closing handshake
CLOSING_HANDSHAKE: Final = b"\xff\x00"

# Header names that tell the drafts from RFC 6455 (compared in lower case).
H_KEY1: Final = "sec-websocket-key1"
H_KEY2: Final = "sec-websocket-key2"
H_RFC_KEY: Final = "sec-websocket-key"
H_RFC_VERSION: Final = "sec-websocket-version"
H_UPGRADE: Final = "upgrade"
H_ORIGIN_75: Final = "websocket-origin"
H_LOCATION_75: Final = "websocket-location"
H_ORIGIN_76: Final = "sec-websocket-origin"
H_LOCATION_76: Final = "sec-websocket-location"

# A declared binary length beyond this is treated as a lie, not buffered (our limit, not the draft's).
MAX_LENGTH_BYTES: Final = 10


def _lower_headers(headers: Iterable[tuple[str, str]]) -> dict[str, str]:
    return {name.lower(): value for name, value in headers}


def detect_version(request_headers: Iterable[tuple[str, str]]) -> str | None:
    """Which pre-RFC draft a request speaks, or None for RFC 6455 (or not WebSocket at all).

    hixie-76 has Key1 and Key2; hixie-75 has neither, and no RFC key or version either, but does
    ask for `Upgrade: WebSocket`. A request with Sec-WebSocket-Key is always RFC 6455.
    """
    headers = _lower_headers(request_headers)
    if H_RFC_KEY in headers:
        return None
    if H_KEY1 in headers or H_KEY2 in headers:
        return HIXIE_76
    if H_RFC_VERSION not in headers and headers.get(H_UPGRADE, "").strip().lower() == "websocket":
        return HIXIE_75
    return None


@dataclass(frozen=True, slots=True)
class KeyPart:
    """One Sec-WebSocket-KeyN header, taken apart as draft 76 Section 5.2 prescribes."""

    key: str
    digits: str  # the key's digits in order, everything else dropped
    number: int  # those digits read as one decimal number
    spaces: int  # U+0020 characters in the key
    part: int | None  # number / spaces, or None when the division is not allowed
    problem: str | None  # why `part` is None (for learners and for the violation detail)

    @property
    def packed(self) -> bytes | None:
        """The part as 4 big-endian bytes: how it enters the MD5 input."""
        return None if self.part is None else self.part.to_bytes(KEY_PART_SIZE, "big")


def key_part(key: str) -> KeyPart:
    digits = "".join(ch for ch in key if "0" <= ch <= "9")
    number = int(digits) if digits else 0
    spaces = key.count(" ")
    problem: str | None = None
    part: int | None = None
    if not digits:
        problem = "the key has no digits"
    elif spaces == 0:
        problem = "the key has no spaces, so its number cannot be divided"
    elif number % spaces:
        problem = f"{number} is not a multiple of {spaces} spaces"
    elif number // spaces > KEY_PART_MAX:
        problem = f"{number} / {spaces} does not fit in 32 bits"
    else:
        part = number // spaces
    return KeyPart(key, digits, number, spaces, part, problem)


def challenge_response(key1: str, key2: str, key3: bytes) -> bytes | None:
    """The 16 bytes a hixie-76 server must send, or None when a key is malformed."""
    first, second = key_part(key1), key_part(key2)
    if first.packed is None or second.packed is None or len(key3) != KEY3_SIZE:
        return None
    return hashlib.md5(first.packed + second.packed + key3).digest()


@dataclass(frozen=True, slots=True)
class Step:
    """One line of a worked computation: a teaching text id (`step:<id>`) and the values it shows."""

    id: str
    values: dict[str, str]


def render_steps(steps: list[Step]) -> list[str]:
    """The steps as lines of text, in the teaching catalogue's language."""
    return [teaching.text(teaching.STEP + step.id, **step.values) for step in steps]


@dataclass(slots=True)
class Challenge:
    """The whole hixie-76 challenge, step by step, and whether the server got it right."""

    key1: KeyPart
    key2: KeyPart
    key3: bytes
    md5_input: bytes | None  # part1 (4 bytes) + part2 (4 bytes) + key3 (8 bytes)
    expected: bytes | None  # MD5 of md5_input
    received: bytes | None  # the 16 bytes after the server's blank line, if captured
    violations: list[Violation] = field(default_factory=list)

    @property
    def valid(self) -> bool | None:
        """True or False once both sides are known; None when the response was not captured."""
        if self.received is None:
            return None
        return self.expected is not None and self.expected == self.received

    def steps(self) -> list[Step]:
        """The computation as teaching steps, one per line of the explanation (see render_steps)."""
        found: list[Step] = []
        for name, part in (("Key1", self.key1), ("Key2", self.key2)):
            digits = part.digits or teaching.text("step:hixie.no-digits")
            found.append(Step("hixie.key-digits", {"name": name, "key": repr(part.key), "digits": digits,
                                                   "number": str(part.number), "spaces": str(part.spaces)}))
            if part.part is None or part.packed is None:
                found.append(Step("hixie.key-problem", {"name": name, "problem": part.problem or ""}))
            else:
                found.append(Step("hixie.key-part", {"name": name, "number": str(part.number),
                                                     "spaces": str(part.spaces), "part": str(part.part),
                                                     "packed": part.packed.hex(" ")}))
        found.append(Step("hixie.key3", {"key3": self.key3.hex(" ")}))
        if self.md5_input is not None and self.expected is not None:
            found.append(Step("hixie.md5", {"md5_input": self.md5_input.hex(" "), "expected": self.expected.hex(" ")}))
        if self.received is not None:
            verdict = "hixie.verdict.match" if self.valid else "hixie.verdict.mismatch"
            found.append(Step(verdict, {"received": self.received.hex(" ")}))
        return found


def challenge(key1: str, key2: str, key3: bytes, received: bytes | None = None) -> Challenge:
    """Work the draft-76 challenge and check the server's `received` answer against it."""
    first, second = key_part(key1), key_part(key2)
    md5_input = None
    expected = None
    found: list[Violation] = []
    for name, part in (("Sec-WebSocket-Key1", first), ("Sec-WebSocket-Key2", second)):
        if part.part is None:
            found.append(violation("hixie-bad-key", f"{name}: {part.problem}"))
    if first.packed is not None and second.packed is not None and len(key3) == KEY3_SIZE:
        md5_input = first.packed + second.packed + key3
        expected = hashlib.md5(md5_input).digest()
    result = Challenge(first, second, key3, md5_input, expected, received, found)
    if received is not None and not result.valid:
        got = received.hex()
        want = expected.hex() if expected is not None else "nothing computable"
        found.append(violation("hixie-bad-challenge", f"server sent {got}, expected {want}"))
    return result


def handshake_violations(
    version: str, request_headers: Iterable[tuple[str, str]], response_headers: Iterable[tuple[str, str]]
) -> list[Violation]:
    """Header rules of the draft's server handshake (the hash is checked by `challenge`)."""
    del request_headers  # the drafts ask nothing of the request that detection did not already check
    headers = _lower_headers(response_headers)
    wanted = (H_ORIGIN_76, H_LOCATION_76) if version == HIXIE_76 else (H_ORIGIN_75, H_LOCATION_75)
    missing = [name for name in wanted if name not in headers]
    if missing:
        return [violation("hixie-missing-location", f"the response lacks {', '.join(missing)}")]
    return []


@dataclass(slots=True, eq=False)
class HixieFrame:
    """One draft-75/76 frame as it was on the wire."""

    direction: Direction
    offset: int  # where the type byte sits in its direction's stream
    frame_type: int  # the first byte
    data: bytes  # text bytes between type and 0xFF, or the bytes a length-prefixed frame carried
    wire_length: int  # bytes this frame occupied (or, if truncated, the bytes present)
    length_prefixed: bool  # True for the 0x80.. form, False for the sentinel form
    declared_length: int | None = None  # for the length-prefixed form
    truncated: bool = False
    violations: list[Violation] = field(default_factory=list)
    index: int = -1  # set by the connection, like Frame.index

    @property
    def is_text(self) -> bool:
        return self.frame_type == TEXT_FRAME_TYPE and not self.length_prefixed

    @property
    def is_close(self) -> bool:
        """draft-76 closing handshake: type 0xFF with length 0."""
        return self.frame_type == CLOSE_FRAME_TYPE and self.length_prefixed and self.declared_length == 0

    @property
    def end_offset(self) -> int:
        return self.offset + self.wire_length

    @property
    def text(self) -> str | None:
        if not self.is_text:
            return None
        try:
            return self.data.decode("utf-8")
        except UnicodeDecodeError:
            return None


def _frame_violations(frame: HixieFrame) -> list[Violation]:
    found: list[Violation] = []
    if frame.truncated:
        detail = f"the capture ends inside a hixie frame after {frame.wire_length} bytes"
        found.append(violation("truncated-frame", detail))
        return found
    if not frame.length_prefixed and frame.frame_type != TEXT_FRAME_TYPE:
        found.append(violation("hixie-unknown-frame-type", f"type 0x{frame.frame_type:02X}: its data is discarded"))
    elif frame.is_text and frame.text is None:
        found.append(violation("invalid-utf8", "a hixie text frame is not valid UTF-8"))
    return found


class HixieParser(HeldBytes):
    """Incremental draft-75/76 frame parser for one direction, the counterpart of FrameParser."""

    def __init__(self, direction: Direction, *, offset: int = 0) -> None:
        super().__init__(direction, offset)
        self._scanned = 0  # bytes of a sentinel frame already searched for 0xFF
        self._resync = False  # after a gap: skip to the next 0x00 type byte

    def feed(self, data: bytes | bytearray | memoryview) -> list[HixieFrame]:
        buffer = self._buffer
        if self._resync:
            start = bytes(data).find(TEXT_FRAME_TYPE)
            if start < 0:
                self._base += len(data)
                return []
            self._base += start
            data = data[start:]
            self._resync = False
        buffer += data
        frames: list[HixieFrame] = []
        pos = 0
        while pos < len(buffer):
            frame = self._next(buffer, pos)
            if frame is None:
                break
            frames.append(frame)
            pos += frame.wire_length
            self._scanned = 0
        if pos:
            del buffer[:pos]
            self._base += pos
        return frames

    def _next(self, buffer: bytearray, pos: int) -> HixieFrame | None:
        frame_type = buffer[pos]
        if frame_type & LENGTH_FRAME_BIT:
            parsed = self._read_length(buffer, pos + 1)
            if parsed is None:
                return None
            length, body_start = parsed
            end = body_start + length
            if end > len(buffer):
                return None
            return self._make(pos, frame_type, bytes(buffer[body_start:end]), end - pos, True, length)
        # Sentinel form: resume the search where the last feed stopped (keeps it linear).
        start = max(pos + 1, pos + self._scanned)
        end = buffer.find(FRAME_END, start)
        if end < 0:
            self._scanned = len(buffer) - pos
            return None
        return self._make(pos, frame_type, bytes(buffer[pos + 1 : end]), end + 1 - pos, False, None)

    @staticmethod
    def _read_length(buffer: bytearray, pos: int) -> tuple[int, int] | None:
        """Base-128 big-endian length, high bit = more bytes follow. None if more bytes are needed."""
        length = 0
        for count in range(MAX_LENGTH_BYTES):
            if pos + count >= len(buffer):
                return None
            byte = buffer[pos + count]
            length = (length << 7) | (byte & LENGTH_VALUE_MASK)
            if not byte & LENGTH_CONTINUE_BIT:
                return length, pos + count + 1
        # An absurdly long length: take what we read so far; the frame will show as truncated.
        return length, pos + MAX_LENGTH_BYTES

    def _make(
        self, pos: int, frame_type: int, data: bytes, wire: int, prefixed: bool, declared: int | None,
        truncated: bool = False,
    ) -> HixieFrame:
        frame = HixieFrame(self.direction, self._base + pos, frame_type, data, wire, prefixed, declared, truncated)
        frame.violations = _frame_violations(frame)
        return frame

    def skip(self, count: int) -> None:
        """`count` bytes were never captured here: drop the partial frame and resume at the next 0x00."""
        self._base += len(self._buffer) + count
        self._buffer.clear()
        self._scanned = 0
        self._resync = True

    def finish(self) -> list[HixieFrame]:
        """The stream ended: leftover bytes become one truncated frame."""
        buffer = self._buffer
        if not buffer:
            return []
        frame_type = buffer[0]
        prefixed = bool(frame_type & LENGTH_FRAME_BIT)
        declared = None
        data = bytes(buffer[1:])
        if prefixed:
            parsed = self._read_length(buffer, 1)
            if parsed is not None:
                declared, body_start = parsed
                data = bytes(buffer[body_start:])
            else:
                data = b""
        frame = self._make(0, frame_type, data, len(buffer), prefixed, declared, truncated=True)
        self._base += len(buffer)
        buffer.clear()
        self._scanned = 0
        return [frame]


# -- a whole pre-RFC connection after its request and response headers --------------------------


def _handshake_body_size(version: str, direction: Direction) -> int:
    """draft-76 bodies after the blank line: key3 from the client, the MD5 answer from the server."""
    if version != HIXIE_76:
        return 0
    return KEY3_SIZE if direction is Direction.CLIENT else CHALLENGE_RESPONSE_SIZE


class HixieSession:
    """Decodes a draft-75/76 connection once both header blocks are parsed (ConnectionDecoder hands over).

    Events out: one `Handshake` (after key3 and the 16-byte answer arrived, so `accept_valid`
    already reports the MD5 check), then a `Message` with opcode 1 for each text frame. Other frames
    (length-prefixed binary, the closing handshake) are counted, not reported as events; their
    violations, and the drafts' handshake violations, go to the connection's `violations` list.
    """

    def __init__(
        self, version: str, request: HttpRequest, response: HttpResponse, violations: list[Violation]
    ) -> None:
        self.version = version
        self.request = request
        self.response = response
        self.violations = violations  # the connection's list, shared
        self.challenge: Challenge | None = None
        self.handshake: Handshake | None = None
        self.refused = response.status != SWITCHING_PROTOCOLS
        self.ignored_bytes = 0  # after a refusal
        self.frame_counts = {d: 0 for d in Direction}
        self.closed: dict[Direction, bool] = {d: False for d in Direction}
        self._bodies = {d: bytearray() for d in Direction}
        self._pending = {d: bytearray() for d in Direction}  # frame bytes that came before the handshake ended
        self._parsers = {d: HixieParser(d, offset=_handshake_body_size(version, d)) for d in Direction}

    def feed(self, direction: Direction, data: bytes) -> list[Event]:
        events: list[Event] = []
        if self.handshake is not None and self.refused:
            self.ignored_bytes += len(data)
            return events
        if self.handshake is None:
            wanted = _handshake_body_size(self.version, direction) - len(self._bodies[direction])
            if wanted > 0:
                self._bodies[direction] += data[:wanted]
                data = data[wanted:]
            self._pending[direction] += data
            if self._bodies_complete():
                self._emit_handshake(events)
            return events
        self._frames(direction, data, events)
        return events

    def gap(self, direction: Direction, missing: int) -> list[Event]:
        """Lost bytes: a body short by them stays short; framing resumes at the next text frame."""
        detail = f"{missing} {direction} bytes lost in a hixie connection"
        self.violations.append(violation("capture-gap", detail))
        if self.handshake is None:
            self._bodies[direction] += bytes(min(missing, _handshake_body_size(self.version, direction)))
            return []
        self._parsers[direction].skip(missing)
        return []

    def finish(self) -> list[Event]:
        events: list[Event] = []
        if self.handshake is None:
            self._emit_handshake(events)
        if not self.refused:
            for parser in self._parsers.values():
                for frame in parser.finish():
                    self._on_frame(frame, events)
        return events

    def _bodies_complete(self) -> bool:
        return all(len(self._bodies[d]) >= _handshake_body_size(self.version, d) for d in Direction)

    def _emit_handshake(self, events: list[Event]) -> None:
        handshake = Handshake(self.request, self.response, refused=self.refused)
        found = handshake_violations(self.version, self.request.headers, self.response.headers)
        if self.version == HIXIE_76:
            key3 = bytes(self._bodies[Direction.CLIENT])
            answer = bytes(self._bodies[Direction.SERVER]) if not self.refused else None
            self.challenge = challenge(
                self.request.get(H_KEY1) or "", self.request.get(H_KEY2) or "", key3, answer or None
            )
            found.extend(self.challenge.violations)
            handshake.accept_valid = self.challenge.valid
            if self.challenge.expected is not None:
                handshake.hixie_answer_expected = self.challenge.expected.hex()
        handshake.subprotocol = self.response.get("Sec-WebSocket-Protocol") or self.response.get("WebSocket-Protocol")
        handshake.violations = [] if self.refused else found
        self.handshake = handshake
        events.append(handshake)
        for direction in Direction:
            waiting = bytes(self._pending[direction])
            self._pending[direction].clear()
            if waiting and not self.refused:
                self._frames(direction, waiting, events)
            elif waiting:
                self.ignored_bytes += len(waiting)

    def _frames(self, direction: Direction, data: bytes, events: list[Event]) -> None:
        for frame in self._parsers[direction].feed(data):
            self._on_frame(frame, events)

    def _on_frame(self, frame: HixieFrame, events: list[Event]) -> None:
        direction = frame.direction
        self.frame_counts[direction] += 1
        if self.closed[direction]:
            frame.violations.append(violation("data-after-close", "sent after this side's 0xFF 0x00 closing frame"))
        if frame.is_close:
            self.closed[direction] = True
        if frame.is_text:
            text = frame.data.decode("utf-8", "replace")
            # The dump format: a hixie text frame is reported as a text message (opcode 1) with no RFC frames.
            events.append(
                Message(direction, int(Opcode.TEXT), [], False, frame.data, text, not frame.truncated, frame.violations)
            )
        else:
            self.violations.extend(frame.violations)
