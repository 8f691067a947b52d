"""Headless entry points: `inspector decode | craft | dump | capture | send | serve | templates | accept`.

Each sub-command lives in its own module under `inspector.commands` and exposes
`register(subparsers)` and `run(args) -> int`. User errors become one line on stderr and exit code 2.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence
from typing import Any

from . import BUILD, __version__
from .commands.options import text_argument
from .errors import InspectorError

EXIT_USAGE = 2
COMMAND_MODULES = ("decode", "craft", "dump", "capture", "send", "serve", "templates", "accept")


class OneLineArgumentParser(argparse.ArgumentParser):
    """argparse prints the whole usage block on an error; we print one line a person can act on."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")


class CommandParser(OneLineArgumentParser):
    """A sub-command's parser. An argument declared without a type is text: every such argument, in
    every command now or later, refuses bytes that are not UTF-8 with one line instead of a traceback.
    (Not on the top-level parser, which hands the sub-command's arguments on untouched.)"""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.register("type", None, text_argument)


# The command line and the JSON stay English; only the window is translated.
LANGUAGE_NOTE = (
    "This command line and its JSON output are in English. The window (websocket-inspector) is also "
    "translated into Chinese (zh_CN): choose View → Language, or start it with --lang zh_CN. The "
    "translation is a Qt message file, inspector_zh_CN.qm, built from inspector_zh_CN.ts; both are in the installed "
    "package's _resources/translations folder."
)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The whole parser, or with `only` the one sub-command: importing every command's modules (scapy
    for live capture, field trees for decode) would add to the start-up of each run."""
    parser = OneLineArgumentParser(
        prog="inspector",
        description="WebSocket Inspector: decode, craft and capture RFC 6455 traffic down to the bit.",
        epilog=LANGUAGE_NOTE,
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__} ({BUILD})")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=CommandParser)
    for name in COMMAND_MODULES if only is None else (only,):
        module = importlib.import_module(f"inspector.commands.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = sys.argv[1:] if argv is None else list(argv)
    named = arguments[0] if arguments and arguments[0] in COMMAND_MODULES else None
    parser = build_parser(named)
    args = parser.parse_args(arguments)
    if args.command is None:
        parser.print_help()
        return 0
    try:
        return int(args.handler(args) or 0)
    except InspectorError as error:
        print(f"inspector: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:  # `inspector dump ... | head` is normal use
        sys.stderr.close()
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
