"""Record resources/captures/websockets-violations.pcapng: a real `websockets` server answering frames
that break RFC 6455, one connection per broken rule.

    sudo .venv/bin/python -m tests.tools.record_violations [OUT.pcapng] [--port 8765]

A `websockets` echo server runs on 127.0.0.1. For each case in CASES a raw TCP client opens a
connection with a hand-written Upgrade request, sends the frames our encoder builds
(inspector/protocol/encoder.py), and reads what the server answers until it closes the connection:
a Close with 1002 (protocol error) or 1007 (invalid payload) for most cases. When the server accepts
the frames, the client ends with a normal Close (1000). dumpcap (via tshark) records the loopback
traffic, so the file is what crossed the interface, not what either side thinks it sent.

The script stops with an error if the server answers a case differently from CASES, so a new
recording is known to match tests/capture/test_violations_capture.py before it is committed.
Capturing on `lo` needs root (or the capabilities dumpcap is given by Wireshark's installer).
"""

from __future__ import annotations

import argparse
import base64
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import ServerConnection, serve

from inspector.capture.pcapfile import read_packets
from inspector.capture.pipeline import CaptureDecoder
from inspector.protocol import encoder
from inspector.protocol.constants import Direction, Opcode
from inspector.protocol.encoder import FrameSpec
from inspector.protocol.stream import FrameParser
from inspector.session.events import ConnectionOpened

HOST = "127.0.0.1"
DEFAULT_PORT = 8765  # the port tests/capture/test_real_captures.py tells tshark to read as HTTP
DEFAULT_OUTPUT = Path("resources/captures/websockets-violations.pcapng")
PROTOCOL_ERROR = 1002  # RFC 6455 §7.4.1
INVALID_PAYLOAD = 1007  # RFC 6455 §7.4.1
NORMAL_CLOSURE = 1000  # RFC 6455 §7.4.1
ACCEPTED_WAIT = 1.0  # seconds without an answer after which the server is taken to have accepted the frames
ANSWER_WAIT = 5.0  # seconds to wait for the server's Close and end of stream
# dumpcap says "Capturing on" a little before it takes packets: without this wait the first few
# connections were missing from a recording.
RECORDER_START = 2.0


def _masked(spec: FrameSpec) -> FrameSpec:
    spec.masking_key = encoder.random_key()
    spec.mask_bit = True
    return spec


@dataclass(frozen=True)
class Case:
    """One connection: the frames the client sends after the handshake, the rule they break, and
    what the server answers (the close code of its Close frame)."""

    title: str  # what the frames do, as the README's table of this capture says it
    frames: list[FrameSpec] = field(repr=False)
    codes: tuple[str, ...]  # the violation codes `inspector dump` reports on the client's frames
    server_close: int  # the status code of the server's Close


CASES: list[Case] = [
    Case("a frame with the reserved opcode 0x3",
         [_masked(FrameSpec(b"", 0x3))], ("reserved-opcode",), PROTOCOL_ERROR),
    Case("a Text frame with RSV2 set and no extension negotiated",
         [_masked(FrameSpec(b"hi", Opcode.TEXT, rsv2=True))], ("reserved-bits",), PROTOCOL_ERROR),
    Case("a Text frame with RSV1 set and no permessage-deflate negotiated",
         [_masked(FrameSpec(b"hi", Opcode.TEXT, rsv1=True))], ("reserved-bits",), PROTOCOL_ERROR),
    Case("an unmasked Text frame from the client",
         [FrameSpec(b"hi", Opcode.TEXT)], ("unmasked-client-frame",), PROTOCOL_ERROR),
    Case("a Ping carrying 126 bytes",
         [_masked(FrameSpec(b"p" * 126, Opcode.PING))], ("control-frame-too-long",), PROTOCOL_ERROR),
    Case("a Ping with FIN = 0",
         [_masked(FrameSpec(b"p", Opcode.PING, fin=False))], ("fragmented-control-frame",), PROTOCOL_ERROR),
    Case("a Continuation frame with no message open",
         [_masked(FrameSpec(b"hi", Opcode.CONTINUATION))], ("unexpected-continuation",), PROTOCOL_ERROR),
    Case("a new Text frame while a fragmented Text message is open",
         [_masked(FrameSpec(b"one", Opcode.TEXT, fin=False)), _masked(FrameSpec(b"two", Opcode.TEXT))],
         ("expected-continuation",), PROTOCOL_ERROR),
    Case("a Text message that is not UTF-8 (byte 0xff)",
         [_masked(FrameSpec(b"ok \xff", Opcode.TEXT))], ("invalid-utf8",), INVALID_PAYLOAD),
    Case("a Close with status code 1005, which must never be sent",
         [encoder.close(1005)], ("invalid-close-code",), PROTOCOL_ERROR),
    Case("a Close whose body is a single byte",
         [_masked(FrameSpec(b"\x03", Opcode.CLOSE))], ("close-payload-one-byte",), PROTOCOL_ERROR),
    Case("a Close whose reason is not UTF-8",
         [encoder.close(1000, b"bye \xff")], ("invalid-utf8",), INVALID_PAYLOAD),
    Case("a Text frame whose 2-byte length is written in the 16-bit form (websockets accepts it)",
         [_masked(FrameSpec(b"hi", Opcode.TEXT, length_form=16))], ("non-minimal-length",), NORMAL_CLOSURE),
    Case("a Text frame sent after the client's own Close (websockets ignores it)",
         [encoder.close(1000), _masked(FrameSpec(b"late", Opcode.TEXT))], ("data-after-close",), NORMAL_CLOSURE),
]


