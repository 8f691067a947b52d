"""`inspector dump`: the JSON Lines contract, the text listing, and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from inspector import resources
from inspector.cli import main
from inspector.session.events import FrameSeen, MessageSeen
from tests.capture import synth

ECHO = resources.capture_path("websockets-echo.pcapng")
KEY = bytes.fromhex("37fa213d")
CONNECTION_KEYS = ["type", "id", "protocol", "client", "server", "handshake", "violations"]
FRAME_KEYS = ["type", "connection", "index", "direction", "time", "packets", "fin", "rsv1", "rsv2", "rsv3", "opcode",
              "masked", "payload_length", "masking_key", "payload_hex", "truncated", "violations"]
MESSAGE_KEYS = ["type", "connection", "direction", "opcode", "frames", "compressed", "data_hex", "text", "violations"]


def dump(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["dump", *map(str, args)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def json_lines(text: str) -> list[dict]:
    return [json.loads(line) for line in text.splitlines()]


def write(tmp_path: Path, packets: list[tuple[int, bytes]], name: str = "t.pcapng") -> Path:
    path = tmp_path / name
    path.write_bytes(synth.pcapng_bytes(packets))
    return path


def opened(flow: synth.Flow, status: str = "101 Switching Protocols") -> list[tuple[int, bytes]]:
    return [*flow.handshake(), *flow.send("client", synth.upgrade_request()),
            *flow.send("server", synth.upgrade_response(status))]


def test_json_schema_on_real_capture(capsys):
    code, out, err = dump(capsys, ECHO, "--json")
    assert code == 0 and err == ""
    objects = json_lines(out)
    assert list(objects[0]) == CONNECTION_KEYS
    assert objects[0]["handshake"]["accept_valid"] is True and objects[0]["handshake"]["response"]["status"] == 101
    frames = [o for o in objects if o["type"] == "frame"]
    messages = [o for o in objects if o["type"] == "message"]
    assert all(list(f) == FRAME_KEYS for f in frames) and all(list(m) == MESSAGE_KEYS for m in messages)
    assert [f["index"] for f in frames] == list(range(15))
    assert frames[0]["payload_hex"] == b"hello".hex() and frames[0]["masked"] is True
    assert messages[0]["text"] == "hello"
    assert all(f["packets"] and f["time"] > 1.7e9 for f in frames)
    assert {o["type"] for o in objects} == {"connection", "frame", "message"}


def test_no_payload_leaves_payload_out(capsys):
    _, out, _ = dump(capsys, ECHO, "--json", "--no-payload")
    objects = json_lines(out)
    assert all(o.get("payload_hex") is None for o in objects if o["type"] == "frame")
    assert all(o.get("data_hex") is None and o.get("text") is None for o in objects if o["type"] == "message")
    assert sum(o["type"] == "frame" for o in objects) == 15


def test_text_listing(capsys):
    code, out, _ = dump(capsys, ECHO)
    assert code == 0
    assert "GET / HTTP/1.1" in out and "101 Switching Protocols" in out and "✓" in out
    hello = [line for line in out.splitlines() if '"hello"' in line]
    assert len(hello) == 2 and "→ TEXT" in hello[0] and "FIN MASK" in hello[0] and "← TEXT" in hello[1]
    assert "code 1000" in out
    assert out.rstrip().splitlines()[-1] == "1 connection(s), 15 frame(s), 8 message(s); violations: none"


def test_violations_listed_and_counted(tmp_path, capsys):
    flow = synth.Flow()
    packets = [*opened(flow), *flow.send("client", synth.ws_frame(1, b"unmasked")),
               *flow.send("server", synth.ws_frame(9, b"x" * 130)), *flow.close()]
    path = write(tmp_path, packets)
    _, out, _ = dump(capsys, path)
    assert "[unmasked-client-frame]" in out
    assert "control-frame-too-long x1" in out and "unmasked-client-frame x1" in out
    _, out, _ = dump(capsys, path, "--json")
    frames = [o for o in json_lines(out) if o["type"] == "frame"]
    assert frames[0]["violations"][0] == {"code": "unmasked-client-frame", "close_code": 1002, "rfc": "5.1",
                                          "message": frames[0]["violations"][0]["message"]}


def test_connection_filter_and_unknown_connection(tmp_path, capsys):
    a, b = synth.Flow(cport=40001), synth.Flow(cport=40002)
    packets = [*opened(a), *opened(b), *a.send("client", synth.ws_frame(1, b"A", mask=KEY)),
               *b.send("client", synth.ws_frame(1, b"B", mask=KEY))]
    path = write(tmp_path, packets)
    _, out, _ = dump(capsys, path, "--json", "--connection", "2")
    objects = json_lines(out)
    assert {o.get("connection", o.get("id")) for o in objects} == {2}
    assert [o["payload_hex"] for o in objects if o["type"] == "frame"] == [b"B".hex()]
    code, out, err = dump(capsys, path, "--connection", "5")
    assert code == 2 and err.count("\n") == 1 and "no connection 5" in err and "(it has 2)" in err


def test_refused_and_plain_http_and_midstream(tmp_path, capsys):
    refused = synth.Flow(cport=40001)
    plain = synth.Flow(cport=40002)
    mid = synth.Flow(cport=40003)
    packets = [*opened(refused, "426 Upgrade Required"), *refused.close(),
               *plain.handshake(), *plain.send("client", b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
               *plain.send("server", b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"),
               *mid.send("server", b"".join(synth.ws_frame(2, bytes([i]) * 3) for i in range(3)))]
    _, out, _ = dump(capsys, write(tmp_path, packets), "--json")
    conns = [o for o in json_lines(out) if o["type"] == "connection"]
    assert [(c["id"], c["client"].split(":")[1]) for c in conns] == [(1, "40001"), (2, "40003")]
    assert conns[0]["handshake"]["response"]["status"] == 426
    assert conns[1]["handshake"] is None
    assert {o["connection"] for o in json_lines(out) if o["type"] == "frame"} == {2}


def test_truncated_capture_warns_in_one_line(tmp_path, capsys):
    flow = synth.Flow()
    packets = [*opened(flow), *flow.send("client", synth.ws_frame(1, b"kept", mask=KEY)),
               *flow.send("client", synth.ws_frame(1, b"lost" * 100, mask=KEY))]
    path = tmp_path / "cut.pcap"
    path.write_bytes(synth.pcap_bytes(packets)[:-50])
    code, out, err = dump(capsys, path, "--json")
    assert code == 0
    assert err.count("\n") == 1 and "truncated" in err
    assert [o["payload_hex"] for o in json_lines(out) if o["type"] == "frame"] == [b"kept".hex()]


def test_bad_files_exit_2_with_one_line(tmp_path):
    garbage = tmp_path / "garbage.pcap"
    garbage.write_bytes(b"\x00garbage" * 100)
    for target in [garbage, tmp_path / "missing.pcapng"]:
        result = subprocess.run([sys.executable, "-m", "inspector", "dump", str(target)], capture_output=True,
                                text=True)
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("inspector: error:")
        assert "Traceback" not in result.stderr and result.stdout == ""


def test_fast_json_lines_equal_the_report_functions():
    from inspector.capture.packets import RawPacket
    from inspector.capture.pcapfile import read_packets
    from inspector.capture.pipeline import CaptureDecoder
    from inspector.protocol.frame import Frame
    from inspector.protocol.messages import Message
    from inspector.report.jsonl import dumps, frame_json, frame_line, message_json, message_line

    flow = synth.Flow()
    head = opened(flow)
    extra = [*flow.send("client", synth.ws_frame(1, "héllo ✓ \"q\" \\ \n".encode(), mask=KEY)),
             *flow.send("server", synth.ws_frame(2, bytes(300))), *flow.send("server", synth.ws_frame(1, b"\xff\xfe")),
             *flow.send("server", synth.ws_frame(1, b"cut short", length=500))]
    sources = [list(read_packets(ECHO.parent / f"{name}.pcapng"))
               for name in ("websockets-echo", "websockets-deflate", "chromium-deflate")]
    sources.append([RawPacket(i + 1, 5.5 + i / 3, lt, data, len(data))
                    for i, (lt, data) in enumerate([*head, *extra])])
    checked = 0
    seen_violations = False
    for packets in sources:
        for event in CaptureDecoder().run(packets):
            conn = event.connection.id
            item = event.frame if type(event) is FrameSeen else event.message if type(event) is MessageSeen else None
            for payload in (True, False):
                seen_violations = seen_violations or bool(getattr(item, "violations", None))
                if type(item) is Frame:
                    assert frame_line(item, conn, event.packets, event.time, payload) == dumps(
                        frame_json(item, connection=conn, packets=event.packets, time=event.time,
                                   include_payload=payload))
                    checked += 1
                elif type(item) is Message:
                    assert message_line(item, conn, payload) == dumps(
                        message_json(item, connection=conn, include_payload=payload))
                    checked += 1
    assert checked > 100 and seen_violations


def test_dump_leaves_the_garbage_collector_as_it_found_it(capsys):
    import gc

    before = gc.get_threshold()
    code, out, _ = dump(capsys, ECHO, "--json")
    assert code == 0 and out.count('"type": "frame"') == 15
    assert gc.get_threshold() == before  # dump raises the young-generation threshold only while it runs
    assert gc.get_freeze_count() == 0
    code, _, _ = dump(capsys, ECHO.with_name("no-such-file.pcapng"))
    assert code == 2 and gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_a_command_imports_only_what_it_uses():
    code = (
        "import sys, io, contextlib; from inspector.cli import main\n"
        f"with contextlib.redirect_stdout(io.StringIO()): main(['dump', {str(ECHO)!r}, '--json'])\n"
        "print(sorted(m for m in sys.modules if m.startswith(('inspector.capture.live', 'inspector.protocol.fieldtree',"
        " 'inspector.protocol.encoder', 'scapy'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    # Live capture, field trees and the encoder stay unloaded, and so does scapy: this dumpcap file has
    # only blocks our reader takes (interface statistics at the end are passed over).
    assert result.stdout.strip() == "[]"


def test_a_capture_ending_inside_a_frame_header_gives_a_truncated_frame(tmp_path, capsys):
    # Issue 8: the capture stops five bytes into a client frame (reserved opcode, masking key cut short).
    flow = synth.Flow()
    packets = [*opened(flow), *flow.send("client", synth.ws_frame(1, b"hi", mask=KEY)),
               *flow.send("client", bytes.fromhex("8587b20e71"))]
    code, out, _ = dump(capsys, write(tmp_path, packets), "--json")
    assert code == 0
    frames = [o for o in json_lines(out) if o["type"] == "frame"]
    assert len(frames) == 2
    cut = frames[1]
    assert (cut["opcode"], cut["masked"], cut["payload_length"], cut["truncated"]) == (5, True, 7, True)
    assert [v["code"] for v in cut["violations"]] == ["reserved-opcode", "truncated-frame"]
