from __future__ import annotations

import struct
import subprocess
import sys

import pytest

from inspector.capture import pcapfile
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


# -- the chunked fast paths agree with scapy's reader -------------------------------------------------------

def _read_all(path, chunk: int, monkeypatch) -> tuple[list, bool]:
    """Every packet and the truncated flag, reading `chunk` bytes at a time. With chunk 0 the fast
    paths never get a chunk to parse: every record goes through scapy's reader, the reference."""
    monkeypatch.setattr(pcapfile, "READ_CHUNK", chunk)
    with CaptureFile(path) as capture:
        packets = [tuple(p) for p in capture]
        return packets, capture.truncated


def _epb_with_options(order: str, data: bytes) -> bytes:
    """An Enhanced Packet Block on interface 0 carrying an epb_flags option: scapy's, not the fast path's."""
    options = struct.pack(order + "HHI", 2, 4, 1) + struct.pack(order + "HH", 0, 0)
    body = struct.pack(order + "IIIII", 0, 0x60000, 0x1234, len(data), len(data)) + data + b"\0" * (-len(data) % 4)
    body += options
    return struct.pack(order + "II", 6, len(body) + 12) + body + struct.pack(order + "I", len(body) + 12)


def _interfaces_and_statistics(order: str, packets: list[tuple[int, bytes]]) -> bytes:
    """Interface blocks with if_name and binary or decimal if_tsresol, one with a malformed if_tsresol
    (scapy's to judge), and statistics and custom blocks between the packets (passed over)."""
    def option(code: int, value: bytes) -> bytes:
        return struct.pack(order + "HH", code, len(value)) + value + b"\0" * (-len(value) % 4)

    end = struct.pack(order + "HH", 0, 0)
    blocks = [synth._ng_block(order, 0x0A0D0D0A, struct.pack(order + "IHHq", 0x1A2B3C4D, 1, 0, -1))]
    interface_options = [
        option(2, b"lo") + option(9, b"\x86") + end,  # 2^-6 s
        option(9, b"\x03") + option(9, b"\x09") + end,  # the last one counts: ns
        option(9, b"\x09\x00") + end,  # a two-byte if_tsresol: scapy warns and keeps microseconds
        b"",  # no options at all
    ]
    for options in interface_options:
        blocks.append(synth._ng_block(order, 1, struct.pack(order + "HHI", packets[0][0], 0, 65535) + options))
    for i, (_linktype, data) in enumerate(packets):
        ticks = 1_700_000_000_123 + i
        header = struct.pack(order + "IIIII", i % len(interface_options), ticks >> 32, ticks & 0xFFFFFFFF, len(data),
                             len(data))
        blocks.append(synth._ng_block(order, 6, header + data))
        blocks.append(synth._ng_block(order, 5 if i % 2 else 0x40000BAD, struct.pack(order + "III", 0, 1, 2)))
    return b"".join(blocks)


def _reader_files() -> dict[str, bytes]:
    small = [*synth.Flow().handshake(), *synth.Flow().send("client", b"y" * 1500, size=700)]
    big = _packets()  # one record of 65,000+ bytes
    eth = synth.Flow(linktype=synth.ETHERNET)
    cooked = synth.Flow(linktype=synth.SLL2, client="10.1.1.1")
    mixed = [eth.handshake()[0], cooked.handshake()[0], eth.handshake()[1], cooked.handshake()[1]]
    ng = synth.pcapng_bytes(small)
    with_options = ng + _epb_with_options("<", small[1][1]) + synth.pcapng_bytes(small)[28:]  # and a 2nd section
    big_endian = synth.pcapng_bytes(small, big_endian=True)
    with_options_be = big_endian + _epb_with_options(">", small[2][1]) + big_endian[28:]
    return {
        "pcap": synth.pcap_bytes(small),
        "pcap big-endian nano": synth.pcap_bytes(small, big_endian=True, nano=True),
        "pcap big record": synth.pcap_bytes(big),
        "pcapng": ng,
        "pcapng big block": synth.pcapng_bytes(big),
        "pcapng two interfaces": synth.pcapng_bytes(mixed, nano_linktypes=(synth.SLL2,)),
        "pcapng options and sections": with_options,
        "pcapng big-endian options and sections": with_options_be + synth.pcapng_bytes(small)[28:],
        "pcapng interface options and statistics": _interfaces_and_statistics("<", small),
        "pcapng big-endian interface options and statistics": _interfaces_and_statistics(">", small),
    }


@pytest.mark.parametrize("name", list(_reader_files()))
@pytest.mark.parametrize("chunk", [1, 7, 32, 33, 100, 333, 4096, 1 << 20])
def test_chunked_reading_agrees_with_scapy(tmp_path, monkeypatch, name, chunk):
    path = tmp_path / "f.cap"
    path.write_bytes(_reader_files()[name])
    expected = _read_all(path, 0, monkeypatch)
    assert len(expected[0]) >= 4
    assert _read_all(path, chunk, monkeypatch) == expected


@pytest.mark.parametrize("name", ["pcap", "pcapng", "pcapng options and sections", "pcap big-endian nano"])
@pytest.mark.parametrize("chunk", [64, 1 << 20])
def test_chunked_reading_of_every_truncation(tmp_path, monkeypatch, name, chunk):
    whole = _reader_files()[name]
    path = tmp_path / "cut.cap"
    for cut in range(40, len(whole), 5):
        path.write_bytes(whole[:cut])
        assert _read_all(path, chunk, monkeypatch) == _read_all(path, 0, monkeypatch), cut


def test_chunked_reading_of_a_huge_claimed_length(tmp_path, monkeypatch):
    good = synth.pcapng_bytes(_packets()[:2])
    path = tmp_path / "huge.pcapng"
    path.write_bytes(good + b"\x06\x00\x00\x00\xfc\xff\xff\xff" + b"\0" * 40)
    for chunk in (0, 50, 1 << 20):
        packets, truncated = _read_all(path, chunk, monkeypatch)
        assert (len(packets), truncated) == (2, True)
    record = struct.pack("<IIII", 1, 2, 0xFFFFFFF0, 0xFFFFFFF0)  # pcap: a record claiming 4 GiB
    path.write_bytes(synth.pcap_bytes(_packets()[:2]) + record + b"\0" * 100)
    for chunk in (0, 50, 1 << 20):
        packets, truncated = _read_all(path, chunk, monkeypatch)
        assert (len(packets), truncated) == (2, True)


@pytest.mark.parametrize("name", ["pcap", "pcapng", "pcapng interface options and statistics"])
def test_plain_files_are_read_without_importing_scapy(tmp_path, name):
    """scapy's readers are only for unusual blocks and records; importing scapy is a third of start-up."""
    path = tmp_path / "f.cap"
    path.write_bytes(_reader_files()[name])
    code = (
        "import sys; from inspector.capture.pcapfile import CaptureFile\n"
        f"with CaptureFile({str(path)!r}) as capture: count = len(list(capture)); cut = capture.truncated\n"
        "print(count, cut, any(m == 'scapy' or m.startswith('scapy.') for m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    count, truncated, scapy_loaded = result.stdout.split()
    assert int(count) >= 4 and truncated == "False"
    # The malformed if_tsresol is scapy's to read, so that file loads it; the plain ones do not.
    assert scapy_loaded == str(name == "pcapng interface options and statistics")
