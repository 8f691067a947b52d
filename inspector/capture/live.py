"""Live capture with scapy, handing out RawPacket records as they arrive.

Theory of operation:
- The PF_PACKET socket is opened here, in the caller's thread, before the sniffer thread starts.
  So a missing privilege, a bad interface or a bad BPF filter fails at once as one-line
  InspectorError, and once `start()` returns every later packet is already being buffered by the
  kernel: a test can start traffic right after it without a race.
- The socket is scapy's `conf.L2socket` (L2Socket on Linux), not the default listen socket: it drops
  PACKET_OUTGOING copies, so loopback traffic is seen once, not twice (the default socket sees each
  lo packet both ways). The receive buffer is `conf.bufsize = 2**22` so bursts of 64 KiB loopback
  segments are not dropped.
- Our socket subclass does not dissect: it wraps the bytes in scapy's Raw layer and reads with a
  buffer larger than any loopback frame (scapy's default 65535 would cut 65550-byte lo frames).
- scapy's AsyncSniffer runs the receive loop and stops on count, duration or `stop()`. Its callback
  only numbers the packet and queues it; decoding happens in the consumer's thread, so a slow
  decoder never makes the kernel drop packets.
"""

from __future__ import annotations

import array
import contextlib
import ctypes.util
import errno
import fcntl
import logging
import queue
import socket
import termios
import threading
import time
from collections.abc import Iterator
from types import TracebackType
from typing import Any

from scapy.config import conf
from scapy.error import Scapy_Exception

from ..errors import InspectorError
from .layers import LINKTYPE_ETHERNET, LINKTYPE_RAW
from .packets import RawPacket

# Measured on Linux lo: a 4 MiB receive buffer gave an exact, drop-free capture of 64 KiB bursts.
SOCKET_BUFFER = 1 << 22
# Larger than the biggest frame on Linux lo (MTU 65536 + 14-byte link header), with room to spare.
RECV_SIZE = 1 << 18
# How often the consumer checks whether the sniffer has ended while no packet arrives.
POLL_SECONDS = 0.05
# How long stop() waits for the sniffer to read what the kernel has queued.
DRAIN_TIMEOUT = 2.0
# How long start() waits for the sniffer thread to enter its receive loop.
START_TIMEOUT = 5.0

# Linux ARPHRD_* (the device type in sockaddr_ll) to the pcap LINKTYPE_* of the bytes a PF_PACKET
# socket returns. Linux loopback frames carry a 14-byte Ethernet header with zero addresses.
ARPHRD_ETHER = 1
ARPHRD_LOOPBACK = 772
ARPHRD_NONE = 0xFFFE  # tun devices: bare IP packets
ARPHRD_TO_LINKTYPE = {ARPHRD_ETHER: LINKTYPE_ETHERNET, ARPHRD_LOOPBACK: LINKTYPE_ETHERNET, ARPHRD_NONE: LINKTYPE_RAW}

# SIOCGSTAMP, which scapy reads for a packet's time, has whole microseconds.
MICROSECONDS_PER_SECOND = 1_000_000

# Classic BPF, <linux/filter.h>: BPF_RET | BPF_K, "accept this many bytes of the packet".
BPF_RET_K = 0x06

# Linux <linux/if_packet.h>: getsockopt(SOL_PACKET, PACKET_STATISTICS) -> struct tpacket_stats.
SOL_PACKET = 263
PACKET_STATISTICS = 6
# Linux <asm/socket.h>: like SO_RCVBUF but may exceed net.core.rmem_max (needs CAP_NET_ADMIN).
SO_RCVBUFFORCE = 33

PRIVILEGE_HINT = (
    "run as root, or give the interpreter the capability: "
    "sudo setcap cap_net_raw,cap_net_admin=eip $(readlink -f $(which python3))"
)

# scapy warns that it cannot name the lo device type; we map the type ourselves.
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)


class CaptureError(InspectorError):
    """Live capture cannot start: privilege, interface, filter or libpcap."""


def _socket_class() -> type:
    """A subclass of scapy's platform L2 socket that returns undissected bytes (Raw)."""
    import scapy.arch  # noqa: F401 - resolves conf.L2socket for this platform

    base: type = conf.L2socket
    raw_layer = conf.raw_layer

    class RawL2Socket(base):  # type: ignore[misc, valid-type]
        def recv(self, x: int = RECV_SIZE, **kwargs: Any) -> Any:
            _cls, data, timestamp = self.recv_raw(RECV_SIZE)
            if not data:
                return None  # an outgoing copy (Section "lo twice" above), or nothing
            packet = raw_layer(data)
            packet.time = timestamp
            return packet

    return RawL2Socket


