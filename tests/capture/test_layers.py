from __future__ import annotations

import struct

import pytest

from inspector.capture.layers import TcpSegment, decode_tcp, decode_tcp_fast, format_address

from . import synth

PAYLOAD = b"GET / HTTP/1.1\r\n\r\n"


def _ip(v6: bool = False, **kw) -> bytes:
    src, dst = ("2001:db8::1", "2001:db8::2") if v6 else ("192.0.2.1", "192.0.2.2")
    return synth.ip_tcp(src, dst, 40000, 80, 4_294_967_000, 77, synth.PSH | synth.ACK, PAYLOAD, **kw)


@pytest.mark.parametrize("linktype", [synth.ETHERNET, synth.SLL, synth.SLL2, synth.NULL, synth.LOOP, synth.RAW, 12, 14])
@pytest.mark.parametrize("v6", [False, True])
def test_link_layers(linktype, v6):
    wrap = synth.WRAP.get(linktype, lambda ip: ip)
    segment = decode_tcp(linktype, wrap(_ip(v6)))
    assert isinstance(segment, TcpSegment)
    assert (segment.sport, segment.dport, segment.seq, segment.ack) == (40000, 80, 4_294_967_000, 77)
    assert segment.flags == synth.PSH | synth.ACK
    assert segment.payload == PAYLOAD
    assert len(segment.src) == (16 if v6 else 4)


def test_null_big_endian_family_and_vlan():
    assert decode_tcp(synth.NULL, synth.null(_ip(), "big")).payload == PAYLOAD
    assert decode_tcp(synth.ETHERNET, synth.ethernet(_ip(), vlan=7)).payload == PAYLOAD


def test_ethernet_padding_is_not_payload():
    ip = synth.ip_tcp("192.0.2.1", "192.0.2.2", 1, 2, 0, 0, synth.ACK)
    frame = synth.ethernet(ip)
    assert len(frame) == 60  # padded
    assert decode_tcp(1, frame).payload == b""


def test_ipv6_extension_headers_are_skipped():
    hop_by_hop = bytes([60, 0]) + b"\x01\x04\0\0\0\0"  # next: destination options; PadN
    dest_opts = bytes([43, 1]) + b"\x01\x0c" + b"\0" * 12  # 16 bytes; next: routing
    routing = bytes([44, 0, 0, 0]) + b"\0" * 4  # next: fragment
    fragment = bytes([6, 0, 0, 0]) + b"\0\0\0\1"  # offset 0, M = 0: an atomic fragment; next TCP
    ip = _ip(True, ipv6_extensions=hop_by_hop + dest_opts + routing + fragment, first_extension=0)
    assert decode_tcp(synth.RAW, ip).payload == PAYLOAD
    real_fragment = bytes([6, 0, 0, 1]) + b"\0\0\0\1"  # M = 1
    assert decode_tcp(synth.RAW, _ip(True, ipv6_extensions=real_fragment, first_extension=44)) is None


def test_non_tcp_and_malformed_never_raise():
    ip = bytearray(_ip())
    ip[9] = 17  # UDP
    assert decode_tcp(synth.RAW, bytes(ip)) is None
    fragment = bytearray(_ip())
    fragment[6:8] = struct.pack("!H", 0x2000)  # more fragments
    assert decode_tcp(synth.RAW, bytes(fragment)) is None
    assert decode_tcp(synth.ETHERNET, b"\x02" * 12 + b"\x08\x06" + b"\0" * 28) is None  # ARP
    assert decode_tcp(999, _ip()) is None
    whole = synth.ethernet(_ip())
    for cut in range(len(whole)):
        decode_tcp(synth.ETHERNET, whole[:cut])  # must not raise
    bad_offset = bytearray(_ip())
    bad_offset[20 + 12] = 0xF0  # TCP data offset 60 > segment
    assert decode_tcp(synth.RAW, bytes(bad_offset)) is None
    bad_ihl = bytearray(_ip())
    bad_ihl[0] = 0x42
    assert decode_tcp(synth.RAW, bytes(bad_ihl)) is None


def test_format_address():
    assert format_address(bytes([127, 0, 0, 1]), 8765) == "127.0.0.1:8765"
    assert format_address(bytes(15) + b"\x01", 80) == "[::1]:80"


def _with_ipv4_options(ip: bytes, words: int) -> bytes:
    """The same IPv4 packet with `words` 32-bit words of options (NOPs) after its 20-byte header."""
    total = struct.unpack("!H", ip[2:4])[0] + 4 * words
    header = bytes([0x45 + words]) + ip[1:2] + struct.pack("!H", total) + ip[4:20]
    return header + b"\x01" * (4 * words) + ip[20:]


def _fast_cases() -> list[tuple[str, int, bytes]]:
    """Frames at and around the edges of decode_tcp_fast's Ethernet/IPv4/TCP path."""
    ip = _ip()
    bare = synth.ip_tcp("192.0.2.1", "192.0.2.2", 1, 2, 3, 4, synth.ACK)
    cases = [
        ("plain", synth.ETHERNET, synth.ethernet(ip)),
        ("padded, no payload", synth.ETHERNET, synth.ethernet(bare)),
        ("ipv4 options", synth.ETHERNET, synth.ethernet(_with_ipv4_options(ip, 3))),
        ("max ipv4 options", synth.ETHERNET, synth.ethernet(_with_ipv4_options(ip, 10))),
        ("vlan", synth.ETHERNET, synth.ethernet(ip, vlan=7)),
        ("ipv6", synth.ETHERNET, synth.ethernet(_ip(True))),
        ("raw ip", synth.RAW, ip),
        ("sll", synth.SLL, synth.sll(ip)),
    ]
    frame = synth.ethernet(ip)
    # Every cut of the frame, a few byte flips in the headers, and odd length fields.
    cases += [(f"cut {n}", synth.ETHERNET, frame[:n]) for n in range(0, len(frame) + 1)]
    options = synth.ethernet(_with_ipv4_options(ip, 2))
    cases += [(f"options cut {n}", synth.ETHERNET, options[:n]) for n in range(50, len(options) + 1)]
    for at, values in (
        (12, (0x08, 0x86, 0x81)),  # EtherType high byte
        (14, (0x44, 0x40, 0x46, 0x4F, 0x65, 0x35)),  # version and IHL
        (16, (0, 0xFF)),  # total length, high byte
        (17, (0, 19, 20, 39, 40, 41)),  # total length, low byte
        (20, (0x20, 0x40, 0x1F)),  # flags and fragment offset
        (23, (17, 6)),  # protocol
        (46, (0x00, 0x40, 0x50, 0x60, 0xF0)),  # TCP data offset
    ):
        for value in values:
            mutated = bytearray(frame)
            mutated[at] = value
            if at == 17:
                mutated[16] = 0
            cases.append((f"byte {at} = {value:#x}", synth.ETHERNET, bytes(mutated)))
    return cases


@pytest.mark.parametrize(("name", "linktype", "frame"), _fast_cases(), ids=[c[0] for c in _fast_cases()])
def test_fast_decoder_agrees_with_the_general_one(name, linktype, frame):
    expected = decode_tcp(linktype, frame)
    got = decode_tcp_fast(linktype, frame)
    assert (None if got is None else tuple(got)) == (None if expected is None else tuple(expected))