def upgrade_request(port: int) -> bytes:
    key = base64.b64encode(os.urandom(16)).decode()
    return (f"GET /violations HTTP/1.1\r\nHost: {HOST}:{port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            "User-Agent: inspector-record-violations\r\n\r\n").encode()


def echo(connection: ServerConnection) -> None:
    try:
        for message in connection:
            connection.send(message)
    except ConnectionClosed:  # every case but two ends here, by design
        pass


def run_case(case: Case, port: int) -> int:
    """Play one case on a new connection; return the status code of the server's Close."""
    with socket.create_connection((HOST, port), timeout=ANSWER_WAIT) as client:
        client.sendall(upgrade_request(port))
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = client.recv(4096)
            if not chunk:
                raise RuntimeError(f"{case.title}: the server closed during the handshake")
            answer += chunk
        head, _, rest = answer.partition(b"\r\n\r\n")
        if not head.startswith(b"HTTP/1.1 101"):
            raise RuntimeError(f"{case.title}: the server refused the upgrade: {head[:40]!r}")
        client.sendall(b"".join(encoder.encode(spec) for spec in case.frames))
        received, closed_by_us = bytearray(rest), False
        client.settimeout(ACCEPTED_WAIT)
        while True:
            try:
                chunk = client.recv(65536)
            except TimeoutError:
                if closed_by_us:
                    raise RuntimeError(f"{case.title}: the server never closed the connection") from None
                client.sendall(encoder.encode(encoder.close(NORMAL_CLOSURE)))  # accepted: end it normally
                closed_by_us = True
                client.settimeout(ANSWER_WAIT)
                continue
            if not chunk:
                break
            received += chunk
    closes = [f.close_code for f in FrameParser(Direction.SERVER).feed(bytes(received)) if f.opcode == Opcode.CLOSE]
    if len(closes) != 1 or closes[0] is None:
        raise RuntimeError(f"{case.title}: expected one Close with a status code from the server, got {closes}")
    return closes[0]


def start_recorder(output: Path, port: int) -> subprocess.Popen[bytes]:
    tshark = shutil.which("tshark")
    if tshark is None:
        raise SystemExit("record_violations: tshark is needed to record (apt-get install tshark)")
    recorder = subprocess.Popen([tshark, "-i", "lo", "-f", f"tcp port {port}", "-w", str(output), "-q"],
                                stderr=subprocess.PIPE)
    assert recorder.stderr is not None
    line = b""
    while b"Capturing on" not in line:  # dumpcap says so once the filter is set and packets are taken
        line = recorder.stderr.readline()
        if not line:
            raise SystemExit(f"record_violations: tshark did not start: {recorder.wait()}")
    time.sleep(RECORDER_START)
    return recorder


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Record websockets' answers to frames that break RFC 6455.")
    parser.add_argument("output", nargs="?", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    args = parser.parse_args(argv)
    with serve(echo, HOST, args.port) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        recorder = start_recorder(args.output, args.port)
        try:
            for case in CASES:
                code = run_case(case, args.port)
                if code != case.server_close:
                    raise SystemExit(f"record_violations: {case.title}: the server answered {code}, "
                                     f"not {case.server_close}")
                print(f"{code}  {case.title}")
            time.sleep(0.5)  # let the last FIN/ACKs reach the recorder
        finally:
            recorder.send_signal(signal.SIGINT)
            recorder.wait(timeout=30)
        server.shutdown()
    found = sum(1 for event in CaptureDecoder().run(read_packets(args.output))
                if type(event) is ConnectionOpened and event.connection.handshake is not None)
    if found != len(CASES):
        raise SystemExit(f"record_violations: {args.output} holds {found} whole connections, not {len(CASES)}")
    print(f"wrote {args.output} ({len(CASES)} connections)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
