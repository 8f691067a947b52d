"""Write pcapng files Wireshark and tshark open: raw packets, or a whole TCP session synthesized from
the two byte streams of a WebSocket conversation (the built-in client records sessions this way).

Block layout from the pcapng specification (draft-ietf-opsawg-pcapng): Section Header Block,
one Interface Description Block per link type, then Enhanced Packet Blocks. Little-endian.
"""

from __future__ import annotations

import ipaddress
import struct
from collections.abc import Iterable, Iterator
from typing import BinaryIO

from .layers import ACK, ETHERTYPE_IPV4, ETHERTYPE_IPV6, FIN, IPPROTO_TCP, LINKTYPE_ETHERNET, PSH, SYN
from .packets import RawPacket

BLOCK_SHB = 0x0A0D0D0A
BLOCK_IDB = 0x00000001
BLOCK_EPB = 0x00000006
BYTE_ORDER_MAGIC = 0x1A2B3C4D
OPTION_END = 0
OPTION_IF_TSRESOL = 9
TSRESOL_MICROSECONDS = 6  # if_tsresol: 10^-6 s, the default

MAX_SEGMENT = 65000  # payload per synthesized TCP segment; keeps the IPv4 total length below 65535
IPV4_TTL = 64
TCP_WINDOW = 65535
CLIENT_MAC = bytes.fromhex("020000000001")  # locally administered addresses
SERVER_MAC = bytes.fromhex("020000000002")
CLIENT_ISN = 0x1000
SERVER_ISN = 0x80000000


def checksum(data: bytes) -> int:
    """RFC 1071 Internet checksum.

    The one's-complement sum of 16-bit words equals the whole big-endian number modulo 0xFFFF
    (because 2^16 = 1 modulo 0xFFFF), which Python computes at C speed for any length.
    """
    if len(data) % 2:
        data += b"\x00"
    value = int.from_bytes(data, "big")
    total = value % 0xFFFF
    if total == 0 and value:
        total = 0xFFFF
    return ~total & 0xFFFF


def tcp_packet(
    src: str,
    dst: str,
    sport: int,
    dport: int,
    seq: int,
    ack: int,
    flags: int,
    payload: bytes = b"",
    *,
    src_mac: bytes = CLIENT_MAC,
    dst_mac: bytes = SERVER_MAC,
    window: int = TCP_WINDOW,
) -> bytes:
    """An Ethernet frame carrying IPv4 or IPv6 (from the address form) and TCP, checksums filled in."""
    ip_src = ipaddress.ip_address(src).packed
    ip_dst = ipaddress.ip_address(dst).packed
    tcp = tcp_header(ip_src, ip_dst, sport, dport, seq, ack, flags, payload, window) + payload
    if len(ip_src) == 4:
        return dst_mac + src_mac + struct.pack("!H", ETHERTYPE_IPV4) + ipv4_header(ip_src, ip_dst, len(tcp)) + tcp
    return dst_mac + src_mac + struct.pack("!H", ETHERTYPE_IPV6) + ipv6_header(ip_src, ip_dst, len(tcp)) + tcp


def tcp_header(
    src: bytes, dst: bytes, sport: int, dport: int, seq: int, ack: int, flags: int, payload: bytes, window: int
) -> bytes:
    """A 20-byte TCP header (RFC 9293 Section 3.1) with its checksum over the IP pseudo-header."""
    header = struct.pack("!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 5 << 4, flags, window, 0, 0)
    length = len(header) + len(payload)
    if len(src) == 4:
        pseudo = src + dst + struct.pack("!xBH", IPPROTO_TCP, length)  # RFC 9293 Section 3.1
    else:
        pseudo = src + dst + struct.pack("!I3xB", length, IPPROTO_TCP)  # RFC 8200 Section 8.1
    value = checksum(pseudo + header + payload)
    return header[:16] + struct.pack("!H", value) + header[18:]


def ipv4_header(src: bytes, dst: bytes, payload_length: int, protocol: int = IPPROTO_TCP) -> bytes:
    header = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + payload_length, 0, 0x4000, IPV4_TTL, protocol, 0, src, dst)
    return header[:10] + struct.pack("!H", checksum(header)) + header[12:]


def ipv6_header(src: bytes, dst: bytes, payload_length: int, next_header: int = IPPROTO_TCP) -> bytes:
    return struct.pack("!IHBB16s16s", 6 << 28, payload_length, next_header, IPV4_TTL, src, dst)


