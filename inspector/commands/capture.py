"""`inspector capture -i IFACE`: decode WebSocket traffic live, printed the way `inspector dump` prints a file.

LiveDecoding (capture/live.py) reads packets in a process of their own and hands them here in batches,
decoded by the producer a file the window loads goes through (capture/load.py): the same session
events, in the same order. The output goes through dump's own writers (JSON Lines or the listing),
flushed after every batch (a few milliseconds of traffic) so a person or a pipe sees each frame as it
happens. `-w` keeps the raw packets as
pcapng, which `inspector dump` and tshark read.
"""

from __future__ import annotations

import argparse
import signal
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from inspector.capture.live import LiveDecoding
from inspector.capture.packets import RawPacket
from inspector.capture.pcapng_writer import PcapngWriter
from inspector.commands.dump import writer_for
from inspector.commands.options import add_inflate_limit, add_output_options, path_argument
from inspector.errors import InspectorError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "capture",
        help="capture live traffic and decode its WebSocket connections as they happen",
        description="Sniff an interface (needs root or CAP_NET_RAW) and print WebSocket handshakes, frames and "
        "messages like `inspector dump`. Stops after -c packets, --duration seconds, or Ctrl-C.",
    )
    parser.add_argument("-i", "--interface", required=True, metavar="IFACE", help="network interface, e.g. lo")
    parser.add_argument("-f", "--filter", metavar="BPF", help="capture filter, e.g. 'tcp port 8765' (needs libpcap)")
    parser.add_argument("-w", "--write", type=path_argument, metavar="OUT.pcapng",
                        help="also save the captured packets as pcapng")
    parser.add_argument("-c", "--count", type=int, default=0, metavar="COUNT", help="stop after COUNT packets")
    parser.add_argument("--duration", type=float, metavar="S", help="stop after S seconds")
    add_output_options(parser)
    add_inflate_limit(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.count < 0:
        raise InspectorError(f"-c {args.count}: the packet count cannot be negative")
    if args.duration is not None and args.duration <= 0:
        raise InspectorError(f"--duration {args.duration}: give a positive number of seconds")
    writer = writer_for(args)
    with ExitStack() as stack:
        pcapng = None
        if args.write:
            try:
                pcapng = PcapngWriter(stack.enter_context(open(args.write, "wb")))
            except OSError as error:
                raise InspectorError(f"cannot write {args.write}: {error.strerror or error}") from None

        def seen(batch: list[RawPacket]) -> None:
            for packet in batch:
                writer.times.see(packet.time)
                if pcapng is not None:
                    pcapng.write(packet)

        live = LiveDecoding(args.interface, args.filter, count=args.count, duration=args.duration,
                            inflate_limit=args.inflate_limit, on_packets=seen)
        live.start()
        stack.callback(live.stop)
        stack.enter_context(interrupt_stops(live))
        # The one line a script (or a test) can wait for before it starts the traffic.
        print(f"inspector: capturing on {args.interface}" + (f" ({args.filter})" if args.filter else ""),
              file=sys.stderr, flush=True)
        for events in live.events():
            for event in events:
                writer.event(event)
            writer.flush()  # live output: show each batch's events now (a batch is at most milliseconds long)
            sys.stdout.flush()
        writer.close()
    note = f"; the kernel dropped {live.kernel_drops}" if live.kernel_drops else ""
    # How close the reader came to losing packets: the ring holds a few seconds of traffic.
    lag = f", read at most {live.longest_wait * 1000:.0f} ms after arrival" if live.packets_read else ""
    stopped = " (interrupted)" if live.interrupted else ""
    print(f"inspector: {live.packets_read} packets captured{lag}{note}{stopped}", file=sys.stderr)
    return 0


@contextmanager
def interrupt_stops(live: LiveDecoding) -> Iterator[None]:
    """The first Ctrl-C stops capturing and lets what was captured be decoded and written; a second
    one interrupts that too (KeyboardInterrupt, as usual).

    While this runs the main thread blocks SIGINT, so the kernel hands the signal to the capture's
    receiving thread (started before) and the main thread's writes are never interrupted: CPython 3.11's buffered writer
    loses the rest of a large write to a full pipe when a signal interrupts it and the handler
    returns. Python still runs the handler in the main thread, between two bytecodes.
    """

    def first(_signal: int, _frame: object) -> None:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})  # the second Ctrl-C reaches us directly
        live.interrupt()

    previous = signal.signal(signal.SIGINT, first)
    mask = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, mask)
        signal.signal(signal.SIGINT, previous)
