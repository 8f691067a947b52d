"""`inspector accept`: the worked examples of RFC 6455, of a study note and of draft-hixie-76, step by step.

The expected values are the documents' own; the MD5 and SHA-1 are also recomputed here with hashlib
from the steps the command prints, so a wrong intermediate value cannot hide behind a right answer.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shlex
from pathlib import Path

import pytest

from inspector.cli import main

RFC_KEY, RFC_ACCEPT = "dGhlIHNhbXBsZSBub25jZQ==", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo="  # RFC 6455 §1.3
NOTE_KEY, NOTE_ACCEPT = "w4v7O6xFTi36lq3RNcgctw==", "Oy4NRAQ13jhfONC7bP8dTKb4PTU="  # the learners' study note
GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"  # RFC 6455 §1.3, typed again so a changed constant shows

# draft-hixie-76's second worked example (the one whose numbers the draft divides in the open):
# 1868545188 / 12 = 155712099 and 1733470270 / 10 = 173347027.
H76_KEY1 = "18x 6]8vM;54 *(5:  {   U1]8  z [  8"
H76_KEY2 = "1_ tx7X d  <  nw  334J702) 7]o}` 0"
H76_KEY3 = b"Tm[K T2u"
H76_ANSWER = b"fQJ,fN/4F4!~K~MH"
# and its first (§1.3), also used by tests/protocol/test_hixie.py
H76_SPEC = ("4 @1  46546xW%0l 1 5", "12998 5 Y3 1  .P00", b"^n:ds[4U", b"8jKS'y:G*Co,Wxa-")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["accept", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def one_line_error(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as stopped:
        main(["accept", *argv])
    out, err = capsys.readouterr()
    assert stopped.value.code == 2 and out == "" and err.count("\n") == 1, err
    return err


def step(out: str, label: str) -> str:
    """The value on the line a step's label starts."""
    for line in out.splitlines():
        if line.startswith(label):
            return line[len(label):].strip()
    raise AssertionError(f"no {label!r} line in:\n{out}")


@pytest.mark.parametrize(("key", "accept"), [(RFC_KEY, RFC_ACCEPT), (NOTE_KEY, NOTE_ACCEPT)])
def test_each_step_of_the_worked_examples(capsys, key, accept):
    code, out, _ = run(capsys, key)
    assert code == 0
    assert step(out, "1. key") == repr(key)
    assert "valid: the base64 of a 16-byte nonce" in out and "NOT valid" not in out
    assert step(out, "2. + GUID") == repr(key + GUID)
    sha1 = step(out, "3. SHA-1").split()[0]
    assert sha1 == hashlib.sha1((key + GUID).encode()).hexdigest()
    assert step(out, "4. base64") == accept == base64.b64encode(bytes.fromhex(sha1)).decode()


def test_expect_matches_and_mismatches(capsys):
    code, out, _ = run(capsys, NOTE_KEY, "--expect", NOTE_ACCEPT)
    assert code == 0 and step(out, "expected").endswith(": matches")
    code, out, _ = run(capsys, NOTE_KEY, "--expect", RFC_ACCEPT)
    assert code == 1 and step(out, "expected").endswith("does NOT match")


@pytest.mark.parametrize("key", ["hello world", "AAAA", "dGhlIHNhbXBsZSBub25jZQ", "@@@@"])
def test_a_key_that_is_no_nonce_is_named_and_still_computed(capsys, key):
    code, out, _ = run(capsys, key)
    assert code == 0
    assert "NOT valid: §4.1 wants the base64 of exactly 16 bytes" in out
    sha1 = hashlib.sha1((key + GUID).encode()).digest()
    assert step(out, "4. base64") == base64.b64encode(sha1).decode()


def test_json_has_every_step(capsys):
    code, out, _ = run(capsys, RFC_KEY, "--json", "--expect", RFC_ACCEPT)
    record = json.loads(out)
    assert code == 0 and out.count("\n") == 1
    assert record == {"draft": "rfc6455", "key": RFC_KEY, "key_valid": True, "guid": GUID,
                      "concatenated": RFC_KEY + GUID, "sha1": "b37a4f2cc0624f1690f64606cf385945b2bec4ea",
                      "accept": RFC_ACCEPT, "expect": RFC_ACCEPT, "matches": True}


# -- draft-hixie-76 --------------------------------------------------------------------------------


