"""The filter language on frames decoded from RFC 6455 bytes: each operator, type and error message."""

from __future__ import annotations

import pytest

from inspector.filter import FIELDS, FilterError, compile_filter, complete, complete_value
from inspector.protocol.constants import Direction
from inspector.protocol.frame import decode_frame
from tests.conftest import client_frame, wire_frame

CLIENT, SERVER = Direction.CLIENT, Direction.SERVER
HELLO_MASKED = decode_frame(client_frame(1, b"Hello"), CLIENT)  # RFC 6455 §5.7: key 37 fa 21 3d
PING = decode_frame(wire_frame(9, b"keepalive"), SERVER)
CLOSE = decode_frame(wire_frame(8, (1001).to_bytes(2, "big") + b"going away"), SERVER)
BIG = decode_frame(wire_frame(2, bytes(300)), SERVER)  # a 16-bit extended length
HUGE = decode_frame(wire_frame(2, b"x" * 70_000), SERVER)  # a 64-bit extended length
FIRST_FRAGMENT = decode_frame(wire_frame(1, b"frag", fin=False), SERVER)
RSV2 = decode_frame(wire_frame(1, b"odd", rsv2=True), SERVER)  # breaks reserved-bits
FRAMES = [HELLO_MASKED, PING, CLOSE, BIG, HUGE, FIRST_FRAGMENT, RSV2]


def picked(expression: str, connection: int = 1) -> list:
    matches = compile_filter(expression).matches
    return [frame for frame in FRAMES if matches(frame, connection, None)]


@pytest.mark.parametrize(("expression", "expected"), [
    ("websocket.opcode == 9", [PING]),
    ("websocket.opcode eq 0x9", [PING]),
    ("websocket.opcode != 2 && websocket.opcode < 9", [HELLO_MASKED, CLOSE, FIRST_FRAGMENT, RSV2]),
    ("websocket.opcode >= 8 and websocket.opcode le 9", [PING, CLOSE]),
    ("websocket.mask == 1", [HELLO_MASKED]),
    ("websocket.mask == true", [HELLO_MASKED]),
    ("websocket.mask == 0 && direction == client", []),
    ("direction == client", [HELLO_MASKED]),
    ('direction != "client"', FRAMES[1:]),
    ("direction in {server}", FRAMES[1:]),
    ("websocket.fin == 0", [FIRST_FRAGMENT]),
    ("websocket.fin", FRAMES),  # a field alone asks whether the frame has it, as in Wireshark
    ("websocket.rsv == 2", [RSV2]),
    ("websocket.rsv2 == 1", [RSV2]),
    ("websocket.payload_length > 125", [BIG, HUGE]),
    ("websocket.payload_length == 126", [BIG]),
    ("websocket.payload_length_ext_16 == 300", [BIG]),
    ("websocket.payload_length_ext_16", [BIG]),
    ("websocket.payload_length_ext_64 > 65535", [HUGE]),
    ("length in {5 300}", [HELLO_MASKED, BIG]),
    ("length in {0..9}", [HELLO_MASKED, PING, FIRST_FRAGMENT, RSV2]),
    ("websocket.masking_key == 37:fa:21:3d", [HELLO_MASKED]),
    ("websocket.masking_key", [HELLO_MASKED]),
    ("websocket.masked_payload == 7f:9f:4d:51:58", [HELLO_MASKED]),
    ('websocket.unmasked_payload == "Hello"', [HELLO_MASKED]),
    ('payload contains "ell"', [HELLO_MASKED]),
    ("payload contains 6c:6c", [HELLO_MASKED]),
    ("payload contains 00-00", [BIG]),
    ('payload matches "^kee"', [PING]),
    ('payload ~ "^x{70000}$"', [HUGE]),
    ('websocket.payload.text == "Hello"', [HELLO_MASKED]),
    ('websocket.payload.text', [HELLO_MASKED, FIRST_FRAGMENT, RSV2]),
    ('websocket.payload.ping == "keepalive"', [PING]),
    ("websocket.payload.pong", []),
    ("websocket.payload.binary", [BIG, HUGE]),
    ("websocket.payload.close.status_code == 1001", [CLOSE]),
    ("websocket.payload.close.status_code in {1000..1003}", [CLOSE]),
    ('websocket.payload.close.reason matches "go+ing"', [CLOSE]),
    ("violation", [RSV2]),
    ('violation == "reserved-bits"', [RSV2]),
    ("violation != reserved-bits", []),
    ('violation contains "bits"', [RSV2]),
    ("!violation", FRAMES[:-1]),
    ("not (websocket.opcode in {9 10} || websocket.opcode == 8)", [HELLO_MASKED, BIG, HUGE, FIRST_FRAGMENT, RSV2]),
    ("!(websocket.opcode in {9, 10})", [HELLO_MASKED, CLOSE, BIG, HUGE, FIRST_FRAGMENT, RSV2]),
    # && binds tighter than ||, as in C and Wireshark.
    ("websocket.opcode == 9 || websocket.opcode == 2 && length > 1000", [PING, HUGE]),
    ("(websocket.opcode == 9 || websocket.opcode == 2) && length > 1000", [HUGE]),
    ("!!websocket.fin", FRAMES),
    ("text", []),  # no message given: a frame alone does not know its message's text
    ("connection == 1 && frame == -1", FRAMES),  # frames decoded alone have no index yet
    ("websocket", FRAMES),
])
def test_expression_picks(expression, expected):
    assert picked(expression) == expected