def libpcap_available() -> bool:
    """scapy compiles BPF filter text through libpcap (ctypes); without it no filter can be set."""
    return ctypes.util.find_library("pcap") is not None


def attach_filter(sock: socket.socket, bpf: str, iface: str) -> None:
    """Compile `bpf` with libpcap (through scapy) and attach it with the full snapshot length.

    libpcap compiles with scapy's snaplen of 65535, so the program's accepting `ret #65535` would
    cut 65550-byte loopback frames. We raise every nonzero return to RECV_SIZE before attaching.
    """
    from scapy.arch.common import compile_filter
    from scapy.arch.linux import SO_ATTACH_FILTER, free_filter, sock_fprog

    program = compile_filter(bpf, iface)
    try:
        for number in range(program.bf_len):
            instruction = program.bf_insns[number]
            if instruction.code == BPF_RET_K and instruction.k:
                instruction.k = RECV_SIZE
        sock.setsockopt(socket.SOL_SOCKET, SO_ATTACH_FILTER, sock_fprog(program.bf_len, program.bf_insns))
    finally:
        free_filter(program)


def _drain(sock: socket.socket) -> None:
    """Drop what arrived before the filter was attached: those packets were not filtered."""
    sock.setblocking(False)
    try:
        while True:
            sock.recv(RECV_SIZE)
    except BlockingIOError:
        pass
    finally:
        sock.setblocking(True)


def _open_socket(iface: str, bpf: str | None) -> Any:
    if bpf and not libpcap_available():
        raise CaptureError("a capture filter (-f) needs libpcap: apt-get install libpcap0.8, or capture without -f")
    conf.bufsize = SOCKET_BUFFER
    socket_class = _socket_class()
    try:
        sock = socket_class(iface=iface)
        if bpf:
            try:
                attach_filter(sock.ins, bpf, iface)
            except BaseException:
                sock.close()
                raise
            _drain(sock.ins)
    except PermissionError:
        raise CaptureError(f"no permission to capture on {iface}: {PRIVILEGE_HINT}") from None
    except ImportError:  # scapy's way of saying libpcap could not be loaded
        raise CaptureError("a capture filter (-f) needs libpcap: apt-get install libpcap0.8") from None
    except ValueError:  # scapy: "Interface '...' not found !"
        raise CaptureError(f"no such network interface: {iface}") from None
    except Scapy_Exception as error:
        text = str(error)
        if "compile filter" in text:
            reason = text.rsplit("(", 1)[-1].rstrip(")") if "(" in text else "libpcap cannot compile it"
            raise CaptureError(f"invalid capture filter {bpf!r}: {reason}") from None
        raise CaptureError(f"cannot capture on {iface}: {text}".splitlines()[0]) from None
    except OSError as error:
        if error.errno in (errno.ENODEV, errno.ENXIO):
            raise CaptureError(f"no such network interface: {iface}") from None
        if error.errno == errno.EPERM:
            raise CaptureError(f"no permission to capture on {iface}: {PRIVILEGE_HINT}") from None
        raise CaptureError(f"cannot capture on {iface}: {error.strerror or error}") from None
    with contextlib.suppress(OSError):  # root may lift the rmem_max cap; otherwise SO_RCVBUF's clamp stands
        sock.ins.setsockopt(socket.SOL_SOCKET, SO_RCVBUFFORCE, SOCKET_BUFFER)
    return sock


def _as_saved(seconds: float) -> float:
    """The time as a reader of our saved pcapng computes it (microseconds / 10**6). scapy computes
    seconds + microseconds / 10**6, which can differ in the last bit and so by 1 us in printed
    relative times; this way live output and `dump` of the `-w` file print the same times."""
    return round(seconds * MICROSECONDS_PER_SECOND) / MICROSECONDS_PER_SECOND


