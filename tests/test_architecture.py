"""The package boundaries in pyproject.toml ([tool.importlinter]) hold, checked by pytest itself.

The contracts say: the protocol core and the session model are pure; only `ui` imports Qt; capture
and client build on session and protocol, never on each other; the writers (`report`) never import
a producer; and the layers run cli > commands|ui > report > capture|client|lab > session > protocol.
"""

from __future__ import annotations

import os
from pathlib import Path

from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept(capsys) -> None:
    previous = Path.cwd()
    os.chdir(ROOT)  # lint-imports reads pyproject.toml from the working directory
    try:
        status = lint_imports(no_cache=True, no_logo=True)
    finally:
        os.chdir(previous)
    report = capsys.readouterr().out
    assert status == 0, report
    assert "0 broken" in report and "session model is pure" in report
