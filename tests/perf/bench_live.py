"""Benchmark live capture on `lo`: `inspector capture` against dumpcap at several frame rates.

    python tests/perf/bench_live.py [--rates 5000,15000,50000] [--seconds 10] [--connections 4] [--buffer 64]
                                    [--keep DIR]

A script, not a test: run it by hand, as root (both tools sniff). For each rate it starts a WebSocket
server and clients made of plain sockets on 127.0.0.1 (real RFC 6455 handshakes, then masked client
frames of 17 bytes each, one `send()` per frame with TCP_NODELAY and MSG_EOR, paced to the rate and
spread over a few connections, since one Python thread cannot make 50k sends/s on a slow machine;
MSG_EOR keeps Linux's autocorking from merging a write into the previous one's segment), and captures
the traffic with both tools at the same time:

- ours: `inspector capture -i lo -f 'tcp port P' --json --no-payload -w FILE`, frames counted in its
  JSON output, kernel drops and its reader's lag (how long a packet waited in the ring at most; the
  ring holds seconds) from its closing line;
- the peer: `dumpcap -i lo -f 'tcp port P' -B 64 -w FILE` (libpcap; a 64 MiB buffer like our ring, where
  its default of 2 MiB drops packets on a busy machine), frames counted by decoding its file, kernel
  drops from its closing line.

It prints, per rate, the frames sent, the rate achieved, the TCP segments that carried them (the
larger count of the two captures; fewer segments than frames means the kernel merged writes), and for
each tool the frames found and the packets the kernel dropped, with ours/dumpcap as a ratio of frames
found. The machine's load average is printed with each row, because the tools and the traffic share
the same cores.
Target: ours finds every frame at 50k frames/s for 10 s.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from base64 import b64encode
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from inspector.capture.layers import decode_tcp
from inspector.capture.pcapfile import CaptureFile
from inspector.capture.pipeline import CaptureDecoder
from inspector.protocol.constants import Opcode
from inspector.protocol.frame import Frame
from inspector.protocol.handshake import compute_accept
from inspector.session.events import FrameSeen

FRAME_BYTES = 17  # the whole frame on the wire: 2 header bytes, a 4-byte key, 11 payload bytes
PAYLOAD_BYTES = FRAME_BYTES - 6
MASKING_KEY = b"\x37\xfa\x21\x3d"  # RFC 6455 §5.7's example key
FIN_BINARY = 0x80 | Opcode.BINARY  # RFC 6455 §5.2: FIN set, opcode 2
MASK_BIT = 0x80  # RFC 6455 §5.2: the MASK bit in the second byte
CLOSE_FRAME = bytes([0x80 | Opcode.CLOSE, MASK_BIT | 2]) + MASKING_KEY + bytes(
    a ^ b for a, b in zip((1000).to_bytes(2, "big"), MASKING_KEY, strict=False))
READY_TIMEOUT = 20.0
STARTUP_GRACE = 1.0  # dumpcap says "Capturing on" a little before it captures: it missed the handshakes
SETTLE_SECONDS = 1.0  # after the last send, before the captures are stopped
STOP_TIMEOUT = 120.0  # our capture may still be decoding a backlog when told to stop
PACE_SLEEP = 0.0002  # the sender naps when it is ahead of the schedule


def masked_frames(count: int) -> list[bytes]:
    """`count` distinct 17-byte masked binary frames (the payload is the frame's number)."""
    key = int.from_bytes(MASKING_KEY * 3, "big") >> 8  # the key repeated over 11 bytes, RFC 6455 §5.3
    head = bytes([FIN_BINARY, MASK_BIT | PAYLOAD_BYTES]) + MASKING_KEY
    return [head + (int.from_bytes(b"%011d" % n, "big") ^ key).to_bytes(PAYLOAD_BYTES, "big") for n in range(count)]


class Server(threading.Thread):
    """Accepts `connections` connections; each one's handshake is answered, then it is read to the end."""

    def __init__(self, connections: int) -> None:
        super().__init__(daemon=True)
        self.connections = connections
        self.listener = socket.create_server(("127.0.0.1", 0), backlog=connections)
        self.port = self.listener.getsockname()[1]

    def run(self) -> None:
        readers = []
        with self.listener:
            for _ in range(self.connections):
                connection, _ = self.listener.accept()
                reader = threading.Thread(target=self.serve, args=(connection,), daemon=True)
                reader.start()
                readers.append(reader)
        for reader in readers:
            reader.join()

    @staticmethod
    def serve(connection: socket.socket) -> None:
        with connection:
            request = b""
            while b"\r\n\r\n" not in request:
                request += connection.recv(4096)
            key = re.search(rb"Sec-WebSocket-Key: *(\S+)", request, re.IGNORECASE)
            assert key is not None
            accept = compute_accept(key.group(1).decode()).accept
            connection.sendall(b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                               b"Sec-WebSocket-Accept: " + accept.encode() + b"\r\n\r\n")
            while connection.recv(1 << 20):
                pass


def open_client(port: int) -> socket.socket:
    """A connected client socket past the opening handshake, set to send each write at once (TCP_NODELAY)."""
    client = socket.create_connection(("127.0.0.1", port))
    client.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    key = b64encode(os.urandom(16))
    client.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   b"Sec-WebSocket-Key: " + key + b"\r\nSec-WebSocket-Version: 13\r\n\r\n")
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += client.recv(4096)
    return client