class LiveCapture:
    """Sniff one interface. Use as a context manager; iterate `packets()` in the consuming thread."""

    def __init__(self, iface: str, bpf: str | None = None, *, count: int = 0, duration: float | None = None) -> None:
        self.iface = iface
        self.bpf = bpf or None
        self.count = count  # stop after this many packets (0: no limit)
        self.duration = duration  # stop after this many seconds (None: no limit)
        self.interrupted = False  # Ctrl-C ended the capture
        self.linktype = LINKTYPE_ETHERNET
        self._queue: queue.SimpleQueue[RawPacket] = queue.SimpleQueue()
        self._number = 0
        self._started = threading.Event()
        self._socket: Any = None
        self._sniffer: Any = None
        self.stats = (0, 0)  # (packets, drops) the kernel counted for our socket, read at stop()
        self._timer: threading.Timer | None = None
        self._stop_lock = threading.Lock()  # the duration timer and the consumer may both stop

    def start(self) -> None:
        """Open the socket and start sniffing; returns once packets are being captured."""
        from scapy.sendrecv import AsyncSniffer

        self._socket = _open_socket(self.iface, self.bpf)
        device_type = self._socket.ins.getsockname()[3]
        if device_type not in ARPHRD_TO_LINKTYPE:
            self._socket.close()
            raise CaptureError(f"{self.iface}: unsupported link type (Linux ARPHRD {device_type})")
        self.linktype = ARPHRD_TO_LINKTYPE[device_type]
        self._sniffer = AsyncSniffer(
            opened_socket=self._socket,
            store=False,
            prn=self._on_packet,
            count=self.count,
            started_callback=self._started.set,
        )
        self._sniffer.start()
        if not self._started.wait(START_TIMEOUT):
            self.stop()
            raise CaptureError(f"the sniffer on {self.iface} did not start")
        if self.duration is not None:  # AsyncSniffer has no timeout of its own
            self._timer = threading.Timer(self.duration, self.stop)
            self._timer.daemon = True
            self._timer.start()

    def _on_packet(self, packet: Any) -> None:
        # Runs in the sniffer thread: keep it minimal.
        self._number += 1
        data = packet.load
        self._queue.put(RawPacket(self._number, _as_saved(float(packet.time)), self.linktype, data, len(data)))

    @property
    def running(self) -> bool:
        return self._sniffer is not None and self._sniffer.thread is not None and self._sniffer.thread.is_alive()

    def packets(self) -> Iterator[RawPacket]:
        """Packets in capture order until count, duration, stop() or Ctrl-C ends the capture.

        Ctrl-C is a normal way to stop: it stops the sniffer, and what was already captured
        is still handed out.
        """
        while True:
            try:
                try:
                    yield self._queue.get(timeout=POLL_SECONDS)
                    continue
                except queue.Empty:
                    pass
                if not self.running:
                    break
            except KeyboardInterrupt:
                self.interrupted = True
                self.stop()
        while True:  # the sniffer has ended: hand out what it queued before it did
            try:
                yield self._queue.get_nowait()
            except queue.Empty:
                break
        self._raise_sniffer_error()

    def _raise_sniffer_error(self) -> None:
        error = getattr(self._sniffer, "exception", None)
        if error is not None:
            raise CaptureError(f"capture on {self.iface} failed: {error}".splitlines()[0])

    def _kernel_queue_empty(self) -> bool:
        """FIONREAD on a packet socket gives the size of the next queued packet, 0 when none is queued."""
        size = array.array("i", [0])
        fcntl.ioctl(self._socket.ins.fileno(), termios.FIONREAD, size)
        return size[0] == 0

    def drain(self, timeout: float = DRAIN_TIMEOUT) -> None:
        """Wait until the sniffer has read everything the kernel queued for it (or `timeout`).

        Linux hands loopback packets to packet sockets while sending them, so once the traffic's
        sender returns, the packets are queued here; this lets the sniffer read them before a stop.
        """
        deadline = time.monotonic() + timeout
        while self.running and not self._socket.closed and time.monotonic() < deadline:
            if self._kernel_queue_empty():
                return
            time.sleep(POLL_SECONDS / 5)

    def stop(self, *, drain: bool = True) -> None:
        """Stop sniffing (idempotent), first letting it read what the kernel already queued.

        Packets already captured stay available to `packets()`.
        """
        if drain:
            self.drain()
        if self._timer is not None and self._timer is not threading.current_thread():
            self._timer.cancel()
        with self._stop_lock:
            sniffer = self._sniffer
            if sniffer is not None and self.running:
                with contextlib.suppress(Scapy_Exception):  # it may end on its own between check and call
                    sniffer.stop(join=True)
            if self._socket is not None and not self._socket.closed:
                self.stats = self.kernel_stats()
                self._socket.close()

    def kernel_stats(self) -> tuple[int, int]:
        """(packets, drops) the kernel counted for this socket since the last call (it resets them)."""
        if self._socket is None or self._socket.closed:
            return (0, 0)
        raw = self._socket.ins.getsockopt(SOL_PACKET, PACKET_STATISTICS, 8)
        return int.from_bytes(raw[:4], "little"), int.from_bytes(raw[4:8], "little")

    def __enter__(self) -> LiveCapture:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()
