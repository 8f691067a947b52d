"""From a filter's tree to one Python function, so testing a frame costs a call, not a walk of the tree.

The function's source is built from the field table's expressions and operators only; every value
the user typed reaches it as a constant in the function's namespace, never as source text.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Final

from inspector.protocol.constants import Direction
from inspector.protocol.frame import Frame
from inspector.protocol.messages import Message

from .fields import (
    BOOLEAN,
    BYTES,
    CODES,
    DIRECTION,
    FIELDS,
    HEAD_FIELDS,
    HELPERS,
    NUMBER,
    PROTOCOL,
    TEXT,
    VIOLATION_CODES,
    FieldSpec,
)
from .syntax import CONTAINS, IN, MATCHES, Both, Either, FilterError, Node, Not, Test, Value, parse

Predicate = Callable[[Frame, int, "Message | None"], bool]

ORDERING: Final = ("<", "<=", ">", ">=")
# Which operators each type takes (presence, a field alone, is always allowed).
OPERATORS: Final = {
    NUMBER: ("==", "!=", *ORDERING, IN),
    BOOLEAN: ("==", "!=", IN),
    TEXT: ("==", "!=", *ORDERING, CONTAINS, MATCHES, IN),
    BYTES: ("==", "!=", *ORDERING, CONTAINS, MATCHES, IN),
    DIRECTION: ("==", "!=", IN),
    CODES: ("==", "!=", CONTAINS, MATCHES, IN),
    PROTOCOL: (),
}
_DECIMAL: Final = re.compile(r"-?[0-9]+")
_HEX: Final = re.compile(r"-?0[xX][0-9A-Fa-f]+")
_HEX_BYTES: Final = re.compile(r"[0-9A-Fa-f]{2}([:.\-]?[0-9A-Fa-f]{2})*")
_BOOLEANS: Final = {"1": True, "0": False, "true": True, "false": False}
RANGE: Final = ".."


@dataclass(slots=True)
class DisplayFilter:
    """A compiled filter. `matches(frame, connection_id, message)` says whether the frame passes;
    `message` is the Message the frame completes, or None."""

    expression: str
    matches: Predicate
    source: str  # the generated Python, for tests and for curious readers
    uses_message: bool  # whether any field reads the message (text, violation, websocket.payload.text)
    fields: frozenset[str] = frozenset()  # the names it tests

    @property
    def reads_heads_only(self) -> bool:
        """Does it read nothing but what a frame's header and violations hold (see HEAD_FIELDS)?"""
        return self.fields <= HEAD_FIELDS


def compile_filter(expression: str) -> DisplayFilter:
    """The filter for `expression`, or FilterError (a one-line message and a column)."""
    tree = parse(expression)
    builder = _Builder()
    body = builder.node(tree)
    source = f"def _filter(f, c, m):\n    return {body}\n"
    namespace: dict[str, object] = {**HELPERS, **builder.constants}
    exec(compile(source, "<display filter>", "exec"), namespace)  # the source holds none of the user's text
    return DisplayFilter(expression, namespace["_filter"], source, builder.uses_message,  # type: ignore[arg-type]
                         frozenset(builder.fields))