def send_paced(client: socket.socket, frames: list[bytes], rate: float, start: float) -> None:
    """Send each frame with its own send() at `rate` frames/s from `start`, then a Close, and close."""
    send, clock, nap = client.send, time.perf_counter, time.sleep
    sent = 0
    total = len(frames)
    while sent < total:
        due = min(int((clock() - start) * rate), total)
        if due <= sent:
            nap(PACE_SLEEP)
            continue
        while sent < due:
            send(frames[sent], socket.MSG_EOR)
            sent += 1
    client.sendall(CLOSE_FRAME)
    client.close()


def send_frames(port: int, frames: list[bytes], rate: int, connections: int) -> float:
    """Send the frames over `connections` connections at once (a thread each: send() releases the GIL,
    and one thread cannot make 50k sends/s on a slow machine), at `rate` frames/s in all; returns the seconds taken."""
    clients = [open_client(port) for _ in range(connections)]
    start = time.perf_counter()
    senders = [threading.Thread(target=send_paced, args=(client, frames[n::connections], rate / connections, start))
               for n, client in enumerate(clients)]
    for sender in senders:
        sender.start()
    for sender in senders:
        sender.join()
    return time.perf_counter() - start


def start_tool(command: list[str], ready: str, log: Path, out: Path | None = None) -> subprocess.Popen[bytes]:
    """Start a capture tool with stderr to `log` (stdout to `out`); return once `ready` appears in the log."""
    with open(log, "wb") as errors, open(out or os.devnull, "wb") as output:
        process = subprocess.Popen(command, stdout=output, stderr=errors)  # the child keeps its own copies
    deadline = time.monotonic() + READY_TIMEOUT
    while ready not in log.read_text(errors="replace"):
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            sys.exit(f"{command[0]} did not start: {log.read_text(errors='replace').strip()}")
        time.sleep(0.05)
    return process


def stop_tool(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGINT)
    try:
        process.wait(STOP_TIMEOUT)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def client_data_frames(frames: list[Frame]) -> int:
    return sum(1 for frame in frames if frame.opcode == Opcode.BINARY and str(frame.direction) == "client")


def count_file(path: Path, server_port: int) -> tuple[int, int]:
    """(client binary frames decoded, TCP segments with client data) in a capture file."""
    segments = 0
    frames: list[Frame] = []
    with CaptureFile(path) as capture:
        decoder = CaptureDecoder()
        for packet in capture:
            tcp = decode_tcp(packet.linktype, packet.data)
            if tcp is not None and tcp.dport == server_port and tcp.payload:
                segments += 1
            frames.extend(e.frame for e in decoder.feed(packet) if type(e) is FrameSeen)
        frames.extend(e.frame for e in decoder.finish() if type(e) is FrameSeen)
    return client_data_frames(frames), segments


def count_json(path: Path) -> int:
    found = 0
    with open(path, "rb") as lines:
        for line in lines:
            if b'"frame"' in line:
                record = json.loads(line)
                found += record["type"] == "frame" and record["opcode"] == Opcode.BINARY and \
                    record["direction"] == "client"
    return found


