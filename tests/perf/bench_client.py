"""Benchmark the built-in client against the `websockets` client, both talking to the lab server.

    python tests/perf/bench_client.py [--messages 5000] [--size 32]

A script, not a test: run it once by hand. The lab server (`inspector serve --mode echo --no-deflate`)
runs in its own process; each client, in this process, does the same two things in turn:

* round trips: send one text message, wait for its echo, `--messages` times (latency: median, p99);
* throughput: send `--messages` messages back to back, then read every echo (messages per second).

Our client records and decodes every byte both ways (that is its job), which the websockets client
does not; the ratio is reported as measured. The first line says which build of the core ran.
"""

from __future__ import annotations

import argparse
import asyncio
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from websockets.asyncio.client import connect

from inspector import BUILD
from inspector.client import steps
from inspector.client.engine import Client
from inspector.protocol.constants import Direction
from inspector.session.events import MessageSeen


def start_server() -> tuple[subprocess.Popen[str], str]:
    process = subprocess.Popen([sys.executable, "-m", "inspector", "serve", "--port", "0", "--no-deflate"],
                               stdout=subprocess.PIPE, text=True)
    first = process.stdout.readline()  # type: ignore[union-attr]
    return process, first.split()[-1]


def ours(url: str, count: int, payload: str) -> tuple[list[float], float]:
    client = Client(url)
    client.connect()
    message = steps.text(payload)
    rtts = []
    for _ in range(count):
        seen = len(client.recording.events)
        began = time.perf_counter()
        client.send(message)
        client.listen(5.0, until=lambda s=seen: _server_message_after(client, s))  # type: ignore[misc]
        rtts.append(time.perf_counter() - began)
    seen = len(client.recording.events)
    began = time.perf_counter()
    for _ in range(count):
        client.send(message)
    client.listen(30.0, until=lambda: _server_messages_since(client, seen) >= count)
    elapsed = time.perf_counter() - began
    client.close()
    return rtts, count / elapsed


def _server_message_after(client: Client, start: int) -> bool:
    return any(type(e) is MessageSeen and e.direction is Direction.SERVER
               for e in client.recording.events[start:])


def _server_messages_since(client: Client, start: int) -> int:
    # Only the events since the last call are new; count incrementally through a cache on the function.
    cache = _server_messages_since.__dict__.setdefault("cache", {})
    key = (id(client), start)
    position, found = cache.get(key, (start, 0))
    events = client.recording.events
    for event in events[position:]:
        if type(event) is MessageSeen and event.direction is Direction.SERVER:
            found += 1
    cache[key] = (len(events), found)
    return found


async def theirs(url: str, count: int, payload: str) -> tuple[list[float], float]:
    async with connect(url, compression=None) as ws:
        rtts = []
        for _ in range(count):
            began = time.perf_counter()
            await ws.send(payload)
            await ws.recv()
            rtts.append(time.perf_counter() - began)
        began = time.perf_counter()
        for _ in range(count):
            await ws.send(payload)
        for _ in range(count):
            await ws.recv()
        return rtts, count / (time.perf_counter() - began)


def describe(name: str, rtts: list[float], rate: float) -> str:
    ordered = sorted(rtts)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return (f"{name:<22} round trip median {statistics.median(rtts) * 1e6:8.1f} µs, p99 {p99 * 1e6:8.1f} µs; "
            f"throughput {rate:10.0f} messages/s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--messages", type=int, default=5000)
    parser.add_argument("--size", type=int, default=32, help="payload bytes per message")
    args = parser.parse_args()
    payload = "x" * args.size
    print(f"inspector core: {BUILD}; {args.messages} messages of {args.size} bytes, lab server in its own process")
    process, url = start_server()
    try:
        our_rtts, our_rate = ours(url, args.messages, payload)
        their_rtts, their_rate = asyncio.run(theirs(url, args.messages, payload))
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=10)
    print(describe("inspector client", our_rtts, our_rate))
    print(describe("websockets client", their_rtts, their_rate))
    print(f"ratio (ours / websockets): throughput {our_rate / their_rate:.2f}x, "
          f"median round trip {statistics.median(their_rtts) / statistics.median(our_rtts):.2f}x as fast")
    return 0


if __name__ == "__main__":
    sys.exit(main())
