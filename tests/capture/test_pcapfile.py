from __future__ import annotations

import subprocess

import pytest

from inspector.capture.layers import decode_tcp
from inspector.capture.pcapfile import CaptureFile, CaptureFileError, read_packets
from inspector.errors import InspectorError

from . import synth


def _packets() -> list[tuple[int, bytes]]:
    flow = synth.Flow()
    return [*flow.handshake(), *flow.send("client", b"x" * 70_000, size=65_000)]


@pytest.mark.parametrize("nano", [False, True])
@pytest.mark.parametrize("big_endian", [False, True])
def test_pcap_both_byte_orders_and_resolutions(tmp_path, nano, big_endian):
    path = tmp_path / "a.pcap"
    path.write_bytes(synth.pcap_bytes(_packets(), nano=nano, big_endian=big_endian, start=1_700_000_000.0,
                                      step=0.000_001_5 if nano else 0.25))
    with CaptureFile(path) as capture:
        packets = list(capture)
        assert not capture.truncated
        assert capture.format == "pcap"
    assert [p.number for p in packets] == [1, 2, 3, 4, 5]
    assert all(p.linktype == synth.ETHERNET for p in packets)
    assert len(packets[3].data) > 65_000  # not cut at scapy's default 65535
    assert decode_tcp(1, packets[3].data).payload == b"x" * 65_000
    expected = 1_700_000_000.0 + (3 * 0.000_001_5 if nano else 3 * 0.25)
    assert packets[3].time == pytest.approx(expected, abs=1e-9 if nano else 1e-6)
    if nano:
        assert packets[1].time != packets[2].time  # ns resolution kept (µs would round 1.5 µs steps)


def test_pcapng_two_interfaces_different_link_types_and_resolutions(tmp_path):
    eth = synth.Flow(linktype=synth.ETHERNET)
    cooked = synth.Flow(linktype=synth.SLL2, client="10.1.1.1")
    mixed = [eth.handshake()[0], cooked.handshake()[0], eth.handshake()[1], cooked.handshake()[1]]
    path = tmp_path / "two.pcapng"
    path.write_bytes(synth.pcapng_bytes(mixed, nano_linktypes=(synth.SLL2,), start=1_700_000_000.0, step=0.5))
    packets = list(read_packets(path))
    assert [p.linktype for p in packets] == [1, 276, 1, 276]
    assert [p.time for p in packets] == pytest.approx([1_700_000_000.0, 1_700_000_000.5, 1_700_000_001.0,
                                                      1_700_000_001.5])
    assert decode_tcp(276, packets[1].data).src == bytes([10, 1, 1, 1])
    out = subprocess.run(["tshark", "-r", str(path), "-T", "fields", "-e", "frame.interface_id", "-e", "ip.src"],
                         capture_output=True, text=True, check=True).stdout.split("\n")
    assert out[:4] == ["0\t10.0.0.1", "1\t10.1.1.1", "0\t10.0.0.2", "1\t10.0.0.2"]


def test_big_endian_pcapng(tmp_path):
    path = tmp_path / "be.pcapng"
    path.write_bytes(synth.pcapng_bytes(_packets(), big_endian=True))
    assert [decode_tcp(p.linktype, p.data).flags for p in read_packets(path)][:3] == [2, 0x12, 0x10]


@pytest.mark.parametrize("kind", ["pcap", "pcapng"])
def test_truncated_file_yields_complete_records_and_says_so(tmp_path, kind):
    whole = synth.pcap_bytes(_packets()) if kind == "pcap" else synth.pcapng_bytes(_packets())
    path = tmp_path / f"cut.{kind}"
    path.write_bytes(whole[:-1000])
    with CaptureFile(path) as capture:
        packets = list(capture)
        assert capture.truncated
    assert len(packets) == 4  # the last (5th) record lost its end
    path.write_bytes(whole[: len(whole) - len(_packets()[-1][1]) - 16 + 5])  # cut inside the last record's header
    with CaptureFile(path) as capture:
        assert len(list(capture)) == 4
        assert capture.truncated


def test_missing_garbage_empty_directory(tmp_path):
    with pytest.raises(CaptureFileError, match="no such file"):
        CaptureFile(tmp_path / "nope.pcap")
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(b"this is not a capture file at all\n" * 10)
    with pytest.raises(CaptureFileError, match="not a pcap or pcapng"):
        CaptureFile(garbage)
    empty = tmp_path / "empty.pcap"
    empty.write_bytes(b"")
    with pytest.raises(CaptureFileError):
        CaptureFile(empty)
    with pytest.raises(CaptureFileError, match="directory"):
        CaptureFile(tmp_path)
    short = tmp_path / "short.pcap"
    short.write_bytes(b"\xd4\xc3\xb2\xa1\x02\x00")
    with pytest.raises(InspectorError):
        CaptureFile(short)


def test_huge_block_length_is_not_allocated(tmp_path):
    good = synth.pcapng_bytes(_packets()[:2])
    # a block claiming 4 GiB right after two good packets
    path = tmp_path / "huge.pcapng"
    path.write_bytes(good + b"\x06\x00\x00\x00\xfc\xff\xff\xff" + b"\0" * 40)
    with CaptureFile(path) as capture:
        assert len(list(capture)) == 2
        assert capture.truncated


def test_real_capture_reads_all_records():
    with CaptureFile("resources/captures/websockets-echo.pcapng") as capture:
        packets = list(capture)
        assert not capture.truncated
    assert len(packets) == 32
    assert max(len(p.data) for p in packets) > 32_000
    assert packets[0].number == 1 and packets[-1].number == 32
    assert packets[0].time < packets[-1].time
