"""Build captures for tests, mostly by hand.

The pcap/pcapng containers, the IP/TCP headers and the link-layer wrappers here are written
independently of inspector.capture.pcapng_writer, so reader and writer are not only checked against
each other. Files built here are also opened with tshark in the tests.
"""

from __future__ import annotations

import base64
import hashlib
import ipaddress
import struct
from collections.abc import Iterable

ETHERNET = 1
NULL = 0
RAW = 101
LOOP = 108
SLL = 113
SLL2 = 276

FIN, SYN, RST, PSH, ACK = 0x01, 0x02, 0x04, 0x08, 0x10
GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
KEY = b"dGhlIHNhbXBsZSBub25jZQ=="


def _sum16(data: bytes) -> int:
    """Internet checksum the slow obvious way (different code from the product's)."""
    if len(data) % 2:
        data += b"\0"
    total = 0
    for (word,) in struct.iter_unpack("!H", data):
        total += word
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF


def ip_tcp(src: str, dst: str, sport: int, dport: int, seq: int, ack: int, flags: int, payload: bytes = b"",
           *, ipv6_extensions: bytes = b"", first_extension: int = 6) -> bytes:
    """IPv4 or IPv6 packet (no link layer) carrying a TCP segment with correct checksums."""
    s, d = ipaddress.ip_address(src).packed, ipaddress.ip_address(dst).packed
    tcp = struct.pack("!HHIIBBHHH", sport, dport, seq % 2**32, ack % 2**32, 0x50, flags, 65535, 0, 0) + payload
    if len(s) == 4:
        pseudo = s + d + struct.pack("!BBH", 0, 6, len(tcp))
    else:
        pseudo = s + d + struct.pack("!IBBBB", len(tcp), 0, 0, 0, 6)
    tcp = tcp[:16] + struct.pack("!H", _sum16(pseudo + tcp)) + tcp[18:]
    if len(s) == 4:
        header = struct.pack("!BBHHHBBH", 0x45, 0, 20 + len(tcp), 1, 0, 64, 6, 0) + s + d
        return header[:10] + struct.pack("!H", _sum16(header)) + header[12:] + tcp
    body = ipv6_extensions + tcp
    next_header = first_extension if ipv6_extensions else 6
    return struct.pack("!IHBB", 0x60000000, len(body), next_header, 64) + s + d + body


def ethernet(ip: bytes, vlan: int | None = None) -> bytes:
    kind = b"\x08\x00" if ip[0] >> 4 == 4 else b"\x86\xdd"
    tag = b"\x81\x00" + struct.pack("!H", vlan) if vlan is not None else b""
    frame = b"\x02\x00\x00\x00\x00\x02" + b"\x02\x00\x00\x00\x00\x01" + tag + kind + ip
    return frame + b"\0" * max(0, 60 - len(frame))  # Ethernet minimum size: padding after IP


def sll(ip: bytes) -> bytes:
    kind = b"\x08\x00" if ip[0] >> 4 == 4 else b"\x86\xdd"
    return struct.pack("!HHH8s", 0, 772, 6, b"\0" * 8) + kind + ip


def sll2(ip: bytes) -> bytes:
    kind = b"\x08\x00" if ip[0] >> 4 == 4 else b"\x86\xdd"
    return kind + struct.pack("!HIHBB8s", 0, 1, 772, 0, 6, b"\0" * 8) + ip


def null(ip: bytes, byteorder: str = "little") -> bytes:
    family = 2 if ip[0] >> 4 == 4 else 30  # macOS: AF_INET6 = 30
    return family.to_bytes(4, byteorder) + ip  # type: ignore[arg-type]


def loop(ip: bytes) -> bytes:
    family = 2 if ip[0] >> 4 == 4 else 24
    return family.to_bytes(4, "big") + ip


WRAP = {ETHERNET: ethernet, SLL: sll, SLL2: sll2, NULL: null, LOOP: loop, RAW: lambda ip: ip}


class Flow:
    """Hand-placed TCP segments of one connection. Offsets are stream offsets after the SYN."""

    def __init__(self, client: str = "10.0.0.1", server: str = "10.0.0.2", cport: int = 40000, sport: int = 8080,
                 client_isn: int = 1000, server_isn: int = 5000, linktype: int = ETHERNET) -> None:
        self.client, self.server, self.cport, self.sport = client, server, cport, sport
        self.isn = {"client": client_isn, "server": server_isn}
        self.sent = {"client": 0, "server": 0}
        self.linktype = linktype

    def segment(self, sender: str, offset: int, payload: bytes = b"", flags: int = PSH | ACK) -> tuple[int, bytes]:
        peer = "server" if sender == "client" else "client"
        seq = self.isn[sender] + 1 + offset
        if flags & SYN:
            seq = self.isn[sender]
        ack = self.isn[peer] + 1 + self.sent[peer]
        if sender == "client":
            ip = ip_tcp(self.client, self.server, self.cport, self.sport, seq, ack, flags, payload)
        else:
            ip = ip_tcp(self.server, self.client, self.sport, self.cport, seq, ack, flags, payload)
        return self.linktype, WRAP[self.linktype](ip)

    def handshake(self) -> list[tuple[int, bytes]]:
        return [self.segment("client", 0, flags=SYN), self.segment("server", 0, flags=SYN | ACK),
                self.segment("client", 0, flags=ACK)]

    def send(self, sender: str, data: bytes, size: int = 1 << 30) -> list[tuple[int, bytes]]:
        """In-order segments of at most `size` bytes, advancing the sender's stream."""
        out = []
        for start in range(0, len(data), size):
            out.append(self.segment(sender, self.sent[sender] + start, data[start : start + size]))
        self.sent[sender] += len(data)
        return out

    def close(self) -> list[tuple[int, bytes]]:
        return [self.segment("client", self.sent["client"], flags=FIN | ACK),
                self.segment("server", self.sent["server"], flags=FIN | ACK)]


