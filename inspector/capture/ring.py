"""A Linux packet socket with a TPACKET_V3 receive ring: the kernel writes packets into shared memory.

Why a ring: with a plain packet socket every packet costs one recv() and one timestamp ioctl, in
Python about 20 us with scapy's sniffer, so a reader falls behind near 50k packets/s and the socket's
few-MiB queue overflows whenever the decoder holds the GIL. With the ring the kernel copies each
packet and its timestamp into large memory blocks and hands over a whole block at once; the reader
walks a block with struct reads, a microsecond or so per packet, and the ring (RING_BLOCKS blocks of
BLOCK_SIZE, 64 MiB) holds seconds of loopback traffic while the reader waits for the GIL.

Layouts are Linux's <linux/if_packet.h>; the socket is opened with protocol 0, so it receives
nothing until the filter and the ring are in place and it is bound: no unfiltered packet gets in.
"""

from __future__ import annotations

import contextlib
import mmap
import socket
import struct
from collections.abc import Callable

from .packets import RawPacket

# <linux/if_ether.h>: every protocol.
ETH_P_ALL = 0x0003
# <linux/socket.h> and <linux/if_packet.h>
SOL_PACKET = 263
PACKET_RX_RING = 5
PACKET_STATISTICS = 6
PACKET_VERSION = 10
PACKET_IGNORE_OUTGOING = 23  # Linux 4.20: our own sends on lo are not delivered a second time
TPACKET_V3 = 2
TP_STATUS_KERNEL = 0
TP_STATUS_USER = 1
PACKET_OUTGOING = 4  # sockaddr_ll.sll_pkttype of a packet this host sent

# A block is handed over when full or after BLOCK_TIMEOUT_MS, whichever comes first: the timeout
# bounds how late a quiet connection's packets reach the reader, and it means that under light
# traffic each block carries only a timeout's worth of packets. So the ring is many small blocks:
# it absorbs a stalled reader for RING_BLOCKS * BLOCK_TIMEOUT_MS (6.4 s) under light traffic and for
# BLOCK_SIZE * RING_BLOCKS bytes (about 380k small loopback packets) under heavy traffic. A block
# must hold the largest loopback frame (65550 bytes) with its headers.
BLOCK_SIZE = 1 << 18
RING_BLOCKS = 256
BLOCK_TIMEOUT_MS = 25
# V3 ignores frame sizes but the kernel checks that they tile the blocks (16-byte aligned).
FRAME_SIZE = 1 << 11

# struct tpacket_req3: block_size, block_nr, frame_size, frame_nr, retire_blk_tov, sizeof_priv, feature_req_word
_REQ3 = struct.Struct("7I")
# struct tpacket_block_desc: version, offset_to_priv, then tpacket_hdr_v1: block_status, num_pkts,
# offset_to_first_pkt, blk_len (bytes used, from the block's start), ...
_BLOCK_HEADER = struct.Struct("6I")
_BLOCK_STATUS_OFFSET = 8
# struct tpacket3_hdr: tp_next_offset, tp_sec, tp_nsec, tp_snaplen, tp_len, tp_status, tp_mac, tp_net
_PACKET_HEADER = struct.Struct("6I2H")
_FIRST_PACKET_TIME = struct.Struct("3I")  # its first three fields
# struct sockaddr_ll follows the 48-byte tpacket3_hdr (TPACKET_ALIGN'd); sll_pkttype is its 11th byte.
_PKTTYPE_OFFSET = 48 + 10
# struct tpacket_stats_v3: tp_packets, tp_drops, tp_freeze_q_cnt
_STATS_V3 = struct.Struct("3I")

NANOSECONDS = 1_000_000_000
MICROSECONDS = 1_000_000


def open_packet_socket(iface: str, attach: Callable[[socket.socket], None] | None = None) -> socket.socket:
    """A packet socket on `iface` with its receive ring set up and bound; `attach` (e.g. a BPF filter)
    runs before any packet can arrive. Whoever reads it wraps it in a PacketRing.

    Raises PermissionError without the capture privilege and OSError for a bad interface.
    """
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0)
    try:
        if attach is not None:
            attach(sock)
        sock.setsockopt(SOL_PACKET, PACKET_VERSION, TPACKET_V3)
        frames = BLOCK_SIZE // FRAME_SIZE * RING_BLOCKS
        sock.setsockopt(SOL_PACKET, PACKET_RX_RING,
                        _REQ3.pack(BLOCK_SIZE, RING_BLOCKS, FRAME_SIZE, frames, BLOCK_TIMEOUT_MS, 0, 0))
        with contextlib.suppress(OSError):  # older kernels: block_packets' pkttype check does the same job
            sock.setsockopt(SOL_PACKET, PACKET_IGNORE_OUTGOING, 1)
        sock.bind((iface, ETH_P_ALL))
    except BaseException:
        sock.close()
        raise
    return sock


