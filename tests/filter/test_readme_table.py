"""The README's field table for display filters is the field table the compiler uses."""

from __future__ import annotations

from pathlib import Path

from inspector.filter import FIELDS

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_the_readme_field_table_is_the_compiler_table():
    start = README.index("\n### Display filters\n")
    section = README[start : README.index("\n### ", start + 1)]
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in section.splitlines() if line.startswith("| `")]
    expected = [[f"`{spec.name}`", spec.kind, "some frames" if spec.optional else "every frame", spec.description]
                for spec in FIELDS.values()]
    assert rows == expected
