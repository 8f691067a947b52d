"""`inspector templates`: the named test frames `send --template` knows, with what a compliant server does."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from inspector.client.user_templates import all_templates, user_templates_path
from inspector.report.jsonl import dumps


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "templates",
        help="list the malformed-frame templates and the reaction RFC 6455 asks of a server",
        description="List the built-in templates (and yours, from the file named at the end) by category: "
        "what each sends and what a compliant server must do.",
    )
    parser.add_argument("--json", action="store_true", help="one JSON object per template")
    parser.add_argument("--category", metavar="C", help="only this category")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    templates = [t for t in all_templates().values() if args.category in (None, t.category)]
    out = sys.stdout
    if args.json:
        out.write("".join(dumps(t.to_json()) + "\n" for t in templates))
        return 0
    category = None
    for template in templates:
        if template.category != category:
            category = template.category
            out.write(f"\n{category}\n")
        rfc = f"§{template.rfc}" if template.rfc and not template.rfc.startswith("RFC") else template.rfc
        out.write(f"  {template.name:<28} expect {template.expect.describe():<32} {rfc:<14} {template.description}\n")
    out.write(f"\n{len(templates)} template(s). Your own go in {user_templates_path()}\n")
    return 0
