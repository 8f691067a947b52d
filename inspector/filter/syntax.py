"""The display-filter language's syntax: text to a tree of nodes, or a FilterError at a column.

    expression := or
    or         := and (("||" | "or") and)*
    and        := unary (("&&" | "and") unary)*
    unary      := ("!" | "not") unary | "(" expression ")" | test
    test       := FIELD [relation]
    relation   := COMPARE value | ("contains" | "matches" | "~") value | "in" "{" (value [","])+ "}"
    COMPARE    := "==" | "!=" | "<" | "<=" | ">" | ">=" | "eq" | "ne" | "lt" | "le" | "gt" | "ge"
    value      := STRING | WORD

A WORD is a field name, a number (decimal or 0x hex), hex bytes (68:65:6c) or a bare value
(client, invalid-utf8); which one it is depends on where it stands and, for values, on the
field's type, which the compiler knows. A hand-written recursive-descent parser: see the README's
"Display filters" for why it is not a parsing library.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final


class FilterError(ValueError):
    """A filter that cannot be used: `message` is one line, `column` counts from 0 in the expression."""

    def __init__(self, message: str, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.column = column

    def __str__(self) -> str:
        return f"{self.message} (column {self.column + 1})"


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # one of the TOKEN_* names below
    text: str  # as typed, except a string's, which is its value with escapes resolved
    column: int


WORD: Final = "word"
STRING: Final = "string"
SYMBOL: Final = "symbol"
END: Final = "end"

_SYMBOLS: Final = ("&&", "||", "==", "!=", "<=", ">=", "!", "<", ">", "~", "(", ")", "{", "}", ",")
_WORD: Final = re.compile(r"[A-Za-z0-9_.:\-]+")
_SPACE: Final = re.compile(r"\s+")
_ESCAPES: Final = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", '"': '"', "0": "\0"}

COMPARISONS: Final = {"==": "==", "!=": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">=",
                      "eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
CONTAINS: Final = "contains"
MATCHES: Final = "matches"
IN: Final = "in"


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        space = _SPACE.match(text, position)
        if space:
            position = space.end()
            continue
        if text[position] == '"':
            value, end = _string(text, position)
            tokens.append(Token(STRING, value, position))
            position = end
            continue
        symbol = next((s for s in _SYMBOLS if text.startswith(s, position)), None)
        if symbol is not None:
            tokens.append(Token(SYMBOL, symbol, position))
            position += len(symbol)
            continue
        word = _WORD.match(text, position)
        if word is None and text[position] == "=":
            raise FilterError("'=' is not an operator (== compares)", position)
        if word is None:
            raise FilterError(f"unexpected character {text[position]!r}", position)
        tokens.append(Token(WORD, word.group(), position))
        position = word.end()
    tokens.append(Token(END, "", len(text)))
    return tokens


def _string(text: str, start: int) -> tuple[str, int]:
    """The value of the quoted string at `start` and the position after it; escapes as in C."""
    out: list[str] = []
    position = start + 1
    while position < len(text):
        char = text[position]
        if char == '"':
            return "".join(out), position + 1
        if char == "\\":
            escape = text[position + 1 : position + 2]
            if escape == "x" and re.fullmatch(r"[0-9A-Fa-f]{2}", text[position + 2 : position + 4]):
                out.append(chr(int(text[position + 2 : position + 4], 16)))
                position += 4
                continue
            if escape not in _ESCAPES:
                raise FilterError(f"unknown escape \\{escape} in a string", position)
            out.append(_ESCAPES[escape])
            position += 2
            continue
        out.append(char)
        position += 1
    raise FilterError("a string is not closed (a \" is missing)", start)


# -- the tree ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Value:
    text: str
    quoted: bool
    column: int


@dataclass(frozen=True, slots=True)
class Test:
    """A field alone (is it present?), or a field, an operator and its value(s)."""

    field: str
    column: int
    operator: str | None = None  # a COMPARISONS value, CONTAINS, MATCHES or IN
    values: tuple[Value, ...] = ()


@dataclass(frozen=True, slots=True)
class Not:
    operand: Node


@dataclass(frozen=True, slots=True)
class Both:
    left: Node
    right: Node


@dataclass(frozen=True, slots=True)
class Either:
    left: Node
    right: Node


Node = Test | Not | Both | Either


def parse(text: str) -> Node:
    """The tree of `text`, or FilterError with a one-line message and the column where it went wrong."""
    parser = _Parser(tokenize(text))
    if parser.peek().kind == END:
        raise FilterError("the filter is empty", 0)
    node = parser.expression()
    last = parser.peek()
    if last.kind != END:
        raise FilterError(f"unexpected {_describe(last)} (expected && or ||)", last.column)
    return node


def _is(token: Token, *texts: str) -> bool:
    """Whether `token` is one of these symbols or keywords (a quoted string never is)."""
    return token.kind in (SYMBOL, WORD) and token.text in texts


def _describe(token: Token) -> str:
    if token.kind == END:
        return "end of filter"
    if token.kind == STRING:
        return "string"
    return repr(token.text)


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.position = 0

    def peek(self) -> Token:
        return self.tokens[self.position]

    def take(self) -> Token:
        token = self.tokens[self.position]
        if token.kind != END:
            self.position += 1
        return token

    def at(self, *texts: str) -> bool:
        return _is(self.peek(), *texts)

    def expression(self) -> Node:
        node = self.conjunction()
        while self.at("||", "or"):
            self.take()
            node = Either(node, self.conjunction())
        return node

    def conjunction(self) -> Node:
        node = self.unary()
        while self.at("&&", "and"):
            self.take()
            node = Both(node, self.unary())
        return node

    def unary(self) -> Node:
        if self.at("!", "not"):
            self.take()
            return Not(self.unary())
        token = self.take()
        if _is(token, "("):
            node = self.expression()
            closing = self.take()
            if not _is(closing, ")"):
                raise FilterError(f"unexpected {_describe(closing)} (expected ')')", closing.column)
            return node
        if token.kind != WORD:
            raise FilterError(f"unexpected {_describe(token)} (expected a field name)", token.column)
        return self.test(token)

    def test(self, field: Token) -> Test:
        operator = self.peek()
        if _is(operator, *COMPARISONS):
            self.take()
            return Test(field.text, field.column, COMPARISONS[operator.text], (self.value(),))
        if _is(operator, "~", MATCHES, CONTAINS):
            self.take()
            kind = CONTAINS if operator.text == CONTAINS else MATCHES
            return Test(field.text, field.column, kind, (self.value(),))
        if _is(operator, IN):
            self.take()
            return Test(field.text, field.column, IN, self.value_set())
        if operator.kind == WORD:
            raise FilterError(f"unknown operator {operator.text!r} after {field.text}", operator.column)
        return Test(field.text, field.column)

    def value(self) -> Value:
        token = self.take()
        if token.kind not in (WORD, STRING):
            raise FilterError(f"unexpected {_describe(token)} (expected a value)", token.column)
        return Value(token.text, token.kind == STRING, token.column)

    def value_set(self) -> tuple[Value, ...]:
        opening = self.take()
        if opening.kind != SYMBOL or opening.text != "{":
            raise FilterError(f"unexpected {_describe(opening)} (expected '{{' after in)", opening.column)
        values: list[Value] = []
        while not self.at("}"):
            if self.at(","):
                self.take()
                continue
            values.append(self.value())
        if not values:
            raise FilterError("the set {} is empty", opening.column)
        self.take()
        return tuple(values)
