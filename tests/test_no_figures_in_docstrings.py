"""Benchmark figures belong in the README's Benchmarks section, where they are dated by their run, not
in the code's docstrings and comments, where they go stale unseen."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIGURE = re.compile(r"\d+(\.\d+)?x (faster|slower)|\d+ ?%|\ba (fifth|third|quarter) of\b", re.IGNORECASE)


def _prose(path: Path) -> list[tuple[int, str]]:
    """(line, text) of every docstring and comment in one source file."""
    source = path.read_text(encoding="utf-8")
    found = [(token.start[0], token.string) for token in tokenize.generate_tokens(io.StringIO(source).readline)
             if token.type == tokenize.COMMENT]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            docstring = ast.get_docstring(node, clean=False)
            if docstring is not None:
                found.append((node.body[0].lineno, docstring))
    return found


def _figures(paths: list[Path], root: Path = ROOT) -> list[str]:
    return [f"{path.relative_to(root)}:{line}: {match.group(0)}"
            for path in paths for line, text in _prose(path) for match in FIGURE.finditer(text)]


def test_no_benchmark_figures_in_docstrings_or_comments() -> None:
    paths = [*sorted((ROOT / "inspector").rglob("*.py")), ROOT / "setup.py"]
    assert len(paths) > 50
    assert _figures(paths) == []


def test_the_check_sees_docstrings_and_comments(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('"""Parsing got 2.5x faster."""\n\n\ndef f():\n    """A third of the time."""\n'
                      "    return 1  # was 6% of a dump\n\n\nWIDTH = '100%'  # a string, not prose\n")
    assert sorted(_figures([sample], tmp_path)) == [
        "sample.py:1: 2.5x faster", "sample.py:5: A third of", "sample.py:6: 6%"]