@dataclass(slots=True)
class _Builder:
    constants: dict[str, object] = field(default_factory=dict)
    names: int = 0
    uses_message: bool = False
    fields: set[str] = field(default_factory=set)

    def constant(self, value: object) -> str:
        name = f"_k{len(self.constants)}"
        self.constants[name] = value
        return name

    def variable(self) -> str:
        self.names += 1
        return f"_v{self.names}"

    def node(self, node: Node) -> str:
        if isinstance(node, Both):
            return f"({self.node(node.left)} and {self.node(node.right)})"
        if isinstance(node, Either):
            return f"({self.node(node.left)} or {self.node(node.right)})"
        if isinstance(node, Not):
            return f"(not {self.node(node.operand)})"
        return self.test(node)

    def test(self, test: Test) -> str:
        spec = FIELDS.get(test.field)
        if spec is None:
            close = difflib.get_close_matches(test.field, FIELDS, n=1)
            hint = f" (did you mean {close[0]}?)" if close else ""
            raise FilterError(f"unknown field {test.field!r}{hint}", test.column)
        self.fields.add(spec.name)
        if "m" in _names(spec.value) or (spec.guard and "m" in _names(spec.guard)):
            self.uses_message = True
        if test.operator is None:
            return self._presence(spec)
        if test.operator not in OPERATORS[spec.kind]:
            raise FilterError(f"{spec.name} is a {spec.kind} field: it does not take {test.operator}", test.column)
        name = self.variable()
        bound = f"({name} := {spec.value})"
        if spec.optional:
            return f"({bound} is not None and {self._check(spec, test.operator, test.values, name, name)})"
        if spec.guard is not None:  # a field of several values, read once, never bound (a comprehension reads it)
            return f"(bool({spec.guard}) and {self._check(spec, test.operator, test.values, spec.value, name)})"
        return self._check(spec, test.operator, test.values, bound, name)

    def _presence(self, spec: FieldSpec) -> str:
        if spec.guard is not None:
            return f"bool({spec.guard})"
        if spec.optional:
            return f"({spec.value} is not None)"
        return "True"

    def _check(self, spec: FieldSpec, operator: str, values: tuple[Value, ...], first: str, rest: str) -> str:
        """The test of the field's value: `first` reads it (and binds `rest`), later uses read `rest`."""
        kind = spec.kind
        if operator == IN:
            return self._membership(spec, values, first, rest)
        (value,) = values
        if operator == MATCHES:
            pattern = self.constant(_regex(value, bytes_pattern=kind == BYTES))
            if kind == CODES:
                return f"any({pattern}.search(code) for code in {first})"
            return f"({pattern}.search({first}) is not None)"
        if operator == CONTAINS:
            if kind == CODES:
                return f"any({self.constant(value.text)} in code for code in {first})"
            return f"({self.constant(_literal(spec, value))} in {first})"
        literal = self.constant(_literal(spec, value))
        if kind == CODES:
            return f"({literal} in {first})" if operator == "==" else f"({literal} not in {first})"
        if kind == DIRECTION:
            return f"({first} is {literal})" if operator == "==" else f"({first} is not {literal})"
        return f"({first} {operator} {literal})"

    def _membership(self, spec: FieldSpec, values: tuple[Value, ...], first: str, rest: str) -> str:
        singles: list[object] = []
        ranges: list[tuple[int, int]] = []
        for value in values:
            if spec.kind == NUMBER and not value.quoted and RANGE in value.text:
                low, _, high = value.text.partition(RANGE)
                ranges.append((_number(low, value.column), _number(high, value.column + len(low) + len(RANGE))))
            else:
                singles.append(_literal(spec, value))
        if spec.kind == CODES:
            return f"(not {self.constant(frozenset(singles))}.isdisjoint({first}))"
        if spec.kind == DIRECTION:
            return f"({first} in {self.constant(tuple(singles))})"
        tests = [f"{{}} in {self.constant(frozenset(singles))}"] if singles else []
        tests += [f"{low} <= {{}} <= {high}" for low, high in ranges]
        return "(" + " or ".join(test.format(first if i == 0 else rest) for i, test in enumerate(tests)) + ")"


def _names(code: str) -> set[str]:
    return set(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", code))


def _literal(spec: FieldSpec, value: Value) -> object:
    """The user's value as the field's type: a number, True/False, text, bytes, a Direction, a code."""
    kind, text = spec.kind, value.text
    if kind == NUMBER:
        return _number(text, value.column)
    if kind == BOOLEAN:
        if text.lower() not in _BOOLEANS:
            raise FilterError(f"{spec.name} is 0 or 1 (or true/false), not {text!r}", value.column)
        return _BOOLEANS[text.lower()]
    if kind == BYTES:
        return _bytes(text, value)
    if kind == DIRECTION:
        if text not in (Direction.CLIENT, Direction.SERVER):
            raise FilterError(f"direction is client or server, not {text!r}", value.column)
        return Direction(text)
    if kind == CODES and text not in VIOLATION_CODES:
        raise FilterError(f"no violation code {text!r} (the README's \"Violation codes\" lists them)", value.column)
    return text


def _number(text: str, column: int) -> int:
    if _DECIMAL.fullmatch(text):
        return int(text, 10)
    if _HEX.fullmatch(text):
        return int(text, 16)
    raise FilterError(f"{text!r} is not a number (decimal, or hex as 0x7e)", column)


def _bytes(text: str, value: Value) -> bytes:
    if value.quoted:
        return text.encode("utf-8")
    if _HEX_BYTES.fullmatch(text):
        return bytes.fromhex(re.sub(r"[:.\-]", "", text))
    raise FilterError(f"{text!r} is not bytes (hex as 68:65:6c, or a quoted string)", value.column)


def _regex(value: Value, *, bytes_pattern: bool) -> re.Pattern[str] | re.Pattern[bytes]:
    try:
        if bytes_pattern:
            return re.compile(value.text.encode("utf-8"))
        return re.compile(value.text)
    except re.error as error:
        raise FilterError(f"bad regular expression: {error.msg}", value.column) from None
