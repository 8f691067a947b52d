"""Options several sub-commands share, defined once."""

from __future__ import annotations

import argparse

from inspector.filter import DisplayFilter, FilterError, compile_filter
from inspector.protocol.constants import DEFAULT_INFLATE_LIMIT

MIB = 1024 * 1024


# On POSIX, Python hands each command-line argument over as text, with any byte that is not UTF-8
# kept as a lone surrogate (PEP 383). Such text cannot be printed or encoded as UTF-8, so every
# argument goes through one of the converters below: cli.py makes `text_argument` the default.
def text_argument(text: str) -> str:
    """Any text argument: it must be UTF-8, or the user hears which byte is not, in one line."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as error:
        position = len(text[: error.start].encode("utf-8"))
        byte = text.encode("utf-8", "surrogateescape")[position]
        raise argparse.ArgumentTypeError(f"not UTF-8 text (byte 0x{byte:02x} at offset {position})") from None
    return text


def bytes_argument(text: str) -> bytes:
    """An argument used as bytes: UTF-8 for ordinary text, and any other byte exactly as typed."""
    return text.encode("utf-8", "surrogateescape")


def path_argument(text: str) -> str:
    """A file name: any bytes the file system allows (open() takes the surrogates back to bytes)."""
    return text


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
    parser.add_argument("--json", action="store_true",
                        help="JSON Lines: connection, frame and message objects (the README's 'The dump format')")
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


def display_filter_argument(text: str) -> DisplayFilter:
    """A display filter (the README's "Display filters"); a mistake is one line naming its column."""
    try:
        return compile_filter(text_argument(text))
    except FilterError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def add_filter_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--filter", type=display_filter_argument, metavar="EXPR",
                        help="only the frames that match a display filter, e.g. 'websocket.opcode == 9' or "
                        "'text contains \"hello\"' (the README's 'Display filters')")