def number_in(text: str, pattern: str) -> str:
    """The number the pattern's group catches in a tool's closing words, or ? when they do not have it."""
    match = re.search(pattern, text)
    return match.group(1) if match else "?"


def run_rate(rate: int, seconds: float, connections: int, buffer_mib: int, work: Path) -> None:
    frames = masked_frames(int(rate * seconds))
    server = Server(connections)
    server.start()
    port = server.port
    ours_log, theirs_log = work / f"ours_{rate}.log", work / f"dumpcap_{rate}.log"
    theirs_file = work / f"dumpcap_{rate}.pcapng"
    ours = start_tool([sys.executable, "-m", "inspector", "capture", "-i", "lo", "-f", f"tcp port {port}", "--json",
                       "--no-payload", "-w", str(work / f"ours_{rate}.pcapng")], "inspector: capturing on", ours_log,
                      ours_log.with_suffix(".out"))
    theirs = start_tool([shutil.which("dumpcap") or "dumpcap", "-i", "lo", "-f", f"tcp port {port}", "-B",
                         str(buffer_mib), "-w", str(theirs_file)], "Capturing on", theirs_log)
    time.sleep(STARTUP_GRACE)
    load_before = os.getloadavg()[0]
    elapsed = send_frames(port, frames, rate, connections)
    load_after = os.getloadavg()[0]
    server.join(READY_TIMEOUT)
    time.sleep(SETTLE_SECONDS)
    stop_tool(theirs)
    stop_tool(ours)
    ours_text, theirs_text = ours_log.read_text(errors="replace"), theirs_log.read_text(errors="replace")
    theirs_found, theirs_segments = count_file(theirs_file, port)
    ours_found = count_json(ours_log.with_suffix(".out"))
    _, ours_segments = count_file(work / f"ours_{rate}.pcapng", port)
    segments = max(ours_segments, theirs_segments)  # a tool that dropped packets saw fewer
    ours_drops = number_in(ours_text, r"kernel dropped (\d+)") if "packets captured" in ours_text else "?"
    if ours_drops == "?" and "packets captured" in ours_text:
        ours_drops = "0"
    theirs_drops = number_in(theirs_text, r"Packets received/dropped on interface '[^']*': \d+/(\d+)")
    ratio = ours_found / theirs_found if theirs_found else float("nan")
    lag = number_in(ours_text, r"read at most (\d+) ms")
    print(f"{rate:>7} {len(frames):>8} {len(frames) / elapsed:>9.0f} {segments:>9} | {ours_found:>8} {ours_drops:>7} | "
          f"{theirs_found:>8} {theirs_drops:>7} | {ratio:5.3f} | {lag:>6} | {load_before:4.2f}->{load_after:4.2f}",
          flush=True)
    if "error" in ours_text.lower() or "Traceback" in ours_text:
        print("  ours said: " + ours_text.strip().splitlines()[-1], flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rates", default="5000,15000,50000", help="frames per second, comma-separated")
    parser.add_argument("--seconds", type=float, default=10.0, help="how long each rate is sent")
    parser.add_argument("--connections", type=int, default=4, help="connections sending at once")
    parser.add_argument("--buffer", type=int, default=64, metavar="MIB",
                        help="dumpcap's capture buffer (-B); ours is a 64 MiB ring")
    parser.add_argument("--keep", type=Path, help="keep the captures and logs in this directory")
    args = parser.parse_args()
    if os.geteuid() != 0:
        sys.exit("bench_live.py sniffs lo: run it as root")
    if shutil.which("dumpcap") is None:
        sys.exit("dumpcap is missing: apt-get install tshark (it brings dumpcap)")
    print(f"{args.seconds:g} s per rate over {args.connections} connections; one {FRAME_BYTES}-byte frame per "
          f"send(MSG_EOR); cores: {os.cpu_count()}")
    print(f"{'rate':>7} {'sent':>8} {'achieved':>9} {'segments':>9} | {'ours':>8} {'drops':>7} | "
          f"{'dumpcap':>8} {'drops':>7} | ratio | lag ms | load avg (1 min)")
    with tempfile.TemporaryDirectory() as temporary:
        work = args.keep or Path(temporary)
        work.mkdir(parents=True, exist_ok=True)
        for rate in (int(text) for text in args.rates.split(",")):
            run_rate(rate, args.seconds, args.connections, args.buffer, work)


if __name__ == "__main__":
    main()
