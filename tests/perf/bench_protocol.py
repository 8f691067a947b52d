"""Benchmark the protocol core: our FrameParser against wsproto's, and our unmasking against C.

    python tests/perf/bench_protocol.py [--frames 1000000] [--chunk 65536] [--profile]

A script, not a test: run it once by hand. Targets: parser >= 2x wsproto 1.3.2; unmask >= 0.3x
websockets' C `apply_mask` (which uses SIMD and can reach tens of GB/s; the ratio is reported as
measured, not massaged). It times the core as installed: setup.py's mypyc build, or the Python sources
with INSPECTOR_PURE_PYTHON=1; the first line says which.

The workload is one byte stream per direction: masked client frames and unmasked server frames
(wsproto rejects a mix in one stream, Section 5.1), payloads 16 B to 64 KiB weighted to small ones,
fed in `--chunk`-sized pieces the way reassembled TCP arrives.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import pstats
import random
import struct
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from wsproto.frame_protocol import FrameProtocol

from inspector import BUILD
from inspector.protocol.constants import Direction
from inspector.protocol.masking import apply_mask, mask_bigint, mask_translate
from inspector.protocol.stream import FrameParser

try:
    from websockets.speedups import apply_mask as c_apply_mask  # type: ignore[attr-defined]
except ImportError:  # the wheel without its C extension
    c_apply_mask = None

# Payload size bands (low, high, weight): mostly small chat-like frames, a tail up to 64 KiB.
SIZE_BANDS = ((16, 125, 80), (126, 1024, 18), (1025, 16384, 19 / 10), (16385, 65536, 1 / 10))
PARSER_TARGET = 2.0
UNMASK_TARGET = 0.3
UNMASK_SIZES = (16, 125, 1024, 65536, 1 << 20)
MEASURE_SECONDS = 0.3  # per unmask measurement: long enough to be stable, short enough to run often


def payload_sizes(count: int, rng: random.Random) -> list[int]:
    bands = [(low, high) for low, high, _ in SIZE_BANDS]
    weights = [weight for _, _, weight in SIZE_BANDS]
    return [rng.randint(*band) for band in rng.choices(bands, weights, k=count)]


def header(opcode: int, size: int, key: bytes | None) -> bytes:
    """RFC 6455 Section 5.2 header with the minimal length form; FIN always set."""
    first = 0x80 | opcode
    mask_bit = 0x80 if key else 0
    if size <= 125:
        head = struct.pack("!BB", first, mask_bit | size)
    elif size <= 0xFFFF:
        head = struct.pack("!BBH", first, mask_bit | 126, size)
    else:
        head = struct.pack("!BBQ", first, mask_bit | 127, size)
    return head + (key or b"")


def build_stream(sizes: list[int], masked: bool, rng: random.Random) -> bytes:
    """Binary frames (text would make wsproto validate random bytes as UTF-8), a ping every 50.

    Payload bytes are slices of one random pool; masked frames carry them as if already masked,
    which is indistinguishable from real masked data.
    """
    pool = rng.randbytes(65536 * 2)
    parts: list[bytes] = []
    for number, size in enumerate(sizes):
        key = rng.randbytes(4) if masked else None
        opcode, size = (0x9, min(size, 125)) if number % 50 == 49 else (0x2, size)
        start = rng.randrange(0, 65536)
        parts.append(header(opcode, size, key))
        parts.append(pool[start : start + size])
    return b"".join(parts)


def chunks(data: bytes, size: int) -> Iterator[memoryview]:
    view = memoryview(data)
    for start in range(0, len(view), size):
        yield view[start : start + size]


def run_ours(stream: bytes, direction: Direction, chunk: int) -> int:
    parser = FrameParser(direction)
    count = 0
    for piece in chunks(stream, chunk):
        for frame in parser.feed(piece):
            count += len(frame.payload) >= 0  # reading it unmasks it, as wsproto does (our parser defers that)
    return count


def run_wsproto(stream: bytes, client: bool, chunk: int) -> int:
    protocol = FrameProtocol(client=client, extensions=[])
    count = 0
    for piece in chunks(stream, chunk):
        protocol.receive_bytes(bytes(piece))
        for frame in protocol.received_frames():
            count += frame.frame_finished  # wsproto hands out parts of frames that span chunks
    return count


def timed(function: Callable[[], int]) -> tuple[int, float]:
    gc.collect()
    start = time.perf_counter()
    result = function()
    return result, time.perf_counter() - start


def bench_parsers(frames: int, chunk: int, rng: random.Random, profile: bool) -> list[int]:
    half = frames // 2
    client_sizes = payload_sizes(half, rng)
    server_sizes = payload_sizes(frames - half, rng)
    client = build_stream(client_sizes, True, rng)
    server = build_stream(server_sizes, False, rng)
    total_bytes = len(client) + len(server)
    print(f"parser workload: {frames:,} frames, {total_bytes / 1e6:,.1f} MB, fed in {chunk:,}-byte chunks")

    ours_c, t_ours_c = timed(lambda: run_ours(client, Direction.CLIENT, chunk))
    ours_s, t_ours_s = timed(lambda: run_ours(server, Direction.SERVER, chunk))
    theirs_c, t_theirs_c = timed(lambda: run_wsproto(client, False, chunk))
    theirs_s, t_theirs_s = timed(lambda: run_wsproto(server, True, chunk))
    ours, t_ours = ours_c + ours_s, t_ours_c + t_ours_s
    theirs, t_theirs = theirs_c + theirs_s, t_theirs_c + t_theirs_s
    if ours != frames or theirs != frames:
        raise SystemExit(f"frame counts differ: built {frames}, ours {ours}, wsproto {theirs}")
    ratio = t_theirs / t_ours
    print(f"  ours     FrameParser : {frames / t_ours:>12,.0f} frames/s  {total_bytes / t_ours / 1e9:6.2f} GB/s"
          f"  (masked {half / t_ours_c:,.0f}/s, unmasked {(frames - half) / t_ours_s:,.0f}/s)")
    print(f"  wsproto FrameProtocol: {frames / t_theirs:>12,.0f} frames/s  {total_bytes / t_theirs / 1e9:6.2f} GB/s")
    verdict = "meets" if ratio >= PARSER_TARGET else "BELOW"
    print(f"  ratio ours/wsproto   : {ratio:.2f}x  ({verdict} the {PARSER_TARGET:.0f}x target)")
    if profile or ratio < PARSER_TARGET:
        profiler = cProfile.Profile()
        profiler.enable()
        run_ours(client, Direction.CLIENT, chunk)
        profiler.disable()
        print("  where our time goes (masked stream, top 8 by own time):")
        pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(8)
    return client_sizes


def measure(function: Callable[[bytes, bytes], bytes], data: bytes, key: bytes) -> float:
    """Bytes per second of `function(data, key)`, repeated for about MEASURE_SECONDS."""
    repeats = 1
    while True:
        start = time.perf_counter()
        for _ in range(repeats):
            function(data, key)
        elapsed = time.perf_counter() - start
        if elapsed >= MEASURE_SECONDS:
            return len(data) * repeats / elapsed
        repeats = max(repeats * 2, int(repeats * MEASURE_SECONDS / max(elapsed, 1e-6)))


def unmask_functions() -> dict[str, Callable[[bytes, bytes], bytes]]:
    functions: dict[str, Callable[[bytes, bytes], bytes]] = {
        "mask_bigint": mask_bigint,
        "mask_translate": mask_translate,
        "apply_mask": apply_mask,
    }
    if c_apply_mask is not None:
        functions["websockets C"] = c_apply_mask
    return functions


def bench_unmask(sizes: list[int], rng: random.Random) -> None:
    functions = unmask_functions()
    key = rng.randbytes(4)
    names = list(functions)
    print("\nunmask throughput, GB/s (higher is better)")
    print(f"  {'size':>10}" + "".join(f"{name:>16}" for name in names) + f"{'apply/C':>10}")
    for size in UNMASK_SIZES:
        data = rng.randbytes(size)
        expected = bytes(b ^ key[i % 4] for i, b in enumerate(data[:64]))
        rates = {}
        for name, function in functions.items():
            if function(data, key)[:64] != expected:
                raise SystemExit(f"{name} unmasks {size} bytes wrongly")
            rates[name] = measure(function, data, key)
        ratio = rates["apply_mask"] / rates["websockets C"] if "websockets C" in rates else float("nan")
        print(f"  {size:>10,}" + "".join(f"{rates[name] / 1e9:>16.3f}" for name in names) + f"{ratio:>9.2f}x")

    # The mixed workload: the client stream's payload sizes, each with its own key.
    sample = sizes[:200_000]
    pool = rng.randbytes(65536 * 2)
    payloads = [(pool[s : s + n], rng.randbytes(4)) for s, n in ((rng.randrange(65536), n) for n in sample)]
    total = sum(len(p) for p, _ in payloads)
    rates = {}
    for name, function in functions.items():
        gc.collect()
        start = time.perf_counter()
        for payload, frame_key in payloads:
            function(payload, frame_key)
        rates[name] = total / (time.perf_counter() - start)
    ratio = rates["apply_mask"] / rates["websockets C"] if "websockets C" in rates else float("nan")
    label = f"mixed {len(sample) // 1000}k"
    print(f"  {label:>10}" + "".join(f"{rates[name] / 1e9:>16.3f}" for name in names) + f"{ratio:>9.2f}x")
    verdict = "meets" if ratio >= UNMASK_TARGET else "BELOW"
    print(f"  apply_mask vs C on the mixed workload: {ratio:.2f}x ({verdict} the {UNMASK_TARGET}x target)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--frames", type=int, default=1_000_000, help="frames in the parser workload")
    parser.add_argument("--chunk", type=int, default=65536, help="bytes per feed() call")
    parser.add_argument("--seed", type=int, default=6455)
    parser.add_argument("--profile", action="store_true", help="always print where our parser spends its time")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    speedups = "yes" if c_apply_mask else "NO"
    print(f"Python {sys.version.split()[0]}; our core: {BUILD}; websockets C speedups: {speedups}")
    sizes = bench_parsers(args.frames, args.chunk, rng, args.profile)
    bench_unmask(sizes, rng)
    return 0


if __name__ == "__main__":
    sys.exit(main())
