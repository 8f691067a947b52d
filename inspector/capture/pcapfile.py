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
from typing import IO

from scapy.error import Scapy_Exception
from scapy.utils import RawPcapNgReader, RawPcapReader

from ..errors import InspectorError
from .packets import RawPacket

# File magics: pcap (https://www.tcpdump.org/manpages/pcap-savefile.5.txt), pcapng SHB block type
PCAP_MAGICS = frozenset((b"\xa1\xb2\xc3\xd4", b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\x3c\x4d", b"\x4d\x3c\xb2\xa1"))
PCAPNG_MAGIC = b"\x0a\x0d\x0d\x0a"
PCAP_RECORD_HEADER = 16
PCAPNG_MIN_BLOCK = 12  # type, length, trailing length
PCAPNG_EPB = 6  # Enhanced Packet Block
PCAPNG_EPB_FIXED = 20  # interface id, time stamp (high, low), captured length, original length
PCAPNG_EPB_MIN = PCAPNG_MIN_BLOCK + PCAPNG_EPB_FIXED
PCAP_MAX_RECORD = 0xFFFF * 4  # scapy reads at most this much of one pcap record, skipping the rest

# Larger than any record: scapy's default (its MTU, 65535) cuts loopback frames of up to 65549 bytes.
READ_SIZE = 1 << 24

# scapy logs "packet has been truncated" and the like at WARNING; we report problems ourselves.
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
logging.getLogger("scapy").setLevel(logging.ERROR)


class CaptureFileError(InspectorError):
    """The file cannot be read as a capture."""


class _BoundedFile:
    """A read-only file wrapper whose reads never ask for more than the file still holds."""

    def __init__(self, handle: IO[bytes], size: int, position: int) -> None:
        self._handle = handle
        self.size = size
        self.position = position

    def read(self, count: int = -1) -> bytes:
        left = self.size - self.position
        if count < 0 or count > left:
            count = left
        data = self._handle.read(count)
        self.position += len(data)
        return data

    def seek(self, position: int) -> None:
        self._handle.seek(position)
        self.position = position

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
        number = 0
        while True:
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
        unpack_from = struct.unpack_from
        while True:
            # Fast path for the block nearly every packet comes in: an Enhanced Packet Block without
            # options, whole, on a known interface. Read here it costs a third of scapy's general
            # block reader; anything else is read again from its start by scapy, unchanged.
            start = file.position
            head = file.read(8)
            if len(head) == 8:
                endian = reader.endian
                block_type, block_length = unpack_from(endian + "II", head)
                if block_type == PCAPNG_EPB and block_length >= PCAPNG_EPB_MIN and not block_length % 4:
                    rest = file.read(block_length - 8)  # the body and the trailing copy of the length
                    body_length = block_length - PCAPNG_MIN_BLOCK
                    whole = len(rest) == block_length - 8
                    if whole and unpack_from(endian + "I", rest, body_length)[0] == block_length:
                        interface, tshigh, tslow, caplen, wirelen = unpack_from(endian + "5I", rest)
                        if (
                            interface < len(reader.interfaces)
                            and caplen <= READ_SIZE
                            and PCAPNG_EPB_FIXED + caplen + (-caplen % 4) >= body_length  # no options follow
                        ):
                            linktype, _snaplen, options = reader.interfaces[interface]
                            number += 1
                            time = ((tshigh << 32) | tslow) / options["tsresol"]  # as scapy's metadata gives it
                            data = rest[PCAPNG_EPB_FIXED : PCAPNG_EPB_FIXED + caplen]
                            yield RawPacket(number, time, linktype, data, wirelen)
                            continue
            file.seek(start)
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
            time = 0.0 if meta.tshigh is None else ((meta.tshigh << 32) | meta.tslow) / meta.tsresol
            yield RawPacket(number, time, meta.linktype, data, meta.wirelen)


def _make_reader(cls: type, path: str, file: _BoundedFile, magic: bytes) -> RawPcapReader:
    """Build scapy's reader over our bounded file; its metaclass only accepts a name or a file object
    and would re-detect the format, so the class we already chose is instantiated directly."""
    reader = object.__new__(cls)
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
