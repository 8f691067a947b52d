"""Stream pcap and pcapng files as RawPacket records, without dissecting and without loading the file.

We parse the file header, the pcapng section and interface blocks and plain packet records ourselves;
scapy's raw readers, imported only when a file needs them (importing scapy is a large part of a
command's start-up), read every other block and record. Two things are added around them:
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
from typing import IO, TYPE_CHECKING, Any, Final

from ..errors import InspectorError
from .packets import RawPacket

if TYPE_CHECKING:
    from scapy.utils import RawPcapReader

# File magics: pcap (https://www.tcpdump.org/manpages/pcap-savefile.5.txt), pcapng SHB block type
PCAPNG_MAGIC: Final = b"\x0a\x0d\x0d\x0a"
PCAP_RECORD_HEADER: Final = 16
PCAP_FILE_HEADER: Final = 24  # magic, versions, zone, accuracy, snap length, link type
# Magic -> (byte order, nanosecond time stamps)
PCAP_FORMATS: Final = {
    b"\xa1\xb2\xc3\xd4": (">", False), b"\xd4\xc3\xb2\xa1": ("<", False),
    b"\xa1\xb2\x3c\x4d": (">", True), b"\x4d\x3c\xb2\xa1": ("<", True),
}
PCAPNG_MIN_BLOCK: Final = 12  # type, length, trailing length
PCAPNG_IDB: Final = 1  # Interface Description Block
PCAPNG_IDB_MIN: Final = PCAPNG_MIN_BLOCK + 8  # link type, reserved, snap length
PCAPNG_SHB_MIN: Final = 28  # type, length, byte-order magic, versions, section length, trailing length
PCAPNG_BYTE_ORDER: Final = {b"\x1a\x2b\x3c\x4d": ">", b"\x4d\x3c\x2b\x1a": "<"}
PCAPNG_OPTION_TSRESOL: Final = 9  # if_tsresol: 10^-n seconds, or 2^-n with the top bit set
PCAPNG_DEFAULT_TSRESOL: Final = 1_000_000  # no if_tsresol option: microseconds
PCAPNG_EPB: Final = 6  # Enhanced Packet Block
# Blocks scapy interprets (section header; interface, packet, simple packet, enhanced packet, decryption
# secrets, process information). It passes over all others, such as the statistics that dumpcap
# writes at the end of a file, and so do we.
PCAPNG_READ_BY_SCAPY: Final = frozenset((0x0A0D0D0A, 1, 2, 3, 6, 10, 0x80000001))
PCAPNG_EPB_FIXED: Final = 20  # interface id, time stamp (high, low), captured length, original length
PCAPNG_EPB_MIN: Final = PCAPNG_MIN_BLOCK + PCAPNG_EPB_FIXED
PCAP_MAX_RECORD: Final = 0xFFFF * 4  # scapy reads at most this much of one pcap record, skipping the rest

# Larger than any record: scapy's default (its MTU, 65535) cuts loopback frames of up to 65549 bytes.
READ_SIZE: Final = 1 << 24
# Bytes read from the file at once; the fast paths parse records out of them. Not Final: the tests set
# it (0 sends every record through scapy, their reference).
READ_CHUNK = 1 << 20

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
        self._magic = magic
        self._reader: RawPcapReader | None = None  # scapy's, made when a block or record needs it
        self.endian = ">"
        self.nano = False  # pcap: nanosecond time stamps
        self.linktype = 0  # pcap: the file's one link type
        # pcapng: the interfaces described so far, as scapy keeps them: (link type, snap length, options)
        self.interfaces: list[tuple[int, int, dict[str, Any]]] = []
        try:
            if magic in PCAP_FORMATS:
                self.format = "pcap"
                self.endian, self.nano = PCAP_FORMATS[magic]
                header = self._file.read(PCAP_FILE_HEADER - len(magic))
                self.linktype = struct.unpack(self.endian + "HHIIII", header)[5]
            elif magic == PCAPNG_MAGIC:
                self.format = "pcapng"
                self.endian = _section_header(self._file)
            else:
                raise CaptureFileError(f"{self.path}: not a pcap or pcapng capture file")
        except CaptureFileError:
            handle.close()
            raise
        except (struct.error, EOFError, OSError, ValueError, OverflowError, MemoryError):
            handle.close()
            raise CaptureFileError(f"{self.path}: not a valid {self.format} file (bad file header)") from None

    def __enter__(self) -> CaptureFile:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def size(self) -> int:
        """The file's size in bytes, as it was when opened."""
        return self._file.size

    def close(self) -> None:
        self._file.close()

    def __iter__(self) -> Iterator[RawPacket]:
        return self._pcap() if self.format == "pcap" else self._pcapng()

    def _scapy_reader(self) -> RawPcapReader:
        """scapy's reader, standing where we stand: it reads the file header again itself, then takes
        over our byte order and interface list (the same list, so what either side adds, both see)."""
        if self._reader is None:
            from scapy.utils import RawPcapNgReader, RawPcapReader

            file = self._file
            here = file.position
            file.seek(len(self._magic))
            reader = _make_reader(RawPcapReader if self.format == "pcap" else RawPcapNgReader, self.path, file,
                                  self._magic)
            if self.format == "pcapng":
                reader.interfaces = self.interfaces  # type: ignore[attr-defined]
                reader.endian = self.endian
            file.seek(here)
            self._reader = reader
        return self._reader

    def _pcap(self) -> Iterator[RawPacket]:
        linktype = self.linktype
        scale = 1e-9 if self.nano else 1e-6
        file = self._file
        unpack_from = struct.Struct(self.endian + "IIII").unpack_from  # seconds, fraction, caplen, wirelen
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
            if start == file.size:
                return  # the file ends after a whole record
            try:
                data, meta = self._scapy_reader()._read_packet(size=READ_SIZE)
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
        file = self._file
        number = 0
        while True:
            # Fast path for the blocks nearly every file is made of: Enhanced Packet Blocks without
            # options on a known interface, and Interface Description Blocks, whole, parsed straight
            # out of the file's chunk. A block that straddles the chunk's end waits for a refill;
            # anything else (another section, other blocks, options, odd lengths, a block bigger than
            # a chunk, a cut-off end) is read by scapy from its start, unchanged. scapy may switch
            # byte order or add interfaces there, so these are looked up again after it.
            endian = self.endian
            unpack_from = struct.Struct(endian + "7I").unpack_from  # type, length; EPB: interface, time, lengths
            trailer = struct.Struct(endian + "I").unpack_from
            interfaces = [(linktype, options["tsresol"]) for linktype, _snaplen, options in self.interfaces]
            known = len(interfaces)
            while True:
                buffer, pos = file.buffer, file.pos
                size = len(buffer)
                block_length = PCAPNG_EPB_MIN
                while pos + PCAPNG_EPB_MIN <= size:
                    block_type, block_length, interface, tshigh, tslow, caplen, wirelen = unpack_from(buffer, pos)
                    end = pos + block_length
                    if block_type == PCAPNG_IDB and PCAPNG_IDB_MIN <= block_length <= size - pos:
                        described = _interface(buffer, pos, block_length, endian)
                        if described is None:
                            break  # scapy's
                        self.interfaces.append(described)
                        interfaces.append((described[0], described[2]["tsresol"]))
                        known += 1
                        pos = end
                        continue
                    if (
                        block_type not in PCAPNG_READ_BY_SCAPY
                        and PCAPNG_MIN_BLOCK <= block_length <= size - pos
                        and not block_length % 4
                        and trailer(buffer, end - 4)[0] == block_length
                    ):
                        pos = end  # a block without packets or interfaces (statistics, say)
                        continue
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
                if block_length < PCAPNG_MIN_BLOCK or block_length % 4:
                    break  # not a block we read: scapy's
                # A plain packet block that is not whole in the chunk: refill if the file holds it.
                needed = PCAPNG_EPB_MIN if held < PCAPNG_EPB_MIN else block_length
                if not held < needed <= READ_CHUNK or not file.fill(needed):
                    break
            if file.position == file.size:
                self.truncated = not _ends_on_block(file, endian)
                return
            reader = self._scapy_reader()
            from scapy.error import Scapy_Exception

            try:
                data, meta = reader._read_packet(size=READ_SIZE)
            except EOFError:
                self.truncated = file.position < file.size or not _ends_on_block(file, reader.endian)
                return
            except (Scapy_Exception, ValueError, OverflowError, MemoryError, IndexError, KeyError):
                self.truncated = True  # a malformed block: stop here, keep what came before
                return
            finally:
                # scapy sets these on its pcapng reader but declares neither
                self.endian = reader.endian
                self.interfaces = reader.interfaces  # type: ignore[attr-defined]
            number += 1
            # Simple Packet Blocks carry no time stamp
            fields: Any = meta
            time = 0.0 if fields.tshigh is None else ((fields.tshigh << 32) | fields.tslow) / fields.tsresol
            yield RawPacket(number, time, fields.linktype, data, fields.wirelen)


