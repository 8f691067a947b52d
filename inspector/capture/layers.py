"""Link layer -> IPv4/IPv6 -> TCP, decoded with struct and slicing only.

scapy's dissection runs at about 10k packets/s; a capture with a million frames needs far more,
so this module reads only the fields TCP reassembly needs. Malformed input returns None, never
raises: a capture is evidence, and a broken packet is just not a TCP segment we can use.
"""

from __future__ import annotations

from struct import Struct
from typing import Final, NamedTuple

# Link-layer header types, https://www.tcpdump.org/linktypes.html
LINKTYPE_NULL: Final = 0  # BSD loopback: 4-byte address family in the capturing host's byte order
LINKTYPE_ETHERNET: Final = 1
LINKTYPE_DLT_RAW_12: Final = 12  # DLT_RAW as most BSDs number it in old files
LINKTYPE_DLT_RAW_14: Final = 14  # DLT_RAW as OpenBSD numbers it
LINKTYPE_RAW: Final = 101  # raw IPv4 or IPv6, version from the first nibble
LINKTYPE_LOOP: Final = 108  # OpenBSD loopback: like NULL but the family is big-endian
LINKTYPE_LINUX_SLL: Final = 113  # Linux "cooked" capture v1, 16-byte header
LINKTYPE_IPV4: Final = 228
LINKTYPE_IPV6: Final = 229
LINKTYPE_LINUX_SLL2: Final = 276  # Linux "cooked" capture v2, 20-byte header

# EtherTypes, IEEE 802 numbers
ETHERTYPE_IPV4: Final = 0x0800
ETHERTYPE_IPV6: Final = 0x86DD
ETHERTYPE_VLAN: Final = 0x8100  # 802.1Q
ETHERTYPE_QINQ: Final = 0x88A8  # 802.1ad outer tag
ETHERTYPE_QINQ_OLD: Final = 0x9100
VLAN_TYPES: Final = frozenset((ETHERTYPE_VLAN, ETHERTYPE_QINQ, ETHERTYPE_QINQ_OLD))
MAX_VLAN_TAGS: Final = 4

ETHERNET_HEADER: Final = 14
VLAN_TAG: Final = 4
SLL_HEADER: Final = 16
SLL2_HEADER: Final = 20
NULL_HEADER: Final = 4

# IP protocol numbers, IANA
IPPROTO_HOPOPTS: Final = 0
IPPROTO_TCP: Final = 6
IPPROTO_ROUTING: Final = 43
IPPROTO_FRAGMENT: Final = 44
IPPROTO_AH: Final = 51
IPPROTO_DSTOPTS: Final = 60
IPPROTO_MOBILITY: Final = 135
IPV6_EXTENSIONS_8: Final = frozenset((IPPROTO_HOPOPTS, IPPROTO_ROUTING, IPPROTO_DSTOPTS, IPPROTO_MOBILITY))  # (len+1)*8
MAX_IPV6_EXTENSIONS: Final = 8

IPV4_MIN_HEADER: Final = 20
IPV6_HEADER: Final = 40
TCP_MIN_HEADER: Final = 20
IPV4_MF_OR_OFFSET: Final = 0x3FFF  # RFC 791: "more fragments" bit plus the 13-bit fragment offset

# TCP flags, RFC 9293 Section 3.1 (byte 13 of the header)
FIN: Final = 0x01
SYN: Final = 0x02
RST: Final = 0x04
PSH: Final = 0x08
ACK: Final = 0x10
URG: Final = 0x20

_TCP: Final = Struct("!HHIIBB")  # ports, seq, ack, data offset byte, flags byte
_U16: Final = Struct("!H")
# Ethernet II -> IPv4 -> TCP in one unpack: EtherType; version+IHL, total length, flags+fragment
# offset, protocol, addresses; then the TCP fields as _TCP has them, valid where IHL is 5.
_ETHER_IPV4_TCP: Final = Struct("!12xHBxH2xH1xB2x4s4sHHIIBB")
ETHER_IPV4_TCP_MIN: Final = ETHERNET_HEADER + IPV4_MIN_HEADER + TCP_MIN_HEADER


