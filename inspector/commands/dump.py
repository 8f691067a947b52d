"""Placeholder: the capture engineers replace this module with the real `inspector dump`."""

from __future__ import annotations

import argparse
from typing import Any

from inspector.errors import InspectorError


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("dump", help="(not available yet)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    raise InspectorError("not available yet")
