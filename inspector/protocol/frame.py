"""One decoded frame, and the rules a frame breaks on its own (no connection state needed).

Layout, RFC 6455 Section 5.2:

     0                   1                   2                   3
    |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
    |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
    |N|V|V|V|       |S|             |   (if payload len==126/127)   |
    |     Masking-key (0 or 4 bytes), then Payload Data ...         |
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Final

from .constants import (
    BASE_HEADER_SIZE,
    CLOSE_CODE_SIZE,
    EXT_16_SIZE,
    EXT_64_SIZE,
    FIN_BIT,
    KNOWN_OPCODES,
    LENGTH_64_MSB,
    MASK_BIT,
    MASKING_KEY_SIZE,
    MAX_7BIT_LENGTH,
    MAX_16BIT_LENGTH,
    MAX_CONTROL_PAYLOAD,
    OPCODE_MASK,
    PAYLOAD_LEN_16BIT,
    PAYLOAD_LEN_MASK,
    RSV1_BIT,
    RSV2_BIT,
    RSV3_BIT,
    RSV_BITS,
    Direction,
    Opcode,
    close_code_is_valid_on_wire,
    close_code_name,
    is_control_opcode,
)
from .masking import apply_mask
from .violations import Violation, violation

LENGTH_FORM_7: Final = 7
LENGTH_FORM_16: Final = 16
LENGTH_FORM_64: Final = 64

# first header byte -> (fin, rsv1, rsv2, rsv3, opcode): one tuple unpack instead of five bit tests per frame.
FIRST_BYTE_FIELDS: Final[tuple[tuple[bool, bool, bool, bool, int], ...]] = tuple(
    (bool(b & FIN_BIT), bool(b & RSV1_BIT), bool(b & RSV2_BIT), bool(b & RSV3_BIT), b & OPCODE_MASK)
    for b in range(256)
)


# init=False: a written-out __init__ compiles to C under mypyc (setup.py); the generated one stays
# interpreted, and a frame is built once per frame of every capture.
@dataclass(slots=True, eq=False, init=False)
class Frame:
    """A frame as it was on the wire. `payload` is unmasked and holds only the bytes present.

    Built from its header bytes: FIN, RSV1-3, the opcode and the MASK bit are read from them, so a
    frame cannot disagree with its own header. The stream parser may hand over the payload still
    masked (`unmasked=False`); it is then unmasked the first time `payload` is read, because many
    payloads never are (a binary message in a dump without payloads).

    `violations` is a tuple: a clean frame holds the empty tuple, and `flag` replaces it.
    """

    direction: Direction
    offset: int  # where the frame starts in its direction's byte stream
    fin: bool
    rsv1: bool
    rsv2: bool
    rsv3: bool
    opcode: int
    masked: bool
    length_form: int  # 7, 16 or 64: which length encoding the sender chose
    payload_length: int  # as declared by the header, which may be a lie
    masking_key: bytes | None  # None when unmasked, or when the capture cut the header before the key
    header: bytes  # the raw header bytes, 2 to 14 of them (fewer only when the capture cut the header)
    _payload: bytes  # unmasked, unless _still_masked
    _still_masked: bool
    truncated: bool
    violations: tuple[Violation, ...]
    index: int  # position among the connection's frames, both directions, set by the connection

    def __init__(
        self,
        direction: Direction,
        offset: int,
        header: bytes,
        payload: bytes,
        *,
        length_form: int,
        payload_length: int,
        masking_key: bytes | None,
        truncated: bool = False,
        index: int = -1,
        unmasked: bool = True,
    ) -> None:
        self.direction = direction
        self.offset = offset
        self.fin, self.rsv1, self.rsv2, self.rsv3, self.opcode = FIRST_BYTE_FIELDS[header[0]]
        self.masked = len(header) > 1 and header[1] & MASK_BIT != 0
        self.length_form = length_form
        self.payload_length = payload_length
        self.masking_key = masking_key
        self.header = header
        self._payload = payload
        self._still_masked = not unmasked and masking_key is not None and len(payload) > 0
        self.truncated = truncated
        self.violations = ()
        self.index = index

    @property
    def payload(self) -> bytes:
        """The payload bytes present, unmasked (Section 5.3)."""
        if self._still_masked:
            self._still_masked = False
            key = self.masking_key
            assert key is not None  # __init__ only leaves a payload masked when it has a key
            self._payload = apply_mask(self._payload, key)
        return self._payload

    @property
    def header_length(self) -> int:
        return len(self.header)

    @property
    def wire_length(self) -> int:
        """Bytes of this frame present in the stream."""
        return len(self.header) + len(self._payload)

    @property
    def end_offset(self) -> int:
        return self.offset + self.wire_length

    @property
    def masked_payload(self) -> bytes:
        """The payload exactly as it travelled (masking is its own inverse)."""
        if self.masking_key is None or self._still_masked:
            return self._payload
        return apply_mask(self._payload, self.masking_key)

    @property
    def raw(self) -> bytes:
        return self.header + self.masked_payload

    @property
    def close_code(self) -> int | None:
        if self.opcode == Opcode.CLOSE and len(self.payload) >= CLOSE_CODE_SIZE:
            return int.from_bytes(self.payload[:CLOSE_CODE_SIZE], "big")
        return None

    @property
    def close_reason(self) -> bytes:
        if self.opcode == Opcode.CLOSE and len(self.payload) > CLOSE_CODE_SIZE:
            return self.payload[CLOSE_CODE_SIZE:]
        return b""

    def has(self, code: str) -> bool:
        return any(v.code == code for v in self.violations)

    def flag(self, found: Violation) -> None:
        """Record a broken rule found after the frame was built (by the connection or message rules)."""
        self.violations = (*self.violations, found)

    def unflag(self, code: str) -> None:
        """Withdraw the violations of one code (a truncation that turned out to be a capture gap)."""
        self.violations = tuple(v for v in self.violations if v.code != code)


class FrameHeaderError(ValueError):
    """The bytes given cannot hold a frame header (fewer than the header needs)."""


def parse_header(data: bytes, pos: int = 0) -> tuple[int, int, int, int]:
    """Read the length fields of the header at `pos`: the one header reader every parser uses.

    Returns (header_length, payload_length, length_form, key_offset), where header_length counts the
    masking key and key_offset is the key's offset in the header (-1 when the MASK bit is clear). The
    key itself may still be missing from `data`. header_length is 0 when fewer bytes are present than
    the length fields need. The declared length is only read, never allocated. (A fixed tuple of ints:
    the compiled build returns it without allocating.)
    """
    available = len(data) - pos
    if available < BASE_HEADER_SIZE:
        return 0, 0, LENGTH_FORM_7, -1
    second = data[pos + 1]
    length = second & PAYLOAD_LEN_MASK
    if length <= MAX_7BIT_LENGTH:
        header_length = BASE_HEADER_SIZE
        form = LENGTH_FORM_7
    elif length == PAYLOAD_LEN_16BIT:
        header_length = BASE_HEADER_SIZE + EXT_16_SIZE
        if available < header_length:
            return 0, 0, LENGTH_FORM_16, -1
        length = (data[pos + 2] << 8) | data[pos + 3]
        form = LENGTH_FORM_16
    else:
        header_length = BASE_HEADER_SIZE + EXT_64_SIZE
        if available < header_length:
            return 0, 0, LENGTH_FORM_64, -1
        length = int.from_bytes(data[pos + BASE_HEADER_SIZE : pos + header_length], "big")
        form = LENGTH_FORM_64
    if second & MASK_BIT:
        return header_length + MASKING_KEY_SIZE, length, form, header_length
    return header_length, length, form, -1


def build_frame(
    direction: Direction,
    offset: int,
    header: bytes,
    payload_length: int,
    length_form: int,
    key_offset: int,
    masked_payload: bytes,
    truncated: bool,
    allowed_rsv: int = 0,
) -> Frame:
    """Turn header bytes plus the payload bytes present into a Frame, with its stateless violations."""
    key = header[key_offset : key_offset + 4] if key_offset >= 0 else None
    payload = apply_mask(masked_payload, key) if key is not None and masked_payload else masked_payload
    frame = Frame(direction, offset, header, payload, length_form=length_form, payload_length=payload_length,
                  masking_key=key, truncated=truncated)
    frame.violations = tuple(frame_violations(frame, allowed_rsv))
    return frame


def build_cut_header_frame(direction: Direction, offset: int, header: bytes, allowed_rsv: int = 0) -> Frame:
    """A frame whose header the capture cut short (1 to 13 bytes): what those bytes show, with the rules
    they already break. Fields not seen yet read as absent: no masking key, length 0 when unknown."""
    masked = len(header) > 1 and bool(header[1] & MASK_BIT)
    length = header[1] & PAYLOAD_LEN_MASK if len(header) > 1 else 0
    form = LENGTH_FORM_7
    read, read_length, _, _ = parse_header(header, 0)
    if length > MAX_7BIT_LENGTH:
        form = LENGTH_FORM_16 if length == PAYLOAD_LEN_16BIT else LENGTH_FORM_64
        length = read_length  # 0 while the extended length is cut
    if len(header) < BASE_HEADER_SIZE:
        unseen = "its second byte"
    elif read == 0:
        unseen = "its extended payload length"
    else:
        unseen = "the end of its masking key"
    frame = Frame(direction, offset, header, b"", length_form=form, payload_length=length, masking_key=None,
                  truncated=True)
    # Judge the rules on a stand-in whose unseen parts break none: the mask bit the direction wants, and
    # a 7-bit length when the extended one is missing.
    judged_mask = masked if len(header) > 1 else direction is Direction.CLIENT
    judged_form = form if read else LENGTH_FORM_7
    judged_header = bytes((header[0], MASK_BIT if judged_mask else 0))
    stand_in = Frame(direction, offset, judged_header, b"", length_form=judged_form, payload_length=length,
                     masking_key=None, truncated=True)
    found = [v for v in frame_violations(stand_in, allowed_rsv) if v.code != "truncated-frame"]
    if read == 0 and form != LENGTH_FORM_7 and is_control_opcode(header[0] & OPCODE_MASK):
        # The 7-bit field alone already asks for an extended length, so more than 125 bytes (RFC 6455 §5.5).
        bits = 16 if form == LENGTH_FORM_16 else 64
        found.append(violation("control-frame-too-long",
                               f"the length field announces a {bits}-bit length, more than 125 bytes"))
    cut = f"{len(header)} byte{'s' if len(header) > 1 else ''}"
    found.append(violation("truncated-frame", f"the capture ends {cut} into the frame header, before {unseen}"))
    frame.violations = tuple(found)
    return frame


@cache
def clean_header_shapes(direction: Direction, allowed_rsv: int) -> bytes:
    """For each header shape `first byte << 1 | MASK bit`: 1 when `frame_violations` finds nothing in it.

    Why: almost every captured frame is valid, and testing each rule on each frame was a large part of
    decoding. The table is made by running `frame_violations` itself on a short frame of every shape,
    so the rules stay written once. It does not cover what depends on more than the first two bytes:
    Close frames (their body is checked) are never marked clean, and the caller must still check the
    length encoding of 16- and 64-bit lengths (`length_needs_check`) and truncation.
    """
    table = bytearray(512)
    for first in range(256):
        for mask in (0, 1):
            header = bytes((first, mask << 7)) + (b"\0\0\0\0" if mask else b"")
            frame = build_frame(direction, 0, header, 0, LENGTH_FORM_7, 2 if mask else -1, b"", False, allowed_rsv)
            table[first << 1 | mask] = not frame.violations and frame.opcode != Opcode.CLOSE
    return bytes(table)


def long_length_is_clean(opcode: int, length: int, length_form: int) -> bool:
    """With a 16- or 64-bit length field: does the frame break no length rule (Sections 5.2, 5.5)?

    A control frame never does well here: 126+ bytes is too long, fewer should use 7 bits.
    """
    if is_control_opcode(opcode):
        return False
    if length_form == LENGTH_FORM_16:
        return length > MAX_7BIT_LENGTH
    return MAX_16BIT_LENGTH < length < LENGTH_64_MSB


def frame_violations(frame: Frame, allowed_rsv: int = 0) -> list[Violation]:
    """Every rule this frame breaks by itself. `allowed_rsv` holds the RSV bits an extension defines."""
    found: list[Violation] = []
    if frame.direction is Direction.CLIENT and not frame.masked:
        found.append(violation("unmasked-client-frame"))
    elif frame.direction is Direction.SERVER and frame.masked:
        found.append(violation("masked-server-frame"))

    rsv = (frame.header[0] & RSV_BITS) & ~allowed_rsv
    control = is_control_opcode(frame.opcode)
    if control:
        rsv |= frame.header[0] & RSV1_BIT  # RFC 7692 Section 6.1: control frames are never compressed
    if rsv:
        names = ", ".join(n for n, bit in (("RSV1", RSV1_BIT), ("RSV2", RSV2_BIT), ("RSV3", RSV3_BIT)) if rsv & bit)
        found.append(violation("reserved-bits", f"{names} set, but no negotiated extension defines it here"))

    if frame.opcode not in KNOWN_OPCODES:
        found.append(violation("reserved-opcode", f"opcode 0x{frame.opcode:X} is reserved"))

    if control:
        if frame.payload_length > MAX_CONTROL_PAYLOAD:
            found.append(
                violation("control-frame-too-long", f"control payload of {frame.payload_length} bytes (max 125)")
            )
        if not frame.fin:
            found.append(violation("fragmented-control-frame"))

    length = frame.payload_length
    if frame.length_form == LENGTH_FORM_16 and length <= MAX_7BIT_LENGTH:
        found.append(violation("non-minimal-length", f"{length} written in 16 bits; it fits in the 7-bit field"))
    elif frame.length_form == LENGTH_FORM_64:
        if length & LENGTH_64_MSB:
            found.append(violation("length-msb-set"))
        if length <= MAX_16BIT_LENGTH:
            found.append(violation("non-minimal-length", f"{length} written in 64 bits; it fits in fewer"))

    if frame.truncated:
        found.append(violation("truncated-frame", truncation_detail(len(frame.payload), frame.payload_length)))
    elif frame.opcode == Opcode.CLOSE:
        found.extend(close_payload_violations(frame.payload))
    return found


def truncation_detail(carried: int, claimed: int, *, captured: bool = True) -> str:
    """What a truncated-frame violation says. A capture ends; bytes crafted or pasted by hand simply
    carry fewer payload bytes than the header claims, and there is no capture to speak of."""
    if captured:
        return f"the capture ends after {carried} of {claimed} payload bytes"
    return f"the header claims {claimed} payload bytes; the frame carries {carried}"


def as_given_bytes(frame: Frame) -> Frame:
    """`frame`, decoded from bytes given by hand rather than captured: its truncation is worded so."""
    if frame.truncated:
        detail = truncation_detail(len(frame.payload), frame.payload_length, captured=False)
        frame.violations = tuple(
            violation("truncated-frame", detail) if v.code == "truncated-frame" else v for v in frame.violations
        )
    return frame


def close_payload_violations(payload: bytes) -> list[Violation]:
    """Section 5.5.1 and 7.4: an empty body, or a valid 2-byte code then UTF-8 text."""
    if not payload:
        return []
    if len(payload) == 1:
        return [violation("close-payload-one-byte")]
    found: list[Violation] = []
    code = int.from_bytes(payload[:CLOSE_CODE_SIZE], "big")
    if not close_code_is_valid_on_wire(code):
        found.append(violation("invalid-close-code", f"status code {code} ({close_code_name(code)}) must not be sent"))
    try:
        payload[CLOSE_CODE_SIZE:].decode("utf-8")
    except UnicodeDecodeError as error:
        found.append(
            violation("invalid-utf8", f"the close reason is not UTF-8 (byte {error.start + CLOSE_CODE_SIZE})")
        )
    return found


def decode_frame(
    data: bytes, direction: Direction = Direction.CLIENT, *, offset: int = 0, allowed_rsv: int = 0
) -> Frame:
    """Decode the single frame at the start of `data`; missing bytes make it a truncated frame.

    Raises FrameHeaderError when even the header is incomplete.
    """
    header_length, payload_length, form, key_offset = parse_header(data, 0)
    if header_length == 0 or len(data) < header_length:
        raise FrameHeaderError(f"{len(data)} bytes are too few for a frame header")
    end = header_length + payload_length
    body = bytes(data[header_length : min(end, len(data))])
    return build_frame(
        direction,
        offset,
        bytes(data[:header_length]),
        payload_length,
        form,
        key_offset,
        body,
        len(data) < end,
        allowed_rsv,
    )
