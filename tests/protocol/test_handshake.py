"""RFC 6455 Section 4: parsing the Upgrade request/response incrementally and checking them."""

from __future__ import annotations

import pytest

from inspector.protocol.deflate import DeflateParameters, ExtensionOffer
from inspector.protocol.handshake import (
    MAX_HEADER_BLOCK,
    HandshakeParseError,
    HeadScan,
    HttpRequest,
    HttpResponse,
    build_request,
    check_handshake,
    compute_accept,
    key_is_valid,
    parse_request,
    parse_response,
)

RFC_KEY = "dGhlIHNhbXBsZSBub25jZQ=="
RFC_ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="

REQUEST = (
    b"GET /chat HTTP/1.1\r\n"
    b"Host: server.example.com\r\n"
    b"Upgrade: websocket\r\n"
    b"Connection: keep-alive, Upgrade\r\n"
    b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
    b"Origin: http://example.com\r\n"
    b"Sec-WebSocket-Protocol: chat, superchat\r\n"
    b"Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
    b"Sec-WebSocket-Version: 13\r\n"
    b"\r\n"
)
RESPONSE = (
    b"HTTP/1.1 101 Switching Protocols\r\n"
    b"Upgrade: websocket\r\n"
    b"Connection: Upgrade\r\n"
    b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
    b"Sec-WebSocket-Protocol: chat\r\n"
    b"Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=12\r\n"
    b"\r\n"
)


def _req(data: bytes = REQUEST) -> HttpRequest:
    parsed = parse_request(data)
    assert parsed is not None
    return parsed[0]


def _resp(data: bytes = RESPONSE) -> HttpResponse:
    parsed = parse_response(data)
    assert parsed is not None
    return parsed[0]


def _codes(request: bytes, response: bytes) -> list[str]:
    return [v.code for v in check_handshake(_req(request), _resp(response)).violations]


def test_accept_rfc_vector_steps() -> None:
    computed = compute_accept(RFC_KEY)
    assert computed.concatenated == RFC_KEY + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
    assert computed.sha1_hex == "b37a4f2cc0624f1690f64606cf385945b2bec4ea"
    assert computed.accept == RFC_ACCEPT


def test_accept_learners_vector() -> None:
    assert compute_accept("w4v7O6xFTi36lq3RNcgctw==").accept == "Oy4NRAQ13jhfONC7bP8dTKb4PTU="


def test_parse_request_fields_and_leftover() -> None:
    parsed = parse_request(REQUEST + b"\x81\x85rest")
    assert parsed is not None
    request, consumed = parsed
    assert consumed == len(REQUEST)
    assert (request.method, request.target, request.version) == ("GET", "/chat", "HTTP/1.1")
    assert request.headers[0] == ("Host", "server.example.com")
    assert request.get("sec-websocket-key") == RFC_KEY
    assert request.get_all("SEC-WEBSOCKET-PROTOCOL") == ["chat, superchat"]
    assert request.tokens("connection") == ["keep-alive", "upgrade"]
    assert request.get("missing") is None
    assert request.raw == REQUEST


def test_parse_incrementally_byte_by_byte() -> None:
    for end in range(len(REQUEST)):
        assert parse_request(REQUEST[:end]) is None
    for end in range(len(RESPONSE)):
        assert parse_response(RESPONSE[:end]) is None
    assert parse_response(RESPONSE) is not None


def test_parse_response() -> None:
    response = _resp()
    assert (response.version, response.status, response.reason) == ("HTTP/1.1", 101, "Switching Protocols")
    assert response.get("sec-websocket-accept") == RFC_ACCEPT


def test_bare_lf_and_folding_and_empty_reason() -> None:
    parsed = parse_response(b"HTTP/1.1 101\nUpgrade: websocket\nX-Long: a\n  b\n\nXX")
    assert parsed is not None
    response, consumed = parsed
    assert response.reason == ""
    assert response.get("x-long") == "a b"
    assert consumed == len(b"HTTP/1.1 101\nUpgrade: websocket\nX-Long: a\n  b\n\n")


