"""`inspector dump CAPTURE`: every WebSocket connection in a pcap/pcapng file, frame by frame.

--json writes the JSON Lines contract described in the README ("The dump format": every key of the
connection, frame and message objects); without it, a listing a person reads: each connection's
handshake with both header blocks, one line per frame, then a summary. The writers live in report/
(jsonl.py, listing.py); this module runs the pipeline and hands them each packet's events.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, Final

from inspector.capture.pcapfile import CaptureFile
from inspector.capture.pipeline import CaptureDecoder
from inspector.commands.frame_selection import FrameSelection
from inspector.commands.options import add_filter_option, add_inflate_limit, add_output_options, path_argument
from inspector.errors import InspectorError, truncated_capture
from inspector.report.jsonl import JsonWriter
from inspector.report.listing import TextWriter

GC_YOUNG_THRESHOLD: Final = 100_000  # allocations between young-generation collections (Python's default: 700)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "dump",
        help="list the WebSocket connections, frames and messages in a capture file",
        description="Find WebSocket connections in a pcap or pcapng file (from the HTTP Upgrade, not the port) "
        "and list their handshakes, frames and messages.",
    )
    parser.add_argument("capture", type=path_argument, metavar="CAPTURE", help="a .pcap or .pcapng file")
    parser.add_argument("--connection", type=int, metavar="N", help="only connection N (ids start at 1)")
    add_filter_option(parser)
    add_output_options(parser)
    add_inflate_limit(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.connection is not None and args.connection < 1:
        raise InspectorError(f"--connection {args.connection}: connection ids start at 1")
    with CaptureFile(args.capture) as capture, few_collections():
        writer = writer_for(args)
        decoder = CaptureDecoder(inflate_limit=args.inflate_limit)
        wanted = args.connection
        selection = FrameSelection(args.filter) if args.filter is not None else None
        packets = iter(capture)
        first = next(packets, None)
        if first is not None:
            writer.times.see(first.time)  # the only packet whose time sets the base: no call per packet
        source = packets if first is None else itertools.chain((first,), packets)
        if selection is not None:  # its own loop: the unfiltered one below stays as fast as it was
            selection.write(source, decoder, writer.write_all, wanted)
        else:
            # decoder.run(source), taken a packet's events at a time so the writer can loop over them itself.
            for packet in source:
                events = decoder.feed(packet)
                if events:
                    writer.write_all(events, wanted)
            writer.write_all(decoder.finish(), wanted)
        seen = writer.seen if selection is None else selection.announced
        if wanted is not None and wanted not in seen:  # before close(), so no empty summary is printed
            found = decoder.connections_found
            raise InspectorError(f"no connection {wanted} in {args.capture} (it has {found})")
        writer.close()
        if capture.truncated:
            print(f"inspector: warning: {truncated_capture(args.capture, decoder.packets)}", file=sys.stderr)
    return 0


def writer_for(args: argparse.Namespace) -> JsonWriter | TextWriter:
    """The writer that --json and --no-payload (options.add_output_options) ask for, on stdout."""
    payload = not args.no_payload
    return JsonWriter(sys.stdout, payload) if args.json else TextWriter(sys.stdout, payload)


@contextmanager
def few_collections() -> Iterator[None]:
    """Each frame allocates a handful of short-lived objects, none in a cycle: collect the young
    generation far less often and leave the objects of start-up out of it, until done."""
    previous = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*previous)
        gc.unfreeze()