class PcapngWriter:
    """Streams blocks to a binary file; interfaces are added per link type on first use."""

    def __init__(self, file: BinaryIO) -> None:
        self._file = file
        self._interfaces: dict[int, int] = {}
        self._block(BLOCK_SHB, struct.pack("<IHHq", BYTE_ORDER_MAGIC, 1, 0, -1))

    def _block(self, block_type: int, body: bytes) -> None:
        body += b"\x00" * (-len(body) % 4)
        length = len(body) + 12
        self._file.write(struct.pack("<II", block_type, length) + body + struct.pack("<I", length))

    def interface(self, linktype: int, snaplen: int = 0) -> int:
        """The interface id for this link type, writing its description block the first time."""
        found = self._interfaces.get(linktype)
        if found is None:
            options = struct.pack("<HHB3x", OPTION_IF_TSRESOL, 1, TSRESOL_MICROSECONDS) + struct.pack("<HH", 0, 0)
            self._block(BLOCK_IDB, struct.pack("<HHI", linktype, 0, snaplen) + options)
            found = self._interfaces[linktype] = len(self._interfaces)
        return found

    def write(self, packet: RawPacket) -> None:
        interface = self.interface(packet.linktype)
        stamp = round(packet.time * 1_000_000)
        wire_length = max(packet.wire_length, len(packet.data))
        header = struct.pack("<IIIII", interface, stamp >> 32, stamp & 0xFFFFFFFF, len(packet.data), wire_length)
        self._block(BLOCK_EPB, header + packet.data)


def write_pcapng(path: str, packets: Iterable[RawPacket]) -> int:
    """Write packets to a new pcapng file; returns how many were written."""
    count = 0
    with open(path, "wb") as file:
        writer = PcapngWriter(file)
        for packet in packets:
            writer.write(packet)
            count += 1
    return count


def session_packets(
    exchanges: Iterable[tuple[str, bytes] | tuple[str, bytes, float]],
    *,
    client: tuple[str, int] = ("127.0.0.1", 50000),
    server: tuple[str, int] = ("127.0.0.1", 8765),
    start_time: float = 1_763_683_200.0,
    step: float = 0.0001,
    max_segment: int = MAX_SEGMENT,
    handshake: bool = True,
    close: bool = True,
) -> Iterator[RawPacket]:
    """Ethernet packets for a TCP session that carries `exchanges` in order.

    Each exchange is (sender, bytes) with sender "client" or "server" (a Direction works), or
    (sender, bytes, time) to stamp its packets with that time instead of the next `step`. Bytes are
    cut into segments of at most `max_segment`; each acknowledges everything the peer sent before.
    `handshake` adds SYN, SYN-ACK, ACK; `close` adds FIN from both sides.
    """
    (client_ip, client_port), (server_ip, server_port) = client, server
    seq = {"client": CLIENT_ISN, "server": SERVER_ISN}
    number = 0
    time = start_time

    def packet(sender: str, flags: int, payload: bytes = b"", at: float | None = None) -> RawPacket:
        nonlocal number, time
        number += 1
        time = time + step if at is None else at
        peer = "server" if sender == "client" else "client"
        if sender == "client":
            frame = tcp_packet(client_ip, server_ip, client_port, server_port, seq["client"], seq["server"], flags,
                               payload, src_mac=CLIENT_MAC, dst_mac=SERVER_MAC)
        else:
            frame = tcp_packet(server_ip, client_ip, server_port, client_port, seq["server"], seq["client"], flags,
                               payload, src_mac=SERVER_MAC, dst_mac=CLIENT_MAC)
        seq[sender] += len(payload) + (1 if flags & (SYN | FIN) else 0)
        del peer
        return RawPacket(number, time, LINKTYPE_ETHERNET, frame, len(frame))

    if handshake:
        seq["client"] -= 1
        seq["server"] -= 1
        yield packet("client", SYN)
        yield packet("server", SYN | ACK)
        yield packet("client", ACK)
    for exchange in exchanges:
        name, data = str(exchange[0]), exchange[1]
        at = exchange[2] if len(exchange) > 2 else None  # type: ignore[misc]
        for start in range(0, len(data), max_segment):
            yield packet(name, PSH | ACK, data[start : start + max_segment], at)
    if close:
        yield packet("client", FIN | ACK)
        yield packet("server", FIN | ACK)
        yield packet("client", ACK)


def write_session(
    path: str, exchanges: Iterable[tuple[str, bytes] | tuple[str, bytes, float]], **options: object
) -> int:
    """Write a synthesized TCP session (see session_packets) as pcapng; returns the packet count."""
    return write_pcapng(path, session_packets(exchanges, **options))  # type: ignore[arg-type]
