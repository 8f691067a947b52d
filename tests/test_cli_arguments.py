"""What a new user types: bytes that are not UTF-8, a connection that is not there, a frame shorter
than its header claims, and the handshake headers in the listing. Real processes where the shell's
bytes matter (argv is bytes on POSIX), the entry point in-process where only the parser is tested."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from inspector import resources
from inspector.cli import COMMAND_MODULES, build_parser, main
from inspector.commands.options import bytes_argument, path_argument
from tests.capture import synth

ROOT = Path(__file__).resolve().parents[1]
ECHO = resources.capture_path("websockets-echo.pcapng")
CHROMIUM = resources.capture_path("chromium-deflate.pcapng")
NOT_UTF8 = b"\xff"


def inspector(*argv: str | bytes | Path) -> subprocess.CompletedProcess[bytes]:
    """`python -m inspector ARGV` with the arguments passed as the shell would pass them: as bytes."""
    args = [a if isinstance(a, bytes) else os.fsencode(a) for a in argv]
    return subprocess.run([sys.executable, "-m", "inspector", *args], capture_output=True, cwd=ROOT, timeout=60)


def one_line_error(result: subprocess.CompletedProcess[bytes]) -> str:
    err = result.stderr.decode()
    assert result.returncode == 2, err
    assert result.stdout == b""
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err


# --- bytes that are not UTF-8 (issue 8 item 5) ---

def test_craft_payload_sends_a_non_utf8_byte_as_typed_and_names_the_rule():
    result = inspector("craft", "--opcode", "text", "--payload", NOT_UTF8, "--from", "server")
    out = result.stdout.decode()
    assert result.returncode == 0, result.stderr
    assert out.splitlines()[0] == "8101ff"
    assert "[invalid-utf8]" in out and "close 1007" in out


def test_craft_close_reason_sends_a_non_utf8_byte_as_typed_and_names_the_rule():
    result = inspector("craft", "--close-code", "1000", "--reason", b"ok" + NOT_UTF8, "--from", "server")
    out = result.stdout.decode()
    assert result.returncode == 0, result.stderr
    assert out.splitlines()[0] == "880503e86f6bff"
    assert "[invalid-utf8]" in out


def test_craft_valid_utf8_payload_is_unchanged():
    result = inspector("craft", "--payload", "héllo", "--from", "server")
    assert result.stdout.decode().splitlines()[0] == "8106" + "héllo".encode().hex()
    assert "Violations as a server frame: none" in result.stdout.decode()


@pytest.mark.parametrize(
    "argv",
    [
        ["craft", "--opcode", NOT_UTF8],
        ["craft", "--mask-key", NOT_UTF8],
        ["decode", b"81" + NOT_UTF8],
        ["dump", ECHO, "--connection", NOT_UTF8],
        ["capture", "-i", b"l" + NOT_UTF8, "-c", "1"],
        ["capture", "-i", "lo", "-f", b"tcp" + NOT_UTF8, "-c", "1"],
    ],
)
def test_non_utf8_text_argument_is_one_line_exit_2(argv):
    err = one_line_error(inspector(*argv))
    assert "error:" in err


def test_non_utf8_file_names_are_file_names(tmp_path):
    """A file name may hold any byte but / and NUL: dump reads it, and a missing one is one line."""
    odd = os.fsencode(tmp_path) + b"/echo-" + NOT_UTF8 + b".pcapng"
    shutil.copyfile(ECHO, odd)
    result = inspector("dump", odd, "--json")
    assert result.returncode == 0, result.stderr
    assert result.stdout == inspector("dump", ECHO, "--json").stdout
    assert "no such file" in one_line_error(inspector("dump", os.fsencode(tmp_path) + b"/gone-" + NOT_UTF8))


def _sub_parsers() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def _options_taking_values() -> list[tuple[str, argparse.Action]]:
    found = []
    for name, sub in _sub_parsers().items():
        for action in sub._actions:
            if action.nargs != 0 and action.type not in (bytes_argument, path_argument):
                found.append((name, action))
    return found


def test_every_command_is_covered():
    assert set(_sub_parsers()) == set(COMMAND_MODULES)


@pytest.mark.parametrize(
    ("command", "action"), _options_taking_values(), ids=lambda x: x if isinstance(x, str) else x.dest
)
def test_every_value_of_every_command_refuses_non_utf8_in_one_line(command, action, capsys):
    """Generic: a command added later, or a new option, is held to the same rule without a new test."""
    surrogate = os.fsdecode(NOT_UTF8)  # what Python makes of a 0xff byte in argv
    argv: list[str] = [command]
    for other in _sub_parsers()[command]._actions:
        if other.dest == action.dest or not (other.required or not other.option_strings):
            continue
        if other.option_strings:
            argv += [other.option_strings[0], "lo"]
        elif other.nargs not in ("?", "*"):
            argv.append("x")
    argv += [action.option_strings[0], surrogate] if action.option_strings else [surrogate]
    with pytest.raises(SystemExit) as stopped:
        main(argv)
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and err.count("\n") == 1 and err.startswith(f"inspector {command}: error:")


# --- dump --connection N that is not there (issue 7 item 10) ---

@pytest.mark.parametrize("output", [[], ["--json"]])
def test_dump_unknown_connection_prints_only_the_error(output):
    err = one_line_error(inspector("dump", ECHO, "--connection", "9", *output))
    assert err == f"inspector: error: no connection 9 in {ECHO} (it has 1)\n"


# --- a frame shorter than its header claims, outside a capture (issue 7 item 9) ---

def test_craft_with_a_lying_length_says_what_the_header_claims(capsys):
    assert main(["craft", "--length", "300", "--payload", "hi"]) == 0
    out = capsys.readouterr().out
    assert "[truncated-frame] the header claims 300 payload bytes; the frame carries 2" in out
    assert "capture" not in out


def test_decode_of_a_short_frame_says_what_the_header_claims(capsys):
    assert main(["decode", "--from", "server", "81 7e 01 2c 41 42"]) == 0
    out = capsys.readouterr().out
    assert "the header claims 300 payload bytes; the frame carries 2" in out and "capture" not in out
    assert main(["decode", "--json", "--from", "server", "81 7e 01 2c 41 42"]) == 0
    frame = json.loads(capsys.readouterr().out.splitlines()[0])
    assert frame["violations"][0]["message"] == "the header claims 300 payload bytes; the frame carries 2"


def test_dump_of_a_capture_cut_inside_a_frame_keeps_its_message(tmp_path, capsys):
    """The dump's JSON messages are a contract: a real capture still 'ends' inside the frame."""
    flow = synth.Flow()
    frame = synth.ws_frame(2, b"z" * 300, mask=bytes(4))
    packets = [*flow.handshake(), *flow.send("client", synth.upgrade_request()),
               *flow.send("server", synth.upgrade_response()), *flow.send("client", frame[:60])]
    path = tmp_path / "cut.pcapng"
    path.write_bytes(synth.pcapng_bytes(packets))
    assert main(["dump", str(path), "--json"]) == 0
    frames = [json.loads(line) for line in capsys.readouterr().out.splitlines() if '"type": "frame"' in line]
    assert frames[0]["violations"][0]["message"] == "the capture ends after 52 of 300 payload bytes"


# --- the listing shows the handshake headers (issue 7 item 11) ---

def _tshark_http_lines(path: Path) -> list[str]:
    out = subprocess.run(
        ["tshark", "-r", str(path), "-Y", "http", "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|",
         "-e", "http.request.line", "-e", "http.response.line"],
        capture_output=True, text=True, check=True, timeout=60,
    ).stdout
    return [line.removesuffix("\\r\\n") for row in out.splitlines() for cell in row.split("\t") if cell
            for line in cell.split("|")]


@pytest.mark.tshark
@pytest.mark.parametrize("capture", [CHROMIUM, ECHO], ids=lambda p: p.stem)
def test_listing_shows_both_header_blocks_as_tshark_reads_them(capture, capsys):
    assert main(["dump", str(capture)]) == 0
    listing = capsys.readouterr().out.splitlines()
    headers = [line.strip() for line in listing if line.startswith("    ") and line[4] != " "]
    expected = _tshark_http_lines(capture)
    assert expected and headers == expected
    assert any(h.startswith("Sec-WebSocket-Key: ") for h in headers)
    assert any(h.startswith("Sec-WebSocket-Accept: ") for h in headers)
