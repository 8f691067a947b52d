"""Record resources/captures/hixie-75.pcapng and hixie-76.pcapng: one real session in each pre-RFC draft.

    sudo .venv/bin/python -m tests.tools.record_hixie [OUT_DIR] [--port 8765]

Nothing maintained speaks these 2010 drafts any more, so this script holds both ends, written from the
drafts and sharing no code with inspector/protocol (the capture tests then check our decoder against
an independent peer): a server on 127.0.0.1 that answers either draft, and a raw TCP client that opens
one session, sends MESSAGES as text frames (0x00, UTF-8, 0xFF), reads each echo, and ends the session
(draft 76: the 0xFF 0x00 closing handshake both ways; draft 75 has none, the client just closes).
The hixie-76 client sends the draft's own example keys, so the capture's numbers are the ones a
learner finds worked out in the draft. dumpcap (via tshark) records the loopback traffic.

The script stops with an error if the server's answer or an echo differs from what the draft
requires, and if the recording does not decode as one whole session, so a new recording is known to
match tests/capture/test_hixie_captures.py before it is committed. Capturing on `lo` needs root.
"""

from __future__ import annotations

import argparse
import hashlib
import signal
import socket
import string
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from inspector.capture.pcapfile import read_packets
from inspector.capture.pipeline import CaptureDecoder, Connection
from tests.tools.record_violations import DEFAULT_PORT, HOST, start_recorder

DEFAULT_DIR = Path("resources/captures")
ORIGIN = "http://example.com"
RESOURCE = "/demo"
# What the client says, in order; the server echoes each. Non-ASCII on purpose: the frames are UTF-8.
MESSAGES = ("hello from a 2010 browser", "第二帧：你好", "the last frame before the close")

TEXT_START = b"\x00"  # hixie-75 §4.2 / hixie-76 §4.2: a text frame starts with type 0x00
TEXT_END = b"\xff"  # ... and runs up to the 0xFF sentinel
CLOSING = b"\xff\x00"  # hixie-76 §4.2: the closing handshake, both ways
HEAD_END = b"\r\n\r\n"
KEY3_SIZE = 8  # hixie-76 §4.1: the 8 random bytes after the client's headers
ANSWER_SIZE = 16  # hixie-76 §5.2: the MD5 digest after the server's headers
WAIT = 5.0  # seconds any read may take before the session counts as broken

# The worked example of draft-hixie-76: its keys, the request body and the answer the draft computes.
KEY1 = "18x 6]8vM;54 *(5:  {   U1]8  z [  8"
KEY2 = "1_ tx7X d  <  nw  334J702) 7]o}` 0"
KEY3 = b"Tm[K T2u"
ANSWER = b"fQJ,fN/4F4!~K~MH"


@dataclass(frozen=True)
class Draft:
    name: str  # what `inspector dump` calls the connection's protocol, and the capture's file stem
    request_headers: tuple[tuple[str, str], ...]
    request_body: bytes
    status_line: str
    origin_header: str
    location_header: str
    closing: bytes  # what each side sends to end the session (draft 75: nothing)

    @property
    def output_name(self) -> str:
        return f"{self.name}.pcapng"


HIXIE_75 = Draft("hixie-75", (), b"", "HTTP/1.1 101 Web Socket Protocol Handshake",
                 "WebSocket-Origin", "WebSocket-Location", b"")
HIXIE_76 = Draft("hixie-76", (("Sec-WebSocket-Key1", KEY1), ("Sec-WebSocket-Key2", KEY2)), KEY3,
                 "HTTP/1.1 101 WebSocket Protocol Handshake",
                 "Sec-WebSocket-Origin", "Sec-WebSocket-Location", CLOSING)
DRAFTS = (HIXIE_75, HIXIE_76)


def request_bytes(draft: Draft, port: int) -> bytes:
    """The client's opening handshake, key3 included (a browser sent it in the same segment)."""
    lines = [f"GET {RESOURCE} HTTP/1.1", "Upgrade: WebSocket", "Connection: Upgrade", f"Host: {HOST}:{port}",
             f"Origin: {ORIGIN}", *(f"{name}: {value}" for name, value in draft.request_headers)]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii") + draft.request_body


def response_head(draft: Draft, port: int) -> bytes:
    lines = [draft.status_line, "Upgrade: WebSocket", "Connection: Upgrade",
             f"{draft.origin_header}: {ORIGIN}", f"{draft.location_header}: ws://{HOST}:{port}{RESOURCE}"]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")


def text_frame(text: str) -> bytes:
    return TEXT_START + text.encode("utf-8") + TEXT_END


def key_number(key: str) -> int:
    """hixie-76 §5.2 step 4: the key's digits as one number, divided by the key's spaces."""
    digits = int("".join(c for c in key if c in string.digits))
    spaces = key.count(" ")
    if spaces == 0 or digits % spaces:
        raise ValueError(f"{key!r} is not a draft-76 key")
    return digits // spaces


def md5_answer(key1: str, key2: str, key3: bytes) -> bytes:
    """hixie-76 §5.2 steps 5-8: MD5 of both numbers (32-bit big-endian) and key3."""
    return hashlib.md5(key_number(key1).to_bytes(4, "big") + key_number(key2).to_bytes(4, "big") + key3).digest()


