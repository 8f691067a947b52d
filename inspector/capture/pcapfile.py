"""Stream pcap and pcapng files as RawPacket records, without dissecting and without loading the file.

scapy's raw readers do the block parsing. Two things are added around them:
- every read is capped at what is left in the file, so a garbage length field (up to 4 GiB) never
  makes Python allocate that much;
- a record cut off by the end of the file is noticed: iteration stops there and `truncated` is set,
  so the dump can say so in one line.
"""

from __future__ import annotations

import logging
import os
import struct
from collections.abc import Iterator
from typing import IO, Any, Final

from scapy.error import Scapy_Exception
from scapy.utils import RawPcapNgReader, RawPcapReader

from ..errors import InspectorError
from .packets import RawPacket

# File magics: pcap (https://www.tcpdump.org/manpages/pcap-savefile.5.txt), pcapng SHB block type
PCAP_MAGICS: Final = frozenset((b"\xa1\xb2\xc3\xd4", b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\x3c\x4d", b"\x4d\x3c\xb2\xa1"))
PCAPNG_MAGIC: Final = b"\x0a\x0d\x0d\x0a"
PCAP_RECORD_HEADER: Final = 16
PCAPNG_MIN_BLOCK: Final = 12  # type, length, trailing length
PCAPNG_EPB: Final = 6  # Enhanced Packet Block
PCAPNG_EPB_FIXED: Final = 20  # interface id, time stamp (high, low), captured length, original length
PCAPNG_EPB_MIN: Final = PCAPNG_MIN_BLOCK + PCAPNG_EPB_FIXED
PCAP_MAX_RECORD: Final = 0xFFFF * 4  # scapy reads at most this much of one pcap record, skipping the rest

# Larger than any record: scapy's default (its MTU, 65535) cuts loopback frames of up to 65549 bytes.
READ_SIZE: Final = 1 << 24
READ_CHUNK: Final = 1 << 20  # bytes read from the file at once; the fast paths parse records out of them

# scapy logs "packet has been truncated" and the like at WARNING; we report problems ourselves.
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
logging.getLogger("scapy").setLevel(logging.ERROR)


class CaptureFileError(InspectorError):
    """The file cannot be read as a capture."""


class _BoundedFile:
    """A read-only file wrapper whose reads never ask for more than the file still holds.

    It reads the file a chunk (READ_CHUNK) at a time. The packet fast paths parse records straight
    out of `buffer` from index `pos`; scapy's readers, for everything else, read through `read`
    from the same chunk, so switching between the two costs no seek and no system call.
    """

    def __init__(self, handle: IO[bytes], size: int, position: int) -> None:
        self._handle = handle
        self.size = size
        self.buffer = b""  # file bytes from `base` on; the handle stands at base + len(buffer)
        self.base = position
        self.pos = 0  # index in `buffer` of the current position

    @property
    def position(self) -> int:
        return self.base + self.pos

    def read(self, count: int = -1) -> bytes:
        pos = self.pos
        left = self.size - self.base - pos
        if count < 0 or count > left:
            count = left
        end = pos + count
        if end > len(self.buffer):
            self.fill(count)
            pos = self.pos
            end = pos + count
        data = self.buffer[pos:end]
        self.pos = pos + len(data)
        return data

    def fill(self, needed: int) -> bool:
        """Make `needed` bytes from the current position available in `buffer` (reading at least a
        chunk), if the file holds them; False, reading nothing, if it does not."""
        buffer, pos = self.buffer, self.pos
        held = len(buffer) - pos
        unread = self.size - self.base - len(buffer)
        if needed - held > unread:
            return False
        if needed > held:
            start = self.base + pos
            if held:  # read the few held bytes again with the chunk, rather than copy the chunk to join them
                self._handle.seek(start)
            self.buffer = self._handle.read(min(max(READ_CHUNK, needed), held + unread))
            self.base = start
            self.pos = 0
        return True

    def seek(self, position: int) -> None:
        if self.base <= position <= self.base + len(self.buffer):
            self.pos = position - self.base
            return
        self._handle.seek(position)
        self.buffer = b""
        self.base = position
        self.pos = 0

    def close(self) -> None:
        self._handle.close()

    def fileno(self) -> int:
        return self._handle.fileno()


class CaptureFile:
    """Iterate a capture's packets in file order. Use as a context manager or call close()."""

    def __init__(self, path: str | os.PathLike[str]) -> None:
        self.path = os.fspath(path)
        self.truncated = False  # the file ended inside a record
        self.format = ""
        try:
            handle = open(self.path, "rb")  # noqa: SIM115 - closed in close()
        except FileNotFoundError:
            raise CaptureFileError(f"{self.path}: no such file") from None
        except IsADirectoryError:
            raise CaptureFileError(f"{self.path}: is a directory") from None
        except OSError as error:
            raise CaptureFileError(f"{self.path}: cannot open ({error.strerror or error})") from None
        try:
            size = os.fstat(handle.fileno()).st_size
            magic = handle.read(4)
        except OSError as error:
            handle.close()
            raise CaptureFileError(f"{self.path}: cannot read ({error.strerror or error})") from None
        self._file = _BoundedFile(handle, size, len(magic))
        try:
            if magic in PCAP_MAGICS:
                self.format = "pcap"
                self._reader: RawPcapReader = _make_reader(RawPcapReader, self.path, self._file, magic)
            elif magic == PCAPNG_MAGIC:
                self.format = "pcapng"
                self._reader = _make_reader(RawPcapNgReader, self.path, self._file, magic)
            else:
                raise CaptureFileError(f"{self.path}: not a pcap or pcapng capture file")
        except CaptureFileError:
            handle.close()
            raise
        except (Scapy_Exception, EOFError, OSError, ValueError, OverflowError, MemoryError):
            handle.close()
            raise CaptureFileError(f"{self.path}: not a valid {self.format} file (bad file header)") from None

    def __enter__(self) -> CaptureFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._file.close()

    def __iter__(self) -> Iterator[RawPacket]:
        return self._pcap() if self.format == "pcap" else self._pcapng()

    def _pcap(self) -> Iterator[RawPacket]:
        reader = self._reader
        linktype = reader.linktype
        scale = 1e-9 if reader.nano else 1e-6
        file = self._file
        unpack_from = struct.Struct(reader.endian + "IIII").unpack_from  # seconds, fraction, caplen, wirelen
        number = 0
        while True:
            # Fast path: whole records of at most what scapy keeps, parsed straight out of the file's
            # chunk. A record that straddles the chunk's end waits for a refill; anything else (and
            # the end of the file) goes to scapy's reader from the record's start.
            buffer, pos = file.buffer, file.pos
            size = len(buffer)
            while pos + PCAP_RECORD_HEADER <= size:
                sec, fraction, caplen, wirelen = unpack_from(buffer, pos)
                end = pos + PCAP_RECORD_HEADER + caplen
                if end > size or caplen > PCAP_MAX_RECORD:
                    break
                number += 1
                yield RawPacket(number, sec + fraction * scale, linktype, buffer[pos + PCAP_RECORD_HEADER : end],
                                wirelen)
                pos = end
            file.pos = pos
            held = size - pos
            needed = PCAP_RECORD_HEADER if held < PCAP_RECORD_HEADER else PCAP_RECORD_HEADER + caplen
            if held < needed <= READ_CHUNK and file.fill(needed):
                continue
            start = file.position
            try:
                data, meta = reader._read_packet(size=READ_SIZE)
            except EOFError:
                self.truncated = file.position > start  # a partial record header
                return
            expected = min(meta.caplen, PCAP_MAX_RECORD)
            if len(data) < expected or file.position - start < PCAP_RECORD_HEADER + meta.caplen:
                self.truncated = True  # the record body runs past the end of the file
                return
            number += 1
            yield RawPacket(number, meta.sec + meta.usec * scale, linktype, data, meta.wirelen)

    def _pcapng(self) -> Iterator[RawPacket]:
        reader = self._reader
        file = self._file
        number = 0
        while True:
            # Fast path for the block nearly every packet comes in: an Enhanced Packet Block without
            # options, whole, on a known interface, parsed straight out of the file's chunk. A block
            # that straddles the chunk's end waits for a refill; anything else (section and interface
            # blocks, options, odd lengths, a block bigger than a chunk, the end of the file) is read
            # by scapy from its start, unchanged. scapy may switch byte order or add interfaces
            # there, so these are looked up again after it.
            endian = reader.endian
            unpack_from = struct.Struct(endian + "7I").unpack_from  # type, length; EPB: interface, time, lengths
            trailer = struct.Struct(endian + "I").unpack_from
            # scapy sets `interfaces` and the metadata fields below on its pcapng reader but declares none of them.
            interfaces = [
                (linktype, options["tsresol"]) for linktype, _snaplen, options in reader.interfaces  # type: ignore[attr-defined]
            ]
            known = len(interfaces)
            while True:
                buffer, pos = file.buffer, file.pos
                size = len(buffer)
                block_length = PCAPNG_EPB_MIN
                while pos + PCAPNG_EPB_MIN <= size:
                    block_type, block_length, interface, tshigh, tslow, caplen, wirelen = unpack_from(buffer, pos)
                    end = pos + block_length
                    if (
                        block_type != PCAPNG_EPB
                        or block_length < PCAPNG_EPB_MIN
                        or block_length % 4
                        or end > size
                        or trailer(buffer, end - 4)[0] != block_length
                        or interface >= known
                        or caplen > READ_SIZE
                        or PCAPNG_EPB_FIXED + caplen + (-caplen % 4) < block_length - PCAPNG_MIN_BLOCK  # options
                    ):
                        break
                    linktype, tsresol = interfaces[interface]
                    number += 1
                    data_start = pos + 8 + PCAPNG_EPB_FIXED
                    time = ((tshigh << 32) | tslow) / tsresol  # as scapy's metadata gives it
                    yield RawPacket(number, time, linktype, buffer[data_start : data_start + caplen], wirelen)
                    pos = end
                file.pos = pos
                held = size - pos
                if block_length < PCAPNG_EPB_MIN or block_length % 4:
                    break  # not a packet block we read: scapy's
                # A plain packet block that is not whole in the chunk: refill if the file holds it.
                needed = PCAPNG_EPB_MIN if held < PCAPNG_EPB_MIN else block_length
                if not held < needed <= READ_CHUNK or not file.fill(needed):
                    break
            try:
                data, meta = reader._read_packet(size=READ_SIZE)
            except EOFError:
                self.truncated = file.position < file.size or not _ends_on_block(file, reader.endian)
                return
            except (Scapy_Exception, ValueError, OverflowError, MemoryError, IndexError, KeyError):
                self.truncated = True  # a malformed block: stop here, keep what came before
                return
            number += 1
            # Simple Packet Blocks carry no time stamp
            fields: Any = meta
            time = 0.0 if fields.tshigh is None else ((fields.tshigh << 32) | fields.tslow) / fields.tsresol
            yield RawPacket(number, time, fields.linktype, data, fields.wirelen)


def _make_reader(cls: type, path: str, file: _BoundedFile, magic: bytes) -> RawPcapReader:
    """Build scapy's reader over our bounded file; its metaclass only accepts a name or a file object
    and would re-detect the format, so the class we already chose is instantiated directly."""
    reader: RawPcapReader = object.__new__(cls)
    reader.__init__(path, file, magic)  # type: ignore[misc]
    return reader


def _ends_on_block(file: _BoundedFile, endian: str) -> bool:
    """Whether the file's last bytes close a whole pcapng block.

    Every block repeats its total length at its end, so read that, jump back by it and compare with
    the leading copy. Only reads 8 bytes, and only once, at the end.
    """
    if file.size < PCAPNG_MIN_BLOCK:
        return False
    file.seek(file.size - 4)
    (length,) = struct.unpack(endian + "I", file.read(4))
    if length < PCAPNG_MIN_BLOCK or length % 4 or length > file.size:
        return False
    file.seek(file.size - length + 4)
    return struct.unpack(endian + "I", file.read(4)) == (length,)


def read_packets(path: str | os.PathLike[str]) -> Iterator[RawPacket]:
    """Convenience: every packet of a capture file (raises CaptureFileError if it is not one)."""
    with CaptureFile(path) as capture:
        yield from capture