class TcpSegment(NamedTuple):
    src: bytes  # packed address, 4 bytes (IPv4) or 16 (IPv6); see format_address
    dst: bytes
    sport: int
    dport: int
    seq: int
    ack: int
    flags: int
    payload: bytes


def decode_tcp(linktype: int, data: bytes) -> TcpSegment | None:
    """The TCP segment inside a link-layer frame, or None if it is not (a complete) one."""
    ip_offset = _ip_offset(linktype, data)
    if ip_offset < 0 or len(data) <= ip_offset:
        return None
    version = data[ip_offset] >> 4
    if version == 4:
        return _ipv4(data, ip_offset)
    if version == 6:
        return _ipv6(data, ip_offset)
    return None


def decode_tcp_fast(linktype: int, data: bytes) -> TcpSegment | tuple | None:
    """`decode_tcp`, with the frame nearly every capture is made of (Ethernet II, IPv4 not
    fragmented, TCP) read by one struct unpack instead of four function calls. Returns a plain tuple
    laid out as TcpSegment. Anything else, or anything odd, goes through decode_tcp unchanged."""
    size = len(data)
    if linktype == LINKTYPE_ETHERNET and size >= ETHER_IPV4_TCP_MIN:
        ethertype, version_ihl, total, fragment, protocol, src, dst, sport, dport, seq, ack, offset_byte, flags = (
            _ETHER_IPV4_TCP.unpack_from(data)
        )
        if ethertype == ETHERTYPE_IPV4 and protocol == IPPROTO_TCP and not fragment & IPV4_MF_OR_OFFSET:
            if version_ihl == 0x45:  # no IP options: the TCP fields above are the real ones
                tcp_start = ETHERNET_HEADER + IPV4_MIN_HEADER
            elif version_ihl > 0x45 and version_ihl >> 4 == 4:  # options: read TCP where IHL says
                tcp_start = ETHERNET_HEADER + (version_ihl & 0x0F) * 4
                if size < tcp_start + TCP_MIN_HEADER:
                    return decode_tcp(linktype, data)
                sport, dport, seq, ack, offset_byte, flags = _TCP.unpack_from(data, tcp_start)
            else:
                return decode_tcp(linktype, data)
            # As _ipv4 and _tcp: the IP total length bounds the segment (Ethernet pads), 0 means the frame's end.
            end = ETHERNET_HEADER + total if total >= tcp_start - ETHERNET_HEADER else size
            if end > size:
                end = size
            payload_start = tcp_start + (offset_byte >> 4) * 4
            if offset_byte >= 0x50 and payload_start <= end:
                return (src, dst, sport, dport, seq, ack, flags, data[payload_start:end])
            return None
    return decode_tcp(linktype, data)


def _ip_offset(linktype: int, data: bytes) -> int:
    """Where the IP header starts, or -1 when the frame does not carry IP."""
    if linktype == LINKTYPE_ETHERNET:
        return _ethernet(data)
    if linktype in (LINKTYPE_RAW, LINKTYPE_IPV4, LINKTYPE_IPV6, LINKTYPE_DLT_RAW_12, LINKTYPE_DLT_RAW_14):
        return 0
    if linktype in (LINKTYPE_NULL, LINKTYPE_LOOP):
        # The family value differs per OS (AF_INET6 is 24, 28 or 30) and NULL's byte order is the
        # capturing host's; the IP version nibble that follows says the same thing reliably.
        return NULL_HEADER
    if linktype == LINKTYPE_LINUX_SLL:
        return _ethertype_offset(data, 14, SLL_HEADER)
    if linktype == LINKTYPE_LINUX_SLL2:
        return _ethertype_offset(data, 0, SLL2_HEADER)
    return -1


def _ethertype_offset(data: bytes, type_at: int, header: int) -> int:
    if len(data) < header:
        return -1
    ethertype = (data[type_at] << 8) | data[type_at + 1]
    return header if ethertype in (ETHERTYPE_IPV4, ETHERTYPE_IPV6) else -1


