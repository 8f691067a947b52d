"""Options several sub-commands share, defined once."""

from __future__ import annotations

import argparse

from inspector.protocol.constants import DEFAULT_INFLATE_LIMIT

MIB = 1024 * 1024


def _positive_mib(text: str) -> int:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of MiB") from None
    if not value > 0:
        raise argparse.ArgumentTypeError("the inflate limit must be more than 0 MiB")
    return int(value * MIB)


def add_output_options(parser: argparse.ArgumentParser) -> None:
    """--json and --no-payload, for the commands that print events as `dump` does (dump.writer_for)."""
    parser.add_argument("--json", action="store_true", help="JSON Lines as documented in DESIGN.md")
    parser.add_argument("--no-payload", action="store_true", help="leave payload bytes and text out")


def add_inflate_limit(parser: argparse.ArgumentParser) -> None:
    """--inflate-limit: how far one compressed message may inflate before we stop (a zlib-bomb guard)."""
    parser.add_argument(
        "--inflate-limit",
        type=_positive_mib,
        default=DEFAULT_INFLATE_LIMIT,
        metavar="MIB",
        help=f"stop inflating a message past this many MiB (default {DEFAULT_INFLATE_LIMIT // MIB}); "
        "a message that goes past it is flagged inflate-limit-exceeded",
    )
