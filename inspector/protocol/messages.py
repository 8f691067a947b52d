"""Reassembling data frames into messages, one direction at a time (RFC 6455 Section 5.4, RFC 7692).

Theory of operation
-------------------
A message is a Text or Binary frame followed by zero or more Continuation frames, the last one with
FIN = 1. Control frames may sit between the fragments (Section 5.4) and are not part of the message;
they are simply passed over here. The assembler holds each fragment's payload once (a list of
references) and joins them once, when the message completes.

Text is validated as it arrives with an incremental UTF-8 decoder, so the first bad fragment is
known (Section 8.1 allows failing fast). A compressed message (RSV1 on its first frame, RFC 7692)
can only be validated after inflation, which happens on its last frame.

Fragmentation mistakes are frame-scope violations appended to the offending frame; UTF-8 and
inflation problems are message-scope violations. A message may never end (the capture stops, the
sender starts another one), so a bad byte or a failed inflate found in a frame that does not end its
message is also flagged on that frame at once; each fragment of a compressed message is inflated on
arrival for that (`deflate.InflateProbe`). A message that ends incomplete still reports what its
bytes showed. But a damaged message (a capture gap, a truncated frame) is not held to the rules
past the damage: the capture lost bytes, the peer did not necessarily break a rule.
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

from .constants import Direction, Opcode
from .deflate import InflateProbe, Inflater
from .frame import Frame
from .violations import Violation, violation

# Plain ints, as the compiled build stores them: a Message's opcode is an int in both builds.
_TEXT: Final = int(Opcode.TEXT)
_BINARY: Final = int(Opcode.BINARY)
_CONTINUATION: Final = int(Opcode.CONTINUATION)


@dataclass(slots=True, eq=False, init=False)  # init=False: see Frame
class Message:
    """A data message. `opcode` is its first frame's (1 or 2; 0 when the first frame was not captured)."""

    direction: Direction
    opcode: int
    frame_indices: list[int]
    compressed: bool
    _data: bytes  # reassembled, then inflated when compressed (see `data`)
    _data_frame: Frame | None  # the one frame whose payload is the data, until `data` is first read
    text: str | None  # text messages only; invalid bytes replaced by U+FFFD
    complete: bool
    violations: tuple[Violation, ...]  # the empty tuple when clean; `flag` replaces it

    def __init__(
        self,
        direction: Direction,
        opcode: int,
        frame_indices: list[int],
        compressed: bool,
        data: bytes,
        text: str | None,
        complete: bool,
        violations: Sequence[Violation] = (),
        data_frame: Frame | None = None,
    ) -> None:
        self.direction = direction
        self.opcode = opcode
        self.frame_indices = frame_indices
        self.compressed = compressed
        self._data = data
        self._data_frame = data_frame
        self.text = text
        self.complete = complete
        self.violations = tuple(violations)

    @property
    def data(self) -> bytes:
        """The message's bytes. A one-frame binary message takes its frame's payload only when asked,
        so a payload nobody reads is never unmasked (Frame.payload)."""
        frame = self._data_frame
        if frame is not None:
            self._data = frame.payload
            self._data_frame = None
        return self._data

    @property
    def is_text(self) -> bool:
        return self.opcode == Opcode.TEXT

    def has(self, code: str) -> bool:
        return any(v.code == code for v in self.violations)

    def flag(self, found: Violation) -> None:
        """Record a broken rule found after the message was built."""
        self.violations = (*self.violations, found)


