"""Search in payloads for the window's find bar: text, hex bytes or a regular expression, and the
next or previous match over a sequence of payloads (one per frame, in the order the table shows).

A position is (item, offset): the index of a payload in the sequence and the byte offset of a match
in it. Searching wraps around the end (or the start, going back), as editors do.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

_HEX_SEPARATORS: Final = re.compile(r"[\s:.\-]")


class SearchMode(StrEnum):
    TEXT = "text"  # the UTF-8 bytes of what was typed
    HEX = "hex"  # bytes typed as hex: "68 65", "68:65" or "6865"
    REGEX = "regex"  # a regular expression over the bytes (its text encoded as UTF-8)


class SearchError(ValueError):
    """A query that cannot be searched for; the message is one line."""


@dataclass(frozen=True, slots=True)
class Match:
    item: int  # index of the payload in the sequence
    start: int  # byte offsets of the match in that payload: [start, end)
    end: int


@dataclass(frozen=True, slots=True)
class PayloadSearch:
    """A compiled query. `pattern` runs over bytes; case-insensitive text ignores ASCII case only."""

    pattern: re.Pattern[bytes]

    def matches_in(self, payload: bytes) -> list[tuple[int, int]]:
        """Every match in one payload, as (start, end); an empty match is skipped (it highlights nothing)."""
        return [(m.start(), m.end()) for m in self.pattern.finditer(payload) if m.end() > m.start()]

    def first_from(self, payload: bytes, offset: int) -> tuple[int, int] | None:
        """The first non-empty match starting at or after `offset`."""
        for found in self.pattern.finditer(payload, offset):
            if found.end() > found.start():
                return found.start(), found.end()
        return None

    def last_before(self, payload: bytes, offset: int) -> tuple[int, int] | None:
        """The last non-empty match starting before `offset`."""
        last = None
        for start, end in self.matches_in(payload):
            if start >= offset:
                break
            last = (start, end)
        return last


def compile_search(query: str, mode: SearchMode | str, *, ignore_case: bool = False) -> PayloadSearch:
    """The search for `query` in `mode`, or SearchError (an empty query, bad hex, a bad regex)."""
    mode = SearchMode(mode)
    if not query:
        raise SearchError("nothing to search for")
    flags = re.IGNORECASE if ignore_case else 0
    if mode is SearchMode.TEXT:
        return PayloadSearch(re.compile(re.escape(query.encode("utf-8")), flags))
    if mode is SearchMode.HEX:
        digits = _HEX_SEPARATORS.sub("", query)
        try:
            wanted = bytes.fromhex(digits)
        except ValueError:
            raise SearchError(f"{query!r} is not hex bytes (like 68 65 6c or 68:65:6c)") from None
        if not wanted:
            raise SearchError("nothing to search for")
        return PayloadSearch(re.compile(re.escape(wanted)))
    try:
        return PayloadSearch(re.compile(query.encode("utf-8"), flags))
    except re.error as error:
        raise SearchError(f"bad regular expression: {error.msg}") from None


def next_match(search: PayloadSearch, payloads: Sequence[bytes], after: Match | None = None) -> Match | None:
    """The first match after `after` (from the start when None), wrapping around; None if there is none."""
    count = len(payloads)
    if count == 0:
        return None
    item, offset = (0, 0) if after is None else (after.item, after.start + 1)
    for step in range(count + 1):  # the last step comes back to `after`'s own payload, before it
        index = (item + step) % count
        found = search.first_from(payloads[index], offset if step == 0 else 0)
        if step == count and found is not None and after is not None and found[0] > after.start:
            found = None  # back at `after`'s own payload: only matches up to it are left
        if found is not None:
            return Match(index, *found)
    return None


def previous_match(search: PayloadSearch, payloads: Sequence[bytes], before: Match | None = None) -> Match | None:
    """The last match before `before` (from the end when None), wrapping around; None if there is none."""
    count = len(payloads)
    if count == 0:
        return None
    item, offset = (count - 1, None) if before is None else (before.item, before.start)
    for step in range(count + 1):
        index = (item - step) % count
        payload = payloads[index]
        limit = len(payload) + 1 if step > 0 or offset is None else offset
        if step == count:  # back at `before`'s own payload: only matches after it are left
            found = search.last_before(payload, len(payload) + 1)
            if found is not None and before is not None and found[0] < before.start:
                found = None
        else:
            found = search.last_before(payload, limit)
        if found is not None:
            return Match(index, *found)
    return None


def all_matches(search: PayloadSearch, payloads: Sequence[bytes]) -> list[Match]:
    """Every match, in order (the window highlights them and counts "3 of 12")."""
    return [Match(index, start, end) for index, payload in enumerate(payloads)
            for start, end in search.matches_in(payload)]
