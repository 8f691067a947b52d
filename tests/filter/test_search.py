"""Payload search: text, hex and regular expressions; next and previous match, wrapping around."""

from __future__ import annotations

import itertools

import pytest

from inspector.filter.search import (
    Match,
    SearchError,
    SearchMode,
    all_matches,
    compile_search,
    next_match,
    previous_match,
)

PAYLOADS = [b"hello world", b"", b"\x00\x01hello", b"nothing here", b"Hello hello"]


def walk(step, search, payloads, start=None, times=6):
    found, seen = start, []
    for _ in range(times):
        found = step(search, payloads, found)
        seen.append(None if found is None else (found.item, found.start, found.end))
    return seen


def test_text_search_next_wraps_around():
    search = compile_search("hello", SearchMode.TEXT)
    assert walk(next_match, search, PAYLOADS) == [(0, 0, 5), (2, 2, 7), (4, 6, 11), (0, 0, 5), (2, 2, 7), (4, 6, 11)]


def test_text_search_previous_wraps_around():
    search = compile_search("hello", "text")
    assert walk(previous_match, search, PAYLOADS, times=4) == [(4, 6, 11), (2, 2, 7), (0, 0, 5), (4, 6, 11)]


def test_next_and_previous_are_inverse():
    search = compile_search("l", "text")
    every = all_matches(search, PAYLOADS)
    assert len(every) == 3 + 2 + 4
    for here, after in itertools.pairwise(every):
        assert next_match(search, PAYLOADS, here) == after
        assert previous_match(search, PAYLOADS, after) == here


def test_ignore_case():
    search = compile_search("HELLO", "text", ignore_case=True)
    assert [(m.item, m.start) for m in all_matches(search, PAYLOADS)] == [(0, 0), (2, 2), (4, 0), (4, 6)]
    assert all_matches(compile_search("HELLO", "text"), PAYLOADS) == []


def test_hex_search_takes_separators():
    for query in ("00 01", "00:01", "0001", "00-01"):
        assert all_matches(compile_search(query, SearchMode.HEX), PAYLOADS) == [Match(2, 0, 2)]


def test_regex_search_runs_over_bytes():
    search = compile_search(r"h\w+o\b", SearchMode.REGEX)
    assert [(m.item, m.start, m.end) for m in all_matches(search, PAYLOADS)] == [(0, 0, 5), (2, 2, 7), (4, 6, 11)]
    assert all_matches(compile_search("x*", "regex"), PAYLOADS) == []  # empty matches highlight nothing


def test_one_match_is_its_own_next_and_previous():
    search = compile_search("nothing", "text")
    only = next_match(search, PAYLOADS)
    assert only == Match(3, 0, 7)
    assert next_match(search, PAYLOADS, only) == only and previous_match(search, PAYLOADS, only) == only


def test_no_match_and_no_payloads():
    search = compile_search("absent", "text")
    assert next_match(search, PAYLOADS) is None and previous_match(search, PAYLOADS) is None
    assert next_match(search, []) is None and previous_match(search, []) is None


@pytest.mark.parametrize(("query", "mode", "message"), [
    ("", "text", "nothing to search for"),
    ("zz", "hex", "'zz' is not hex bytes (like 68 65 6c or 68:65:6c)"),
    ("abc", "hex", "'abc' is not hex bytes (like 68 65 6c or 68:65:6c)"),
    (" : ", "hex", "nothing to search for"),
    ("(", "regex", "bad regular expression: missing ), unterminated subpattern"),
])
def test_bad_queries_are_one_line_errors(query, mode, message):
    with pytest.raises(SearchError, match=f"^{message.replace('(', '[(]').replace(')', '[)]')}$"):
        compile_search(query, mode)