def device_type(sock: socket.socket) -> int:
    """The interface's Linux ARPHRD_* type, from the bound socket's address."""
    return int(sock.getsockname()[3])


def statistics(sock: socket.socket) -> tuple[int, int]:
    """(packets, drops) the kernel counted since the last call (reading resets them); packets include drops."""
    packets, drops, _frozen = _STATS_V3.unpack(sock.getsockopt(SOL_PACKET, PACKET_STATISTICS, _STATS_V3.size))
    return packets, drops


class PacketRing:
    """The reading side of a socket from open_packet_socket: its ring mapped into memory. One reader."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._ring: mmap.mmap | None = mmap.mmap(sock.fileno(), BLOCK_SIZE * RING_BLOCKS, mmap.MAP_SHARED,
                                                 mmap.PROT_READ | mmap.PROT_WRITE)
        self._block = 0  # the next block the reader will take from the kernel

    def pending(self) -> bool:
        """Whether the kernel holds packets the reader has not taken: a ready block, or a block being filled."""
        assert self._ring is not None
        header = _BLOCK_HEADER.unpack_from(self._ring, self._block * BLOCK_SIZE)
        status, count = header[2], header[3]
        return bool(status & TP_STATUS_USER) or count > 0

    def take(self) -> list[bytes]:
        """Copies of the blocks the kernel has handed over (their used part), each given back once copied.

        A copy per block, no work per packet: the reader holds the GIL for microseconds per block,
        and parsing (block_packets) happens in the consumer's thread.
        """
        ring = self._ring
        assert ring is not None
        blocks: list[bytes] = []
        while True:
            base = self._block * BLOCK_SIZE
            _version, _private, status, _count, _first, used = _BLOCK_HEADER.unpack_from(ring, base)
            if not status & TP_STATUS_USER:
                return blocks
            blocks.append(ring[base:base + used])
            struct.pack_into("I", ring, base + _BLOCK_STATUS_OFFSET, TP_STATUS_KERNEL)
            self._block = (self._block + 1) % RING_BLOCKS

    @property
    def closed(self) -> bool:
        return self.sock.fileno() < 0

    def close(self) -> None:
        if self._ring is not None:
            self._ring.close()
            self._ring = None
        self.sock.close()


def block_counts(block: bytes) -> tuple[int, float]:
    """(packets, time of the first one) of a block copied by PacketRing.take, without parsing it.
    (The block header's own first time is when the kernel opened the block, not its first packet's.)"""
    _version, _private, _status, count, offset, _used = _BLOCK_HEADER.unpack_from(block)
    if not count:
        return 0, 0.0
    _following, seconds, nanoseconds = _FIRST_PACKET_TIME.unpack_from(block, offset)
    return count, seconds + nanoseconds / NANOSECONDS


def block_packets(block: bytes, linktype: int, first_number: int) -> list[RawPacket]:
    """The packets of a block copied by PacketRing.take, numbered from `first_number`; outgoing copies left out."""
    packets: list[RawPacket] = []
    append = packets.append
    unpack_packet = _PACKET_HEADER.unpack_from
    _version, _private, _status, count, offset, _used = _BLOCK_HEADER.unpack_from(block)
    number = first_number
    for _ in range(count):
        following, seconds, nanoseconds, snaplen, length, _status, mac, _net = unpack_packet(block, offset)
        if block[offset + _PKTTYPE_OFFSET] != PACKET_OUTGOING:
            # Whole microseconds, as a pcapng reader of our saved file computes the time.
            time = (seconds * MICROSECONDS + nanoseconds // 1000) / MICROSECONDS
            start = offset + mac
            append(RawPacket(number, time, linktype, block[start:start + snaplen], length))
            number += 1
        offset += following
    return packets
