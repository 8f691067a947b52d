"""Benchmark resynchronising over garbage against decoding frames, in the same run.

    python tests/perf/bench_resync.py [--mib 4] [--segment 1460] [--dump]

A script, not a test: run it once by hand. A connection picked up mid-stream (or after a gap) searches
its bytes for a frame boundary (protocol/resync.py). That search must be linear in the bytes. Target:
its MB/s at the largest size is at least half its MB/s at the smallest (a quadratic search loses a
factor of 4 there). Decoding valid frames, measured in the same run, is the yardstick the ratios use:
the search looks at every offset, where decoding frames jumps from header to header, so expect it slower.

Workloads, each fed to a `ConnectionDecoder(expect_handshake=False)` in `--segment`-byte pieces:
- frames: valid server frames (payloads 2-1000 bytes), the peer this run compares against;
- 0xff: bytes that can never start a frame (the case of issue 8);
- waiting: `82 7e ff ff` repeated, where every fourth offset claims a 65,535-byte frame, so the search
  must wait for 64 KiB before it can rule the offset out (the worst case for the search).
With `--dump`, also `inspector dump --json` on a capture with a handshake, one frame, a 10-byte gap
in the server direction and then the 0xff garbage, next to the same capture with frames instead.
"""

from __future__ import annotations

import argparse
import gc
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from inspector import BUILD
from inspector.protocol.connection import ConnectionDecoder
from inspector.protocol.constants import Direction
from tests.capture import synth

TARGET = 0.5  # MB/s at the largest size over MB/s at the smallest, for each kind of garbage
MIB = 1 << 20


def frames_stream(size: int, rng: random.Random) -> bytes:
    parts: list[bytes] = []
    total = 0
    while total < size:
        frame = synth.ws_frame(2, rng.randbytes(rng.randint(2, 1000)))
        parts.append(frame)
        total += len(frame)
    return b"".join(parts)[:size]


def garbage(kind: str, size: int) -> bytes:
    if kind == "0xff":
        return b"\xff" * size
    return (bytes([0x82, 126, 0xFF, 0xFF]) * (size // 4 + 1))[:size]


def decode(data: bytes, segment: int) -> tuple[int, int]:
    """Feed `data` as the server's bytes of a mid-stream connection: (frames found, bytes skipped)."""
    decoder = ConnectionDecoder(expect_handshake=False)
    found = 0
    for start in range(0, len(data), segment):
        found += sum(1 for event in decoder.feed(Direction.SERVER, data[start : start + segment])
                     if type(event).__name__ == "Frame")
    found += sum(1 for event in decoder.finish() if type(event).__name__ == "Frame")
    return found, decoder.skipped_bytes[Direction.SERVER]


def rate(function: Callable[[], object], size: int) -> float:
    gc.collect()
    start = time.perf_counter()
    function()
    return size / (time.perf_counter() - start) / 1e6


def bench_decoder(mib: float, segment: int) -> bool:
    rng = random.Random(8)
    sizes = sorted({int(mib * MIB) // 4, int(mib * MIB)})
    first: list[float] = []
    last: list[float] = []
    print(f"ConnectionDecoder without handshake, {segment}-byte segments, MB/s (higher is better)")
    print(f"  {'size':>10} {'frames':>10} {'0xff':>10} {'waiting':>10} {'0xff/frames':>12} {'waiting/frames':>15}")
    for size in sizes:
        valid = frames_stream(size, rng)
        count, skipped = decode(valid, segment)
        if skipped or not count:
            raise SystemExit(f"the valid stream did not decode cleanly: {count} frames, {skipped} bytes skipped")
        base = rate(lambda data=valid: decode(data, segment), size)
        rates = []
        for kind in ("0xff", "waiting"):
            data = garbage(kind, size)
            if decode(data, segment) != (0, size):
                raise SystemExit(f"{kind}: garbage was taken for frames")
            rates.append(rate(lambda data=data: decode(data, segment), size))
        ratios = [r / base for r in rates]
        first = first or rates
        last = rates
        print(f"  {size / MIB:>8.2f} MiB {base:>10.1f} {rates[0]:>10.1f} {rates[1]:>10.1f}"
              f" {ratios[0]:>11.2f}x {ratios[1]:>14.2f}x")
    growth = [b / a for a, b in zip(first, last, strict=True)]
    print(f"  MB/s at {sizes[-1] / MIB:g} MiB over MB/s at {sizes[0] / MIB:g} MiB: 0xff {growth[0]:.2f}x, "
          f"waiting {growth[1]:.2f}x (linear work keeps it near 1)")
    return min(growth) >= TARGET


def capture(path: Path, stream: bytes) -> None:
    flow = synth.Flow()
    packets = [*flow.handshake(), *flow.send("client", synth.upgrade_request()),
               *flow.send("server", synth.upgrade_response()), *flow.send("server", synth.ws_frame(1, b"hello"))]
    flow.sent["server"] += 10  # ten bytes the capture lost
    packets += flow.send("server", stream, size=1460)
    packets += flow.close()
    path.write_bytes(synth.pcapng_bytes(packets))


def bench_dump(mib: float) -> bool:
    size = int(mib * MIB)
    with tempfile.TemporaryDirectory() as folder:
        gap = Path(folder, "gap-garbage.pcapng")
        normal = Path(folder, "gap-frames.pcapng")
        capture(gap, garbage("0xff", size))
        capture(normal, frames_stream(size, random.Random(9)))
        seconds = {}
        for name, path in (("frames", normal), ("0xff", gap)):
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "inspector", "dump", "--json", str(path)], check=True,
                           stdout=subprocess.DEVNULL)
            seconds[name] = time.perf_counter() - start
    ratio = seconds["frames"] / seconds["0xff"]
    print(f"\ninspector dump --json, {mib:g} MiB after a 10-byte gap (1460-byte segments)")
    print(f"  frames: {seconds['frames']:.2f} s   0xff garbage: {seconds['0xff']:.2f} s   "
          f"speed garbage/frames: {ratio:.2f}x")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mib", type=float, default=4.0, help="largest stream, in MiB (default 4)")
    parser.add_argument("--segment", type=int, default=1460, help="bytes per feed (default 1460, one TCP segment)")
    parser.add_argument("--dump", action="store_true", help="also time `inspector dump` on generated captures")
    args = parser.parse_args()
    print(f"build: {BUILD}")
    ok = bench_decoder(args.mib, args.segment)
    if args.dump:
        bench_dump(args.mib)
    print(f"\nverdict: resync work per byte {'meets' if ok else 'is BELOW'} the {TARGET}x target "
          "(MB/s does not fall with the size)")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
