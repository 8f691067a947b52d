"""The crafter's model, without Qt: frames as the editor describes them, their wire bytes, how the
inspector's decoder reads those bytes back, and the answer a compliant server owes them.

The preview decodes the very bytes that would be sent, with the decoder that reads captures, so what
the learner sees before sending is what a capture of the send would show. A declared length shorter
than the payload makes the receiver read the rest as further frames; the preview shows those too.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from ...client import steps
from ...client.resend import spec_from_frame
from ...client.templates import ECHO, NO_STATUS, NONE, PONG, Expect, Template, close_with
from ...protocol import encoder
from ...protocol.constants import MASKING_KEY_SIZE, RSV1_BIT, Direction, Opcode, close_code_name
from ...protocol.deflate import Inflater
from ...protocol.encoder import FrameSpec
from ...protocol.frame import Frame, as_given_bytes, parse_header
from ...protocol.messages import Message, MessageAssembler
from ...protocol.stream import FrameParser
from ...protocol.violations import Violation, violation

KEY_RANDOM: Final = "random"  # a fresh key for every send (RFC 6455 §5.3)
KEY_FIXED: Final = "fixed"  # the same key every time, as typed
KEY_NONE: Final = "none"  # no key written after the length
KEY_MODES: Final = (KEY_RANDOM, KEY_FIXED, KEY_NONE)
RFC_SAMPLE_KEY: Final = bytes.fromhex("37fa213d")  # the key of the RFC 6455 §5.7 examples


@dataclass(frozen=True, slots=True)
class KeyChoice:
    """Which masking key a frame gets when it is sent."""

    mode: str = KEY_RANDOM
    fixed: bytes = RFC_SAMPLE_KEY

    def __post_init__(self) -> None:
        if self.mode not in KEY_MODES:
            raise ValueError(f"a key mode is one of {', '.join(KEY_MODES)}, not {self.mode!r}")
        if len(self.fixed) != MASKING_KEY_SIZE:
            raise ValueError(f"a masking key is {MASKING_KEY_SIZE} bytes (8 hex digits), got {len(self.fixed)}")

    def key_for_send(self, preview_key: bytes | None) -> bytes | None:
        """The key to write when sending: a fresh one for "random", else the one the preview showed."""
        if self.mode == KEY_RANDOM:
            return encoder.random_key()
        return preview_key


def wire_for_send(specs: Sequence[FrameSpec], choice: KeyChoice) -> bytes:
    """The bytes to send for `specs`: a fresh masking key per frame when the choice is random."""
    out = []
    for spec in specs:
        key = choice.key_for_send(spec.masking_key) if spec.masking_key is not None else None
        out.append(encoder.encode(dataclasses.replace(spec, masking_key=key)))
    return b"".join(out)


@dataclass(slots=True)
class Analysis:
    """How the receiver reads a crafted byte string: its frames, messages and broken rules."""

    wire: bytes = b""
    frames: list[Frame] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    violations: list[tuple[int, Violation]] = field(default_factory=list)  # (1-based frame number, rule)
    expect: Expect | None = None
    error: str = ""  # the parts cannot be written at all (a length that does not fit its form, ...)

    def codes(self) -> list[str]:
        return [found.code for _, found in self.violations]


def analyse_specs(specs: Sequence[FrameSpec], *, deflate: bool = False) -> Analysis:
    """Encode `specs` one after another and read the bytes back as a client's frames."""
    try:
        wire = b"".join(encoder.encode(spec) for spec in specs)
    except ValueError as error:
        return Analysis(error=str(error))
    return analyse_wire(wire, deflate=deflate)


def analyse_wire(wire: bytes, *, deflate: bool = False) -> Analysis:
    """Read `wire` as everything a client sent: frames, then messages, each rule named once."""
    allowed = RSV1_BIT if deflate else 0
    parser = FrameParser(Direction.CLIENT, allowed_rsv=allowed)
    frames = [*parser.feed(wire), *parser.finish()]
    assembler = MessageAssembler(Direction.CLIENT, inflater=Inflater() if deflate else None)
    messages: list[Message] = []
    for index, frame in enumerate(frames):
        frame.index = index
        _word_truncation(frame)
        assembler.feed(frame, messages)
    found = [(frame.index + 1, v) for frame in frames for v in frame.violations]
    for message in messages:
        found += [(message.frame_indices[-1] + 1, v) for v in message.violations]
    found.sort(key=lambda item: item[0])
    return Analysis(wire, frames, messages, found, expected_answer(frames, messages, found))


def _word_truncation(frame: Frame) -> None:
    """Crafted bytes are not a capture: say that the frame carries fewer bytes than it claims."""
    header_length = parse_header(frame.header)[0]
    if 0 < header_length <= len(frame.header):
        as_given_bytes(frame)
        return
    detail = (f"the frame ends inside its own {header_length}-byte header" if header_length
              else f"the frame ends after {len(frame.header)} byte(s), inside its own header")
    frame.violations = tuple(violation("truncated-frame", detail) if v.code == "truncated-frame" else v
                             for v in frame.violations)


