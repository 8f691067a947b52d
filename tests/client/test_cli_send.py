"""`inspector send` and `inspector templates` end to end, against the lab server on loopback."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest

from inspector.cli import main
from inspector.client.templates import CATALOGUE, REPLIES
from tests.capture.test_real_captures import tshark_frames
from tests.client.test_hostile_servers import hostile, read_request


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def json_lines(text: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in text.splitlines() if line]


def test_templates_json_has_the_documented_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "templates", "--json")
    rows = json_lines(out)
    assert code == 0 and len(rows) == len(CATALOGUE) >= 40
    for row in rows:
        assert list(row) == ["name", "category", "description", "rfc", "expect"]
        expect = row["expect"]
        assert expect in ({"reply": r} for r in REPLIES) or (
            list(expect) == ["close_code"] and isinstance(expect["close_code"], int))  # type: ignore[index,arg-type]


def test_send_prints_both_directions_the_close_and_the_verdict(echo_url: str,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "send", echo_url, "--text", "Hello", "--ping", "6869",
                             "--template", "opcode-3", "--wait", "1")
    assert code == 0 and err == ""
    assert "→ TEXT   FIN MASK                  5  \"Hello\"" in out
    assert "← PONG   FIN                       2  \"hi\"" in out
    assert "← CLOSE  FIN                      16  code 1002 \"invalid opcode\"" in out
    assert "close: the server closed first with code 1002 reason 'invalid opcode'; the client answered; " \
           "the server closed TCP; clean" in out
    assert "verdict opcode-3: PASS: the RFC asks for a Close with code 1002; the server did that" in out


def test_send_json_equals_dump_of_the_written_pcapng_and_tshark_agrees(
        echo_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    saved = tmp_path / "session.pcapng"
    code, out, _ = run_cli(capsys, "send", echo_url, "--deflate", "--compress", "--fragments", "2",
                           "--text", "hello " * 50, "--binary-hex", "00ff" * 40000,
                           "--template", "rsv1-on-continuation", "--chunk", "7000", "--json", "-w", str(saved))
    assert code == 0
    rows = json_lines(out)
    kinds = [row["type"] for row in rows]
    assert kinds[0] == "connection" and kinds[-2:] == ["close", "verdict"]
    assert rows[-1]["passed"] is True
    sent = [row for row in rows if row["type"] in ("connection", "frame", "message")]
    code, dumped, _ = run_cli(capsys, "dump", str(saved), "--json")
    assert code == 0 and json_lines(dumped) == sent
    ours = [(f["packets"][-1], f["fin"], f["rsv1"] << 2, f["opcode"], f["masked"], f["payload_length"],  # type: ignore[index,operator]
             f["masking_key"]) for f in sent if f["type"] == "frame"]
    port = int(echo_url.rstrip("/").rsplit(":", 1)[1])
    assert tshark_frames(saved, port) == ours
    assert len(ours) >= 8


def test_a_refused_connection_exits_2_with_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()
    code, out, err = run_cli(capsys, "send", f"ws://127.0.0.1:{port}/", "--text", "x")
    assert code == 2 and out == ""
    assert err == f"inspector: error: cannot connect to 127.0.0.1 port {port}: Connection refused\n"


def test_a_refused_handshake_exits_2_and_still_shows_the_answer(capsys: pytest.CaptureFixture[str]) -> None:
    def refuse(conn: socket.socket) -> None:
        read_request(conn)
        conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n")

    with hostile(refuse) as url:
        code, out, err = run_cli(capsys, "send", url, "--text", "x", "--timeout", "2")
    assert code == 2
    assert err == "inspector: error: the server refused the Upgrade: 403 Forbidden\n"
    assert "HTTP/1.1 403 Forbidden" in out


@pytest.mark.parametrize("argv, message", [
    (["--close", "abc"], "--close 'abc': the status code is a number"),
    (["--frame", "8g"], "--frame: 'g' is not a hex digit"),
    (["--template", "nope"], "no template named 'nope'"),
    (["--header", "no colon"], "--header 'no colon': write it as 'Name: value'"),
    (["--template", "rsv-1", "--deflate"], "template rsv-1 needs a connection without permessage-deflate"),
])
def test_bad_arguments_exit_2_before_connecting(argv: list[str], message: str,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(capsys, "send", "ws://127.0.0.1:9/", *argv)
    assert code == 2 and out == ""
    assert err.startswith(f"inspector: error: {message}") and err.count("\n") == 1


def test_a_session_problem_keeps_the_session_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    from tests.client.test_hostile_servers import drip
    with hostile(drip) as url:
        code, out, err = run_cli(capsys, "send", url, "--text", "x", "--wait", "0.5", "--timeout", "1")
    assert code == 0
    assert err.startswith("inspector: the server's frame was still incomplete after 0.5 s") and err.count("\n") == 1
    assert "(truncated)" in out and "→ TEXT" in out


def test_user_templates_from_the_config_directory(echo_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "websocket-inspector"
    folder.mkdir()
    (folder / "templates.toml").write_text('''
[[template]]
name = "my-hello"
description = "Hello in two frames, then a raw unmasked Ping"
expect = "close 1002"
steps = [ { text = "Hello", parts = 2 }, { frame = "89 00" } ]
''', encoding="utf-8")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    code, out, _ = run_cli(capsys, "templates", "--json", "--category", "user")
    assert json_lines(out) == [{"name": "my-hello", "category": "user", "rfc": "",
                                "description": "Hello in two frames, then a raw unmasked Ping",
                                "expect": {"close_code": 1002}}]
    code, out, _ = run_cli(capsys, "send", echo_url, "--template", "my-hello")
    assert code == 0 and "verdict my-hello: PASS" in out
    (folder / "templates.toml").write_text('[[template]]\nname = "x"\n', encoding="utf-8")
    code, _, err = run_cli(capsys, "templates")
    assert code == 2 and err == f"inspector: error: {folder / 'templates.toml'}: template 'x': missing 'description'\n"
