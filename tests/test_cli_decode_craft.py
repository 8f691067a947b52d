"""`inspector decode` and `inspector craft` end to end through inspector.cli.main."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from inspector.cli import main
from inspector.protocol.deflate import MessageCompressor

FRAME_KEYS = [
    "type", "index", "direction", "fin", "rsv1", "rsv2", "rsv3", "opcode", "masked",
    "payload_length", "masking_key", "payload_hex", "truncated", "violations",
]
MESSAGE_KEYS = ["type", "direction", "opcode", "frames", "compressed", "data_hex", "text", "violations"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_decode_masked_text_tshark_style(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "decode", "--from", "client", "81 85 37 fa 21 3d 7f 9f 4d 51 58")
    assert code == 0 and err == ""
    lines = [line.strip() for line in out.splitlines()]
    for expected in (
        "1... .... = Fin: True",
        ".000 .... = Reserved: 0x0",
        ".... 0001 = Opcode: Text (1)",
        "1... .... = Mask: True",
        ".000 0101 = Payload length: 5",
        "Masking-Key: 37fa213d",
        "Text: Hello",
        "Violations: none",
    ):
        assert expected in lines, expected


def test_decode_fragmented_gives_message(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "decode", "--from", "server", "01 03 48 65 6c", "80:02:6c:6f")
    assert code == 0
    assert ".... 0000 = Opcode: Continuation (0)" in out
    assert "Message 0: text, frames [0, 1], 5 bytes: Hello" in out


def test_decode_16_and_64_bit_lengths(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "decode", "--from", "server", "827e0100" + "00" * 256)
    assert ".111 1110 = Payload length: 126" in out and "Extended Payload length (16 bits): 256" in out
    _, out, _ = run(capsys, "decode", "--from", "server", "827f0000000000010000" + "ab" * 65536)
    assert ".111 1111 = Payload length: 127" in out and "Extended Payload length (64 bits): 65536" in out


def test_decode_names_violations_with_sections(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "decode", "--from", "client", "8300")
    assert "[reserved-opcode] opcode 0x3 is reserved (RFC 6455 §5.2, close 1002)" in out
    assert "[unmasked-client-frame]" in out and "(RFC 6455 §5.1, close 1002)" in out


def test_decode_escapes_terminal_control_characters(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "decode", "--from", "server", "8106410a1b5b3331")
    assert "Text: A\\n\\x1b[31" in out
    assert "\x1b" not in out


def test_decode_huge_declared_length_is_truncated(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "decode", "--from", "server", "827f7fffffffffffffff" + "00" * 10)
    assert "Extended Payload length (64 bits): 9223372036854775807" in out
    assert "[truncated-frame]" in out


def test_decode_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "decode", "--json", "--from", "client",
                       "01 83 00000000 48656c", "80 82 01020304 6d6d", "81 01 41")
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    frames = [r for r in records if r["type"] == "frame"]
    messages = [r for r in records if r["type"] == "message"]
    assert records[: len(frames)] == frames  # frames first, then messages
    assert [list(f) for f in frames] == [FRAME_KEYS] * 3
    assert [f["index"] for f in frames] == [0, 1, 2]
    assert frames[1]["payload_hex"] == "6c6f" and frames[1]["masking_key"] == "01020304"
    assert frames[2]["violations"][0] == {
        "code": "unmasked-client-frame", "close_code": 1002, "rfc": "5.1",
        "message": "a client must mask every frame it sends",
    }
    assert [list(m) for m in messages] == [MESSAGE_KEYS] * 2
    assert messages[0]["frames"] == [0, 1] and messages[0]["text"] == "Hello"
    assert messages[0]["data_hex"] == b"Hello".hex()


def test_decode_deflate_inflates(capsys: pytest.CaptureFixture[str]) -> None:
    payload = MessageCompressor().compress(b"happy new year")
    frame = bytes([0xC1, len(payload)]) + payload
    _, plain, _ = run(capsys, "decode", "--from", "server", frame.hex())
    assert "[reserved-bits]" in plain
    code, out, _ = run(capsys, "decode", "--from", "server", "--deflate", frame.hex())
    assert code == 0 and "Violations: none" in out
    assert "Inflated payload: 6861707079206e65772079656172" in out and "Text: happy new year" in out
    _, js, _ = run(capsys, "decode", "--json", "--deflate", "--from", "server", frame.hex())
    message = json.loads(js.splitlines()[-1])
    assert message["compressed"] is True and message["text"] == "happy new year"


@pytest.mark.parametrize("bad", ["8", "81 0g", "xyz", "81 05 48 65 6c 6c 6f 1"])
def test_decode_bad_hex_is_one_line_exit_2(capsys: pytest.CaptureFixture[str], bad: str) -> None:
    code, out, err = run(capsys, "decode", bad)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("inspector: error:")


def test_decode_too_short_for_header(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "decode", "81")
    assert code == 2 and "too few" in err


def test_craft_default_is_masked_client_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "craft", "--payload", "Hello")
    data = bytes.fromhex(out.splitlines()[0])
    assert code == 0 and data[0] == 0x81 and data[1] == 0x85 and len(data) == 11
    assert "Violations as a client frame: none" in out


def test_craft_rfc_vector_exactly(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "craft", "--payload", "Hello", "--mask-key", "37fa213d")
    assert out.splitlines()[0] == "818537fa213d7f9f4d5158"
    _, out, _ = run(capsys, "craft", "--opcode", "ping", "--payload", "Hello", "--from", "server")
    assert out.splitlines()[0] == "890548656c6c6f"


def test_craft_lists_the_rules_broken(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "craft", "--opcode", "ping", "--fin", "0", "--payload", "x" * 126)
    assert "[control-frame-too-long]" in out and "[fragmented-control-frame]" in out and "§5.5" in out
    _, out, _ = run(capsys, "craft", "--close-code", "1005", "--reason", "bye", "--mask-key", "none")
    assert out.splitlines()[0] == "880503ed627965"
    assert "[invalid-close-code]" in out and "[unmasked-client-frame]" in out
    _, out, _ = run(capsys, "craft", "--mask-bit", "1", "--mask-key", "none", "--from", "server",
                    "--length-form", "64", "--length", str(2**63), "--rsv2", "1", "--opcode", "0xB")
    assert out.splitlines()[0] == "ab ff 8000000000000000".replace(" ", "")
    for code in ("masked-server-frame", "reserved-bits", "reserved-opcode", "length-msb-set", "truncated-frame"):
        assert f"[{code}]" in out


def test_craft_tree_option(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "craft", "--payload-hex", "00ff", "--opcode", "binary", "--from", "server", "--tree")
    assert out.splitlines()[0] == "820200ff"
    assert ".... 0010 = Opcode: Binary (2)" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["--opcode", "bogus"],
        ["--opcode", "16"],
        ["--mask-key", "123"],
        ["--mask-key", "0011223344"],
        ["--payload-hex", "zz"],
        ["--length-form", "7", "--length", "200"],
        ["--reason", "no code"],
        ["--close-code", "70000"],
    ],
)
def test_craft_bad_input_is_one_line_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, err = run(capsys, "craft", *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("inspector: error:")


@pytest.mark.parametrize("argv", [["--fin", "2"], ["--length-form", "8"], ["--payload", "a", "--payload-hex", "61"]])
def test_craft_bad_arguments_exit_2_with_one_line(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["craft", *argv])
    _, err = capsys.readouterr()
    assert stopped.value.code == 2 and err.count("\n") == 1


def test_subprocess_entry_point_exit_code() -> None:
    result = subprocess.run([sys.executable, "-m", "inspector", "decode", "zz"], capture_output=True, text=True,
                            check=False)
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.count("\n") == 1 and "not a hex digit" in result.stderr
    result = subprocess.run([sys.executable, "-m", "inspector", "craft", "--fin", "2"], capture_output=True,
                            text=True, check=False)
    assert result.returncode == 2 and result.stderr.count("\n") == 1


def test_frame_json_full_schema_key_order() -> None:
    from inspector.protocol.constants import Direction
    from inspector.protocol.frame import decode_frame
    from inspector.report.jsonl import frame_json

    frame = decode_frame(bytes.fromhex("818537fa213d7f9f4d5158"), Direction.CLIENT)
    frame.index = 0
    record = frame_json(frame, connection=1, packets=[7], time=1763683200.012)
    assert list(record) == [
        "type", "connection", "index", "direction", "time", "packets", "fin", "rsv1", "rsv2", "rsv3", "opcode",
        "masked", "payload_length", "masking_key", "payload_hex", "truncated", "violations",
    ]
    assert record == {
        "type": "frame", "connection": 1, "index": 0, "direction": "client", "time": 1763683200.012,
        "packets": [7], "fin": True, "rsv1": False, "rsv2": False, "rsv3": False, "opcode": 1,
        "masked": True, "payload_length": 5, "masking_key": "37fa213d", "payload_hex": "48656c6c6f",
        "truncated": False, "violations": [],
    }
    assert frame_json(frame, include_payload=False)["payload_hex"] is None


def test_bit_pattern_and_escaping() -> None:
    from inspector.report.text_tree import bit_pattern, escape_text

    assert bit_pattern(1, 0, 1) == "1... ...."
    assert bit_pattern(0b101, 1, 3) == ".101 ...."
    assert bit_pattern(0xA, 4, 4) == ".... 1010"
    assert bit_pattern(126, 9, 7) == ".111 1110"
    assert escape_text("a\tb\\c\x07\u202e\U0001f600") == "a\\tb\\\\c\\x07\\u202e\U0001f600"


def test_parse_hex_accepts_common_separators() -> None:
    from inspector.commands.decode import parse_hex

    assert parse_hex(["0x81 0x05", "48:65:6c", "6c6f"]) == bytes.fromhex("810548656c6c6f")
    assert parse_hex("81\t05\n") == b"\x81\x05"
