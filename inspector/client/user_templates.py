"""A learner's own templates: a TOML file in the user's config directory, read next to the built-in ones.

The file is `$XDG_CONFIG_HOME/websocket-inspector/templates.toml` (`~/.config/...` when the variable
is unset). Each `[[template]]` table has:

    name = "my-hello"              # required, unique, not a built-in name
    description = "what it sends"  # required
    expect = "echo"                # required: "echo", "pong", "none" or "close 1002"
    category = "mine"              # optional (default "user")
    rfc = "5.6"                    # optional
    deflate = true                 # optional: needs permessage-deflate (true) or its absence (false)
    steps = [                      # required, sent in order; each step has exactly one kind:
      { frame = "81 05 48 65 6c 6c 6f" },    # raw hex, sent verbatim (no mask added)
      { text = "Hello", parts = 2 },         # masked text, optionally in N frames; compress = true
      { binary = "00ff" },                   # masked binary from hex (parts, compress as for text)
      { ping = "68 69" }, { pong = "" },     # masked control frames with hex data
      { close = 1000, reason = "bye" },      # masked Close; close = "" sends an empty body
    ]
"""

from __future__ import annotations

import json
import os
import tomllib
from pathlib import Path
from typing import Any, Final

from inspector.errors import InspectorError
from inspector.protocol.constants import Opcode

from . import steps
from .templates import BY_NAME, REPLIES, Expect, Template

APP_DIR: Final = "websocket-inspector"
FILE_NAME: Final = "templates.toml"
STEP_KINDS: Final = ("frame", "text", "binary", "ping", "pong", "close")


def user_templates_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or os.path.join(os.path.expanduser("~"), ".config")
    return Path(base) / APP_DIR / FILE_NAME


def _hex(value: object, where: str) -> bytes:
    try:
        return bytes.fromhex(str(value).replace(":", " "))
    except ValueError:
        raise InspectorError(f"{where}: {value!r} is not hex") from None


def _expect(value: object, where: str) -> Expect:
    text = str(value).strip().lower()
    if text in REPLIES:
        return Expect(reply=text)
    word, _, code = text.partition(" ")
    if word == "close" and code.isdigit():
        return Expect(close_code=int(code))
    raise InspectorError(f"{where}: expect is {', '.join(REPLIES)} or 'close CODE', not {value!r}")


def _step(table: Any, where: str) -> steps.Step:
    if not isinstance(table, dict):
        raise InspectorError(f"{where}: a step is a table such as {{ text = \"Hello\" }}")
    kinds = [k for k in STEP_KINDS if k in table]
    if len(kinds) != 1:
        raise InspectorError(f"{where}: a step has exactly one of {', '.join(STEP_KINDS)}")
    kind = kinds[0]
    value = table[kind]
    parts = int(table.get("parts", 1))
    compress = bool(table.get("compress", False))
    if kind == "frame":
        return steps.Raw(_hex(value, where))
    if kind == "text":
        return steps.Message(Opcode.TEXT, str(value).encode("utf-8"), parts, compress)
    if kind == "binary":
        return steps.Message(Opcode.BINARY, _hex(value, where), parts, compress)
    if kind == "ping":
        return steps.ping(_hex(value, where))
    if kind == "pong":
        return steps.pong(_hex(value, where))
    code = None if value == "" else int(value)
    return steps.close(code, str(table.get("reason", "")))


def parse_user_templates(text: str, origin: str) -> list[Template]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InspectorError(f"{origin}: not valid TOML: {error}") from None
    found: list[Template] = []
    seen: set[str] = set()
    for number, table in enumerate(data.get("template", []), start=1):
        where = f"{origin}: template {number}"
        try:
            name = str(table["name"])
            where = f"{origin}: template {name!r}"
            if name in BY_NAME or name in seen:
                raise InspectorError(f"{where}: the name is already taken")
            seen.add(name)
            deflate = table.get("deflate")
            found.append(Template(
                name, str(table.get("category", "user")), str(table["description"]), str(table.get("rfc", "")),
                _expect(table["expect"], where),
                tuple(_step(step, f"{where}, step {i}") for i, step in enumerate(table["steps"], start=1)),
                None if deflate is None else bool(deflate), origin,
            ))
        except KeyError as error:
            raise InspectorError(f"{where}: missing {error.args[0]!r}") from None
        except (TypeError, ValueError) as error:
            raise InspectorError(f"{where}: {error}") from None
    return found


def load_user_templates(path: Path | None = None) -> list[Template]:
    """The user's templates; none when the file does not exist."""
    path = path or user_templates_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    except OSError as error:
        raise InspectorError(f"cannot read {path}: {error.strerror}") from None
    return parse_user_templates(text, str(path))


def all_templates() -> dict[str, Template]:
    """Built-in templates, then the user's, by name."""
    return {**BY_NAME, **{t.name: t for t in load_user_templates()}}


def _toml_string(text: str) -> str:
    """A TOML basic string: JSON's escaping, which TOML shares, plus DEL, which TOML wants escaped too."""
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def expect_word(expect: Expect) -> str:
    """The file's spelling of an expectation ("echo", "close 1002")."""
    return f"close {expect.close_code}" if expect.close_code is not None else str(expect.reply)


def frames_entry(name: str, description: str, expect: Expect, frames: list[bytes], category: str = "user") -> str:
    """One `[[template]]` table sending `frames` verbatim, one raw step each."""
    lines = ["[[template]]", f"name = {_toml_string(name)}", f"category = {_toml_string(category)}",
             f"description = {_toml_string(description)}", f"expect = {_toml_string(expect_word(expect))}",
             "steps = ["]
    lines += [f"  {{ frame = {_toml_string(frame.hex(' '))} }}," for frame in frames]
    lines.append("]")
    return "\n".join(lines) + "\n"


def save_user_template(entry: str, path: Path | None = None) -> Template:
    """Append `entry` (one [[template]] table) to the user's file, after checking the whole file still
    reads (a taken name, say, is refused with one line and nothing is written)."""
    path = path or user_templates_path()
    try:
        existing = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        existing = ""
    except OSError as error:
        raise InspectorError(f"cannot read {path}: {error.strerror}") from None
    text = existing + ("\n" if existing and not existing.endswith("\n\n") else "") + entry
    added = parse_user_templates(text, str(path))[-1]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise InspectorError(f"cannot write {path}: {error.strerror}") from None
    return added