def _section_header(file: _BoundedFile) -> str:
    """Read a pcapng Section Header Block after its block type; returns its byte order ("<" or ">").
    The checks are scapy's, so a header scapy refused is still refused."""
    head = file.read(8)
    endian = PCAPNG_BYTE_ORDER.get(head[4:8])
    if endian is None:
        raise ValueError("bad byte-order magic")
    (block_length,) = struct.unpack(endian + "I", head[:4])
    if block_length < PCAPNG_SHB_MIN:
        raise ValueError("section header block too short")
    (major,) = struct.unpack(endian + "H", file.read(2))
    if major != 1:
        raise ValueError(f"pcapng major version {major}")
    body = block_length - 18  # minor version, section length, options
    padding = -block_length % 4  # a length that is no multiple of 4 is wrong, but scapy reads past it
    if len(file.read(body + padding)) != body + padding:
        raise ValueError("section header block cut short")
    if struct.unpack(endian + "I", file.read(4)) != (block_length,):
        raise ValueError("section header block lengths differ")
    return endian


def _interface(buffer: bytes, pos: int, block_length: int, endian: str) -> tuple[int, int, dict[str, Any]] | None:
    """A whole Interface Description Block at `pos`, as scapy records it: (link type, snap length,
    options with "tsresol" in units per second); None if it is not one we read the same way."""
    end = pos + block_length
    if block_length % 4 or struct.unpack_from(endian + "I", buffer, end - 4)[0] != block_length:
        return None
    linktype, snaplen = struct.unpack_from(endian + "HxxI", buffer, pos + 8)
    tsresol = PCAPNG_DEFAULT_TSRESOL
    offset, options_end = pos + PCAPNG_IDB_MIN - 4, end - 4
    while options_end - offset >= 4:
        code, length = struct.unpack_from(endian + "HH", buffer, offset)
        if code == 0:
            break
        if offset + 4 + length > options_end:
            return None  # an option running past the block: leave the judgement to scapy
        if code == PCAPNG_OPTION_TSRESOL:
            if length != 1:
                return None
            exponent = buffer[offset + 4]
            tsresol = (2 if exponent & 0x80 else 10) ** (exponent & 0x7F)  # the last one counts, as in scapy
        offset += 4 + length + (-length % 4)
    return linktype, snaplen, {"tsresol": tsresol}


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
