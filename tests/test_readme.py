"""The README is the project's only reference: its tables must say what the code does, and nothing in
the repository may send a reader to a document the repository does not have."""

from __future__ import annotations

import importlib
import json
import os
import pkgutil
import re
import subprocess
import sys
from pathlib import Path

import inspector.protocol
from inspector import resources
from inspector.cli import main
from inspector.protocol.violations import RULES, Rule
from tests.tools.readme_screenshots import SHOTS
from tests.tools.record_violations import CASES

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
# Files a reader or the tools see: the sources, tests, build and CI scripts, and the README.
READ_BY_PEOPLE = ("inspector", "tests", "resources", ".ci", "README.md", "pyproject.toml", "setup.py")
TEXT_SUFFIXES = {".py", ".md", ".toml", ".txt", ".cfg", ".ini", ""}
# Documents that live outside the repository (spelled so that this file does not name them itself).
OUTSIDE_DOCUMENTS = re.compile(r"\b(DESIGN|ENVIRONMENT)\.md\b|\.\./shared\b")


def _section(title: str) -> str:
    start = README.index(f"\n## {title}\n")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else len(README)]


def _table_rows(text: str) -> list[list[str]]:
    """The cells of every table row in `text` whose first cell is not the header or the rule line."""
    rows = []
    for line in text.splitlines():
        if line.startswith("| ") and not line.startswith(("|---", "| code ", "| connection ")):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
    return rows


def _every_rule() -> dict[str, Rule]:
    """The registry, after importing every protocol module: none of them may add to it or change it."""
    before = dict(RULES)
    for module in pkgutil.iter_modules(inspector.protocol.__path__):
        importlib.import_module(f"inspector.protocol.{module.name}")
    assert dict(RULES) == before, "a module changed RULES on import; codes belong in violations.py only"
    return before


def _section_text(rfc: str | None) -> str:
    """How the README writes a registry section: "5.2" -> "RFC 6455 §5.2", "RFC 7692 6.1" -> "RFC 7692 §6.1"."""
    if rfc is None:
        return "—"
    document, _, number = rfc.rpartition(" ")
    return f"{document or 'RFC 6455'} §{number}"


def test_the_violation_table_is_the_registry():
    rows = {row[0].strip("`"): row[1:] for row in _table_rows(_section("Violation codes"))}
    expected = {
        rule.code: [str(rule.scope), str(rule.close_code or "—"), _section_text(rule.rfc), rule.summary]
        for rule in _every_rule().values()
    }
    missing, extra = sorted(expected.keys() - rows.keys()), sorted(rows.keys() - expected.keys())
    assert not missing and not extra, f"README lacks {missing}; README has unknown {extra}"
    differ = {code: (rows[code], expected[code]) for code in expected if rows[code] != expected[code]}
    assert not differ, f"README row vs registry: {differ}"


def test_the_violations_capture_table_is_the_recording_script():
    rows = _table_rows(_section("Bundled captures"))
    expected = [[str(number), case.title, ", ".join(f"`{code}`" for code in case.codes), str(case.server_close)]
                for number, case in enumerate(CASES, start=1)]
    assert rows == expected


def _keys(value: object, *, skip: str = "params") -> set[str]:
    """Every key in a JSON value, nested ones included, except the free-form ones under `skip`."""
    if isinstance(value, dict):
        return {k for k in value} | {key for k, v in value.items() if k != skip for key in _keys(v)}
    if isinstance(value, list):
        return {key for item in value for key in _keys(item)}
    return set()


def test_the_dump_format_names_every_key_the_dump_writes(capsys):
    written: set[str] = set()
    for name in ("chromium-deflate.pcapng", "websockets-violations.pcapng"):
        assert main(["dump", str(resources.capture_path(name)), "--json"]) == 0
        written |= {key for line in capsys.readouterr().out.splitlines() for key in _keys(json.loads(line))}
    text = README[README.index("#### The dump format") : README.index("### `inspector capture`")]
    documented = set(re.findall(r'[`"]([a-z_0-9]+)[`"]', text))
    assert {"accept_expected", "extensions", "params", "close_code", "payload_hex"} <= written
    assert written - documented == set()


def test_nothing_points_outside_the_repository():
    found = []
    for name in READ_BY_PEOPLE:
        path = ROOT / name
        for file in [path] if path.is_file() else sorted(path.rglob("*")):
            if not file.is_file() or file.suffix not in TEXT_SUFFIXES or "__pycache__" in file.parts:
                continue
            text = file.read_text(encoding="utf-8", errors="replace")
            found += [f"{file.relative_to(ROOT)}: {m.group(0)}" for m in OUTSIDE_DOCUMENTS.finditer(text)]
    assert found == []


def test_every_picture_the_readme_shows_is_in_the_repository():
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", README)
    assert pictures
    missing = [path for path in pictures if not (ROOT / path).is_file()]
    assert not missing, f"the README shows pictures the repository lacks: {missing}"


def test_every_pane_of_the_window_has_a_picture_made_by_the_script():
    """One picture per `--pane` name, each listed in tests/tools/readme_screenshots.py and shown in the README."""
    shown = set(re.findall(r"!\[[^\]]*\]\(resources/screenshots/([^)]+)\.png\)", README))
    panes_pictured = {shot.options[shot.options.index("--pane") + 1] for shot in SHOTS if "--pane" in shot.options}
    assert {shot.name for shot in SHOTS} <= shown
    window_panes = set(_window_pane_names())
    assert window_panes <= panes_pictured | _PICTURED_ELSEWHERE, window_panes - panes_pictured - _PICTURED_ELSEWHERE


# Panes whose pictures need more than one command line (a send to a lab server); the crafter's section shows them.
_PICTURED_ELSEWHERE = {"crafter", "templates"}


def _window_pane_names() -> list[str]:
    """The names `--pane` accepts, as the window itself lists them when given one it lacks."""
    environment = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = subprocess.run([sys.executable, "-m", "inspector.ui.app", "--screenshot", os.devnull, "--pane", "none"],
                            capture_output=True, text=True, env=environment, timeout=120)
    listed = result.stderr.split("(one of: ", 1)[1].split(")", 1)[0]
    return [name.strip() for name in listed.split(",")]