def client_stream(draft: Draft, port: int) -> bytes:
    """Every byte the client sends, in order."""
    return request_bytes(draft, port) + b"".join(text_frame(m) for m in MESSAGES) + draft.closing


def server_stream(draft: Draft, port: int) -> bytes:
    """Every byte the server sends, in order: its handshake, the answer (draft 76), each echo, the close."""
    answer = ANSWER if draft is HIXIE_76 else b""
    return response_head(draft, port) + answer + b"".join(text_frame(m) for m in MESSAGES) + draft.closing


# -- the two ends -------------------------------------------------------------------------------


class Reader:
    """Bytes from a socket, read up to a delimiter or a count."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.held = b""

    def _more(self) -> None:
        chunk = self.sock.recv(4096)
        if not chunk:
            raise EOFError("the peer closed the connection")
        self.held += chunk

    def until(self, delimiter: bytes) -> bytes:
        while delimiter not in self.held:
            self._more()
        found, _, self.held = self.held.partition(delimiter)
        return found + delimiter

    def exactly(self, count: int) -> bytes:
        while len(self.held) < count:
            self._more()
        found, self.held = self.held[:count], self.held[count:]
        return found

    def at_end(self) -> bool:
        return not self.held and not self.sock.recv(1)


def serve_one(listener: socket.socket, port: int) -> None:
    """Answer one session in whichever draft its request speaks; echo text frames until it ends."""
    sock, _ = listener.accept()
    with sock:
        sock.settimeout(WAIT)
        reader = Reader(sock)
        head = reader.until(HEAD_END).decode("ascii")
        headers = dict(line.split(": ", 1) for line in head.split("\r\n")[1:] if line)
        draft = HIXIE_76 if "Sec-WebSocket-Key1" in headers else HIXIE_75
        answer = b""
        if draft is HIXIE_76:
            key3 = reader.exactly(KEY3_SIZE)
            answer = md5_answer(headers["Sec-WebSocket-Key1"], headers["Sec-WebSocket-Key2"], key3)
        sock.sendall(response_head(draft, port) + answer)
        while True:
            try:
                kind = reader.exactly(1)
            except EOFError:  # draft 75: the client simply closes
                return
            if kind == TEXT_START:
                sock.sendall(TEXT_START + reader.until(TEXT_END))
            elif kind + reader.exactly(1) == CLOSING:
                sock.sendall(CLOSING)
                return
            else:
                raise RuntimeError(f"server: an unexpected frame type {kind!r}")


def run_session(draft: Draft, port: int) -> None:
    """The client: open the session, check the server's answer, send each message and check its echo."""
    with socket.create_connection((HOST, port), timeout=WAIT) as sock:
        reader = Reader(sock)
        sock.sendall(request_bytes(draft, port))
        head = reader.until(HEAD_END)
        if head != response_head(draft, port):
            raise RuntimeError(f"{draft.name}: unexpected server handshake {head!r}")
        if draft is HIXIE_76:
            answer = reader.exactly(ANSWER_SIZE)
            if answer != ANSWER or answer != md5_answer(KEY1, KEY2, KEY3):
                raise RuntimeError(f"{draft.name}: the server answered {answer!r}, the draft says {ANSWER!r}")
        for message in MESSAGES:
            sock.sendall(text_frame(message))
            echo = reader.exactly(1) + reader.until(TEXT_END)
            if echo != text_frame(message):
                raise RuntimeError(f"{draft.name}: echo {echo!r} of {message!r}")
            time.sleep(0.05)  # one frame per segment, as a person typing would send them
        if draft.closing:
            sock.sendall(draft.closing)
            if reader.exactly(len(draft.closing)) != draft.closing or not reader.at_end():
                raise RuntimeError(f"{draft.name}: the server did not answer the closing handshake and close")


def record(draft: Draft, output: Path, port: int) -> None:
    with socket.create_server((HOST, port)) as listener:
        server = threading.Thread(target=serve_one, args=(listener, port), daemon=True)
        recorder = start_recorder(output, port)
        try:
            server.start()
            run_session(draft, port)
            server.join(WAIT)
            time.sleep(0.5)  # let the last FIN/ACKs reach the recorder
        finally:
            recorder.send_signal(signal.SIGINT)
            recorder.wait(timeout=30)
    connections = [e.item for e in CaptureDecoder().run(read_packets(output)) if type(e.item) is Connection]
    whole = [c for c in connections if c.protocol == draft.name and c.handshake is not None]
    if len(connections) != 1 or len(whole) != 1:
        raise SystemExit(f"record_hixie: {output} holds {len(connections)} connections, not one whole {draft.name}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Record one hixie-75 and one hixie-76 session on loopback.")
    parser.add_argument("out_dir", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    args = parser.parse_args(argv)
    for draft in DRAFTS:
        output = args.out_dir / draft.output_name
        record(draft, output, args.port)
        print(f"wrote {output} ({draft.name}, {len(MESSAGES)} text frames each way)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