def test_text_and_violations_come_from_the_message():
    from inspector.protocol.messages import Message
    from inspector.protocol.violations import violation

    bad = Message(SERVER, 1, [0], False, b"\xff", "\ufffd", True, [violation("invalid-utf8")])
    good = Message(SERVER, 1, [0], False, b"hello there", "hello there", True)
    frame = decode_frame(wire_frame(1, b"hello there"), SERVER)
    check = compile_filter('text contains "hello" || violation == "invalid-utf8"')
    assert check.uses_message and check.matches(frame, 1, good) and check.matches(frame, 1, bad)
    assert not check.matches(frame, 1, None)
    assert not compile_filter("websocket.opcode == 1").uses_message


@pytest.mark.parametrize(("expression", "message", "column"), [
    ("", "the filter is empty", 0),
    ("   ", "the filter is empty", 0),
    ("websocket.opcode ==", "unexpected end of filter (expected a value)", 19),
    ("websocket.opcode = 9", "'=' is not an operator (== compares)", 17),
    ("websocket.opcod == 9", "unknown field 'websocket.opcod' (did you mean websocket.opcode?)", 0),
    ("zzz", "unknown field 'zzz'", 0),
    ("(websocket.fin", "unexpected end of filter (expected ')')", 14),
    ("websocket.fin)", "unexpected ')' (expected && or ||)", 13),
    ("websocket.fin websocket.mask", "unknown operator 'websocket.mask' after websocket.fin", 14),
    ("websocket.fin &&", "unexpected end of filter (expected a field name)", 16),
    ('"text"', "unexpected string (expected a field name)", 0),
    ("websocket.opcode == x", "'x' is not a number (decimal, or hex as 0x7e)", 20),
    ("websocket.fin == 2", "websocket.fin is 0 or 1 (or true/false), not '2'", 17),
    ("direction == up", "direction is client or server, not 'up'", 13),
    ('violation == "nope"', "no violation code 'nope' (the README's \"Violation codes\" lists them)", 13),
    ("payload contains zz", "'zz' is not bytes (hex as 68:65:6c, or a quoted string)", 17),
    ('text matches "("', "bad regular expression: missing ), unterminated subpattern", 13),
    ("websocket.opcode contains 1", "websocket.opcode is a number field: it does not take contains", 0),
    ("websocket > 1", "websocket is a protocol field: it does not take >", 0),
    ("frame in {}", "the set {} is empty", 9),
    ("frame in 1", "unexpected '1' (expected '{' after in)", 9),
    ('text == "open', 'a string is not closed (a " is missing)', 8),
    ('text == "\\q"', "unknown escape \\q in a string", 9),
    ("text == $", "unexpected character '$'", 8),
])
def test_errors_are_one_line_with_a_column(expression, message, column):
    with pytest.raises(FilterError) as raised:
        compile_filter(expression)
    assert (raised.value.message, raised.value.column) == (message, column)
    assert "\n" not in str(raised.value) and str(raised.value).endswith(f"(column {column + 1})")


def test_strings_take_escapes_and_unicode():
    frame = decode_frame(wire_frame(1, 'say "hi"\n\u00e9'.encode()), SERVER)
    assert compile_filter('websocket.payload.text == "say \\"hi\\"\\n\\xe9"').matches(frame, 1, None)
    assert compile_filter('payload contains "\u00e9"').matches(frame, 1, None)  # UTF-8 bytes c3 a9
    assert compile_filter("payload contains c3a9").matches(frame, 1, None)


def test_the_generated_code_holds_no_user_text():
    source = compile_filter('text == "__import__(\'os\')" || payload contains "x"').source
    assert "__import__" not in source and '"x"' not in source


def test_completion():
    assert complete("websocket.payload_l") == ["websocket.payload_length", "websocket.payload_length_ext_16",
                                               "websocket.payload_length_ext_64"]
    assert complete("") == list(FIELDS)
    assert complete("dir") == ["direction"]
    assert complete("nothing") == []
    assert complete_value("direction", "s") == ["server"]
    assert "invalid-utf8" in complete_value("violation", "invalid")
    assert complete_value("websocket.opcode", "") == []
    assert complete_value("nothing", "") == []


def test_every_field_compiles_alone_and_in_a_comparison():
    for name, spec in FIELDS.items():
        assert compile_filter(name).matches(HELLO_MASKED, 1, None) in (True, False)
        if spec.kind != "protocol":
            compile_filter(f"{name} != 0" if spec.kind in ("number", "boolean") else f'{name} contains "a"'
                           if spec.kind in ("text", "bytes", "violation codes") else f"{name} == client")
