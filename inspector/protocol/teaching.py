"""Everything the inspector teaches, as text keyed by id, in one catalogue a translation can replace.

The keys are namespaced by what they describe:

- `field:<filter name>` and `field:<filter name>:rfc`: what a frame field means and why it exists,
  and the sections that set its rules (the explanation pane, `inspector decode --explain`);
- `meaning:<id>`: a short phrase about one value of a field (the tree's value column);
- `rule:<violation code>`: the learner-facing sentence of a broken rule; the English ones are the
  summaries of the violation table (violations.RULES), which the JSON dump also prints;
- `step:<id>`: one line of a worked computation (the hixie-76 challenge, inspector accept's steps);
- `handshake:<id>`: a sentence of the handshake pane (report/handshake_text.py).

Texts with `{name}` fields are format strings: `text(key, name=value)` fills them in.
`use_catalogue(mapping)` is the translation seam: it replaces the entries it has, and every other
key keeps its English text. The JSON dump never goes through it: its `message` strings are a
contract and stay English.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Final

from .violations import RULES, Violation

FIELD: Final = "field:"
RFC_SUFFIX: Final = ":rfc"
MEANING: Final = "meaning:"
RULE: Final = "rule:"
STEP: Final = "step:"

# The English texts, the catalogue's fallback for every key.
ENGLISH: Final[dict[str, str]] = {
    "field:websocket": (
        "A WebSocket frame: a header of 2 to 14 bytes followed by the payload. After the HTTP Upgrade, "
        "everything on the TCP connection is a sequence of these frames, in both directions."
    ),
    "field:websocket:rfc": "RFC 6455 §5.2",
    "field:websocket.fin": (
        "FIN is the first bit of the frame. 1 means this frame is the last (or only) piece of its message; "
        "0 means more pieces follow in continuation frames. A sender can split a message it does not know "
        "the full size of yet into fragments. Control frames are never fragmented, so they always have FIN = 1."
    ),
    "field:websocket.fin:rfc": "RFC 6455 §5.2, §5.4",
    "field:websocket.rsv": (
        "Three reserved bits. They must be 0 unless an extension agreed in the handshake gives them a meaning; "
        "a receiver that sees a set bit nobody negotiated must fail the connection. Wireshark shows the three "
        "bits together as websocket.rsv."
    ),
    "field:websocket.rsv:rfc": "RFC 6455 §5.2",
    "field:websocket.rsv1": (
        "RSV1. With permessage-deflate negotiated (RFC 7692), RSV1 = 1 on the first frame of a message marks "
        "the whole message as compressed; it is never set on continuation or control frames. Without a "
        "negotiated extension it must be 0."
    ),
    "field:websocket.rsv1:rfc": "RFC 6455 §5.2, RFC 7692 §6",
    "field:websocket.rsv2": (
        "RSV2. No registered extension uses it today, so it must be 0 on every frame."
    ),
    "field:websocket.rsv2:rfc": "RFC 6455 §5.2",
    "field:websocket.rsv3": (
        "RSV3. No registered extension uses it today, so it must be 0 on every frame."
    ),
    "field:websocket.rsv3:rfc": "RFC 6455 §5.2",
    "field:websocket.opcode": (
        "The 4-bit opcode says how to read the payload. 0x0 continues a fragmented message, 0x1 starts a text "
        "message (UTF-8), 0x2 a binary one. Opcodes with the high bit set are control frames: 0x8 Close, "
        "0x9 Ping, 0xA Pong. 0x3-0x7 and 0xB-0xF are reserved for future use; receiving one is a protocol error."
    ),
    "field:websocket.opcode:rfc": "RFC 6455 §5.2",
    "field:websocket.mask": (
        "MASK = 1 means a 4-byte masking key follows the length and the payload is XORed with it. Every frame "
        "from a client must be masked and no frame from a server may be. The reason is security, not privacy: "
        "with a fresh unpredictable key per frame, a script in a browser cannot choose the bytes that appear on "
        "the wire, so it cannot forge something a transparent proxy or cache would mistake for an HTTP request "
        "and poison its cache with."
    ),
    "field:websocket.mask:rfc": "RFC 6455 §5.1, §5.3, §10.3",
    "field:websocket.payload_length": (
        "The 7-bit payload length. Values 0-125 are the length itself. 126 means the real length follows in "
        "the next 2 bytes (up to 65535); 127 means it follows in the next 8 bytes. Small frames thus pay for "
        "only one length byte. The sender must use the shortest form that fits."
    ),
    "field:websocket.payload_length:rfc": "RFC 6455 §5.2",
    "field:websocket.payload_length_ext_16": (
        "The extended payload length, a 16-bit unsigned number in network byte order (big-endian), present "
        "because the 7-bit field held 126. It must be at least 126: smaller lengths belong in the 7-bit field."
    ),
    "field:websocket.payload_length_ext_16:rfc": "RFC 6455 §5.2",
    "field:websocket.payload_length_ext_64": (
        "The extended payload length, a 64-bit unsigned number in network byte order, present because the "
        "7-bit field held 127. Its most significant bit must be 0, and it must be over 65535: smaller lengths "
        "belong in a shorter form."
    ),
    "field:websocket.payload_length_ext_64:rfc": "RFC 6455 §5.2",
    "field:websocket.masking_key": (
        "The 32-bit masking key, present when MASK = 1. Payload byte i is XORed with key byte i mod 4, so the "
        "receiver unmasks by applying the same XOR again. The client must pick each key freshly and "
        "unpredictably; a fixed key would defeat the purpose of masking."
    ),
    "field:websocket.masking_key:rfc": "RFC 6455 §5.3",
    "field:websocket.payload": (
        "The payload data: extension data (none unless an extension defines it) followed by application data. "
        "Its length is exactly the declared payload length; what the bytes mean depends on the opcode."
    ),
    "field:websocket.payload:rfc": "RFC 6455 §5.2",
    "field:websocket.masked_payload": (
        "The payload exactly as it travelled on the wire, still XORed with the masking key."
    ),
    "field:websocket.masked_payload:rfc": "RFC 6455 §5.3",
    "field:websocket.unmasked_payload": (
        "The payload after XOR with the masking key: octet i of the wire data XOR octet (i mod 4) of the key. "
        "This is what the application sent."
    ),
    "field:websocket.unmasked_payload:rfc": "RFC 6455 §5.3",
    "field:websocket.payload.text": (
        "Text data. A text message must be valid UTF-8 as a whole; a single fragment may end in the middle of "
        "a character, but the reassembled message may not. Invalid UTF-8 makes the receiver close with 1007."
    ),
    "field:websocket.payload.text:rfc": "RFC 6455 §5.6",
    "field:websocket.payload.binary": (
        "Binary data: the protocol gives these bytes no meaning; the application decides how to read them."
    ),
    "field:websocket.payload.binary:rfc": "RFC 6455 §5.6",
    "field:websocket.payload.close.status_code": (
        "The first two bytes of a Close body are a status code (big-endian) saying why the endpoint closes. "
        "1000-2999 are kept for the protocol, 3000-3999 are registered by libraries and frameworks, 4000-4999 "
        "are private. 1005, 1006 and 1015 are only reported by APIs and must never be sent, and 1004 is reserved."
    ),
    "field:websocket.payload.close.status_code:rfc": "RFC 6455 §5.5.1, §7.4",
    "field:websocket.payload.close.reason": (
        "After the status code, an optional reason in UTF-8, meant for debugging rather than for users. The "
        "whole Close payload is a control payload, so code plus reason fit in 125 bytes."
    ),
    "field:websocket.payload.close.reason:rfc": "RFC 6455 §5.5.1",
    "field:websocket.payload.ping": (
        "Ping application data (0-125 bytes). A Ping checks that the peer is alive or keeps an idle connection "
        "open through middleboxes; the receiver answers with a Pong as soon as it can."
    ),
    "field:websocket.payload.ping:rfc": "RFC 6455 §5.5.2",
    "field:websocket.payload.pong": (
        "Pong application data. A Pong answering a Ping carries exactly the Ping's data. A Pong may also be sent "
        "on its own as a one-way heartbeat; no reply is expected to it."
    ),
    "field:websocket.payload.pong:rfc": "RFC 6455 §5.5.3",
    "field:websocket.payload.inflated": (
        "The message after decompression. The sender compressed the whole message with DEFLATE and removed the "
        "final 00 00 ff ff; the receiver appends those four bytes to the reassembled payload and inflates it. "
        "The inflated bytes are what the application sent."
    ),
    "field:websocket.payload.inflated:rfc": "RFC 7692 §7.2.2",
    "field:websocket.payload.continuation": (
        "A continuation fragment: its bytes are appended to the payload of the message started by an earlier "
        "text or binary frame with FIN = 0."
    ),
    "field:websocket.payload.continuation:rfc": "RFC 6455 §5.4",
    # RFC 6455 §5.2 / §5.1 and RFC 7692 §6: one phrase per state of a 1-bit flag, for the value column.
    "meaning:fin.1": "last fragment",
    "meaning:fin.0": "more fragments follow",
    "meaning:mask.1": "key follows",
    "meaning:mask.0": "no key",
    "meaning:rsv1.deflate.1": "message compressed (permessage-deflate)",
    "meaning:rsv1.deflate.0": "not compressed",
    # RFC 7692 §6.1: on a continuation frame of a compressed message RSV1 must be 0; the first frame's RSV1 counts.
    "meaning:rsv1.continuation.0": (
        "0 as required: RFC 7692 §6.1 sets RSV1 on a message's first frame only, and this frame "
        "belongs to a compressed message"
    ),
    "meaning:rsv1.continuation.1": (
        "set on a continuation frame, which RFC 7692 §6.1 forbids (this frame belongs to a compressed message)"
    ),
    # RFC 6455 §5.2: the 7-bit length field's two escape values, and a plain length.
    "meaning:length7.126": "126: the length is in the next 2 bytes",
    "meaning:length7.127": "127: the length is in the next 8 bytes",
    "meaning:bytes": "{count} bytes",
    "meaning:utf8-text": "UTF-8 text",
    "meaning:inflated.one-frame": "the whole message, from frame {frame}, after inflation",
    "meaning:inflated.frames": "the whole message, from frames {frames}, after inflation",
    # The hixie-76 challenge (draft-hixie-thewebsocketprotocol-76 §5.2), worked one line at a time.
    "step:hixie.key-digits": "{name} {key}: digits {digits} -> {number}, {spaces} spaces",
    "step:hixie.no-digits": "(none)",
    "step:hixie.key-problem": "{name}: {problem}",
    "step:hixie.key-part": "{name}: {number} / {spaces} = {part} = {packed}",
    "step:hixie.key3": "key3 (8 bytes after the request headers): {key3}",
    "step:hixie.md5": "MD5({md5_input}) = {expected}",
    "step:hixie.verdict.match": "server sent {received}: matches",
    "step:hixie.verdict.mismatch": "server sent {received}: does NOT match",
    # inspector accept and the window's Handshake Calculator (report/accept_steps.py): the labels of the steps
    # (padded to one width, so they stay short) and the sentences beside them. RFC 6455 §4.2.2, hixie-76 §5.2.
    "step:rfc6455.title": "RFC 6455 §4.2.2 step 5.4: Sec-WebSocket-Accept = base64(SHA-1(key + GUID))",
    "step:rfc6455.key-valid": "valid: the base64 of a {size}-byte nonce (RFC 6455 §4.1)",
    "step:rfc6455.key-invalid": "NOT valid: §4.1 wants the base64 of exactly {size} bytes (computed anyway)",
    "step:rfc6455.sha1": "{sha1}  (20 bytes, hex)",
    "step:label.key": "1. key",
    "step:label.guid": "2. + GUID",
    "step:label.sha1": "3. SHA-1",
    "step:label.base64": "4. base64",
    "step:label.expected": "expected",
    "step:label.digits": "digits",
    "step:label.spaces": "spaces",
    "step:label.divide": "divide",
    "step:label.md5-input": "MD5 input",
    "step:label.answer": "answer",
    "step:verdict.match": "matches",
    "step:verdict.mismatch": "does NOT match",
    "step:hixie.title": "draft-hixie-76 §5.2: answer = MD5(Key1 number / spaces + Key2 number / spaces + key3)",
    "step:hixie.impossible": "impossible: {problem}",
    "step:hixie.divide": "{number} / {spaces} = {part} -> {packed} (4 bytes, big-endian)",
    "step:hixie.not-computed": "not computed: a key cannot be divided",
    "step:hixie.md5-input": "{md5_input}  (16 bytes)",
    # The handshake pane (report/handshake_text.py): the opening handshake and its accept key, RFC 6455 §4.
    "handshake:not-captured": "The opening handshake was not captured (the capture began mid-connection).",
    "handshake:resynchronised": "Frames were found by resynchronising on the byte stream.",
    "handshake:client-to-server": "Client → server ({protocol})",
    "handshake:server-to-client": "Server → client",
    "handshake:refused": "The server refused the upgrade with status {status}: no frames follow.",
    "handshake:accept-title": "Sec-WebSocket-Accept, computed (RFC 6455 §4.2.2):",
    "handshake:accept-key": "1. the client's key:",
    "handshake:accept-guid": "2. append the GUID {guid} (fixed by §1.3):",
    "handshake:accept-sha1": "3. SHA-1 of that, in hex:",
    "handshake:accept-base64": "4. base64 of those 20 bytes:",
    "handshake:accept-sent": "The server sent:",
    "handshake:nothing": "(nothing)",
    "handshake:verdict.match": "✓ matches",
    "handshake:verdict.mismatch": "✗ does not match",
    "handshake:verdict.none": "(no accept header)",
    "handshake:subprotocol": "Subprotocol chosen: {subprotocol}",
    "handshake:extensions": "Extensions agreed:",
    "handshake:broken-rules": "Broken rules:",
}

_replacements: dict[str, str] = {}


def use_catalogue(mapping: Mapping[str, str]) -> None:
    """Replace the texts of the keys `mapping` has (a translation); every other key stays English.

    An empty mapping goes back to English. Keys that name nothing are refused, so a translation
    cannot silently drift from the ids the code uses."""
    unknown = sorted(key for key in mapping if not has_text(key, english_only=True))
    if unknown:
        raise KeyError(f"no teaching text has the key(s) {', '.join(unknown)}")
    _replacements.clear()
    _replacements.update(mapping)


def has_text(key: str, *, english_only: bool = False) -> bool:
    if key in ENGLISH or (key.startswith(RULE) and key[len(RULE):] in RULES):
        return True
    return not english_only and key in _replacements


def all_keys() -> list[str]:
    """Every key with an English text, the rules' included: what a translation has to cover."""
    return [*ENGLISH, *(RULE + code for code in RULES)]


def english_text(key: str) -> str:
    """The English text of `key`, unfilled, whatever catalogue is in use (a translation's source)."""
    if key in ENGLISH:
        return ENGLISH[key]
    if not key.startswith(RULE):
        raise KeyError(key)
    return RULES[key[len(RULE):]].summary  # KeyError for a code no rule has


def text(key: str, /, **values: object) -> str:
    """The text for `key`, with its `{name}` fields filled from `values`. An unknown key is a KeyError."""
    found = _replacements.get(key)
    if found is None:
        found = english_text(key)
    return found.format(**values) if values else found


def violation_in_words(found: Violation) -> Violation:
    """`found` with the catalogue's sentence for its rule when it carries the rule's generic one."""
    rule = RULES.get(found.code)
    if rule is None or found.message != rule.summary:
        return found  # a specific detail (which key, which byte) stays as the decoder wrote it
    return dataclasses.replace(found, message=text(RULE + found.code))


def field_text(filter_name: str) -> str:
    """What the field means and why it exists, or "" for a field we have not written a text for."""
    key = FIELD + filter_name
    return text(key) if has_text(key) else ""


def field_rfc(filter_name: str) -> str:
    key = FIELD + filter_name + RFC_SUFFIX
    return text(key) if has_text(key) else ""
