"""Connection-level facts reach the dump: handshake violations, and pre-RFC (hixie-76) handshakes."""

from __future__ import annotations

import hashlib
import json

from inspector.cli import main

from . import synth

# The worked example of draft-hixie-thewebsocketprotocol-76, section 1.3.
HIXIE76_REQUEST = (
    b"GET /demo HTTP/1.1\r\nHost: example.com\r\nConnection: Upgrade\r\n"
    b"Sec-WebSocket-Key2: 12998 5 Y3 1  .P00\r\nSec-WebSocket-Protocol: sample\r\nUpgrade: WebSocket\r\n"
    b"Sec-WebSocket-Key1: 4 @1  46546xW%0l 1 5\r\nOrigin: http://example.com\r\n\r\n^n:ds[4U"
)
HIXIE76_RESPONSE = (
    b"HTTP/1.1 101 WebSocket Protocol Handshake\r\nUpgrade: WebSocket\r\nConnection: Upgrade\r\n"
    b"Sec-WebSocket-Origin: http://example.com\r\nSec-WebSocket-Location: ws://example.com/demo\r\n"
    b"Sec-WebSocket-Protocol: sample\r\n\r\n8jKS'y:G*Co,Wxa-"
)


def _capture(tmp_path, exchanges: list[tuple[str, bytes]]):
    flow = synth.Flow()
    packets = flow.handshake()
    for sender, data in exchanges:
        packets += flow.send(sender, data)
    packets += flow.close()
    path = tmp_path / "c.pcap"
    path.write_bytes(synth.pcap_bytes(packets))
    return path


def _dump_json(path, capsys) -> list[dict]:
    assert main(["dump", str(path), "--json"]) == 0
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


def test_bad_accept_is_in_the_connection_object(tmp_path, capsys):
    response = synth.upgrade_response().replace(b"Sec-WebSocket-Accept: ", b"Sec-WebSocket-Accept: x")
    path = _capture(tmp_path, [("client", synth.upgrade_request()), ("server", response)])
    connection = _dump_json(path, capsys)[0]
    assert connection["type"] == "connection"
    assert connection["handshake"]["accept_valid"] is False
    assert [v["code"] for v in connection["violations"]] == ["bad-accept"]
    assert connection["violations"][0]["rfc"] == "4.2.2"


def test_hixie76_handshake_and_text_frames(tmp_path, capsys):
    path = _capture(
        tmp_path,
        [
            ("client", HIXIE76_REQUEST),
            ("server", HIXIE76_RESPONSE),
            ("client", b"\x00Hello\xff"),
            ("server", b"\x00Hi there\xff"),
        ],
    )
    objects = _dump_json(path, capsys)
    connection = objects[0]
    assert connection["protocol"] == "hixie-76"
    assert connection["handshake"]["accept_valid"] is True
    assert connection["handshake"]["accept_expected"] == b"8jKS'y:G*Co,Wxa-".hex()
    assert connection["handshake"]["subprotocol"] == "sample"
    assert connection["violations"] == []
    messages = [o for o in objects if o["type"] == "message"]
    assert [(m["direction"], m["opcode"], m["text"]) for m in messages] == [
        ("client", 1, "Hello"),
        ("server", 1, "Hi there"),
    ]
    assert main(["dump", str(path)]) == 0
    listing = capsys.readouterr().out
    assert '→ pre-RFC text frame: 5 bytes  "Hello"' in listing
    assert '← pre-RFC text frame: 8 bytes  "Hi there"' in listing


def test_hixie76_wrong_answer_is_reported(tmp_path, capsys):
    wrong = HIXIE76_RESPONSE[:-16] + hashlib.md5(b"not the challenge").digest()
    path = _capture(tmp_path, [("client", HIXIE76_REQUEST), ("server", wrong)])
    connection = _dump_json(path, capsys)[0]
    assert connection["handshake"]["accept_valid"] is False
    assert "hixie-bad-challenge" in [v["code"] for v in connection["violations"]]