# -- WebSocket bytes ----------------------------------------------------------------------------

def ws_frame(opcode: int, payload: bytes = b"", *, fin: bool = True, mask: bytes | None = None, rsv: int = 0,
             length: int | None = None, form: int | None = None) -> bytes:
    """One frame, built bit by bit; `length` can lie and `form` (7, 16, 64) can be non-minimal."""
    declared = len(payload) if length is None else length
    if form is None:
        form = 7 if declared < 126 else 16 if declared < 65536 else 64
    first = (0x80 if fin else 0) | (rsv << 4) | opcode
    mask_bit = 0x80 if mask is not None else 0
    if form == 7:
        header = bytes([first, mask_bit | declared])
    elif form == 16:
        header = bytes([first, mask_bit | 126]) + struct.pack("!H", declared)
    else:
        header = bytes([first, mask_bit | 127]) + struct.pack("!Q", declared)
    if mask is not None:
        payload = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
        header += mask
    return header + payload


def upgrade_request(target: str = "/chat", extra: str = "") -> bytes:
    return (f"GET {target} HTTP/1.1\r\nHost: example.test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Key: {KEY.decode()}\r\nSec-WebSocket-Version: 13\r\n{extra}\r\n").encode()


def upgrade_response(status: str = "101 Switching Protocols", extra: str = "") -> bytes:
    accept = base64.b64encode(hashlib.sha1(KEY + GUID).digest()).decode()
    if not status.startswith("101"):
        return f"HTTP/1.1 {status}\r\nContent-Length: 0\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
    return (f"HTTP/1.1 {status}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Accept: {accept}\r\n{extra}\r\n").encode()


# -- containers, by hand ------------------------------------------------------------------------

def pcap_bytes(packets: Iterable[tuple[int, bytes]], *, linktype: int | None = None, nano: bool = False,
               big_endian: bool = False, start: float = 1_700_000_000.0, step: float = 0.001) -> bytes:
    """A classic pcap file (one link type for all packets)."""
    order = ">" if big_endian else "<"
    packets = list(packets)
    if linktype is None:
        linktype = packets[0][0] if packets else ETHERNET
    magic = 0xA1B23C4D if nano else 0xA1B2C3D4
    out = [struct.pack(order + "IHHiIII", magic, 2, 4, 0, 0, 262144, linktype)]
    scale = 1_000_000_000 if nano else 1_000_000
    for i, (_, data) in enumerate(packets):
        ticks = round((start + i * step) * scale)
        out.append(struct.pack(order + "IIII", ticks // scale, ticks % scale, len(data), len(data)) + data)
    return b"".join(out)


def _ng_block(order: str, kind: int, body: bytes) -> bytes:
    body += b"\0" * (-len(body) % 4)
    return struct.pack(order + "II", kind, len(body) + 12) + body + struct.pack(order + "I", len(body) + 12)


def pcapng_bytes(packets: Iterable[tuple[int, bytes]], *, big_endian: bool = False, nano_linktypes: tuple = (),
                 start: float = 1_700_000_000.0, step: float = 0.001) -> bytes:
    """pcapng with one interface per link type in first-use order; link types in `nano_linktypes`
    get if_tsresol = 9 (nanoseconds)."""
    order = ">" if big_endian else "<"
    out = [_ng_block(order, 0x0A0D0D0A, struct.pack(order + "IHHq", 0x1A2B3C4D, 1, 0, -1))]
    interfaces: dict[int, int] = {}
    for i, (linktype, data) in enumerate(packets):
        if linktype not in interfaces:
            options = b""
            if linktype in nano_linktypes:
                options = struct.pack(order + "HH", 9, 1) + b"\x09\0\0\0" + struct.pack(order + "HH", 0, 0)
            out.append(_ng_block(order, 1, struct.pack(order + "HHI", linktype, 0, 0) + options))
            interfaces[linktype] = len(interfaces)
        scale = 1_000_000_000 if linktype in nano_linktypes else 1_000_000
        ticks = round((start + i * step) * scale)
        header = struct.pack(order + "IIIII", interfaces[linktype], ticks >> 32, ticks & 0xFFFFFFFF, len(data),
                             len(data))
        out.append(_ng_block(order, 6, header + data))
    return b"".join(out)
