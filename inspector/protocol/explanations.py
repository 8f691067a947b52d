"""What each frame field means and why it exists, in our own words, keyed by Wireshark filter name.

The text is written for a learner looking at one field in the hex pane: what the bits say, which
RFC section sets the rule, and the reason behind the rule where the reason is not obvious.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Explanation:
    rfc: str  # e.g. "RFC 6455 §5.2"
    text: str


_E = Explanation

EXPLANATIONS: dict[str, Explanation] = {
    "websocket": _E(
        "RFC 6455 §5.2",
        "A WebSocket frame: a header of 2 to 14 bytes followed by the payload. After the HTTP Upgrade, "
        "everything on the TCP connection is a sequence of these frames, in both directions.",
    ),
    "websocket.fin": _E(
        "RFC 6455 §5.2, §5.4",
        "FIN is the first bit of the frame. 1 means this frame is the last (or only) piece of its message; "
        "0 means more pieces follow in continuation frames. A sender can split a message it does not know "
        "the full size of yet into fragments. Control frames are never fragmented, so they always have FIN = 1.",
    ),
    "websocket.rsv": _E(
        "RFC 6455 §5.2",
        "Three reserved bits. They must be 0 unless an extension agreed in the handshake gives them a meaning; "
        "a receiver that sees a set bit nobody negotiated must fail the connection. Wireshark shows the three "
        "bits together as websocket.rsv.",
    ),
    "websocket.rsv1": _E(
        "RFC 6455 §5.2, RFC 7692 §6",
        "RSV1. With permessage-deflate negotiated (RFC 7692), RSV1 = 1 on the first frame of a message marks "
        "the whole message as compressed; it is never set on continuation or control frames. Without a "
        "negotiated extension it must be 0.",
    ),
    "websocket.rsv2": _E(
        "RFC 6455 §5.2",
        "RSV2. No registered extension uses it today, so it must be 0 on every frame.",
    ),
    "websocket.rsv3": _E(
        "RFC 6455 §5.2",
        "RSV3. No registered extension uses it today, so it must be 0 on every frame.",
    ),
    "websocket.opcode": _E(
        "RFC 6455 §5.2",
        "The 4-bit opcode says how to read the payload. 0x0 continues a fragmented message, 0x1 starts a text "
        "message (UTF-8), 0x2 a binary one. Opcodes with the high bit set are control frames: 0x8 Close, "
        "0x9 Ping, 0xA Pong. 0x3-0x7 and 0xB-0xF are reserved for future use; receiving one is a protocol error.",
    ),
    "websocket.mask": _E(
        "RFC 6455 §5.1, §5.3, §10.3",
        "MASK = 1 means a 4-byte masking key follows the length and the payload is XORed with it. Every frame "
        "from a client must be masked and no frame from a server may be. The reason is security, not privacy: "
        "with a fresh unpredictable key per frame, a script in a browser cannot choose the bytes that appear on "
        "the wire, so it cannot forge something a transparent proxy or cache would mistake for an HTTP request "
        "and poison its cache with.",
    ),
    "websocket.payload_length": _E(
        "RFC 6455 §5.2",
        "The 7-bit payload length. Values 0-125 are the length itself. 126 means the real length follows in "
        "the next 2 bytes (up to 65535); 127 means it follows in the next 8 bytes. Small frames thus pay for "
        "only one length byte. The sender must use the shortest form that fits.",
    ),
    "websocket.payload_length_ext_16": _E(
        "RFC 6455 §5.2",
        "The extended payload length, a 16-bit unsigned number in network byte order (big-endian), present "
        "because the 7-bit field held 126. It must be at least 126: smaller lengths belong in the 7-bit field.",
    ),
    "websocket.payload_length_ext_64": _E(
        "RFC 6455 §5.2",
        "The extended payload length, a 64-bit unsigned number in network byte order, present because the "
        "7-bit field held 127. Its most significant bit must be 0, and it must be over 65535: smaller lengths "
        "belong in a shorter form.",
    ),
    "websocket.masking_key": _E(
        "RFC 6455 §5.3",
        "The 32-bit masking key, present when MASK = 1. Payload byte i is XORed with key byte i mod 4, so the "
        "receiver unmasks by applying the same XOR again. The client must pick each key freshly and "
        "unpredictably; a fixed key would defeat the purpose of masking.",
    ),
    "websocket.payload": _E(
        "RFC 6455 §5.2",
        "The payload data: extension data (none unless an extension defines it) followed by application data. "
        "Its length is exactly the declared payload length; what the bytes mean depends on the opcode.",
    ),
    "websocket.masked_payload": _E(
        "RFC 6455 §5.3",
        "The payload exactly as it travelled on the wire, still XORed with the masking key.",
    ),
    "websocket.unmasked_payload": _E(
        "RFC 6455 §5.3",
        "The payload after XOR with the masking key: octet i of the wire data XOR octet (i mod 4) of the key. "
        "This is what the application sent.",
    ),
    "websocket.payload.text": _E(
        "RFC 6455 §5.6",
        "Text data. A text message must be valid UTF-8 as a whole; a single fragment may end in the middle of "
        "a character, but the reassembled message may not. Invalid UTF-8 makes the receiver close with 1007.",
    ),
    "websocket.payload.binary": _E(
        "RFC 6455 §5.6",
        "Binary data: the protocol gives these bytes no meaning; the application decides how to read them.",
    ),
    "websocket.payload.close.status_code": _E(
        "RFC 6455 §5.5.1, §7.4",
        "The first two bytes of a Close body are a status code (big-endian) saying why the endpoint closes. "
        "1000-2999 are kept for the protocol, 3000-3999 are registered by libraries and frameworks, 4000-4999 "
        "are private. 1005, 1006 and 1015 are only reported by APIs and must never be sent, and 1004 is reserved.",
    ),
    "websocket.payload.close.reason": _E(
        "RFC 6455 §5.5.1",
        "After the status code, an optional reason in UTF-8, meant for debugging rather than for users. The "
        "whole Close payload is a control payload, so code plus reason fit in 125 bytes.",
    ),
    "websocket.payload.ping": _E(
        "RFC 6455 §5.5.2",
        "Ping application data (0-125 bytes). A Ping checks that the peer is alive or keeps an idle connection "
        "open through middleboxes; the receiver answers with a Pong as soon as it can.",
    ),
    "websocket.payload.pong": _E(
        "RFC 6455 §5.5.3",
        "Pong application data. A Pong answering a Ping carries exactly the Ping's data. A Pong may also be sent "
        "on its own as a one-way heartbeat; no reply is expected to it.",
    ),
    "websocket.payload.inflated": _E(
        "RFC 7692 §7.2.2",
        "The message after decompression. The sender compressed the whole message with DEFLATE and removed the "
        "final 00 00 ff ff; the receiver appends those four bytes to the reassembled payload and inflates it. "
        "The inflated bytes are what the application sent.",
    ),
    "websocket.payload.continuation": _E(
        "RFC 6455 §5.4",
        "A continuation fragment: its bytes are appended to the payload of the message started by an earlier "
        "text or binary frame with FIN = 0.",
    ),
}


def explain(filter_name: str) -> Explanation:
    """The explanation for a field, or an empty one for names we have not written a text for."""
    return EXPLANATIONS.get(filter_name, Explanation("", ""))


# RFC 6455 §5.2 / §5.1 and RFC 7692 §6: one sentence per state of a 1-bit flag, for the `meaning` column.
FIN_MEANING = {True: "last fragment", False: "more fragments follow"}
MASK_MEANING = {True: "key follows", False: "no key"}
RSV1_DEFLATE_MEANING = {True: "message compressed (permessage-deflate)", False: "not compressed"}
# RFC 7692 §6.1: on a continuation frame of a compressed message RSV1 must be 0; the first frame's RSV1 counts.
RSV1_CONTINUATION_MEANING = {
    False: "0 as required: RFC 7692 §6.1 sets RSV1 on a message's first frame only, and this frame "
    "belongs to a compressed message",
    True: "set on a continuation frame, which RFC 7692 §6.1 forbids (this frame belongs to a compressed message)",
}
