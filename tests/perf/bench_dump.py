"""Benchmark `inspector dump --json --no-payload` against tshark on generated captures.

    python tests/perf/bench_dump.py [--frames 1000000] [--connections 8] [--batch-frames N] [--repeat N] [--keep DIR]

A script, not a test: run it by hand. It writes a pcapng into a temporary directory with `--frames`
WebSocket frames over several TCP connections, each opened by a real RFC 6455 handshake: masked
client frames, unmasked server frames, payloads 2 B to 64 KiB weighted to small ones, some fragmented
messages, ping/pong pairs, permessage-deflate on every other connection, and a closing handshake.
Then it times both tools on the file, checks that they count the same frames, and prints frames/s,
the ratio (target: ours >= 2x tshark) and each tool's peak memory.

How frames are packed into TCP segments changes the answer, because tshark's cost is mostly per
packet and ours is mostly per frame. So by default the benchmark runs twice: once as a busy sender
writes (up to 32 frames share a segment) and once as an interactive peer writes (one message per
write). `--batch-frames N` runs only that packing. `--hash` prints the sha256 of our output for each packing,
so two versions can be checked for byte-identical output on the full-size captures.

Ours runs twice: as installed, with setup.py's mypyc build of the decoding path (the ratio is this
one's), and as plain Python sources (INSPECTOR_PURE_PYTHON=1), to show what the build adds.

Both tools write to a file in the temporary directory (not a pipe we read), so the timing is of the
tool alone and the file can be counted afterwards. Peak memory is the child's VmHWM, read from /proc
while it runs: ru_maxrss would also count the pages this script's fork shared with the child.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from base64 import b64encode
from collections.abc import Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from inspector import BUILD
from inspector.capture.packets import RawPacket
from inspector.capture.pcapng_writer import PcapngWriter, session_packets
from inspector.protocol import encoder
from inspector.protocol.constants import Opcode
from inspector.protocol.deflate import MessageCompressor
from inspector.protocol.encoder import FrameSpec
from inspector.protocol.handshake import build_request, compute_accept

TARGET_RATIO = 2.0
FIRST_SERVER_PORT = 8765
FIRST_CLIENT_PORT = 50001
MEMORY_POLL_SECONDS = 0.02
BUSY_SENDER_BATCH = 32  # frames a busy sender's writes hold at most
INTERACTIVE_BATCH = 1  # one message per write
CONNECTION_GAP = 10.0  # seconds between connection start times, so capture order is time order

# Payload size bands (low, high, weight in percent): chat-sized frames dominate, a tail to 64 KiB.
SIZE_BANDS = ((2, 125, 80.0), (126, 1024, 18.0), (1025, 16384, 1.8), (16385, 65536, 0.2))
FRAGMENTED_SHARE = 0.05  # messages split over 2-4 frames
COMPRESSED_SHARE = 0.3  # of messages on a connection that negotiated permessage-deflate
PING_SHARE = 0.02  # a ping, answered by a pong
TEXT_SHARE = 0.6
BATCH_BYTES = 16384  # a sender's consecutive frames share TCP segments up to about this much

WORDS = (
    "frame", "mask", "opcode", "payload", "length", "fin", "rsv", "handshake", "upgrade", "accept", "key",
    "version", "close", "ping", "pong", "text", "binary", "continuation", "extension", "deflate", "window",
)


class Workload:
    """Draws message shapes from one seeded generator, so a run can be repeated exactly."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        text = " ".join(self.rng.choice(WORDS) for _ in range(40000)).encode()
        self.text_pool = text + text  # slices of up to 64 KiB from any start below len(text)
        self.binary_pool = self.rng.randbytes(65536 * 2)
        self.bands = [(low, high) for low, high, _ in SIZE_BANDS]
        self.weights = [weight for _, _, weight in SIZE_BANDS]

    def size(self) -> int:
        return self.rng.randint(*self.rng.choices(self.bands, self.weights)[0])

    def payload(self, opcode: int, size: int) -> bytes:
        pool = self.text_pool if opcode == Opcode.TEXT else self.binary_pool
        start = self.rng.randrange(0, len(pool) // 2)
        return pool[start : start + size]


def handshake(workload: Workload, port: int, deflate: bool) -> list[tuple[str, bytes]]:
    key_text = b64encode(workload.rng.randbytes(16)).decode()  # Section 4.1: base64 of a 16-byte nonce
    offers = ["permessage-deflate; client_max_window_bits"] if deflate else []
    request = build_request(f"127.0.0.1:{port}", "/bench", key=key_text, extensions=offers)
    lines = [
        "HTTP/1.1 101 Switching Protocols",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Accept: {compute_accept(key_text).accept}",
    ]
    if deflate:
        lines.append("Sec-WebSocket-Extensions: permessage-deflate")
    return [("client", request), ("server", ("\r\n".join(lines) + "\r\n\r\n").encode())]


def message_specs(workload: Workload, sender: str, compressor: MessageCompressor | None) -> list[FrameSpec]:
    """One message (1-4 frames), or a ping; masking is applied by the caller per frame."""
    rng = workload.rng
    if rng.random() < PING_SHARE:
        return [encoder.ping(workload.payload(Opcode.BINARY, rng.randint(0, 125)), mask=False)]
    opcode = Opcode.TEXT if rng.random() < TEXT_SHARE else Opcode.BINARY
    data = workload.payload(opcode, workload.size())
    parts = rng.randint(2, 4) if rng.random() < FRAGMENTED_SHARE else 1
    if compressor is not None and rng.random() < COMPRESSED_SHARE:
        return encoder.compressed(data, opcode=opcode, mask=False, parts=parts, compressor=compressor)
    return encoder.fragment(data, opcode, parts, mask=False)


def connection_exchanges(
    workload: Workload, frames: int, port: int, deflate: bool, batch_frames: int = BUSY_SENDER_BATCH
) -> tuple[list, int]:
    """(exchanges, frame count) for one connection with about `frames` frames.

    A sender's consecutive messages share a write (so TCP segments) up to `batch_frames` frames.
    """
    rng = workload.rng
    exchanges = handshake(workload, port, deflate)
    compressors = {"client": MessageCompressor(), "server": MessageCompressor()} if deflate else {}
    written = 0
    while written < frames - 2:  # leave room for the two Close frames
        sender = "client" if rng.random() < 0.5 else "server"
        batch: list[bytes] = []
        size = 0
        while len(batch) < batch_frames and size < BATCH_BYTES and written < frames - 2:
            specs = message_specs(workload, sender, compressors.get(sender))
            if specs[0].opcode == Opcode.PING:  # the peer answers in its own batch
                pong = encoder.pong(specs[0].payload, mask=False)
                exchanges.append((sender, b"".join(encode(s, sender, rng) for s in specs)))
                exchanges.append((peer(sender), encode(pong, peer(sender), rng)))
                written += 2
                continue
            for spec in specs:
                frame = encode(spec, sender, rng)
                batch.append(frame)
                size += len(frame)
            written += len(specs)
        if batch:
            exchanges.append((sender, b"".join(batch)))
    exchanges.append(("client", encode(encoder.close(1000, "bye", mask=False), "client", rng)))
    exchanges.append(("server", encode(encoder.close(1000, "bye", mask=False), "server", rng)))
    return exchanges, written + 2


def peer(sender: str) -> str:
    return "server" if sender == "client" else "client"


def encode(spec: FrameSpec, sender: str, rng: random.Random) -> bytes:
    """RFC 6455 Section 5.1: clients mask every frame with a fresh key, servers never mask."""
    if sender == "client":
        spec.mask_bit = True
        spec.masking_key = rng.randbytes(4)
    return encoder.encode(spec)


def write_capture(
    path: Path, frames: int, connections: int, seed: int, batch_frames: int = BUSY_SENDER_BATCH
) -> tuple[int, list[int], int]:
    """Write the capture; returns (frames written, server ports, packets written)."""
    workload = Workload(seed)
    per_connection = max(frames // connections, 3)
    total = 0
    packets = 0
    ports: list[int] = []
    with open(path, "wb") as file:
        writer = PcapngWriter(file)
        for number in range(connections):
            port = FIRST_SERVER_PORT + number
            ports.append(port)
            wanted = frames - total if number == connections - 1 else per_connection
            exchanges, count = connection_exchanges(
                workload, max(wanted, 3), port, deflate=number % 2 == 1, batch_frames=batch_frames
            )
            total += count
            stream: Iterator[RawPacket] = session_packets(
                exchanges,
                client=("127.0.0.1", FIRST_CLIENT_PORT + number),
                server=("127.0.0.1", port),
                start_time=1_763_683_200.0 + number * CONNECTION_GAP,
                step=1e-6,
            )
            for packet in stream:
                packets += 1
                writer.write(packet._replace(number=packets))
    return total, ports, packets


def run_timed(command: list[str], output: Path, environment: dict[str, str] | None = None) -> tuple[float, float]:
    """Run with stdout to `output`; returns (seconds, peak resident MB) of the child alone."""
    peak_kb = 0
    with open(output, "wb") as sink:
        start = time.perf_counter()
        child = subprocess.Popen(command, stdout=sink, stderr=subprocess.PIPE, env=environment)
        status = Path(f"/proc/{child.pid}/status")
        while child.poll() is None:
            peak_kb = max(peak_kb, _high_water_kb(status))
            time.sleep(MEMORY_POLL_SECONDS)
        elapsed = time.perf_counter() - start
    error = child.stderr.read().decode(errors="replace") if child.stderr else ""
    if child.returncode:
        raise SystemExit(f"{command[0]} exited {child.returncode}: {error.strip()[:500]}")
    return elapsed, peak_kb / 1024


def _high_water_kb(status: Path) -> int:
    """VmHWM, the peak resident set of the process image now running (0 once it has gone)."""
    try:
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def count_ours(output: Path) -> int:
    count = 0
    with open(output, "rb") as lines:
        for line in lines:
            count += line.startswith(b'{"type": "frame"')
    return count


def count_tshark(output: Path) -> int:
    """One line per packet; a packet carrying several frames lists its values comma-separated."""
    count = 0
    with open(output, "rb") as lines:
        for line in lines:
            opcodes = line.split(b"\t", 1)[0].strip()
            if opcodes:
                count += opcodes.count(b",") + 1
    return count


def run_case(args: argparse.Namespace, tshark: str, batch_frames: int, workdir: Path) -> tuple[float, bool]:
    """Write one capture and time both tools on it; returns (ratio, frame counts agree)."""
    label = "interactive" if batch_frames == INTERACTIVE_BATCH else f"up to {batch_frames} frames per write"
    capture = workdir / f"bench-{batch_frames}.pcapng"
    start = time.perf_counter()
    frames, ports, packets = write_capture(capture, args.frames, args.connections, args.seed, batch_frames)
    size_mb = capture.stat().st_size / 1e6
    os.sync()  # the capture's dirty pages would otherwise be written back during the first timed runs
    print(f"capture ({label}): {frames:,} frames in {packets:,} packets over {len(ports)} connections, "
          f"{size_mb:,.1f} MB, written in {time.perf_counter() - start:.1f} s")

    ours_out = workdir / f"ours-{batch_frames}.jsonl"
    ours_cmd = [sys.executable, "-m", "inspector", "dump", str(capture), "--json", "--no-payload"]
    pure_out = workdir / f"ours-pure-{batch_frames}.jsonl"
    tshark_out = workdir / f"tshark-{batch_frames}.tsv"
    decode_as = [arg for port in ports for arg in ("-d", f"tcp.port=={port},http")]
    tshark_cmd = [tshark, "-n", "-r", str(capture), *decode_as, "-Y", "websocket", "-T", "fields",
                  "-e", "websocket.opcode", "-e", "websocket.payload_length"]
    runs: dict[str, list[tuple[float, float]]] = {"ours": [], "pure": [], "tshark": []}
    for _ in range(args.repeat):  # taken in turns, so a slow spell of the machine hits all three alike
        runs["ours"].append(run_timed(ours_cmd, ours_out))
        runs["pure"].append(run_timed(ours_cmd, pure_out, {**os.environ, "INSPECTOR_PURE_PYTHON": "1"}))
        runs["tshark"].append(run_timed(tshark_cmd, tshark_out))
    (t_ours, rss_ours), (t_pure, _rss), (t_tshark, rss_tshark) = (
        (min(t for t, _ in timings), max(m for _, m in timings)) for timings in runs.values()
    )
    if args.repeat > 1:
        print("  seconds per run: " + "; ".join(
            f"{name} " + ", ".join(f"{t:.2f}" for t, _ in timings) for name, timings in runs.items()))

    n_ours, n_tshark = count_ours(ours_out), count_tshark(tshark_out)
    same = ours_out.read_bytes() == pure_out.read_bytes()
    print(f"  frames counted: generated {frames:,}, ours {n_ours:,}, tshark {n_tshark:,}; "
          f"both builds' output {'identical' if same else 'DIFFERS'}")
    print(f"  inspector dump: {t_ours:7.2f} s  {n_ours / t_ours:>10,.0f} frames/s  peak {rss_ours:,.0f} MB"
          f"  ({rss_ours / (n_ours / 1e6):,.0f} MB per million frames)  [{BUILD}]")
    print(f"  same, sources : {t_pure:7.2f} s  {n_ours / t_pure:>10,.0f} frames/s  "
          f"(INSPECTOR_PURE_PYTHON=1: {t_tshark / t_pure:.2f}x tshark)")
    print(f"  tshark        : {t_tshark:7.2f} s  {n_tshark / t_tshark:>10,.0f} frames/s  peak {rss_tshark:,.0f} MB"
          f"  ({rss_tshark / (n_tshark / 1e6):,.0f} MB per million frames)")
    if args.hash:
        print(f"  sha256 of our output: {hashlib.sha256(ours_out.read_bytes()).hexdigest()}")
    ratio = t_tshark / t_ours
    verdict = "meets" if ratio >= TARGET_RATIO else "BELOW"
    print(f"  ratio (tshark time / our time): {ratio:.2f}x ({verdict} the {TARGET_RATIO:.0f}x target)")
    if args.repeat > 1:
        rounds = sorted(theirs / ours for (ours, _), (theirs, _) in zip(runs["ours"], runs["tshark"], strict=True))
        print(f"  the same ratio round by round: {rounds[0]:.2f}x to {rounds[-1]:.2f}x, "
              f"median {statistics.median(rounds):.2f}x")
    if not n_ours == n_tshark == frames or not same:
        print("  FRAME COUNTS OR BUILDS DIFFER", file=sys.stderr)
        return ratio, False
    return ratio, True


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--frames", type=int, default=1_000_000)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seed", type=int, default=6455)
    parser.add_argument("--repeat", type=int, default=3, metavar="N",
                        help="time each tool N times, in turns, and report the fastest run of each")
    parser.add_argument("--hash", action="store_true",
                        help="print the sha256 of our output per packing, to compare two versions' bytes")
    parser.add_argument("--keep", type=Path, help="write the captures and outputs here and keep them")
    parser.add_argument("--batch-frames", type=int, metavar="N",
                        help=f"only this packing: a sender's messages share TCP segments up to N frames "
                        f"(default: both {BUSY_SENDER_BATCH}, a busy sender, and {INTERACTIVE_BATCH}, interactive)")
    args = parser.parse_args()
    tshark = shutil.which("tshark")
    if tshark is None:
        raise SystemExit("tshark is not installed (apt-get install tshark)")
    batches = [args.batch_frames] if args.batch_frames else [BUSY_SENDER_BATCH, INTERACTIVE_BATCH]

    workdir = Path(tempfile.mkdtemp(prefix="bench_dump_")) if args.keep is None else args.keep
    workdir.mkdir(parents=True, exist_ok=True)
    try:
        results = [run_case(args, tshark, batch, workdir) for batch in batches]
        return 0 if all(agree for _, agree in results) else 1
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
