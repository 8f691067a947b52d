"""One WebSocket connection, both directions, sans-IO: bytes in, events out.

Theory of operation
-------------------
The capture layer and the built-in client drive the same object: `feed(direction, data)` with the
bytes each side sent, in the order they were seen, and `gap(direction, missing)` when the capture
lost bytes. Each call returns the events it completed, in order: the `Handshake` (once the response
is parsed), each `Frame`, and each data `Message` right after its last frame.

Each direction is in one phase at a time (`SidePhase`): first HTTP (the request or the response),
then frames. Client bytes after the request wait until the response says which extensions are in
force (RSV1 means "compressed" only if permessage-deflate was agreed). After a refusal (non-101),
later bytes are counted in `ignored_bytes` and not decoded. A connection whose start was not
captured begins in the RESYNC phase, where a `resync.FrameStartFinder` looks for frame boundaries;
a gap that breaks the frame boundaries sends that direction back there. The finder waits for the
bytes that confirm a start, so `finish` settles what it still holds.

Cross-direction rules live here: a Pong answers the other side's outstanding Ping (Section 5.5.3),
nothing follows a side's own Close (Section 5.5.1), and the close handshake moves through the
states of `CLOSE_TRANSITIONS`. Both machines are tables in phases.py, and every phase change goes
through `_move`, which records it in `phase_steps`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from .constants import CONTROL_OPCODE_BIT, DEFAULT_INFLATE_LIMIT, RSV1_BIT, Direction, Opcode
from .deflate import DeflateParameters, Inflater
from .frame import Frame
from .handshake import (
    SWITCHING_PROTOCOLS,
    Handshake,
    HandshakeParseError,
    HeadScan,
    HttpRequest,
    HttpResponse,
    check_handshake,
    parse_request,
    parse_response,
)
from .hixie import HixieSession, detect_version
from .messages import Message, MessageAssembler
from .phases import CLOSE_TRANSITIONS, CloseEvent, CloseState, SideEvent, SidePhase, next_phase
from .resync import FrameStartFinder
from .stream import FrameParser
from .violations import Violation, violation

Event = Handshake | Frame | Message

RFC6455: Final = "rfc6455"


_FRAMES: Final = SidePhase.FRAMES


@dataclass(slots=True)
class CloseTable:
    """The close handshake as data (Section 7.1.2 / 5.5.1)."""

    state: CloseState = CloseState.OPEN
    first_closer: Direction | None = None
    close_frame: dict[Direction, int] = field(default_factory=dict)  # side -> index of its first Close
    code: dict[Direction, int | None] = field(default_factory=dict)  # side -> status code (None: empty body)
    reason: dict[Direction, bytes] = field(default_factory=dict)
    history: list[tuple[int, CloseState]] = field(default_factory=list)  # (frame index, state entered)


@dataclass(slots=True)
class _Side:
    direction: Direction
    phase: SidePhase
    http: bytearray = field(default_factory=bytearray)  # handshake bytes, then bytes waiting for it
    http_consumed: int = 0  # length of this side's HTTP header block
    http_scan: HeadScan = field(default_factory=HeadScan)  # how far the header block has been read
    parser: FrameParser | None = None
    assembler: MessageAssembler | None = None
    finder: FrameStartFinder | None = None  # in the RESYNC phase: the search for a frame boundary
    resync_base: int = 0  # while WAITING after a gap: the stream offset where the search will begin
    swallow: int = 0  # bytes still to drop: the rest of a frame damaged by a gap
    pings: list[tuple[int, bytes]] = field(default_factory=list)  # this side's unanswered Pings
    gap_before_frames: bool = False  # bytes were lost between this side's HTTP part and its frames


class ConnectionDecoder:
    """Decodes one connection. See the module docstring."""

    def __init__(
        self,
        *,
        expect_handshake: bool = True,
        inflate_limit: int = DEFAULT_INFLATE_LIMIT,
        deflate: DeflateParameters | None = None,
    ) -> None:
        self.protocol = RFC6455
        self.inflate_limit = inflate_limit
        self.deflate = deflate
        self.handshake: Handshake | None = None
        self.request: HttpRequest | None = None
        self.response: HttpResponse | None = None
        self.violations: list[Violation] = []
        self.close = CloseTable()
        self.pong_for: dict[int, int] = {}  # Pong frame index -> index of the Ping it answers
        self.ignored_bytes: dict[Direction, int] = {Direction.CLIENT: 0, Direction.SERVER: 0}
        self.skipped_bytes: dict[Direction, int] = {Direction.CLIENT: 0, Direction.SERVER: 0}  # lost to resync
        self.frame_count = 0
        # Every phase change, in order: (direction, from, event, to). A handful per connection.
        self.phase_steps: list[tuple[Direction, SidePhase, SideEvent, SidePhase]] = []
        self.hixie: HixieSession | None = None  # set when the request is draft-75/76 (hixie.py)
        self._sides: dict[str, _Side] = {d: _Side(d, SidePhase.HTTP) for d in Direction}
        if not expect_handshake:  # both sides start by resynchronising
            self._no_handshake("the capture starts after the opening handshake")

    # -- public API -------------------------------------------------------------------------------

    def feed(self, direction: Direction | str, data: bytes | bytearray | memoryview) -> list[Event]:
        try:
            side = self._sides[direction]  # a Direction, or its text: a StrEnum hashes as its value
        except (KeyError, TypeError):
            side = self._sides[Direction(direction)]  # raises ValueError for anything else
        events: list[Event] = []
        if data:
            if type(data) is not bytes:
                data = bytes(data)
            # Straight to the frame loop in the phase nearly every call is in (_feed would send it there).
            if side.phase is _FRAMES:
                self._feed_frames(side, data, events)
            else:
                self._feed(side, data, events)
        return events

    def gap(self, direction: Direction | str, missing: int) -> list[Event]:
        """`missing` bytes of this direction were never captured, at the current position."""
        side = self._sides[Direction(direction)]
        events: list[Event] = []
        if missing <= 0:
            return events
        if side.phase is SidePhase.IGNORED:
            self.ignored_bytes[side.direction] += missing
        elif side.phase is SidePhase.HIXIE:
            assert self.hixie is not None
            events.extend(self.hixie.gap(side.direction, missing))
        elif side.phase in (SidePhase.HTTP, SidePhase.WAITING):
            self._gap_in_handshake(side, missing)
        elif side.phase is SidePhase.RESYNC:
            assert side.finder is not None
            self.violations.append(violation("capture-gap", f"{missing} {side.direction} bytes lost while resyncing"))
            self.skipped_bytes[side.direction] += side.finder.abandon()
            self._begin_resync(side, SideEvent.GAP, side.finder.stream_offset + missing)
        else:
            self._gap_in_frames(side, missing, events)
        return events

    def finish(self) -> list[Event]:
        """The capture ended: truncated frames and incomplete messages, client side first."""
        events: list[Event] = []
        if self.hixie is not None:
            events.extend(self.hixie.finish())
            self.handshake = self.hixie.handshake
        for side in self._sides.values():
            if side.phase is SidePhase.RESYNC:
                self._try_resync(side, b"", events, final=True)
            if side.parser is not None:
                for frame in side.parser.finish():
                    self._on_frame(side, frame, events)
            if side.assembler is not None:
                events.extend(side.assembler.finish())
        return events

    @property
    def all_violations(self) -> list[Violation]:
        """Every connection-scope violation: the handshake's own, then those found later (gaps, resync)."""
        handshake = self.handshake.violations if self.handshake is not None else []
        return [*handshake, *self.violations]

    def detect_protocol(self, request: HttpRequest) -> str:
        """Which WebSocket dialect this request opens: "rfc6455", or "hixie-76"/"hixie-75" (hixie.py)."""
        return detect_version(request.headers) or RFC6455

    @property
    def phases(self) -> dict[Direction, SidePhase]:
        return {side.direction: side.phase for side in self._sides.values()}

    def _move(self, side: _Side, event: SideEvent) -> None:
        """Change a side's phase as phases.SIDE_TRANSITIONS says (ValueError for a step it lacks)."""
        before = side.phase
        side.phase = next_phase(before, event)
        self.phase_steps.append((side.direction, before, event, side.phase))

    # -- bytes ------------------------------------------------------------------------------------

    def _feed(self, side: _Side, data: bytes, events: list[Event]) -> None:
        phase = side.phase
        if phase is SidePhase.FRAMES:
            self._feed_frames(side, data, events)
        elif phase is SidePhase.HTTP:
            side.http += data
            self._parse_http(side, events)
        elif phase is SidePhase.WAITING:
            side.http += data
        elif phase is SidePhase.HIXIE:
            assert self.hixie is not None
            events.extend(self.hixie.feed(side.direction, data))
            self.handshake = self.hixie.handshake
        elif phase is SidePhase.RESYNC:
            self._try_resync(side, data, events)
        else:
            self.ignored_bytes[side.direction] += len(data)

    def _feed_frames(self, side: _Side, data: bytes, events: list[Event]) -> None:
        if side.swallow:
            dropped = min(side.swallow, len(data))
            side.swallow -= dropped
            data = data[dropped:]
            if not data:
                return
        assert side.parser is not None and side.assembler is not None
        for frame in side.parser.feed(data):
            self._on_frame(side, frame, events)

    # -- handshake --------------------------------------------------------------------------------

    def _parse_http(self, side: _Side, events: list[Event]) -> None:
        try:
            if side.direction is Direction.CLIENT:
                parsed_request = parse_request(side.http, side.http_scan)
                if parsed_request is None:
                    return
                self.request, side.http_consumed = parsed_request
                self.protocol = self.detect_protocol(self.request)
            else:
                parsed_response = parse_response(side.http, side.http_scan)
                if parsed_response is None:
                    return
                self.response, side.http_consumed = parsed_response
        except HandshakeParseError as error:
            self._no_handshake(f"the {side.direction} bytes are not an HTTP handshake: {error}")
            for other in self._sides.values():
                if other.phase is SidePhase.RESYNC:
                    self._try_resync(other, b"", events)
            return
        del side.http[: side.http_consumed]
        self._move(side, SideEvent.HTTP_DONE)
        if self.request is not None and self.response is not None:
            self._handshake_done(events)

    def _handshake_done(self, events: list[Event]) -> None:
        assert self.request is not None and self.response is not None
        if self.protocol != RFC6455:
            self._hixie_start(events)
            return
        handshake = check_handshake(self.request, self.response)
        self.handshake = handshake
        events.append(handshake)
        if self.response.status != SWITCHING_PROTOCOLS:
            for side in self._sides.values():
                self._move(side, SideEvent.REFUSED)
                self.ignored_bytes[side.direction] += len(side.http)
                side.http.clear()
            return
        if handshake.deflate is not None:
            self.deflate = handshake.deflate
        for side in self._sides.values():
            waiting = bytes(side.http)
            side.http.clear()
            if side.gap_before_frames:
                self._begin_resync(side, SideEvent.GAP_BEFORE_FRAMES, side.resync_base, waiting)
                self._try_resync(side, b"", events)
                continue
            self._start_frames(side, SideEvent.ACCEPTED, side.http_consumed, resynced=False)
            if waiting:
                self._feed_frames(side, waiting, events)

    def _hixie_start(self, events: list[Event]) -> None:
        """Hand a draft-75/76 connection to hixie.HixieSession, with the bytes that followed the headers."""
        assert self.request is not None and self.response is not None
        self.hixie = HixieSession(self.protocol, self.request, self.response, self.violations)
        for side in self._sides.values():
            self._move(side, SideEvent.HIXIE)
            waiting = bytes(side.http)
            side.http.clear()
            events.extend(self.hixie.feed(side.direction, waiting))
        self.handshake = self.hixie.handshake

    def _no_handshake(self, detail: str) -> None:
        """Decode without a handshake: both directions look for frame boundaries; RSV1 may mean deflate."""
        self.violations.append(violation("handshake-missing", detail))
        if self.deflate is None:
            self.deflate = DeflateParameters()
        for side in self._sides.values():
            if side.phase is SidePhase.HTTP:  # nothing usable was parsed: search all its bytes
                self._begin_resync(side, SideEvent.NO_HANDSHAKE, 0, bytes(side.http))
            elif side.phase is SidePhase.WAITING:  # its HTTP part parsed; the held bytes follow it
                offset = side.resync_base or side.http_consumed
                self._begin_resync(side, SideEvent.NO_HANDSHAKE, offset, bytes(side.http))
            else:
                continue
            side.http.clear()

    def _gap_in_handshake(self, side: _Side, missing: int) -> None:
        self.violations.append(violation("capture-gap", f"{missing} {side.direction} bytes lost during the handshake"))
        if side.phase is SidePhase.WAITING:
            # This side's HTTP part is done, so the lost bytes were frames: once the handshake
            # completes, this side starts by resynchronising after the gap.
            self.skipped_bytes[side.direction] += len(side.http)
            side.resync_base = (side.resync_base or side.http_consumed) + len(side.http) + missing
            side.http.clear()
            side.gap_before_frames = True
            return
        seen = len(side.http)
        self.skipped_bytes[side.direction] += seen
        side.http.clear()
        self._no_handshake("bytes of the opening handshake were lost")
        self._begin_resync(side, SideEvent.GAP, seen + missing)

    # -- frames -----------------------------------------------------------------------------------

    def _start_frames(self, side: _Side, event: SideEvent, offset: int, *, resynced: bool) -> None:
        deflate = self.deflate
        inflater = None
        allowed = 0
        if deflate is not None:
            allowed = RSV1_BIT
            if side.direction is Direction.CLIENT:
                bits, fresh = deflate.client_max_window_bits, deflate.client_no_context_takeover
            else:
                bits, fresh = deflate.server_max_window_bits, deflate.server_no_context_takeover
            inflater = Inflater(bits, fresh, self.inflate_limit)
        side.parser = FrameParser(side.direction, allowed_rsv=allowed, offset=offset)
        if side.assembler is None:
            side.assembler = MessageAssembler(side.direction, inflater=inflater, resynced=resynced)
        else:
            side.assembler.resynced = resynced
        self._move(side, event)

    def _begin_resync(self, side: _Side, event: SideEvent, offset: int, held: bytes = b"") -> None:
        """Look for a frame boundary from stream offset `offset`, starting with the bytes `held`."""
        allowed = RSV1_BIT if self.deflate is not None else 0
        side.finder = FrameStartFinder(side.direction, allowed, offset=offset, held=held)
        self._move(side, event)

    def _try_resync(self, side: _Side, data: bytes, events: list[Event], *, final: bool = False) -> None:
        finder = side.finder
        assert finder is not None
        skipped = finder.skipped
        found = finder.feed(data)
        if found is None and final:
            found = finder.finish()
        self.skipped_bytes[side.direction] += finder.skipped - skipped
        if found is None:
            return
        offset, held = found
        side.finder = None
        self._start_frames(side, SideEvent.FRAME_START_FOUND, offset, resynced=True)
        self._feed_frames(side, held, events)

    def _gap_in_frames(self, side: _Side, missing: int, events: list[Event]) -> None:
        assert side.parser is not None and side.assembler is not None
        if side.swallow:
            if missing <= side.swallow:
                side.swallow -= missing  # still inside the damaged frame: sync holds
                return
            missing -= side.swallow
            side.swallow = 0
            self._lose_sync(side, missing, events)
            return
        held = side.parser.pending
        frame = side.parser.take_partial()
        if frame is None:  # not even the header is known: the frame's end is unknown
            self.skipped_bytes[side.direction] += held
            self._lose_sync(side, missing, events)
            return
        absent = frame.payload_length - len(frame.payload)  # payload bytes not yet seen, the gap included
        after = absent - missing  # payload bytes after the gap, still to come
        frame.unflag("truncated-frame")
        detail = f"{min(missing, absent)} of its {frame.payload_length} payload bytes were lost in a capture gap"
        frame.flag(violation("frame-gap", detail))
        self.violations.append(violation("capture-gap", f"{missing} {side.direction} bytes lost"))
        side.assembler.damage()
        self._on_frame(side, frame, events)
        if after >= 0:  # the gap lies inside the payload: the frame still ends where its header says
            side.parser.skip(missing + after)
            side.swallow = after
        else:
            side.parser.skip(absent)
            self._lose_sync(side, -after, events, counted=True)

    def _lose_sync(self, side: _Side, missing: int, events: list[Event], *, counted: bool = False) -> None:
        assert side.parser is not None and side.assembler is not None
        if not counted:
            self.violations.append(
                violation("capture-gap", f"{missing} {side.direction} bytes lost; frame boundaries resynchronised")
            )
        dropped = side.parser.discard()
        self.skipped_bytes[side.direction] += len(dropped)
        events.extend(side.assembler.lose_sync())
        self._begin_resync(side, SideEvent.SYNC_LOST, side.parser.stream_offset + missing)

    def _on_frame(self, side: _Side, frame: Frame, events: list[Event]) -> None:
        frame.index = self.frame_count
        self.frame_count += 1
        # Only control frames, and anything once a Close was seen, can break a cross-direction rule:
        # skip the call for the data frames that make up nearly all traffic.
        if frame.opcode & CONTROL_OPCODE_BIT or self.close.close_frame:
            self._cross_rules(side, frame)
        events.append(frame)
        assert side.assembler is not None
        side.assembler.feed(frame, events)  # appends the messages the frame completes

    def _cross_rules(self, side: _Side, frame: Frame) -> None:
        """Rules that need the other direction or earlier frames (Sections 5.5.1, 5.5.3, 7.1.2)."""
        me = side.direction
        table = self.close
        opcode = frame.opcode
        if me in table.close_frame and not opcode & CONTROL_OPCODE_BIT:  # Section 5.5.1 forbids data frames only
            frame.flag(
                violation("data-after-close", f"sent after this side's Close (frame {table.close_frame[me]})")
            )
        if opcode == Opcode.PING:
            side.pings.append((frame.index, frame.payload))
        elif opcode == Opcode.PONG:
            self._match_pong(frame, self._sides[me.peer])
        elif opcode == Opcode.CLOSE and me not in table.close_frame:
            table.close_frame[me] = frame.index
            table.code[me] = frame.close_code
            table.reason[me] = frame.close_reason
            event = CloseEvent.CLOSE_SENT if table.first_closer is None else CloseEvent.CLOSE_ANSWERED
            if table.first_closer is None:
                table.first_closer = me
            table.state = CLOSE_TRANSITIONS.get((table.state, event), table.state)
            table.history.append((frame.index, table.state))

    def _match_pong(self, pong: Frame, peer: _Side) -> None:
        if not peer.pings:
            return  # an unsolicited Pong is a heartbeat (Section 5.5.3)
        # Section 5.5.3: a peer may answer only the most recent of several Pings; match from the newest.
        for slot in range(len(peer.pings) - 1, -1, -1):
            index, data = peer.pings[slot]
            if data == pong.payload:
                self.pong_for[pong.index] = index
                del peer.pings[: slot + 1]
                return
        index, data = peer.pings[-1]
        self.pong_for[pong.index] = index
        pong.flag(
            violation("pong-mismatch", f"answers Ping frame {index} with {pong.payload!r}, not {data!r}")
        )
        peer.pings.clear()
