"""Everything the inspector teaches, as text keyed by id, in one catalogue a translation can replace.

The keys are namespaced by what they describe:

- `field:<filter name>` and `field:<filter name>:rfc`: what a frame field means and why it exists,
  and the sections that set its rules (the explanation pane, `inspector decode --explain`);
- `meaning:<id>`: a short phrase about one value of a field (the tree's value column);
- `rule:<violation code>`: the learner-facing sentence of a broken rule; the English ones are the
  summaries of the violation table (violations.RULES), which the JSON dump also prints;
- `step:<id>`: one line of a worked computation (the hixie-76 challenge, inspector accept's steps);
- `handshake:<id>`: a sentence of the handshake pane (report/handshake_text.py);
- `why:<violation code>` and `why:<code>:rfc`: why the RFC has the rule, and the sections that say so
  (the "Why?" of the violations pane and the crafter's preview);
- `tour:<step id>:title` and `tour:<step id>:body`: the guided tour's steps (Help → Tour);
- `compare:<id>`: the handshake pane's comparison of the draft handshakes with RFC 6455's.

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
WHY: Final = "why:"
TOUR: Final = "tour:"
COMPARE: Final = "compare:"

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
    # Why each rule exists (the violations pane's and the crafter's "Why?"), one paragraph per rule code,
    # and `why:<code>:rfc`, the sections the reasoning comes from.
    "why:unmasked-client-frame": (
        "Masking is there for the proxies and caches between a browser and a server, not for secrecy. "
        "A page's script chooses what it sends; without a mask it could make the bytes on the wire spell "
        "an HTTP request that a transparent proxy which does not know WebSocket would act on, and the answer "
        "could be cached under another site's URL (cache poisoning). The browser, not the script, picks a "
        "fresh random key per frame, so the script can no longer predict the wire bytes. A server closes on "
        "an unmasked frame because it cannot tell a careless client from a hostile one."
    ),
    "why:unmasked-client-frame:rfc": "RFC 6455 §10.3, §5.1",
    "why:masked-server-frame": (
        "The attack masking prevents runs from untrusted script on the client side towards intermediaries; "
        "what a server sends is not under a web page's control, so masking it would cost work and protect "
        "no one. Forbidding it keeps both directions easy to tell apart and the check trivial: a masked "
        "frame from a server shows the peer does not follow the protocol."
    ),
    "why:masked-server-frame:rfc": "RFC 6455 §5.1, §10.3",
    "why:reserved-bits": (
        "The three RSV bits are kept free for extensions. If receivers ignored bits they did not understand, "
        "no extension could ever give them a meaning: an old peer would silently misread the frame. Failing "
        "on an unnegotiated bit makes the meaning of a bit depend only on what both sides agreed in the "
        "handshake, as permessage-deflate does with RSV1."
    ),
    "why:reserved-bits:rfc": "RFC 6455 §5.2, §9",
    "why:reserved-opcode": (
        "A receiver that does not know an opcode cannot know whether the frame is data or control, nor how "
        "its payload joins a message. Guessing would put the two ends out of step, so the frame is refused. "
        "The free opcodes stay available for future extensions, which must be negotiated first."
    ),
    "why:reserved-opcode:rfc": "RFC 6455 §5.2, §11.8",
    "why:control-frame-too-long": (
        "Control frames may be sent in the middle of a fragmented message, so a Ping or a Close never "
        "waits behind a long transfer. Keeping them to at most 125 bytes means their length always fits in "
        "the first length field, a receiver can read one whole with a small fixed buffer, and answering it "
        "(a Pong, a Close) is quick."
    ),
    "why:control-frame-too-long:rfc": "RFC 6455 §5.5, §5.4",
    "why:fragmented-control-frame": (
        "Control frames are the ones allowed between the fragments of a data message. If they could be "
        "fragmented themselves, a receiver would need a second level of reassembly inside the first. With "
        "FIN = 1 on every control frame, each one is complete on arrival and can be acted on at once."
    ),
    "why:fragmented-control-frame:rfc": "RFC 6455 §5.5, §5.4",
    "why:non-minimal-length": (
        "One length, one encoding: the shortest form is the only valid one. Then every sender writes a "
        "given frame with the same bytes, and a checker or filter never disagrees with the endpoint about "
        "where a frame ends. Accepting padded lengths would only add ways for two parsers to differ."
    ),
    "why:non-minimal-length:rfc": "RFC 6455 §5.2",
    "why:length-msb-set": (
        "The top bit of the 64-bit length must be 0 so the length always fits a signed 64-bit integer, the "
        "widest integer type in many languages. Nobody sends 2^63 bytes in one frame, so the limit costs "
        "nothing and spares implementations a negative length."
    ),
    "why:length-msb-set:rfc": "RFC 6455 §5.2",
    "why:unexpected-continuation": (
        "A continuation frame carries no type of its own: its bytes belong to the message a text or binary "
        "frame with FIN = 0 opened. With no such message open there is nothing to append to and no way to "
        "know whether the bytes are text or binary, so the stream is out of step and the receiver fails it."
    ),
    "why:unexpected-continuation:rfc": "RFC 6455 §5.4",
    "why:expected-continuation": (
        "A frame header has no message number, so fragments of different messages cannot be told apart. "
        "The base protocol therefore forbids interleaving data messages: once a message is fragmented, only "
        "its continuations (and control frames) may come until its FIN. Sharing one connection among several "
        "streams is left to extensions."
    ),
    "why:expected-continuation:rfc": "RFC 6455 §5.4",
    "why:invalid-utf8": (
        "A text message promises UTF-8 so that an API can hand the application a string without guessing "
        "an encoding. Invalid or overlong sequences are also a classic way to slip characters past a filter "
        "that decodes differently from the application, so the receiver closes with 1007 instead of "
        "repairing the text."
    ),
    "why:invalid-utf8:rfc": "RFC 6455 §8.1, §5.6",
    "why:invalid-close-code": (
        "Some status codes describe what an endpoint observed, not what a peer said: 1005 (no code received), "
        "1006 (the connection dropped without a Close) and 1015 (the TLS handshake failed). A peer able to "
        "send a Close frame cannot be in those situations, so sending them would lie to the other side's "
        "API. Codes below 1000 are unused, and the ranges above keep each code's meaning the same everywhere."
    ),
    "why:invalid-close-code:rfc": "RFC 6455 §7.4.1, §7.4.2",
    "why:close-payload-one-byte": (
        "A Close body has a fixed shape so every receiver reads the same reason: nothing at all, or a "
        "2-byte status code and then optional UTF-8 text. One lone byte cannot be a status code, so the "
        "receiver cannot know why the peer is closing and treats the frame as a protocol error."
    ),
    "why:close-payload-one-byte:rfc": "RFC 6455 §5.5.1",
    "why:data-after-close": (
        "Sending Close says: I will send no more data. The closing handshake relies on it; once both Close "
        "frames are exchanged, each side knows the other has received everything sent before, and the TCP "
        "connection can end. Data after a Close breaks that promise and is thrown away by the receiver."
    ),
    "why:data-after-close:rfc": "RFC 6455 §5.5.1, §7.1.2",
    "why:pong-mismatch": (
        "A Pong repeats the Ping's application data so the pinger can tell which Ping it answers: a counter "
        "or a timestamp in the Ping then measures the round trip or proves the peer is still reading. A "
        "Pong with other data cannot prove that, so it does not count as the answer."
    ),
    "why:pong-mismatch:rfc": "RFC 6455 §5.5.3, §5.5.2",
    "why:rsv1-on-continuation": (
        "permessage-deflate compresses whole messages, so the decision is made once, on the first frame: "
        "RSV1 there means inflate the reassembled message. Setting it again on a continuation would be "
        "meaningless at best and ambiguous with another extension at worst, so RFC 7692 keeps it 0 there."
    ),
    "why:rsv1-on-continuation:rfc": "RFC 7692 §6.1",
    "why:decompression-failed": (
        "If the compressed bytes do not inflate, the receiver cannot know what the sender meant, and with "
        "context takeover every later message depends on this one's window too. There is no way to resume, "
        "so the connection is failed instead of handing damaged data to the application."
    ),
    "why:decompression-failed:rfc": "RFC 7692 §6.2",
    "why:truncated-frame": (
        "A frame's length field tells a reader how many bytes belong to it and where the next frame "
        "starts. When the capture stops before that many bytes, the missing bytes are simply not there: the "
        "inspector shows the frame as cut rather than guessing, and never reserves memory for bytes a header "
        "only claims."
    ),
    "why:truncated-frame:rfc": "RFC 6455 §5.2",
    "why:bad-accept": (
        "The accept value proves the response comes from a server that understood this WebSocket request: "
        "only such a server combines the client's fresh key with the GUID and hashes it. A plain HTTP server, "
        "a misconfigured proxy or a cache replaying an old response cannot produce it, so the client fails "
        "the connection instead of sending frames to something that does not speak the protocol."
    ),
    "why:bad-accept:rfc": "RFC 6455 §4.2.2, §1.3",
    "why:bad-key": (
        "The key is a fresh 16-byte random value per connection, so each accept value is new and a cached or "
        "replayed response cannot match it. A key that is not the base64 of 16 bytes shows a client that did "
        "not follow the handshake, and a server may refuse it."
    ),
    "why:bad-key:rfc": "RFC 6455 §4.1, §10.3",
    "why:bad-version": (
        "The drafts before RFC 6455 framed and shook hands differently, and version 13 names the final "
        "protocol. A server that sees another version answers 426 with the versions it speaks, so client and "
        "server never exchange frames in two different dialects."
    ),
    "why:bad-version:rfc": "RFC 6455 §4.1, §4.4",
    "why:missing-upgrade-header": (
        "The handshake reuses HTTP's own way of switching protocols. Requiring Upgrade: websocket makes "
        "the request unmistakable: an ordinary HTTP request can never be taken for a WebSocket opening, and "
        "a server that does not know WebSocket just answers it as plain HTTP."
    ),
    "why:missing-upgrade-header:rfc": "RFC 6455 §4.1, RFC 7230 §6.7",
    "why:missing-connection-header": (
        "Connection: Upgrade marks the Upgrade header as meant for the next hop only. A proxy that does not "
        "understand the upgrade then removes it instead of passing a half-understood switch along, so "
        "either every hop agrees to the new protocol or the handshake fails plainly."
    ),
    "why:missing-connection-header:rfc": "RFC 6455 §4.2.2, RFC 7230 §6.1",
    "why:method-not-get": (
        "The opening handshake is an ordinary HTTP GET so it passes through existing servers, proxies and "
        "authentication. A GET has no body, so the bytes after the blank line can only be WebSocket frames "
        "and never part of the request."
    ),
    "why:method-not-get:rfc": "RFC 6455 §4.1",
    "why:old-http-version": (
        "The Upgrade mechanism belongs to HTTP/1.1; an HTTP/1.0 peer or proxy does not know hop-by-hop "
        "headers and could forward the switch without taking part in it. Asking for HTTP/1.1 or later keeps "
        "every hop able to understand what the request asks for."
    ),
    "why:old-http-version:rfc": "RFC 6455 §4.1, RFC 7230 §6.7",
    "why:missing-host-header": (
        "Host names the site the client means, so one address can serve many sites and a server can refuse "
        "requests for names it does not serve, which blunts DNS rebinding. HTTP/1.1 requires it on every "
        "request, and the handshake is an HTTP/1.1 request."
    ),
    "why:missing-host-header:rfc": "RFC 6455 §4.1, RFC 7230 §5.4",
    "why:repeated-accept-header": (
        "There must be exactly one accept value to check. With two, a client could check one while "
        "something else read the other, and a value injected along the way could sit beside the real one. "
        "The header is registered as appearing once, so a client refuses a response that repeats it."
    ),
    "why:repeated-accept-header:rfc": "RFC 6455 §11.3.3, §4.1",
    "why:malformed-header-line": (
        "Parsers used to disagree about whitespace between a header name and its colon: one kept the "
        "header, another dropped it or read a different name. Such disagreements let requests be smuggled "
        "past a proxy, so HTTP/1.1 now rejects the form outright."
    ),
    "why:malformed-header-line:rfc": "RFC 7230 §3.2.4",
    "why:unrequested-subprotocol": (
        "The subprotocol fixes what the messages mean. The client offers the ones it can speak and the server "
        "picks one of them; a name the client never offered means the two sides would read each other's "
        "messages by different rules, so the client fails the connection."
    ),
    "why:unrequested-subprotocol:rfc": "RFC 6455 §4.2.2, §4.1",
    "why:unrequested-extension": (
        "An extension changes how frames are built (RSV bits, transformed payloads). The server may only "
        "accept extensions the client offered, because a client cannot decode frames shaped by an extension "
        "it never asked for."
    ),
    "why:unrequested-extension:rfc": "RFC 6455 §9.1",
    "why:bad-extension-parameters": (
        "permessage-deflate's parameters (window sizes, context takeover) decide how much history the "
        "compressor may refer to. Both sides must hold exactly the same agreement, or inflating fails in "
        "the middle of the connection; refusing a malformed offer in the handshake fails early and cheaply."
    ),
    "why:bad-extension-parameters:rfc": "RFC 7692 §7.1",
    "why:multiple-subprotocols": (
        "A connection speaks one application protocol from start to end. The server answers with the single "
        "subprotocol it chose; a list would leave the client to guess which one the messages follow."
    ),
    "why:multiple-subprotocols:rfc": "RFC 6455 §4.2.2, §1.9",
    "why:inflate-limit-exceeded": (
        "A few kilobytes of DEFLATE can inflate to gigabytes. Every receiver needs a limit on the size it "
        "accepts, and closes with 1009 when a message goes past it; the inspector keeps such a limit too, so "
        "a hostile capture cannot exhaust its memory, and shows the data up to the limit."
    ),
    "why:inflate-limit-exceeded:rfc": "RFC 6455 §10.4, §7.4.1",
    "why:inflate-window-missing": (
        "With context takeover, the compressor of one message may refer back to bytes of earlier messages "
        "(up to the agreed window). If the capture missed those messages, the references point into history "
        "the inspector never saw, so the message cannot be rebuilt; this is a limit of the capture, not a "
        "fault of the sender."
    ),
    "why:inflate-window-missing:rfc": "RFC 7692 §7.1.1, §7.2.1",
    "why:hixie-bad-key": (
        "Draft 76 hid a number in each key among random characters and spaces, so that no form or other "
        "protocol could produce a valid handshake by accident, and only a server that really parsed the keys "
        "could answer. A key whose number does not divide by its spaces cannot be answered; RFC 6455 later "
        "replaced the puzzle with one base64 key."
    ),
    "why:hixie-bad-key:rfc": "draft-hixie-76 §5.2",
    "why:hixie-bad-challenge": (
        "The 16-byte MD5 answer proved the server read both keys and the 8 bytes after the request. It also "
        "put bytes outside HTTP's headers, which many proxies mangled; RFC 6455 moved the proof into a "
        "header (Sec-WebSocket-Accept) for that reason."
    ),
    "why:hixie-bad-challenge:rfc": "draft-hixie-76 §5.2, §4.1",
    "why:hixie-missing-location": (
        "The old drafts had the server repeat the origin and the URL it accepted, so the browser could check "
        "the server agreed to serve this page at this address. RFC 6455 dropped the pair: the accept value "
        "ties the response to the request, and the server checks Origin itself."
    ),
    "why:hixie-missing-location:rfc": "draft-hixie-76 §5.2, draft-hixie-75 §4.2",
    "why:hixie-unknown-frame-type": (
        "The drafts' text frame is 0x00, the text, then 0xFF; other type bytes were kept for later and must "
        "be skipped so that new types would not break old readers. Sentinel framing could not carry a 0xFF "
        "byte or binary data cleanly, one reason RFC 6455 moved to length-prefixed frames."
    ),
    "why:hixie-unknown-frame-type:rfc": "draft-hixie-76 §4.2",
    "why:handshake-missing": (
        "The handshake decides how frames are read: which extension owns RSV1, which subprotocol the "
        "messages follow, and which side is the client (so which frames must be masked). Without it the "
        "inspector finds frame boundaries by resynchronising and cannot check those rules."
    ),
    "why:handshake-missing:rfc": "RFC 6455 §4, §5.2",
    "why:capture-gap": (
        "Framing is driven by lengths: every frame boundary follows from the one before it. A single lost "
        "byte shifts everything after, so the inspector marks the gap (TCP's sequence numbers show it) and "
        "resynchronises, instead of decoding the rest as nonsense."
    ),
    "why:capture-gap:rfc": "RFC 6455 §5.2, RFC 9293 §3.4",
    "why:frame-gap": (
        "Bytes inside this frame were lost by the capture (TCP's sequence numbers show the hole). The "
        "header still says how long the frame is, so the frames after it stay in step, but this frame's "
        "payload cannot be shown or checked in full."
    ),
    "why:frame-gap:rfc": "RFC 6455 §5.2, RFC 9293 §3.4",
    # The guided tour (Help → Tour; ui/tour/steps.py says what each step selects).
    "tour:upgrade:title": "The HTTP Upgrade and the accept key",
    "tour:upgrade:body": (
        "Every WebSocket connection starts as an HTTP/1.1 GET. The client asks to switch protocols with "
        "Upgrade: websocket and Connection: Upgrade, and sends a random Sec-WebSocket-Key. The server answers "
        "101 Switching Protocols with Sec-WebSocket-Accept: the key plus a fixed GUID, hashed with SHA-1 and "
        "written in base64. The handshake pane works it out step by step; compare the last line with what "
        "the server sent. Help → Handshake Calculator does the same for the key in your notes."
    ),
    "tour:old-handshakes:title": "Before RFC 6455: the draft handshakes",
    "tour:old-handshakes:body": (
        "Browsers of 2010 (and Flash fallbacks) spoke drafts of the protocol. In hixie-75 the server only "
        "echoed WebSocket-Origin and WebSocket-Location. hixie-76 added Key1 and Key2: the digits of each key "
        "divided by its number of spaces, followed by 8 more bytes, go through MD5, and the server sends the "
        "16-byte answer after its headers. The comparison tab beside the handshake works this capture's "
        "challenge out and checks it against the server's bytes, then shows what RFC 6455 changed and why."
    ),
    "tour:frame-layout:title": "The frame layout",
    "tour:frame-layout:body": (
        "After the 101 response, everything is frames. The diagram draws the first client frame in the "
        "RFC's 32-bit rows: FIN, three RSV bits, the 4-bit opcode, MASK, the 7-bit payload length, then the "
        "masking key and the payload. The length is selected: 0-125 is the length itself, 126 and 127 mean "
        "that 2 or 8 more bytes hold it. Click any field in the diagram to read what it means below the tree."
    ),
    "tour:masking:title": "Masking, and why it exists",
    "tour:masking:body": (
        "This frame comes from the client, so MASK is 1 and a 4-byte key follows the length. The masking "
        "table shows each payload byte XORed with key byte i mod 4; XOR again and the text comes back. "
        "Masking is not encryption: the key travels in the clear. It stops a script from choosing the bytes "
        "on the wire, which could fool a proxy into caching a forged answer. Server frames are never masked."
    ),
    "tour:fragmentation:title": "Fragmentation",
    "tour:fragmentation:body": (
        "A message can be sent in pieces. This text frame has FIN = 0: more follows. The next frames are "
        "continuations (opcode 0x0) and the last one has FIN = 1. The messages view puts the pieces back "
        "together into one message; select it to see which frames it was made of. Only control frames may "
        "come between the pieces of a message."
    ),
    "tour:heartbeat:title": "Ping and Pong: the heartbeat",
    "tour:heartbeat:body": (
        "Opcode 0x9 is a Ping and 0xA a Pong. The client pinged with a few bytes of data; the next frame is "
        "the server's Pong carrying exactly the same bytes, so the pinger knows which Ping it answers. Pings "
        "keep idle connections open through proxies and show that the peer is alive. Control frames carry at "
        "most 125 bytes and are never fragmented."
    ),
    "tour:close:title": "Closing and the status codes",
    "tour:close:body": (
        "A Close frame (opcode 0x8) starts the closing handshake. Its body begins with a 2-byte status code: "
        "1000 is a normal close, 1001 going away, 1002 a protocol error, 1007 invalid data (bad UTF-8), 1009 "
        "too big. 1005, 1006 and 1015 are only reported by APIs and never sent. Each side sends one Close; "
        "after both, the TCP connection ends."
    ),
    "tour:deflate:title": "Subprotocols and extensions: permessage-deflate",
    "tour:deflate:body": (
        "In the handshake, a client offers extensions (Sec-WebSocket-Extensions) and subprotocols "
        "(Sec-WebSocket-Protocol); the server keeps the ones it accepts. Here Chromium offered "
        "permessage-deflate and the server agreed, so RSV1 = 1 on a message's first frame now means the "
        "message is compressed. In the tree, the unmasked payload is still DEFLATE data; the inflated payload, "
        "and the payload pane, show the message the application received."
    ),
    "tour:violation:title": "A broken rule and why the RFC has it",
    "tour:violation:body": (
        "This capture breaks one rule per connection on purpose. The selected client frame has MASK = 0, "
        "and the server answered with Close 1002. The violations pane lists every broken rule with its "
        "section and the close code it earns; select one and read Why? for the reason behind the rule."
    ),
    "tour:start-lab:title": "Your turn: start the lab server",
    "tour:start-lab:body": (
        "The crafter builds frames bit by bit and sends them to a real server. Start the bundled lab server "
        "on 127.0.0.1 and connect to it: Connect…, choose strict beside Lab server, Start lab server, then "
        "Connect. Or press Do it for me. The state line above the editor says open when the handshake is done."
    ),
    "tour:send-text:title": "Send a text frame",
    "tour:send-text:body": (
        "In the Frame tab, keep opcode 0x1 (text), FIN and MASK on with a random key, type a few words as "
        "the payload and press Send. The preview says the frame breaks no rule; the session log below shows "
        "the echo and the verdict PASS. Or press Do it for me."
    ),
    "tour:break-rule:title": "Break a rule and read the verdict",
    "tour:break-rule:body": (
        "Now turn MASK off, set the masking key to none written, and send again. The preview lists the "
        "broken rule before you send, with its Why?; the strict server closes with 1002 and names the rule, "
        "and the verdict line says whether the server did what the RFC asks. Or press Do it for me. That is "
        "the end of the tour."
    ),
    # The handshake comparison (ui/panes/handshake.py), with the drafts beside the RFC.
    "compare:title": "Three opening handshakes, oldest first",
    "compare:hixie75": "draft-hixie-75 (2010): the server echoes the origin and the URL",
    "compare:hixie75.how": (
        "The client sends Upgrade: WebSocket and Origin; the server repeats them as WebSocket-Origin and "
        "WebSocket-Location. Nothing in the answer depends on anything secret or fresh."
    ),
    "compare:hixie75.problem": (
        "What was wrong: any server, or a proxy replaying an answer, could echo two headers, so the client "
        "could not tell a WebSocket server from something that only looked like one."
    ),
    "compare:hixie76": "draft-hixie-76 (2010): a challenge worked with MD5",
    "compare:hixie76.how": (
        "Key1 and Key2 hide a number among random characters and spaces; the 8 bytes after the request "
        "headers are key3. The server divides each key's digits by its spaces and sends MD5(part1 + part2 + "
        "key3), 16 bytes after its headers."
    ),
    "compare:hixie76.fixed": (
        "What it fixed: only a server that parsed the request could answer. What was wrong: key3 and the "
        "answer sit outside the HTTP headers, where proxies dropped or mangled them, and the puzzle was "
        "easy to get wrong."
    ),
    "compare:rfc6455": "RFC 6455 (2011): key and accept in headers",
    "compare:rfc6455.how": (
        "The client sends a random 16-byte Sec-WebSocket-Key in base64; the server answers "
        "base64(SHA-1(key + GUID)) in Sec-WebSocket-Accept, and Sec-WebSocket-Version says which protocol is "
        "spoken."
    ),
    "compare:rfc6455.fixed": (
        "What it fixed: the proof lives in ordinary headers that proxies pass along, needs no body bytes, and "
        "is one line of code; frames gained lengths, masking and close codes."
    ),
    "compare:this-connection": "This connection ({protocol}):",
    "compare:other-capture": "Not this connection: open {capture} to see it worked out.",
    "compare:example": "The RFC's own example (§1.3):",
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


def why_text(code: str) -> str:
    """Why the RFC has the rule of violation `code`, or "" for a code without a paragraph."""
    key = WHY + code
    return text(key) if has_text(key) else ""


def why_rfc(code: str) -> str:
    key = WHY + code + RFC_SUFFIX
    return text(key) if has_text(key) else ""
