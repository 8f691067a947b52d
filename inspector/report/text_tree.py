"""A field tree as text, in the style of `tshark -V`: fields inside a header byte show their bit pattern.

    1... .... = Fin: True
    .000 .... = Reserved: 0x0
    .... 0001 = Opcode: Text (1)

Payload text is printed as plain characters with anything non-printable escaped, so a frame can
never move the cursor, change colours or otherwise talk to the terminal.
"""

from __future__ import annotations

from inspector.protocol.fieldtree import BITS_PER_BYTE, Field
from inspector.protocol.violations import Violation

from .escaping import escape_text

INDENT = "    "
# Beyond this many payload bytes the hex and text views are cut, with a note saying how much is left.
DEFAULT_PAYLOAD_PREVIEW = 256


def bit_pattern(value: int, bit_offset: int, bit_width: int) -> str:
    """`.000 ....` style: the field's bits within its byte, dots elsewhere, a space between nibbles."""
    start = bit_offset % BITS_PER_BYTE
    chars: list[str] = []
    for position in range(BITS_PER_BYTE):
        if start <= position < start + bit_width:
            shift = start + bit_width - 1 - position
            chars.append("1" if (value >> shift) & 1 else "0")
        else:
            chars.append(".")
    return "".join(chars[:4]) + " " + "".join(chars[4:])


def _in_one_byte(node: Field) -> bool:
    return 0 < node.bit_width < BITS_PER_BYTE and (
        node.bit_offset // BITS_PER_BYTE == (node.bit_offset + node.bit_width - 1) // BITS_PER_BYTE
    )


def _shown(node: Field, preview: int) -> str:
    value = node.value
    if isinstance(value, bytes):
        if not value:
            return "(empty)"
        if len(value) > preview:
            return f"{value[:preview].hex()}… ({len(value) - preview} more bytes)"
        return value.hex()
    if isinstance(value, str) and node.display == value:
        if len(value) > preview:
            return escape_text(value[:preview]) + f"… ({len(value) - preview} more characters)"
        return escape_text(value)
    return escape_text(node.display)


def format_violation(found: Violation) -> str:
    section = f"RFC 6455 §{found.rfc}" if found.rfc and found.rfc[0].isdigit() else (found.rfc or "")
    close = f", close {found.close_code}" if found.close_code is not None else ""
    where = f" ({section}{close})" if section or close else ""
    return f"[{found.code}] {found.message}{where}"


def render_field(
    node: Field, *, depth: int = 0, explain: bool = False, preview: int = DEFAULT_PAYLOAD_PREVIEW
) -> list[str]:
    pad = INDENT * depth
    if _in_one_byte(node) and isinstance(node.value, (bool, int)):
        line = f"{pad}{bit_pattern(int(node.value), node.bit_offset, node.bit_width)} = {node.name}: {node.display}"
    else:
        line = f"{pad}{node.name}: {_shown(node, preview)}"
    lines = [line]
    if explain and node.explanation:
        lines.append(f"{pad}{INDENT}({node.rfc}) {node.explanation}")
    for found in node.violations:
        lines.append(f"{pad}{INDENT}! {format_violation(found)}")
    for child in node.children:
        lines.extend(render_field(child, depth=depth + 1, explain=explain, preview=preview))
    return lines


def render_tree(root: Field, *, title: str | None = None, explain: bool = False,
                preview: int = DEFAULT_PAYLOAD_PREVIEW) -> str:
    """The whole tree, then a summary of every violation in it."""
    lines = [title or f"WebSocket: {escape_text(root.display)}"]
    if explain and root.explanation:
        lines.append(f"{INDENT}({root.rfc}) {root.explanation}")
    for child in root.children:
        lines.extend(render_field(child, depth=1, explain=explain, preview=preview))
    found = root.all_violations()
    if found:
        lines.append(f"{INDENT}Violations ({len(found)}):")
        lines.extend(f"{INDENT}{INDENT}{format_violation(v)}" for v in found)
    else:
        lines.append(f"{INDENT}Violations: none")
    return "\n".join(lines)
