"""Build any frame, RFC-abiding or not, from independent parts.

Every header element of RFC 6455 §5.2 is set on its own: the MASK bit and the presence of a
masking key are separate (so a learner can write MASK = 1 with no key, or a key with MASK = 0),
and the declared length can lie about the payload. `spec_violations` names the rules a crafted
frame breaks by decoding the bytes with the same decoder the inspector uses for captures, so the
rules live in one place (frame.py).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from .constants import (
    CLOSE_CODE_SIZE,
    FIN_BIT,
    MASK_BIT,
    MASKING_KEY_SIZE,
    MAX_7BIT_LENGTH,
    MAX_16BIT_LENGTH,
    OPCODE_MASK,
    PAYLOAD_LEN_16BIT,
    PAYLOAD_LEN_64BIT,
    RSV1_BIT,
    RSV2_BIT,
    RSV3_BIT,
    Direction,
    Opcode,
)
from .deflate import Inflater, MessageCompressor
from .frame import (
    LENGTH_FORM_7,
    LENGTH_FORM_16,
    LENGTH_FORM_64,
    Frame,
    FrameHeaderError,
    as_given_bytes,
    decode_frame,
    parse_header,
)
from .masking import apply_mask
from .messages import MessageAssembler
from .violations import Violation, violation

MAX_64BIT_LENGTH = 2**64 - 1  # RFC 6455 §5.2: the widest value the 8-byte field can hold (MSB set is a lie we allow)
LENGTH_FORMS = (LENGTH_FORM_7, LENGTH_FORM_16, LENGTH_FORM_64)
MAX_OPCODE = OPCODE_MASK


@dataclass(slots=True)
class FrameSpec:
    """One frame's parts, each independent of the others."""

    payload: bytes = b""
    opcode: int = Opcode.TEXT
    fin: bool = True
    rsv1: bool = False
    rsv2: bool = False
    rsv3: bool = False
    mask_bit: bool = False  # the MASK bit as written
    masking_key: bytes | None = None  # written after the length when not None; masks the payload
    length_form: int | None = None  # None: the shortest form for the declared length; else 7, 16 or 64
    length: int | None = None  # None: the true payload length; else the (possibly false) declared length

    @property
    def declared_length(self) -> int:
        return len(self.payload) if self.length is None else self.length


def minimal_length_form(length: int) -> int:
    """RFC 6455 §5.2: the shortest length encoding that holds `length`."""
    if length <= MAX_7BIT_LENGTH:
        return LENGTH_FORM_7
    if length <= MAX_16BIT_LENGTH:
        return LENGTH_FORM_16
    return LENGTH_FORM_64


def _check(spec: FrameSpec) -> int:
    """Validate what cannot be written at all (as opposed to what breaks the RFC); return the form."""
    if not 0 <= spec.opcode <= MAX_OPCODE:
        raise ValueError(f"the opcode is 4 bits (0-15), got {spec.opcode}")
    if spec.masking_key is not None and len(spec.masking_key) != MASKING_KEY_SIZE:
        raise ValueError(f"a masking key is {MASKING_KEY_SIZE} bytes, got {len(spec.masking_key)}")
    length = spec.declared_length
    if not 0 <= length <= MAX_64BIT_LENGTH:
        raise ValueError(f"a length must be 0..2^64-1, got {length}")
    form = minimal_length_form(length) if spec.length_form is None else spec.length_form
    if form not in LENGTH_FORMS:
        raise ValueError(f"the length form is 7, 16 or 64 bits, got {form}")
    if form == LENGTH_FORM_7 and length > MAX_7BIT_LENGTH:
        raise ValueError(f"{length} does not fit the 7-bit length (max 125)")
    if form == LENGTH_FORM_16 and length > MAX_16BIT_LENGTH:
        raise ValueError(f"{length} does not fit the 16-bit length (max 65535)")
    return form


def encode_header(spec: FrameSpec) -> bytes:
    form = _check(spec)
    first = spec.opcode
    if spec.fin:
        first |= FIN_BIT
    if spec.rsv1:
        first |= RSV1_BIT
    if spec.rsv2:
        first |= RSV2_BIT
    if spec.rsv3:
        first |= RSV3_BIT
    mask = MASK_BIT if spec.mask_bit else 0
    length = spec.declared_length
    if form == LENGTH_FORM_7:
        header = bytes((first, mask | length))
    elif form == LENGTH_FORM_16:
        header = bytes((first, mask | PAYLOAD_LEN_16BIT)) + length.to_bytes(2, "big")
    else:
        header = bytes((first, mask | PAYLOAD_LEN_64BIT)) + length.to_bytes(8, "big")
    if spec.masking_key is not None:
        header += spec.masking_key
    return header


def encode(spec: FrameSpec) -> bytes:
    """The frame's wire bytes: header, then the payload masked with the key when there is one."""
    header = encode_header(spec)
    payload = spec.payload
    if spec.masking_key is not None:
        payload = apply_mask(payload, spec.masking_key)
    return header + payload


