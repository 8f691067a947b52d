"""Numbers fixed by RFC 6455 and RFC 7692, each tagged with the section that sets it."""

from __future__ import annotations

from enum import IntEnum, StrEnum
from typing import Final


class Direction(StrEnum):
    """Who sent the bytes. The RFC's masking rule (Section 5.1) depends on it."""

    CLIENT = "client"
    SERVER = "server"

    @property
    def peer(self) -> Direction:
        return Direction.SERVER if self is Direction.CLIENT else Direction.CLIENT


# RFC 6455, Section 5.2: the first header byte.
FIN_BIT: Final = 0x80
RSV1_BIT: Final = 0x40
RSV2_BIT: Final = 0x20
RSV3_BIT: Final = 0x10
RSV_BITS: Final = RSV1_BIT | RSV2_BIT | RSV3_BIT
OPCODE_MASK: Final = 0x0F

# RFC 6455, Section 5.2: the second header byte.
MASK_BIT: Final = 0x80
PAYLOAD_LEN_MASK: Final = 0x7F

# RFC 6455, Section 5.2: the 7-bit length field's escape values.
PAYLOAD_LEN_16BIT: Final = 126
PAYLOAD_LEN_64BIT: Final = 127
MAX_7BIT_LENGTH: Final = 125
MAX_16BIT_LENGTH: Final = 0xFFFF
LENGTH_64_MSB: Final = 1 << 63

# RFC 6455, Section 5.2: sizes in bytes.
BASE_HEADER_SIZE: Final = 2
EXT_16_SIZE: Final = 2
EXT_64_SIZE: Final = 8
MASKING_KEY_SIZE: Final = 4
MAX_HEADER_SIZE: Final = BASE_HEADER_SIZE + EXT_64_SIZE + MASKING_KEY_SIZE

# RFC 6455, Section 5.5: control frames carry at most 125 payload bytes.
MAX_CONTROL_PAYLOAD: Final = 125

# RFC 6455, Section 1.3: appended to Sec-WebSocket-Key before hashing.
WEBSOCKET_GUID: Final = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"

# RFC 6455, Section 4.1: the only version this RFC defines.
WEBSOCKET_VERSION: Final = "13"

# RFC 6455, Section 4.1: the nonce is 16 random bytes before base64.
KEY_NONCE_SIZE: Final = 16


class Opcode(IntEnum):
    """RFC 6455, Section 5.2 (and the IANA registry of Section 11.8)."""

    CONTINUATION = 0x0
    TEXT = 0x1
    BINARY = 0x2
    CLOSE = 0x8
    PING = 0x9
    PONG = 0xA


# RFC 6455, Section 5.5: control opcodes have the high bit of the nibble set.
CONTROL_OPCODE_BIT: Final = 0x8

KNOWN_OPCODES: Final = frozenset(int(op) for op in Opcode)

# Each defined opcode's name (Section 5.2's wording) and the short tag the dump's listing prints.
OPCODES: Final[dict[int, tuple[str, str]]] = {
    Opcode.CONTINUATION: ("Continuation", "CONT"),
    Opcode.TEXT: ("Text", "TEXT"),
    Opcode.BINARY: ("Binary", "BINARY"),
    Opcode.CLOSE: ("Connection Close", "CLOSE"),
    Opcode.PING: ("Ping", "PING"),
    Opcode.PONG: ("Pong", "PONG"),
}


def opcode_name(opcode: int) -> str:
    """A name for any 4-bit opcode, reserved ones included (Section 5.2)."""
    if opcode in OPCODES:
        return OPCODES[opcode][0]
    kind = "control" if opcode & CONTROL_OPCODE_BIT else "non-control"
    return f"Reserved {kind}"


def opcode_tag(opcode: int) -> str:
    """The listing's short tag for an opcode: TEXT, PING, ...; a reserved one as its hex value."""
    if opcode in OPCODES:
        return OPCODES[opcode][1]
    return f"0x{opcode:X}"


def is_control_opcode(opcode: int) -> bool:
    return bool(opcode & CONTROL_OPCODE_BIT)


CLOSE_CODE_NAMES: Final[dict[int, str]] = {
    1000: "Normal Closure",
    1001: "Going Away",
    1002: "Protocol Error",
    1003: "Unsupported Data",
    1004: "Reserved",
    1005: "No Status Received",
    1006: "Abnormal Closure",
    1007: "Invalid Frame Payload Data",
    1008: "Policy Violation",
    1009: "Message Too Big",
    1010: "Mandatory Extension",
    1011: "Internal Error",
    1012: "Service Restart",
    1013: "Try Again Later",
    1014: "Bad Gateway",
    1015: "TLS Handshake",
}

# RFC 6455, Section 7.4.2: ranges of the 16-bit status code.
CLOSE_CODE_MIN_DEFINED: Final = 1000
CLOSE_CODE_MIN_REGISTERED: Final = 3000  # 3000-3999: registered with IANA by libraries and frameworks
CLOSE_CODE_MIN_PRIVATE: Final = 4000  # 4000-4999: private use between applications
CLOSE_CODE_MAX: Final = 4999

# RFC 6455, Section 7.4.1: codes that must never appear in a Close frame on the wire.
CLOSE_CODES_NOT_ON_WIRE: Final = frozenset({1004, 1005, 1006, 1015})
# Codes 1000-2999 that a peer may send: the RFC's own plus IANA's 1012-1014.
CLOSE_CODES_SENDABLE: Final = frozenset({1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014})

# RFC 6455, Section 5.5.1: a close body is empty or starts with a 2-byte code.
CLOSE_CODE_SIZE: Final = 2


def close_code_is_valid_on_wire(code: int) -> bool:
    """Section 7.4: may this status code appear in a Close frame?"""
    if code in CLOSE_CODES_SENDABLE:
        return True
    return CLOSE_CODE_MIN_REGISTERED <= code <= CLOSE_CODE_MAX


def close_code_name(code: int) -> str:
    if code in CLOSE_CODE_NAMES:
        return CLOSE_CODE_NAMES[code]
    if CLOSE_CODE_MIN_PRIVATE <= code <= CLOSE_CODE_MAX:
        return "Private use"
    if CLOSE_CODE_MIN_REGISTERED <= code < CLOSE_CODE_MIN_PRIVATE:
        return "Registered by a library or framework"
    if CLOSE_CODE_MIN_DEFINED <= code < CLOSE_CODE_MIN_REGISTERED:
        return "Unassigned (reserved for the protocol)"
    return "Not allowed"


# RFC 7692, Section 7: the extension's token and its parameters.
PERMESSAGE_DEFLATE: Final = "permessage-deflate"
SERVER_NO_CONTEXT_TAKEOVER: Final = "server_no_context_takeover"
CLIENT_NO_CONTEXT_TAKEOVER: Final = "client_no_context_takeover"
SERVER_MAX_WINDOW_BITS: Final = "server_max_window_bits"
CLIENT_MAX_WINDOW_BITS: Final = "client_max_window_bits"
# RFC 7692, Section 7.1.2: the LZ77 window size ranges over 2^8..2^15.
MIN_WINDOW_BITS: Final = 8
MAX_WINDOW_BITS: Final = 15
# RFC 7692, Section 7.2.1: the tail a sender strips and a receiver appends.
DEFLATE_TAIL: Final = b"\x00\x00\xff\xff"

# Our own limit, not the RFC's: how much one message may inflate to before we stop (zlib bombs).
DEFAULT_INFLATE_LIMIT: Final = 64 * 1024 * 1024
