"""A template written by `frames_entry` reads back as it was meant, whatever its strings hold."""

from __future__ import annotations

import pytest

from inspector.client.steps import Raw
from inspector.client.templates import Expect, close_with
from inspector.client.user_templates import frames_entry, parse_user_templates, save_user_template
from inspector.errors import InspectorError


@pytest.mark.parametrize("expect", [Expect(reply="echo"), Expect(reply="none"), close_with(1002)])
def test_an_entry_reads_back(expect: Expect) -> None:
    name = 'odd "name" \\ κόσμε 🙂 \x7f\ttab'
    entry = frames_entry(name, "line one\nline two", expect, [b"\x81\x00", b"\x89\x01\xff"])
    (template,) = parse_user_templates(entry, "test")
    assert (template.name, template.description, template.expect) == (name, "line one\nline two", expect)
    assert template.steps == (Raw(b"\x81\x00"), Raw(b"\x89\x01\xff"))


def test_saving_appends_and_refuses_a_taken_name(tmp_path) -> None:
    path = tmp_path / "sub" / "templates.toml"
    save_user_template(frames_entry("one", "first", Expect(reply="echo"), [b"\x81\x00"]), path)
    save_user_template(frames_entry("two", "second", Expect(reply="pong"), [b"\x89\x00"]), path)
    with pytest.raises(InspectorError, match="already taken"):
        save_user_template(frames_entry("one", "again", Expect(reply="echo"), [b"\x81\x00"]), path)
    assert [t.name for t in parse_user_templates(path.read_text(encoding="utf-8"), str(path))] == ["one", "two"]
