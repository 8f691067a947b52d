"""--inflate-limit: the zlib-bomb guard is configurable on every command that inflates."""

from __future__ import annotations

import json
import zlib

import pytest

from inspector.cli import main
from tests.capture import synth

THREE_MIB = 3 * 1024 * 1024
KEY = bytes.fromhex("37fa213d")


def bomb_payload() -> bytes:
    """3 MiB of zeros, raw-deflated with the permessage-deflate tail stripped (RFC 7692 Section 7.2.1)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    data = compressor.compress(bytes(THREE_MIB)) + compressor.flush(zlib.Z_SYNC_FLUSH)
    return data[:-4]


def test_decode_honours_the_limit(capsys):
    frame = synth.ws_frame(2, bomb_payload(), rsv=4).hex()  # a server frame with RSV1: compressed
    assert main(["decode", frame, "--from", "server", "--deflate", "--json"]) == 0
    message = [json.loads(line) for line in capsys.readouterr().out.splitlines()][-1]
    assert message["type"] == "message" and message["violations"] == []
    assert len(message["data_hex"]) == 2 * THREE_MIB

    assert main(["decode", frame, "--from", "server", "--deflate", "--json", "--inflate-limit", "1"]) == 0
    message = [json.loads(line) for line in capsys.readouterr().out.splitlines()][-1]
    assert [v["code"] for v in message["violations"]] == ["inflate-limit-exceeded"]
    assert len(message["data_hex"]) // 2 <= 1024 * 1024 + 1


def test_dump_honours_the_limit(tmp_path, capsys):
    flow = synth.Flow()
    extension = "Sec-WebSocket-Extensions: permessage-deflate\r\n"
    packets = flow.handshake()
    packets += flow.send("client", synth.upgrade_request(extra=extension))
    packets += flow.send("server", synth.upgrade_response(extra=extension))
    packets += flow.send("server", synth.ws_frame(2, bomb_payload(), rsv=4), size=60000)
    path = tmp_path / "bomb.pcap"
    path.write_bytes(synth.pcap_bytes(packets))
    assert main(["dump", str(path), "--json", "--no-payload", "--inflate-limit", "0.5"]) == 0
    objects = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    message = next(o for o in objects if o["type"] == "message")
    assert message["compressed"] is True
    assert [v["code"] for v in message["violations"]] == ["inflate-limit-exceeded"]
    assert message["violations"][0]["close_code"] == 1009


def test_a_bad_limit_is_one_line_and_exit_2(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["decode", "8100", "--inflate-limit", "zero"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "not a number of MiB" in err