@pytest.mark.parametrize(
    "garbage",
    [b"\x81\x85\x00\x00", b"GET\r\n\r\n", b"hello world\r\n", b"GET / HTTP/1.1\r\nno colon here\r\n\r\n"],
)
def test_request_garbage_raises(garbage: bytes) -> None:
    with pytest.raises(HandshakeParseError):
        parse_request(garbage)


@pytest.mark.parametrize("garbage", [b"\x81\x05Hello", b"HTTP/1.1 abc\r\n", b"SSH-2.0"])
def test_response_garbage_raises(garbage: bytes) -> None:
    with pytest.raises(HandshakeParseError):
        parse_response(garbage)


def test_header_block_is_capped() -> None:
    endless = b"GET / HTTP/1.1\r\n" + b"X-Pad: " + b"a" * MAX_HEADER_BLOCK
    assert parse_request(endless[: MAX_HEADER_BLOCK // 2]) is None
    with pytest.raises(HandshakeParseError):
        parse_request(endless)


def test_rfc_example_is_clean() -> None:
    handshake = check_handshake(_req(), _resp())
    assert handshake.violations == []
    assert handshake.accept_valid is True
    assert handshake.accept is not None and handshake.accept.accept == RFC_ACCEPT
    assert handshake.subprotocol == "chat"
    assert handshake.extensions == [ExtensionOffer("permessage-deflate", {"server_max_window_bits": "12"})]
    assert handshake.deflate == DeflateParameters(server_max_window_bits=12)
    assert not handshake.refused
    dumped = handshake.to_json()
    assert dumped["accept_expected"] == RFC_ACCEPT
    assert dumped["extensions"] == [{"name": "permessage-deflate", "params": {"server_max_window_bits": "12"}}]


def test_bad_accept() -> None:
    response = RESPONSE.replace(RFC_ACCEPT.encode(), b"AAAAAAAAAAAAAAAAAAAAAAAAAAA=")
    handshake = check_handshake(_req(), _resp(response))
    assert handshake.accept_valid is False
    assert [v.code for v in handshake.violations] == ["bad-accept"]


def test_missing_accept() -> None:
    response = RESPONSE.replace(b"Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n", b"")
    assert _codes(REQUEST, response) == ["bad-accept"]


def test_request_rules() -> None:
    request = (
        REQUEST.replace(b"GET", b"POST")
        .replace(b"Upgrade: websocket", b"Upgrade: h2c")
        .replace(b"keep-alive, Upgrade", b"keep-alive")
        .replace(b"Version: 13", b"Version: 8")
    )
    codes = _codes(request, RESPONSE)
    assert codes == ["method-not-get", "missing-upgrade-header", "missing-connection-header", "bad-version"]


@pytest.mark.parametrize("key", ["short", "dGhlIHNhbXBsZSBub25jZQ", "AAAAAAAAAAAAAAAAAAAAAAAAAAAA"])
def test_bad_key(key: str) -> None:
    assert not key_is_valid(key)
    request = REQUEST.replace(RFC_KEY.encode(), key.encode())
    codes = _codes(request, RESPONSE)
    assert "bad-key" in codes
    assert "bad-accept" in codes  # the response's accept was made for the RFC's key


def test_response_needs_upgrade_and_connection() -> None:
    response = RESPONSE.replace(b"Upgrade: websocket\r\n", b"").replace(b"Connection: Upgrade\r\n", b"")
    assert _codes(REQUEST, response) == ["missing-upgrade-header", "missing-connection-header"]


def test_unrequested_subprotocol_and_extension() -> None:
    response = RESPONSE.replace(b"Protocol: chat", b"Protocol: mqtt").replace(
        b"permessage-deflate; server_max_window_bits=12", b"x-custom"
    )
    handshake = check_handshake(_req(), _resp(response))
    assert [v.code for v in handshake.violations] == ["unrequested-subprotocol", "unrequested-extension"]
    assert handshake.subprotocol == "mqtt"
    assert handshake.deflate is None


def test_deflate_not_offered_is_unrequested() -> None:
    request = REQUEST.replace(b"Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n", b"")
    assert _codes(request, RESPONSE) == ["unrequested-extension"]


def test_bad_deflate_parameters() -> None:
    response = RESPONSE.replace(b"server_max_window_bits=12", b"server_max_window_bits=99")
    handshake = check_handshake(_req(), _resp(response))
    assert [v.code for v in handshake.violations] == ["bad-extension-parameters"]
    assert handshake.deflate == DeflateParameters()


@pytest.mark.parametrize("status", [426, 403, 400, 200])
def test_refusal_is_not_a_violation(status: int) -> None:
    response = f"HTTP/1.1 {status} Nope\r\nSec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n".encode()
    handshake = check_handshake(_req(), _resp(response))
    assert handshake.refused
    assert handshake.status == status
    assert handshake.violations == []
    assert handshake.accept_valid is None


def test_build_request_round_trip() -> None:
    data = build_request(
        "example.com:8080",
        "/ws?x=1",
        key=RFC_KEY,
        subprotocols=["chat", "v2"],
        extensions=[ExtensionOffer("permessage-deflate", {"client_max_window_bits": None}), "x-foo; a=1"],
        extra_headers=[("Origin", "http://example.com")],
    )
    parsed = parse_request(data)
    assert parsed is not None
    request, consumed = parsed
    assert consumed == len(data)
    assert request.target == "/ws?x=1"
    assert request.get("Host") == "example.com:8080"
    assert request.get("Sec-WebSocket-Protocol") == "chat, v2"
    assert request.get("Sec-WebSocket-Extensions") == "permessage-deflate; client_max_window_bits, x-foo; a=1"
    assert request.get("Origin") == "http://example.com"
    handshake = check_handshake(request, _resp())
    assert handshake.violations == []


def test_build_request_random_key_is_valid() -> None:
    first = _req(build_request("h")).get("Sec-WebSocket-Key")
    second = _req(build_request("h")).get("Sec-WebSocket-Key")
    assert first is not None and second is not None
    assert key_is_valid(first)
    assert first != second


# -- rules added for issue 8, each cross-checked with a peer that refuses such a request ------------------

BASIC = (
    b"GET /chat HTTP/1.1\r\nHost: example.com\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
    b"Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
)
BASIC_RESPONSE = RESPONSE.replace(b"Sec-WebSocket-Protocol: chat\r\n", b"").replace(
    b"Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=12\r\n", b""
)
WITH_EXTENSION = BASIC[:-2] + b"Sec-WebSocket-Extensions: %s\r\n\r\n"


def _websockets_refuses(request: bytes) -> bool:
    """Does the `websockets` server (sans-IO) turn this request down?"""
    from websockets.extensions.permessage_deflate import ServerPerMessageDeflateFactory
    from websockets.server import ServerProtocol

    server = ServerProtocol(extensions=[ServerPerMessageDeflateFactory()])
    server.receive_data(request)
    received = server.events_received()
    return not received or server.accept(received[0]).status_code != 101


def _wsproto_refuses(request: bytes) -> bool:
    from wsproto import ConnectionType, WSConnection
    from wsproto.events import Request

    server = WSConnection(ConnectionType.SERVER)
    try:
        server.receive_data(request)
        return not any(isinstance(event, Request) for event in server.events())
    except Exception:  # h11 raises on a request it cannot accept
        return True


@pytest.mark.parametrize(
    ("request_bytes", "code", "peer_refuses"),
    [
        (BASIC.replace(b"HTTP/1.1", b"HTTP/1.0"), "old-http-version", _websockets_refuses),
        (BASIC.replace(b"Host: example.com\r\n", b""), "missing-host-header", _wsproto_refuses),
        (BASIC.replace(b"Version: 13\r\n", b"Version: 13\r\nSec-WebSocket-Version: 8\r\n"), "bad-version",
         _websockets_refuses),
        (BASIC.replace(b"Upgrade: websocket", b"Upgrade : websocket"), "malformed-header-line", _websockets_refuses),
        (WITH_EXTENSION % b'permessage-deflate; client_max_window_bits="1 0"', "bad-extension-parameters",
         _websockets_refuses),
    ],
    ids=["http-1.0", "no-host", "two-versions", "space-before-colon", "quoted-non-token"],
)
def test_new_request_rules_match_a_peer(request_bytes: bytes, code: str, peer_refuses) -> None:
    assert _codes(BASIC, BASIC_RESPONSE) == []
    assert peer_refuses(request_bytes) and not peer_refuses(BASIC)
    assert _codes(request_bytes, BASIC_RESPONSE) == [code]


def test_same_version_twice_is_not_a_different_value() -> None:
    request = BASIC.replace(b"Version: 13\r\n", b"Version: 13\r\nSec-WebSocket-Version: 13\r\n")
    assert _codes(request, BASIC_RESPONSE) == []


def test_two_versions_detail_names_both() -> None:
    request = BASIC.replace(b"Version: 13\r\n", b"Version: 13\r\nSec-WebSocket-Version: 8\r\n")
    [found] = check_handshake(_req(request), _resp(BASIC_RESPONSE)).violations
    assert "['13', '8']" in found.message


def test_space_before_colon_keeps_the_header_and_names_the_line() -> None:
    request = _req(BASIC.replace(b"Upgrade: websocket", b"Upgrade : websocket"))
    assert request.get("Upgrade") == "websocket"
    assert request.malformed == ["Upgrade : websocket"]
    [found] = check_handshake(request, _resp(BASIC_RESPONSE)).violations
    assert found.rfc == "RFC 7230 3.2.4" and "'Upgrade : websocket'" in found.message
    response = _resp(BASIC_RESPONSE.replace(b"Connection: Upgrade", b"Connection\t: Upgrade"))
    assert [v.code for v in check_handshake(_req(BASIC), response).violations] == ["malformed-header-line"]


def test_accept_sent_twice() -> None:
    accept = b"Sec-WebSocket-Accept: " + RFC_ACCEPT.encode() + b"\r\n"
    response = BASIC_RESPONSE.replace(accept, accept * 2)
    assert _codes(BASIC, response) == ["repeated-accept-header"]


def test_window_bits_with_a_leading_zero() -> None:
    request = WITH_EXTENSION % b"permessage-deflate; client_max_window_bits"
    response = BASIC_RESPONSE[:-2] + b"Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=010\r\n\r\n"
    handshake = check_handshake(_req(request), _resp(response))
    assert [v.code for v in handshake.violations] == ["bad-extension-parameters"]
    assert "leading zero" in handshake.violations[0].message
    offered = WITH_EXTENSION % b"permessage-deflate; server_max_window_bits=010"
    [found] = check_handshake(_req(offered), _resp(BASIC_RESPONSE)).violations
    assert "server_max_window_bits=010 in the request has a leading zero" in found.message


def test_header_block_fed_a_byte_at_a_time_is_searched_once() -> None:
    class CountingBuffer(bytearray):
        searched = 0

        def find(self, sub, start=0, end=None):  # type: ignore[override]
            stop = len(self) if end is None else min(end, len(self))
            CountingBuffer.searched += max(0, stop - start)
            return super().find(sub, start, stop)

    block = b"GET / HTTP/1.1\r\n" + b"".join(b"X-H%d: v\r\n" % i for i in range(5000)) + b"\r\n"
    buffer = CountingBuffer()
    scan = HeadScan()
    for byte in block[:-1]:
        buffer.append(byte)
        assert parse_request(buffer, scan) is None
    buffer.append(block[-1])
    parsed = parse_request(buffer, scan)
    assert parsed is not None and len(parsed[0].headers) == 5000
    assert CountingBuffer.searched <= 12 * len(block)  # each byte a bounded number of times, not once per call
