from __future__ import annotations

import struct
import subprocess

from inspector.capture.layers import ACK, FIN, SYN, decode_tcp
from inspector.capture.packets import RawPacket
from inspector.capture.pcapfile import read_packets
from inspector.capture.pcapng_writer import checksum, session_packets, tcp_packet, write_pcapng, write_session

from . import synth


def test_checksum_matches_the_plain_algorithm():
    for data in [b"", b"\x00", b"\xff\xff", b"\x01\x02\x03", bytes(range(256)) * 3, b"\xff" * 7]:
        assert checksum(data) == synth._sum16(data)


def test_session_round_trip_and_tshark_accepts_it(tmp_path):
    frame = synth.ws_frame(2, bytes(100_000))
    path = str(tmp_path / "s.pcapng")
    count = write_session(path, [("client", synth.upgrade_request()), ("server", synth.upgrade_response()),
                                 ("server", frame)], server=("::1", 8765), client=("::1", 50000))
    packets = list(read_packets(path))
    assert len(packets) == count == 3 + 4 + 3  # handshake, 1+1+2 data segments, FIN FIN ACK
    segments = [decode_tcp(p.linktype, p.data) for p in packets]
    assert [s.flags & (SYN | ACK | FIN) for s in segments[:3]] == [SYN, SYN | ACK, ACK]
    assert max(len(s.payload) for s in segments) == 65_000
    server_data = b"".join(s.payload for s in segments if s.sport == 8765)
    assert server_data == synth.upgrade_response() + frame
    out = subprocess.run(
        ["tshark", "-r", path, "-o", "tcp.check_checksum:TRUE", "-d", "tcp.port==8765,http", "-T", "fields",
         "-e", "tcp.checksum.status", "-e", "websocket.opcode", "-e", "websocket.payload_length_ext_64"],
        capture_output=True, text=True, check=True).stdout.splitlines()
    assert all(line.split("\t")[0] == "1" for line in out)  # 1 = good checksum
    assert "2\t100000" in [line.split("\t", 1)[1] for line in out]


def test_raw_packets_keep_link_types(tmp_path):
    ip = synth.ip_tcp("10.0.0.1", "10.0.0.2", 1, 2, 3, 4, ACK, b"hi")
    packets = [RawPacket(1, 1.5, 1, tcp_packet("10.0.0.1", "10.0.0.2", 1, 2, 3, 4, ACK, b"hi"), 68),
               RawPacket(2, 2.25, 276, synth.sll2(ip), len(ip) + 20)]
    path = str(tmp_path / "r.pcapng")
    write_pcapng(path, packets)
    back = list(read_packets(path))
    assert [(p.linktype, p.time, p.data) for p in back] == [(p.linktype, p.time, p.data) for p in packets]
    assert decode_tcp(1, back[0].data).payload == decode_tcp(276, back[1].data).payload == b"hi"


def test_ipv4_header_checksum_verifies():
    frame = tcp_packet("192.0.2.1", "192.0.2.2", 1, 2, 3, 4, ACK, b"abc")
    assert synth._sum16(frame[14:34]) == 0
    assert struct.unpack("!H", frame[16:18])[0] == 20 + 20 + 3
    assert len(list(session_packets([], handshake=False, close=False))) == 0
