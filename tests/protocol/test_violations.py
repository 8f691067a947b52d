"""RULES is the one violation table: complete as soon as it is imported, and a superset of every code
the decoder can emit."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

from inspector import resources
from inspector.cli import main
from inspector.protocol.violations import RULES

PACKAGE = Path(__file__).resolve().parents[2] / "inspector"


def test_the_table_is_complete_without_importing_the_modules_that_check_rules():
    # A fresh interpreter: nothing but violations.py is imported before the lookup.
    script = (
        "import sys\n"
        "from inspector.protocol.violations import violation\n"
        "found = violation('capture-gap')\n"
        "assert found.code == 'capture-gap' and found.message, found\n"
        "others = sorted(m for m in sys.modules if m.startswith('inspector.protocol.'))\n"
        "print(others)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    only_violations = "['inspector.protocol.violations']"
    assert result.stdout.strip() == only_violations, f"other protocol modules were imported: {result.stdout}"


def _violation_calls() -> list[tuple[str, int, ast.expr]]:
    """(file, line, first argument) of every call to `violation(...)` in the package."""
    calls = []
    for path in sorted(PACKAGE.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call) or not node.args:
                continue
            name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", None)
            if name == "violation":
                calls.append((str(path.relative_to(PACKAGE.parent)), node.lineno, node.args[0]))
    return calls


def test_every_code_the_sources_pass_to_violation_is_in_the_table():
    calls = _violation_calls()
    assert len(calls) > 40, "the AST walk found too few calls to be looking at the decoder"
    not_literal = [f"{file}:{line}" for file, line, arg in calls
                   if not (isinstance(arg, ast.Constant) and isinstance(arg.value, str))]
    # A computed code would escape this check: every call names its code as a literal.
    assert not_literal == []
    unknown = [f"{file}:{line}: {arg.value}" for file, line, arg in calls
               if isinstance(arg, ast.Constant) and arg.value not in RULES]
    assert unknown == []


def test_every_table_entry_is_used_somewhere():
    used = {arg.value for _, _, arg in _violation_calls() if isinstance(arg, ast.Constant)}
    assert sorted(RULES.keys() - used) == []


@pytest.mark.parametrize("name", ["chromium-deflate.pcapng", "websockets-deflate.pcapng",
                                  "websockets-echo.pcapng", "websockets-violations.pcapng"])
def test_every_code_in_a_bundled_dump_is_in_the_table(name, capsys):
    assert main(["dump", str(resources.capture_path(name)), "--json"]) == 0
    codes = set()
    for line in capsys.readouterr().out.splitlines():
        record = json.loads(line)
        for key in ("violations", "handshake_violations"):
            codes |= {found["code"] for found in record.get(key) or ()}
    assert codes <= RULES.keys()
    if name == "websockets-violations.pcapng":
        assert len(codes) >= 5, codes  # the sample that breaks rules on purpose does show them