def test_hixie76_worked_example_step_by_step(capsys):
    code, out, _ = run(capsys, "--hixie76", H76_KEY1, H76_KEY2, H76_KEY3.hex())
    assert code == 0
    lines = out.splitlines()
    assert lines[1] == f"Key1 {H76_KEY1!r}" and lines[5] == f"Key2 {H76_KEY2!r}"
    digits = [line.split()[1] for line in lines if line.startswith("  digits")]
    spaces = [int(line.split()[1]) for line in lines if line.startswith("  spaces")]
    assert digits == ["1868545188", "1733470270"] and spaces == [12, 10]
    divisions = [line for line in lines if line.startswith("  divide")]
    assert "1868545188 / 12 = 155712099 -> 09 47 fa 63" in divisions[0]
    assert "1733470270 / 10 = 173347027 -> 0a 55 10 d3" in divisions[1]
    assert step(out, "key3") == f"{H76_KEY3.hex(' ')}  {H76_KEY3.decode()!r}"
    md5_input = bytes.fromhex(step(out, "MD5 input").removesuffix("(16 bytes)"))
    assert md5_input == (155712099).to_bytes(4, "big") + (173347027).to_bytes(4, "big") + H76_KEY3
    answer = step(out, "answer").split()[0]
    assert bytes.fromhex(answer) == hashlib.md5(md5_input).digest() == H76_ANSWER
    assert step(out, "answer").endswith(repr(H76_ANSWER.decode()))


@pytest.mark.parametrize("expect", [H76_ANSWER.decode(), H76_ANSWER.hex(), H76_ANSWER.hex().upper()])
def test_hixie76_expect_takes_the_text_or_the_hex(capsys, expect):
    code, out, _ = run(capsys, "--hixie76", H76_KEY1, H76_KEY2, H76_KEY3.hex(), "--expect", expect)
    assert code == 0 and step(out, "expected") == f"{H76_ANSWER.hex()}: matches"


def test_hixie76_first_spec_example_and_a_wrong_answer(capsys):
    key1, key2, key3, answer = H76_SPEC
    code, out, _ = run(capsys, "--hixie76", key1, key2, key3.hex(), "--json", "--expect", answer.decode())
    record = json.loads(out)
    assert code == 0 and record["answer"] == answer.hex() and record["matches"] is True
    assert (record["key1"]["part"], record["key2"]["part"]) == (829309203, 259970620)
    code, out, _ = run(capsys, "--hixie76", key1, key2, key3.hex(), "--expect", H76_ANSWER.decode())
    assert code == 1 and step(out, "expected").endswith("does NOT match")


def test_hixie76_key_that_cannot_be_divided_says_why(capsys):
    # The last digit changed: 1733470274 is no multiple of the key's 10 spaces, so there is no answer.
    broken = H76_KEY2[:-1] + "4"
    code, out, _ = run(capsys, "--hixie76", H76_KEY1, broken, H76_KEY3.hex())
    assert code == 1
    assert "impossible: 1733470274 is not a multiple of 10 spaces" in out
    assert step(out, "MD5") == "not computed: a key cannot be divided"
    code, out, _ = run(capsys, "--hixie76", "no digits here", H76_KEY2, H76_KEY3.hex(), "--json")
    record = json.loads(out)
    assert code == 1 and record["answer"] is None and record["key1"]["problem"] == "the key has no digits"


def test_control_characters_in_a_key_are_not_printed_raw(capsys):
    code, out, _ = run(capsys, "--hixie76", "1\x1b[31m 2", H76_KEY2, "00" * 8)
    assert "\x1b" not in out and code == 0  # 1312 / 1 is a valid part: the escape only reaches the screen as text


@pytest.mark.parametrize(("argv", "message"), [
    (["--hixie76", H76_KEY1, H76_KEY2, "zz"], "BODY_HEX must be hex digits"),
    (["--hixie76", H76_KEY1, H76_KEY2, "00" * 7], "BODY_HEX must be 8 bytes (16 hex digits), got 7"),
    (["--hixie76", H76_KEY1, H76_KEY2], "--hixie76 takes KEY1 KEY2 BODY_HEX (3 values), got 2"),
    ([RFC_KEY, NOTE_KEY], "give one Sec-WebSocket-Key"),
    (["--hixie76", H76_KEY1, H76_KEY2, H76_KEY3.hex(), "--expect", "short"], "--expect must be 16 bytes"),
])
def test_bad_input_is_one_line_exit_2(capsys, argv, message):
    code = main(["accept", *argv])
    out, err = capsys.readouterr()
    assert code == 2 and out == "" and err.count("\n") == 1 and message in err, err


def test_no_key_is_a_usage_error(capsys):
    assert "the following arguments are required: KEY" in one_line_error(capsys)


def test_the_readme_examples_are_what_the_command_prints(capsys):
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    examples = re.findall(r"```console\n\$ inspector (accept [^\n]*)\n(.*?)```", readme, re.DOTALL)
    assert len(examples) == 2
    for command, shown in examples:
        assert main(shlex.split(command)) == 0
        assert capsys.readouterr().out == shown, command