class _Pending:
    """The message being assembled."""

    __slots__ = (
        "compressed",
        "damaged",
        "decoder",
        "frame_indices",
        "frame_starts",
        "inflate_error",
        "opcode",
        "parts",
        "probe",
        "probe_decoder",
        "probe_size",
        "size",
        "text_parts",
        "utf8_error",
    )

    def __init__(self, opcode: int, compressed: bool, damaged: bool) -> None:
        self.opcode = opcode
        self.compressed = compressed
        self.damaged = damaged
        self.frame_indices: list[int] = []
        self.frame_starts: list[int] = []  # offset of each fragment in the reassembled (not inflated) data
        self.parts: list[bytes] = []
        self.size = 0
        self.text_parts: list[str] = []
        self.utf8_error: Violation | None = None
        validate = opcode == Opcode.TEXT and not compressed and not damaged
        self.decoder = codecs.getincrementaldecoder("utf-8")("strict") if validate else None
        # A compressed message's fragments inflated as they arrive (see the module docstring).
        self.probe: InflateProbe | None = None
        self.probe_decoder: codecs.IncrementalDecoder | None = None
        self.probe_size = 0  # inflated bytes the probe produced
        self.inflate_error: Violation | None = None

    def add(self, frame: Frame) -> None:
        self.frame_indices.append(frame.index)
        self.frame_starts.append(self.size)
        self.parts.append(frame.payload)
        if self.decoder is not None and self.utf8_error is None:
            found = self._validate(frame.payload)
            if found is not None and not frame.fin:
                frame.flag(found)  # the message may never end: say it on this frame now
        self.size += len(frame.payload)
        if self.probe is not None and not frame.fin:
            self._probe(frame)
        if frame.truncated:
            self.damaged = True

    def _probe(self, frame: Frame) -> None:
        probe = self.probe
        assert probe is not None
        piece = probe.feed(frame.payload)
        if probe.error is not None:
            self.inflate_error = violation("decompression-failed", f"inflating failed in frame {frame.index}: "
                                                                    f"{probe.error}")
            frame.flag(self.inflate_error)
        if piece is None:
            self.probe = None
            return
        decoder = self.probe_decoder
        if decoder is not None and self.utf8_error is None:
            held = len(decoder.getstate()[0])
            try:
                decoder.decode(piece)
            except UnicodeDecodeError as error:
                where = self.probe_size - held + error.start
                self.utf8_error = violation(
                    "invalid-utf8", f"invalid UTF-8 at byte {where} of the inflated message (frame {frame.index})"
                )
                frame.flag(self.utf8_error)
        self.probe_size += len(piece)

    def _validate(self, payload: bytes) -> Violation | None:
        """Check the next fragment; returns the violation it reveals (also kept in utf8_error), if any."""
        decoder = self.decoder
        assert decoder is not None
        held = len(decoder.getstate()[0])  # bytes of an unfinished character carried from the last fragment
        try:
            self.text_parts.append(decoder.decode(payload))
        except UnicodeDecodeError as error:
            found = self.utf8_error = self._utf8_violation(self.size - held + error.start)
            return found
        return None

    def _utf8_violation(self, offset: int, tail: bool = False) -> Violation:
        """Name the frame (and the byte in it) where the first bad UTF-8 sequence starts."""
        slot = 0
        for number, start in enumerate(self.frame_starts):
            if start <= offset:
                slot = number
        index = self.frame_indices[slot]
        where = f"frame {index}, byte {offset - self.frame_starts[slot]} of its payload (message byte {offset})"
        if tail:
            return violation("invalid-utf8", f"the text ends inside a UTF-8 sequence that starts at {where}")
        return violation("invalid-utf8", f"invalid UTF-8 starting at {where}")

    def data(self) -> bytes:
        return self.parts[0] if len(self.parts) == 1 else b"".join(self.parts)


