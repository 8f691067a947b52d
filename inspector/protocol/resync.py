"""Finding frame boundaries in a byte stream whose start was not seen (no handshake, or after a gap).

A frame header has little redundancy, so one plausible header proves nothing. We accept an offset
when a *chain* holds up: the frame there is plausible and either ends exactly at the end of the data
or is followed by a second plausible header. "Plausible" uses only rules a real peer keeps:
the mask bit matches the direction (RFC 6455 Section 5.1), the opcode is defined (Section 5.2), no
undefined RSV bit is set, the length is written minimally, and control frames are short and final
(Section 5.5). Work is bounded: at most `max_scan` offsets, a constant number of checks each.
"""

from __future__ import annotations

from typing import Final

from .constants import (
    FIN_BIT,
    KNOWN_OPCODES,
    LENGTH_64_MSB,
    MASK_BIT,
    MAX_7BIT_LENGTH,
    MAX_16BIT_LENGTH,
    MAX_CONTROL_PAYLOAD,
    OPCODE_MASK,
    RSV1_BIT,
    RSV_BITS,
    Direction,
    Opcode,
    is_control_opcode,
)
from .frame import LENGTH_FORM_16, LENGTH_FORM_64, parse_header

# Offsets tried per call; the caller drops older bytes when nothing is found in a larger buffer.
DEFAULT_MAX_SCAN: Final = 256 * 1024


def plausible_header(data: bytes | bytearray, pos: int, direction: Direction, allowed_rsv: int) -> int | None:
    """The frame's end offset if a plausible header starts at `pos`, else None (also when incomplete)."""
    parsed = parse_header(data, pos)
    if parsed is None or pos + parsed[0] > len(data):
        return None
    header_length, payload_length, form, key_offset = parsed
    first, second = data[pos], data[pos + 1]
    if bool(second & MASK_BIT) != (direction is Direction.CLIENT):
        return None
    opcode = first & OPCODE_MASK
    if opcode not in KNOWN_OPCODES:
        return None
    rsv = first & RSV_BITS
    if rsv & ~allowed_rsv:
        return None
    if is_control_opcode(opcode):
        if rsv & RSV1_BIT or not first & FIN_BIT or payload_length > MAX_CONTROL_PAYLOAD:
            return None
        if opcode == Opcode.CLOSE and payload_length == 1:
            return None
    elif opcode == Opcode.CONTINUATION and rsv & RSV1_BIT:
        return None  # RFC 7692 Section 6.1: never on a continuation
    if form == LENGTH_FORM_16 and payload_length <= MAX_7BIT_LENGTH:
        return None
    if form == LENGTH_FORM_64 and (payload_length <= MAX_16BIT_LENGTH or payload_length & LENGTH_64_MSB):
        return None
    del key_offset
    return pos + header_length + payload_length


def find_frame_start(
    data: bytes | bytearray,
    direction: Direction,
    allowed_rsv: int = 0,
    *,
    start: int = 0,
    max_scan: int = DEFAULT_MAX_SCAN,
) -> int | None:
    """The first offset from `start` where a plausible chain of frames begins, or None.

    None means "not found yet": more data may still reveal a chain that runs past the current end.
    """
    size = len(data)
    stop = min(size, start + max_scan)
    for pos in range(start, stop):
        end = plausible_header(data, pos, direction, allowed_rsv)
        if end is None or end > size:
            continue
        if end == size:
            return pos
        if plausible_header(data, end, direction, allowed_rsv) is not None:
            return pos
    return None
