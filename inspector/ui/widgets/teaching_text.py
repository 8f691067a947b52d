"""Where the widgets read their teaching text: the keyed catalogue of the protocol core (teaching.py).

A rule's sentence (`rule:<code>`) says what the rule requires, and the explanation of the field it is
about (`field:<filter name>`) says why that field exists; a catalogue installed with
teaching.use_catalogue shows here too. The rule table (violations.py) still gives the section.
"""

from __future__ import annotations

from ...protocol import teaching
from ...protocol.fieldtree import _VIOLATION_TARGET  # the frame-field each violation code is about
from ...protocol.violations import RULES

# fieldtree picks the 16- or 64-bit length field per frame; for a code alone, the 7-bit field's text
# covers both forms ("the sender must use the shortest form that fits").
_CODE_FIELD_FALLBACK = {"non-minimal-length": "websocket.payload_length"}


def violation_explanation(code: str) -> str:
    """A paragraph for violation `code`: the rule, where the RFC sets it, and why the field exists."""
    rule = RULES.get(code)
    if rule is None:
        return ""
    where = f" ({rfc_section(rule.rfc)})" if rule.rfc else ""
    summary = teaching.text(teaching.RULE + code)
    sentences = [f"{summary[:1].upper()}{summary[1:]}{where}."]
    field_name = _VIOLATION_TARGET.get(code) or _CODE_FIELD_FALLBACK.get(code)
    if field_name:
        text = teaching.field_text(field_name)
        if text:
            sentences.append(text)
    return " ".join(sentences)


def violation_why(code: str) -> str:
    """Why the RFC has the rule of violation `code`, with the sections the reason comes from ("" for none)."""
    paragraph = teaching.why_text(code)
    if not paragraph:
        return ""
    where = teaching.why_rfc(code)
    return f"{paragraph} ({where})" if where else paragraph


def _section(rfc: str) -> str:
    """Rule sections are "5.1" (RFC 6455) or "RFC 7692 6.1"; say which RFC either way."""
    if rfc.startswith("RFC "):
        number, _, section = rfc.partition(" ")[2].partition(" ")
        return f"RFC {number} §{section}"
    return f"RFC 6455 §{rfc}"


def rfc_section(rfc: str | None) -> str:
    """A rule's section as a reader expects it ("RFC 6455 §5.1"), or "" for capture facts without one."""
    return _section(rfc) if rfc else ""