def expected_answer(frames: Sequence[Frame], messages: Sequence[Message],
                    violations: Sequence[tuple[int, Violation]]) -> Expect:
    """What a compliant echo server does with these frames: fail the connection at the first rule with a
    close code (RFC 6455 §7.1.7), wait for bytes a frame still owes, answer a Close, echo, or pong."""
    failing = next((v.close_code for _, v in violations if v.close_code is not None), None)
    if failing is not None:
        return close_with(failing)
    if any(frame.truncated for frame in frames):
        return Expect(NONE)  # the server waits for the rest of the frame
    close = next((frame for frame in frames if frame.opcode == Opcode.CLOSE), None)
    if close is not None:
        return close_with(close.close_code if close.close_code is not None else NO_STATUS)
    if any(message.complete for message in messages):
        return Expect(ECHO)
    if any(frame.opcode == Opcode.PING for frame in frames):
        return Expect(PONG)
    return Expect(NONE)


# Expect.describe's words for a reply, here again so the window can translate them (the client stays English).
REPLY_WORDS: Final = {
    ECHO: QT_TRANSLATE_NOOP("Expect", "the same message echoed"),
    PONG: QT_TRANSLATE_NOOP("Expect", "a Pong with the Ping's data"),
    NONE: QT_TRANSLATE_NOOP("Expect", "no reply"),
}


def describe_expect(expect: Expect | None) -> str:
    """The expected answer in one sentence, with the close code's registered name, in the window's language."""
    if expect is None:
        return ""
    if expect.close_code is not None:
        return f"Close {expect.close_code} ({close_code_name(expect.close_code)})"
    return QCoreApplication.translate("Expect", REPLY_WORDS[expect.reply or NONE])


# ---- fragmentation (RFC 6455 §5.4)

def split_at(data: bytes, offsets: Sequence[int]) -> list[bytes]:
    """`data` cut at the given byte offsets (strictly increasing, inside 1..len-1)."""
    previous = 0
    pieces = []
    for offset in offsets:
        if not previous < offset < len(data):
            raise ValueError(f"offset {offset} is not between {previous + 1} and {len(data) - 1}")
        pieces.append(data[previous:offset])
        previous = offset
    pieces.append(data[previous:])
    return pieces


def parse_offsets(text: str) -> list[int]:
    """"3, 7 12" -> [3, 7, 12]."""
    words = text.replace(",", " ").split()
    try:
        return [int(word) for word in words]
    except ValueError:
        raise ValueError(f"offsets are whole numbers separated by commas, not {text!r}") from None


def fragment_specs(message: FrameSpec, pieces: Sequence[bytes], control: FrameSpec | None = None,
                   control_after: int = 1) -> list[FrameSpec]:
    """`message` sent as one frame per piece: its opcode and RSV bits on the first, continuations after,
    FIN on the last only; every frame keeps its MASK bit and key. `control` goes after frame
    `control_after` (1-based), between two fragments, which RFC 6455 §5.4 allows."""
    specs = []
    for number, piece in enumerate(pieces):
        first = number == 0
        specs.append(FrameSpec(
            piece, message.opcode if first else Opcode.CONTINUATION, number == len(pieces) - 1,
            message.rsv1 and first, message.rsv2 and first, message.rsv3 and first,
            message.mask_bit, message.masking_key,
        ))
    if control is not None:
        specs.insert(max(1, min(control_after, len(specs))), control)
    return specs


def even_pieces(data: bytes, parts: int) -> list[bytes]:
    """`data` in `parts` pieces whose sizes differ by at most one byte (the encoder's split)."""
    return [spec.payload for spec in encoder.fragment(data, Opcode.BINARY, parts, mask=False)]


# ---- frames from elsewhere: a template's steps, a frame of a session

def template_specs(template: Template) -> list[FrameSpec]:
    """The frames a template sends, each masked with a fresh key (raw steps decoded back into their parts).
    A compressed message is compressed with a fresh context, as the first message of a connection is."""
    specs: list[FrameSpec] = []
    for step in template.steps:
        if isinstance(step, steps.Frames):
            specs += [dataclasses.replace(spec, mask_bit=step.masked or spec.mask_bit,
                                          masking_key=encoder.random_key() if step.masked else spec.masking_key)
                      for spec in step.specs]
        elif isinstance(step, steps.Message):
            made = (encoder.compressed(step.data, opcode=step.opcode, parts=step.parts) if step.compress
                    else encoder.fragment(step.data, step.opcode, step.parts))
            if step.rsv1_everywhere:
                made = [dataclasses.replace(spec, rsv1=True) for spec in made]
            specs += made
        else:
            specs += [spec_from_frame(frame) for frame in analyse_wire(step.data).frames]
    return specs
