"""The handshake pane's comparison of the draft handshakes with RFC 6455, on the bundled captures.

The draft-76 answer is worked out here a second time, independently: the test reads the TCP payloads
from the pcapng with scapy, takes key3 and the server's 16 bytes from after the header blocks, and
does the digits/spaces division and the MD5 itself.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from scapy.layers.inet import TCP
from scapy.utils import rdpcap

from inspector.ui.main_window import MainWindow
from tests.ui.windows import new_window, open_and_wait

CAPTURES = Path(__file__).resolve().parents[2] / "resources" / "captures"
HEADERS_END = b"\r\n\r\n"


@pytest.fixture
def window(qtbot, tmp_path: Path) -> MainWindow:
    return new_window(qtbot, tmp_path / "settings.ini")


def open_capture(qtbot, window: MainWindow, name: str) -> None:
    open_and_wait(qtbot, window, CAPTURES / name)


def streams(name: str) -> tuple[bytes, bytes]:
    """The client's and the server's TCP bytes of the capture's one connection, in capture order."""
    client, server = b"", b""
    client_port = None
    for packet in rdpcap(str(CAPTURES / name)):
        if TCP not in packet or not bytes(packet[TCP].payload):
            continue
        data = bytes(packet[TCP].payload)
        if client_port is None:
            client_port = packet[TCP].sport  # the first bytes are the client's request
        if packet[TCP].sport == client_port:
            client += data
        else:
            server += data
    return client, server


def draft76_part(key: str) -> bytes:
    number = int("".join(c for c in key if c.isdigit()))
    return (number // key.count(" ")).to_bytes(4, "big")


def test_the_hixie76_challenge_is_worked_and_checked_against_the_servers_bytes(qtbot, window):
    client, server = streams("hixie-76.pcapng")
    head, _, rest = client.partition(HEADERS_END)
    headers = dict(line.split(": ", 1) for line in head.decode().split("\r\n")[1:])
    key3 = rest[:8]
    answer = server.partition(HEADERS_END)[2][:16]
    expected = hashlib.md5(draft76_part(headers["Sec-WebSocket-Key1"]) + draft76_part(headers["Sec-WebSocket-Key2"])
                           + key3).digest()
    assert answer == expected  # the bundled server answered right; the pane must say so

    open_capture(qtbot, window, "hixie-76.pcapng")
    assert window.show_pane("compare")
    assert window.handshake_tabs.currentWidget() is window.handshake_comparison
    text = window.handshake_comparison.toPlainText()
    assert f"answer        {expected.hex()}" in text
    assert f"expected      {answer.hex()}: matches" in text
    assert f"key3          {key3.hex(' ')}" in text
    for key in ("Sec-WebSocket-Key1", "Sec-WebSocket-Key2"):
        digits = "".join(c for c in headers[key] if c.isdigit())
        assert f"digits      {digits}" in text
        assert f"spaces      {headers[key].count(' ')}" in text
    assert "This connection (hixie-76):" in text
    assert "open hixie-75.pcapng" in text  # the other draft points to its capture
    assert "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" in text  # RFC 6455 falls back to its §1.3 example


def test_hixie75_shows_its_echoed_origin_and_location(qtbot, window):
    open_capture(qtbot, window, "hixie-75.pcapng")
    text = window.handshake_comparison.toPlainText()
    assert "This connection (hixie-75):" in text
    assert "WebSocket-Origin: http://example.com" in text
    assert "WebSocket-Location: ws://127.0.0.1:8765/demo" in text


def test_an_rfc_connection_checks_its_own_accept(qtbot, window):
    open_capture(qtbot, window, "websockets-echo.pcapng")
    text = window.handshake_comparison.toPlainText()
    accept = window.session.connection.connection.handshake.response.get("Sec-WebSocket-Accept")
    assert f"expected      {accept!r}: matches" in text
    assert "open hixie-76.pcapng" in text
    window.show_pane("handshake")  # the handshake pane itself is still one click away
    assert window.handshake_tabs.currentWidget() is window.handshake_pane