def _ethernet(data: bytes) -> int:
    offset = 12
    for _ in range(MAX_VLAN_TAGS + 1):
        if len(data) < offset + 2:
            return -1
        ethertype = (data[offset] << 8) | data[offset + 1]
        if ethertype in VLAN_TYPES:
            offset += VLAN_TAG
            continue
        if ethertype in (ETHERTYPE_IPV4, ETHERTYPE_IPV6):
            return offset + 2
        return -1
    return -1


def _ipv4(data: bytes, start: int) -> TcpSegment | None:
    if len(data) < start + IPV4_MIN_HEADER:
        return None
    header_length = (data[start] & 0x0F) * 4
    if header_length < IPV4_MIN_HEADER or data[start + 9] != IPPROTO_TCP:
        return None
    if _U16.unpack_from(data, start + 6)[0] & IPV4_MF_OR_OFFSET:
        return None  # an IP fragment: its TCP header may be elsewhere, and we do not reassemble IP
    total = _U16.unpack_from(data, start + 2)[0]
    # Ethernet pads short frames: the IP total length, not the frame, says where TCP ends. TSO
    # captures write 0 here, so fall back to the frame's end.
    end = start + total if total >= header_length else len(data)
    return _tcp(data, start + header_length, min(end, len(data)), data[start + 12 : start + 16],
                data[start + 16 : start + 20])


def _ipv6(data: bytes, start: int) -> TcpSegment | None:
    if len(data) < start + IPV6_HEADER:
        return None
    payload_length = _U16.unpack_from(data, start + 4)[0]
    end = start + IPV6_HEADER + payload_length if payload_length else len(data)  # 0: jumbogram
    end = min(end, len(data))
    next_header = data[start + 6]
    offset = start + IPV6_HEADER
    for _ in range(MAX_IPV6_EXTENSIONS):
        if next_header == IPPROTO_TCP:
            return _tcp(data, offset, end, data[start + 8 : start + 24], data[start + 24 : start + 40])
        if offset + 8 > end:
            return None
        if next_header in IPV6_EXTENSIONS_8:
            length = (data[offset + 1] + 1) * 8
        elif next_header == IPPROTO_FRAGMENT:
            if _U16.unpack_from(data, offset + 2)[0] & 0xFFF9:  # offset != 0 or M set: a real fragment
                return None
            length = 8
        elif next_header == IPPROTO_AH:
            length = (data[offset + 1] + 2) * 4  # RFC 4302: length in 32-bit words minus 2
        else:
            return None  # ESP, no-next-header, UDP, ICMPv6 ...
        next_header = data[offset]
        offset += length
    return None


def _tcp(data: bytes, start: int, end: int, src: bytes, dst: bytes) -> TcpSegment | None:
    if end - start < TCP_MIN_HEADER:
        return None
    sport, dport, seq, ack, offset_byte, flags = _TCP.unpack_from(data, start)
    header_length = (offset_byte >> 4) * 4
    if header_length < TCP_MIN_HEADER or start + header_length > end:
        return None
    return TcpSegment(src, dst, sport, dport, seq, ack, flags, data[start + header_length : end])


def format_address(address: bytes, port: int) -> str:
    """`1.2.3.4:80` or `[::1]:80`, as the dump prints endpoints."""
    if len(address) == 4:
        return f"{address[0]}.{address[1]}.{address[2]}.{address[3]}:{port}"
    return f"[{_ipv6_text(address)}]:{port}"


def _ipv6_text(address: bytes) -> str:
    """RFC 5952 text form: lowercase hex, the longest run (>= 2) of zero groups becomes '::'."""
    groups = [(address[i] << 8) | address[i + 1] for i in range(0, 16, 2)]
    best_start, best_length, run_start = -1, 1, -1
    for i, group in enumerate([*groups, 1]):
        if group == 0 and run_start < 0:
            run_start = i
        elif group != 0 and run_start >= 0:
            if i - run_start > best_length:
                best_start, best_length = run_start, i - run_start
            run_start = -1
    text = [f"{group:x}" for group in groups]
    if best_start < 0:
        return ":".join(text)
    return ":".join(text[:best_start]) + "::" + ":".join(text[best_start + best_length :])