class MessageAssembler:
    """Fed one direction's frames in order; returns each data message when its last frame arrives.

    `inflater` is given when permessage-deflate is in force for this direction (RSV1 then means
    "compressed"). `resynced` says the stream was picked up mid-way: a leading continuation then
    starts a partial message instead of being a violation.
    """

    def __init__(self, direction: Direction, *, inflater: Inflater | None = None, resynced: bool = False) -> None:
        self.direction = direction
        self.inflater = inflater
        self.resynced = resynced
        # With context takeover, a message may refer back into bytes we never saw (before the capture
        # started, or in a gap). Inflation failures are then our blind spot, not the peer's fault.
        self.window_unknown = resynced and inflater is not None
        self._open: _Pending | None = None

    @property
    def open(self) -> bool:
        """Is a fragmented message waiting for its continuation frames?"""
        return self._open is not None

    def feed(self, frame: Frame, out: list[Any] | None = None) -> list[Message]:
        """Take the next frame; returns the messages it completes (0, 1, or 2 when it cut one short).

        With `out`, they are appended to it and `out` is returned: a caller collecting events saves a
        list per message (`out` may hold other events too, hence list[Any]).
        """
        if out is None:
            out = []
        opcode = frame.opcode
        if opcode in (_TEXT, _BINARY):
            if self._open is None and frame.fin and not frame.truncated:
                if frame.rsv1 and self.inflater is not None:
                    out.append(self._whole_compressed(frame))
                else:
                    message = self._whole(frame)
                    if message is not None:
                        out.append(message)
                    else:
                        out.extend(self._start(frame))
                return out
            out.extend(self._start(frame))
        elif opcode == Opcode.CONTINUATION:
            out.extend(self._continue(frame))
        return out  # control frames stay frames; reserved opcodes are flagged by the frame rules

    def _whole(self, frame: Frame) -> Message | None:
        """Fast path for a message that is one complete, uncompressed frame (most messages are).

        It gives what `_start` would, without the incremental machinery; for invalid UTF-8 it gives
        None, and the general way names the offending byte.
        """
        if frame.opcode != _TEXT:
            self.resynced = False
            return Message(self.direction, frame.opcode, [frame.index], False, b"", None, True, (), frame)
        payload = frame.payload
        try:
            text = payload.decode("utf-8")
        except UnicodeDecodeError:
            return None
        self.resynced = False
        return Message(self.direction, frame.opcode, [frame.index], False, payload, text, True)

    def _whole_compressed(self, frame: Frame) -> Message:
        """Fast path for a compressed message that is one complete frame (with permessage-deflate most
        messages are): what `_start`, `_add` and `_close` give, without building a _Pending."""
        self.resynced = False
        found: list[Violation] = []
        data, window_missing = self._inflate_parts([frame.payload], True, found)
        text = None
        if frame.opcode == _TEXT:
            text = data.decode("utf-8", "replace") if window_missing else _check_whole(data, found)
        return Message(self.direction, frame.opcode, [frame.index], True, data, text, not window_missing, found)

    def _start(self, frame: Frame) -> list[Message]:
        done: list[Message] = []
        self.resynced = False
        if self._open is not None:
            frame.flag(
                violation(
                    "expected-continuation",
                    f"a new {'text' if frame.opcode == Opcode.TEXT else 'binary'} frame arrived while the message "
                    f"started by frame {self._open.frame_indices[0]} was still open",
                )
            )
            done.append(self._close(self._open, complete=False))
        compressed = self.inflater is not None and frame.rsv1
        pending = self._open = _Pending(frame.opcode, compressed, damaged=False)
        if compressed and not frame.fin and not self.window_unknown:
            assert self.inflater is not None
            pending.probe = self.inflater.probe()
            if frame.opcode == _TEXT:
                pending.probe_decoder = codecs.getincrementaldecoder("utf-8")("strict")
        return done + self._add(frame)

    def _continue(self, frame: Frame) -> list[Message]:
        if self._open is None:
            if not self.resynced:
                frame.flag(violation("unexpected-continuation"))
                return []
            # The capture starts mid-message: keep what we have as a partial message of unknown type.
            self._open = _Pending(_CONTINUATION, compressed=False, damaged=True)
        if frame.rsv1 and self.inflater is not None:
            frame.flag(violation("rsv1-on-continuation"))
        return self._add(frame)

    def _add(self, frame: Frame) -> list[Message]:
        pending = self._open
        assert pending is not None
        pending.add(frame)
        if frame.fin:
            self._open = None
            return [self._close(pending, complete=not pending.damaged)]
        return []

    def damage(self) -> None:
        """Bytes of the open message were lost (a capture gap): it will end incomplete."""
        if self._open is not None:
            self._open.damaged = True
            self._open.decoder = None
            self._open.probe = None
        if self.inflater is not None:
            self.inflater.reset()
            self.window_unknown = True

    def lose_sync(self) -> list[Message]:
        """Frame boundaries were lost: end the open message as incomplete and accept a leading continuation."""
        done = self.finish()
        self.resynced = True
        if self.inflater is not None:
            self.inflater.reset()
            self.window_unknown = True
        return done

    def finish(self) -> list[Message]:
        """The stream ended: the open message, if any, as incomplete."""
        if self._open is None:
            return []
        pending, self._open = self._open, None
        return [self._close(pending, complete=False)]

    def _close(self, pending: _Pending, *, complete: bool) -> Message:
        found: list[Violation] = []
        data = pending.data()
        text: str | None = None
        if pending.compressed:
            data = self._inflate(pending, complete, found)
        if pending.opcode == Opcode.TEXT:
            text = self._text(pending, data, complete, found)
        return Message(
            self.direction,
            pending.opcode,
            pending.frame_indices,
            pending.compressed,
            data,
            text,
            complete and not pending.damaged,
            found,
        )

    def _inflate(self, pending: _Pending, complete: bool, found: list[Violation]) -> bytes:
        whole = complete and not pending.damaged
        if not whole and pending.inflate_error is not None:  # found by the probe in the bytes we have
            found.append(pending.inflate_error)
        data, window_missing = self._inflate_parts(pending.parts, whole, found)
        if window_missing:
            pending.damaged = True  # its text is not the sender's, so it is neither checked nor complete
        return data

    def _inflate_parts(self, parts: list[bytes], whole: bool, found: list[Violation]) -> tuple[bytes, bool]:
        """Inflate a message's payloads; `whole` when none of its bytes were lost. Returns the data and
        whether inflating failed for want of the window from before the capture (or a gap)."""
        assert self.inflater is not None
        result = self.inflater.inflate(parts)
        if not whole:
            self.inflater.reset()  # the window no longer matches the sender's
            return result.data, False
        if result.limit_exceeded:
            found.append(
                violation(
                    "inflate-limit-exceeded",
                    f"the message inflates to more than {self.inflater.limit} bytes; stopped there",
                )
            )
        elif result.error is not None and self.window_unknown:
            found.append(violation("inflate-window-missing", f"inflating failed: {result.error}"))
            self.inflater.reset()
            return result.data, True
        elif result.error is not None:
            found.append(violation("decompression-failed", f"inflating failed: {result.error}"))
        return result.data, False

    def _text(self, pending: _Pending, data: bytes, complete: bool, found: list[Violation]) -> str:
        if not complete or pending.damaged:
            if pending.utf8_error is not None:  # a bad byte the capture did show is the sender's
                found.append(pending.utf8_error)
            return data.decode("utf-8", "replace")
        if pending.compressed:
            return _check_whole(data, found)
        decoder = pending.decoder
        if pending.utf8_error is None and decoder is not None:
            held = len(decoder.getstate()[0])
            try:
                pending.text_parts.append(decoder.decode(b"", final=True))
            except UnicodeDecodeError:
                pending.utf8_error = pending._utf8_violation(pending.size - held, tail=True)
        if pending.utf8_error is not None:
            found.append(pending.utf8_error)
            return data.decode("utf-8", "replace")
        return "".join(pending.text_parts)


def _check_whole(data: bytes, found: list[Violation]) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        found.append(violation("invalid-utf8", f"invalid UTF-8 at byte {error.start} of the inflated message"))
        return data.decode("utf-8", "replace")
