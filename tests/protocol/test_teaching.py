"""The teaching catalogue: every key the code uses has a text, and a catalogue replaces only what it names."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from inspector.capture.load import load_capture
from inspector.protocol import hixie, teaching
from inspector.protocol.constants import Direction
from inspector.protocol.fieldtree import frame_fields
from inspector.protocol.frame import decode_frame
from inspector.protocol.violations import RULES
from inspector.resources import bundled_captures
from tests.protocol.test_fieldtree import FakeMessage
from tests.protocol.test_hixie import SPEC_KEY1, SPEC_KEY2, SPEC_KEY3, SPEC_RESPONSE

CLIENT, SERVER = Direction.CLIENT, Direction.SERVER
SOURCES = Path(__file__).resolve().parents[2] / "inspector" / "protocol"


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    yield
    teaching.use_catalogue({})


def _every_field_tree():
    for path in bundled_captures():
        for connection in load_capture(path).connections:
            for record in connection.frames:
                yield frame_fields(record.frame, message=record.message)


def test_every_field_and_meaning_of_the_bundled_captures_has_a_text() -> None:
    names, meanings = set(), set()
    for root in _every_field_tree():
        for node in root.walk():
            names.add(node.filter_name)
            if node.meaning_key:
                meanings.add(node.meaning_key)
                assert node.meaning  # the values fill every field of the text
    for name in names:
        assert teaching.has_text(teaching.FIELD + name), name
        assert teaching.text(teaching.FIELD + name + teaching.RFC_SUFFIX).startswith("RFC"), name
    assert {"meaning:fin.1", "meaning:mask.1", "meaning:bytes", "meaning:rsv1.deflate.1"} <= meanings
    assert all(teaching.has_text(key) for key in meanings)


# Frames that between them take every branch of the field tree that picks a meaning.
CRAFTED = [
    ("818537fa213d7f9f4d5158", None),  # client text: FIN, MASK, a 7-bit length
    ("017e007e" + "61" * 126, None),  # FIN 0, the 16-bit length
    ("027f0000000000010000" + "00" * 65536, None),  # the 64-bit length
    ("8904" + "70696e67", None),  # a ping whose data is text
    ("c107f248cdc9c90700", FakeMessage(1, [0], True, b"Hello", "Hello")),  # compressed, one frame
    ("4103f248cd", FakeMessage(1, [0, 1], True, b"Hello", "Hello")),  # its first of two frames
    ("8002c900", FakeMessage(1, [0, 1], True, b"Hello", "Hello")),  # the continuation, RSV1 clear
    ("c002c900", FakeMessage(1, [0, 1], True, b"Hello", "Hello")),  # the continuation, RSV1 wrongly set
    ("8105" + "48656c6c6f", FakeMessage(1, [0], True, b"Hello", "Hello")),  # a compressed message, RSV1 clear
]


def test_every_meaning_the_field_tree_picks_exists_and_every_meaning_text_is_used() -> None:
    used = set()
    for hex_frame, message in CRAFTED:
        direction = CLIENT if int(hex_frame[2:4], 16) & 0x80 else SERVER
        frame = decode_frame(bytes.fromhex(hex_frame), direction, allowed_rsv=0x40)
        for node in frame_fields(frame, message=message).walk():  # type: ignore[arg-type]
            if node.meaning_key:
                assert teaching.has_text(node.meaning_key), node.meaning_key
                assert node.meaning  # the values fill every field of the text
                used.add(node.meaning_key)
    written = {key for key in teaching.ENGLISH if key.startswith(teaching.MEANING)}
    assert used == written  # no meaning is missing, and none is dead


def test_every_step_id_exists_and_the_steps_read_as_before() -> None:
    written = set()
    for node in ast.walk(ast.parse((SOURCES / "hixie.py").read_text())):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Step":
            first = node.args[0]
            values = [first.body, first.orelse] if isinstance(first, ast.IfExp) else [first]
            written |= {v.value for v in values if isinstance(v, ast.Constant)}
        constants = isinstance(node, ast.IfExp) and all(isinstance(v, ast.Constant) for v in (node.body, node.orelse))
        if constants and str(node.body.value).startswith("hixie."):
            written |= {node.body.value, node.orelse.value}
    assert len(written) >= 6, written
    for step in written:
        assert teaching.has_text(teaching.STEP + step), step
    good = hixie.render_steps(hixie.challenge(SPEC_KEY1, SPEC_KEY2, SPEC_KEY3, SPEC_RESPONSE).steps())
    assert good[0] == f"Key1 {SPEC_KEY1!r}: digits 4146546015 -> 4146546015, 5 spaces"
    assert good[1] == "Key1: 4146546015 / 5 = 829309203 = 31 6e 41 13"
    assert good[-1].endswith(": matches")
    bad = hixie.render_steps(hixie.challenge("nospaces12", "1 2", SPEC_KEY3[:2]).steps())
    assert bad[1] == "Key1: the key has no spaces, so its number cannot be divided"


def test_every_violation_code_has_a_rule_text() -> None:
    for code, rule in RULES.items():
        assert teaching.text(teaching.RULE + code) == rule.summary


def test_a_catalogue_replaces_what_it_names_and_nothing_else() -> None:
    fin_rfc = teaching.text("field:websocket.fin:rfc")
    mask = teaching.text("field:websocket.mask")
    teaching.use_catalogue({"field:websocket.fin": "FIN auf Deutsch", "meaning:bytes": "{count} Bytes",
                            "rule:invalid-utf8": "Text muss UTF-8 sein"})
    assert teaching.text("field:websocket.fin") == "FIN auf Deutsch"
    assert teaching.text("field:websocket.fin:rfc") == fin_rfc
    assert teaching.text("field:websocket.mask") == mask
    assert teaching.text("meaning:bytes", count=3) == "3 Bytes"
    assert teaching.text("rule:invalid-utf8") == "Text muss UTF-8 sein"
    root = next(_every_field_tree())
    assert root.get("websocket.fin").explanation == "FIN auf Deutsch"
    teaching.use_catalogue({})
    assert teaching.text("meaning:bytes", count=3) == "3 bytes"


def test_a_catalogue_with_an_unknown_key_is_refused() -> None:
    with pytest.raises(KeyError, match=r"field:websocket\.finn"):
        teaching.use_catalogue({"field:websocket.finn": "typo"})
    with pytest.raises(KeyError):
        teaching.text("meaning:no-such-thing")
