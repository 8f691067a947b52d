"""What the client can be told to send, as data: each step turns into wire bytes only when it is sent.

Masking keys are drawn at send time (a fresh key per frame, RFC 6455 §5.3), and compressed steps use
the connection's own compressor, so the same step list (a template, say) can be sent many times.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from inspector.protocol import encoder
from inspector.protocol.constants import Opcode
from inspector.protocol.deflate import MessageCompressor
from inspector.protocol.encoder import FrameSpec


class StepError(ValueError):
    """A step cannot be sent on this connection (compression asked for but not negotiated)."""


@dataclass(frozen=True, slots=True)
class Raw:
    """Bytes sent exactly as given: no validation, no masking."""

    data: bytes

    def wire(self, compressor: MessageCompressor | None) -> bytes:
        return self.data


@dataclass(frozen=True, slots=True)
class Frames:
    """Frames built from parts by the encoder; `masked` gives each one a fresh random key."""

    specs: tuple[FrameSpec, ...]
    masked: bool = True

    def wire(self, compressor: MessageCompressor | None) -> bytes:
        out = []
        for spec in self.specs:
            copy = dataclasses.replace(spec)
            if self.masked:
                copy.mask_bit = True
                copy.masking_key = encoder.random_key()
            out.append(encoder.encode(copy))
        return b"".join(out)


@dataclass(frozen=True, slots=True)
class Message:
    """A text or binary message, optionally fragmented into `parts` frames and optionally compressed
    with the negotiated permessage-deflate context (RFC 7692 §6). `rsv1_everywhere` sets RSV1 on the
    continuations too, which RFC 7692 §6.1 forbids (a template uses it)."""

    opcode: int
    data: bytes
    parts: int = 1
    compress: bool = False
    rsv1_everywhere: bool = False

    def wire(self, compressor: MessageCompressor | None) -> bytes:
        if self.compress:
            if compressor is None:
                raise StepError("a compressed message needs permessage-deflate; offer it with --deflate")
            specs = encoder.compressed(self.data, opcode=self.opcode, parts=self.parts, compressor=compressor)
            if self.rsv1_everywhere:
                for spec in specs:
                    spec.rsv1 = True
        else:
            specs = encoder.fragment(self.data, self.opcode, self.parts)
        return b"".join(encoder.encode(spec) for spec in specs)


def text(data: str, parts: int = 1, compress: bool = False) -> Message:
    return Message(Opcode.TEXT, data.encode("utf-8"), parts, compress)


def binary(data: bytes, parts: int = 1, compress: bool = False) -> Message:
    return Message(Opcode.BINARY, data, parts, compress)


def control(opcode: int, payload: bytes = b"") -> Frames:
    return Frames((FrameSpec(payload, opcode),))


def ping(payload: bytes = b"") -> Frames:
    return control(Opcode.PING, payload)


def pong(payload: bytes = b"") -> Frames:
    return control(Opcode.PONG, payload)


def close(code: int | None = None, reason: bytes | str = b"") -> Frames:
    return control(Opcode.CLOSE, encoder.close_payload(code, reason))


Step = Raw | Frames | Message
