"""`inspector capture -i IFACE`: decode WebSocket traffic live, printed the way `inspector dump` prints a file.

The packets go through the same producer as a file the window loads (capture/load.py): the same
session events, in the same order. The output goes through dump's own writers (JSON Lines or the
listing), flushed after every packet so a person or a pipe sees each frame as it happens. `-w` keeps
the raw packets as pcapng, which `inspector dump` and tshark read.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from typing import Any

from inspector.capture.live import LiveCapture
from inspector.capture.load import packet_events
from inspector.capture.packets import RawPacket
from inspector.capture.pcapng_writer import PcapngWriter
from inspector.capture.pipeline import CaptureDecoder
from inspector.commands.dump import writer_for
from inspector.commands.options import add_inflate_limit, add_output_options, path_argument
from inspector.errors import InspectorError
from inspector.session.timebase import TimeBase


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
    decoder = CaptureDecoder(inflate_limit=args.inflate_limit)
    live = LiveCapture(args.interface, args.filter, count=args.count, duration=args.duration)
    with ExitStack() as stack:
        pcapng = None
        if args.write:
            try:
                pcapng = PcapngWriter(stack.enter_context(open(args.write, "wb")))
            except OSError as error:
                raise InspectorError(f"cannot write {args.write}: {error.strerror or error}") from None
        live.start()
        stack.callback(live.stop)
        # The one line a script (or a test) can wait for before it starts the traffic.
        print(f"inspector: capturing on {args.interface}" + (f" ({args.filter})" if args.filter else ""),
              file=sys.stderr, flush=True)
        for events in packet_events(saved(live.packets(), pcapng, writer.times), decoder):
            for event in events:
                writer.event(event)
            writer.flush()  # live output: show each packet's events now, not in batches
            sys.stdout.flush()
        writer.close()
    packets, drops = live.stats
    note = f"; the kernel dropped {drops}" if drops else ""
    stopped = " (interrupted)" if live.interrupted else ""
    print(f"inspector: {decoder.packets} packets captured{note}{stopped}", file=sys.stderr)
    del packets
    return 0


def saved(packets: Iterator[RawPacket], pcapng: PcapngWriter | None, times: TimeBase) -> Iterator[RawPacket]:
    """The packets, each noted for the listing's time base and written to the pcapng file (when there is
    one) before it is decoded."""
    for packet in packets:
        times.see(packet.time)
        if pcapng is not None:
            pcapng.write(packet)
        yield packet