def spec_violations(spec: FrameSpec, direction: Direction, *, allowed_rsv: int = 0) -> list[Violation]:
    """The rules the encoded frame breaks when sent by `direction`, as the inspector's decoder sees them."""
    data = encode(spec)
    try:
        frame = as_given_bytes(decode_frame(data, direction, allowed_rsv=allowed_rsv))
    except FrameHeaderError:
        pass
    else:
        return [*frame.violations, *_whole_message_violations(frame, direction, allowed_rsv)]
    # MASK = 1 with no key written and under 4 payload bytes: the frame ends inside its own header.
    # Decode it as if the missing header bytes were there, so the header's own rules are still named.
    header_length = parse_header(data)[0]
    assert header_length  # encode always writes the whole length field
    padded = data + bytes(header_length - len(data))
    found = [v for v in decode_frame(padded, direction, allowed_rsv=allowed_rsv).violations
             if v.code != "truncated-frame"]
    return [*found, violation("truncated-frame", f"the frame ends inside its own {header_length}-byte header")]


def _whole_message_violations(frame: Frame, direction: Direction, allowed_rsv: int) -> list[Violation]:
    """A data frame with FIN set is a whole message: its text must be UTF-8 (§5.6) and, compressed,
    it must inflate (RFC 7692 §6.2). A fragment is left alone, as its message may end well elsewhere."""
    if not frame.fin or frame.truncated or frame.opcode not in (Opcode.TEXT, Opcode.BINARY):
        return []
    frame.index = 0  # the message's first and only frame
    inflater = Inflater() if allowed_rsv & RSV1_BIT else None
    messages = MessageAssembler(direction, inflater=inflater).feed(frame)
    return [found for message in messages for found in message.violations]


def random_key() -> bytes:
    """A fresh masking key from a strong source, as RFC 6455 §5.3 requires (unpredictable per frame)."""
    return os.urandom(MASKING_KEY_SIZE)


MaskChoice = bool | bytes  # True: a random key; bytes: that key; False: unmasked


def _masked(spec: FrameSpec, mask: MaskChoice) -> FrameSpec:
    if mask is False:
        return spec
    spec.masking_key = random_key() if mask is True else bytes(mask)
    spec.mask_bit = True
    return spec


def text(data: str, *, mask: MaskChoice = True, fin: bool = True) -> FrameSpec:
    return _masked(FrameSpec(data.encode("utf-8"), Opcode.TEXT, fin), mask)


def binary(data: bytes, *, mask: MaskChoice = True, fin: bool = True) -> FrameSpec:
    return _masked(FrameSpec(bytes(data), Opcode.BINARY, fin), mask)


def close_payload(code: int | None = None, reason: str | bytes = b"") -> bytes:
    """RFC 6455 §5.5.1: an empty body, or a 2-byte big-endian code then the reason."""
    if code is None:
        return b""
    raw = reason.encode("utf-8") if isinstance(reason, str) else bytes(reason)
    return code.to_bytes(CLOSE_CODE_SIZE, "big") + raw


def close(code: int | None = None, reason: str | bytes = b"", *, mask: MaskChoice = True) -> FrameSpec:
    return _masked(FrameSpec(close_payload(code, reason), Opcode.CLOSE), mask)


def ping(data: bytes = b"", *, mask: MaskChoice = True) -> FrameSpec:
    return _masked(FrameSpec(bytes(data), Opcode.PING), mask)


def pong(data: bytes = b"", *, mask: MaskChoice = True) -> FrameSpec:
    return _masked(FrameSpec(bytes(data), Opcode.PONG), mask)


def fragment(data: bytes, opcode: int, parts: int, mask: MaskChoice = True) -> list[FrameSpec]:
    """Split one message into `parts` frames (RFC 6455 §5.4): the opcode on the first, continuations after,
    FIN only on the last. Sizes differ by at most one byte; a part may be empty when data is short."""
    if parts < 1:
        raise ValueError("a message has at least one frame")
    size, extra = divmod(len(data), parts)
    specs: list[FrameSpec] = []
    pos = 0
    for i in range(parts):
        end = pos + size + (1 if i < extra else 0)
        frame_opcode = opcode if i == 0 else Opcode.CONTINUATION
        specs.append(_masked(FrameSpec(bytes(data[pos:end]), frame_opcode, i == parts - 1), mask))
        pos = end
    return specs


def compressed(
    data: bytes | str,
    *,
    opcode: int = Opcode.TEXT,
    mask: MaskChoice = True,
    parts: int = 1,
    compressor: MessageCompressor | None = None,
) -> list[FrameSpec]:
    """A permessage-deflate message (RFC 7692 §6): compress the whole message, then fragment it;
    RSV1 goes on the first frame only. Pass a `deflate.MessageCompressor` to keep context across calls."""
    engine = compressor if compressor is not None else MessageCompressor(window_bits=15, no_context_takeover=False)
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    specs = fragment(engine.compress(raw), opcode, parts, mask)
    specs[0].rsv1 = True
    return specs
