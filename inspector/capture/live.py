"""Live capture: a reader process takes packets off a packet ring in blocks; this process decodes them.

Theory of operation:
- The socket (ring.py: AF_PACKET with a TPACKET_V3 ring) is opened in the caller's thread by
  `start()`, so a missing privilege, a bad interface or a bad BPF filter fails at once as a one-line
  CaptureError; once `start()` returns, every later packet lands in the ring, so a test can start
  traffic right after it without a race.
- A child process (ring_reader.py) inherits the socket and only copies whole ring blocks out to a
  pipe; it has its own interpreter, so it never waits for this process's GIL, and it keeps what the
  pipe cannot take yet in its own memory, so it never waits on decoding either. (A reader thread
  here fell up to 1.5 s behind on a busy machine, waiting for the GIL; see the README.)
- A receiving thread here moves the blocks from the pipe to a queue and reads the kernel's counts.
  The consumer iterates `batches()` (or `packets()`) in its own thread: `inspector capture` in the
  main thread, the window in a worker. Parsing blocks into packets happens there, in batches.
  LiveDecoding below is that consumer for session events.
- Outgoing copies (a host sees its lo packets both ways) are not delivered (PACKET_IGNORE_OUTGOING,
  and a check of the packet type for older kernels), so loopback traffic is captured once.
- scapy is used only to compile BPF text through libpcap; nothing is dissected.
"""

from __future__ import annotations

import contextlib
import ctypes.util
import errno
import os
import queue
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import Self

from ..errors import InspectorError
from ..session.events import FrameSeen, SessionEvent
from .layers import LINKTYPE_ETHERNET, LINKTYPE_RAW
from .load import batch_events
from .packets import RawPacket
from .pipeline import CaptureDecoder
from .ring import block_counts, block_packets, device_type, open_packet_socket, statistics
from .ring_reader import DRAIN, NOW, RECORD

# Larger than the biggest frame on Linux lo (MTU 65536 + 14-byte link header), with room to spare.
RECV_SIZE = 1 << 18
# How often the reader and the consumer look at the stop flag while no packet arrives.
POLL_SECONDS = 0.05
# How long stop() waits for the reader process to end (it drains the kernel for up to 2 s first).
STOP_TIMEOUT = 10.0

# Linux ARPHRD_* (the device type in sockaddr_ll) to the pcap LINKTYPE_* of the bytes a packet
# socket returns. Linux loopback frames carry a 14-byte Ethernet header with zero addresses.
ARPHRD_ETHER = 1
ARPHRD_LOOPBACK = 772
ARPHRD_NONE = 0xFFFE  # tun devices: bare IP packets
ARPHRD_TO_LINKTYPE = {ARPHRD_ETHER: LINKTYPE_ETHERNET, ARPHRD_LOOPBACK: LINKTYPE_ETHERNET, ARPHRD_NONE: LINKTYPE_RAW}

# Classic BPF, <linux/filter.h>: BPF_RET | BPF_K, "accept this many bytes of the packet".
BPF_RET_K = 0x06

PRIVILEGE_HINT = (
    "run as root, or give the interpreter the capability: "
    "sudo setcap cap_net_raw,cap_net_admin=eip $(readlink -f $(which python3))"
)


class CaptureError(InspectorError):
    """Live capture cannot start or failed: privilege, interface, filter, libpcap or the reader."""


def capture_permitted() -> bool:
    """Whether this process may open a packet socket (root, or CAP_NET_RAW): the kernel is asked, nothing guessed."""
    try:
        socket.socket(socket.AF_PACKET, socket.SOCK_RAW, 0).close()
    except PermissionError:
        return False
    return True


def libpcap_available() -> bool:
    """scapy compiles BPF filter text through libpcap (ctypes); without it no filter can be set."""
    return ctypes.util.find_library("pcap") is not None


def attach_filter(sock: socket.socket, bpf: str, iface: str) -> None:
    """Compile `bpf` with libpcap (through scapy) and attach it with the full snapshot length.

    libpcap compiles with scapy's snaplen of 65535, so the program's accepting `ret #65535` would
    cut 65550-byte loopback frames. We raise every nonzero return to RECV_SIZE before attaching.
    """
    import logging

    logging.getLogger("scapy.runtime").setLevel(logging.ERROR)  # scapy's import-time chatter
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


def open_ring(iface: str, bpf: str | None) -> socket.socket:
    """The packet socket with its ring on `iface` with `bpf` attached, or a one-line CaptureError saying why not."""
    if bpf and not libpcap_available():
        raise CaptureError("a capture filter (-f) needs libpcap: apt-get install libpcap0.8, or capture without -f")
    try:
        return open_packet_socket(iface, (lambda sock: attach_filter(sock, bpf, iface)) if bpf else None)
    except PermissionError:
        raise CaptureError(f"no permission to capture on {iface}: {PRIVILEGE_HINT}") from None
    except ImportError:  # scapy's way of saying libpcap could not be loaded
        raise CaptureError("a capture filter (-f) needs libpcap: apt-get install libpcap0.8") from None
    except OSError as error:
        if error.errno in (errno.ENODEV, errno.ENXIO):
            raise CaptureError(f"no such network interface: {iface}") from None
        if error.errno == errno.EPERM:
            raise CaptureError(f"no permission to capture on {iface}: {PRIVILEGE_HINT}") from None
        raise CaptureError(f"cannot capture on {iface}: {error.strerror or error}") from None
    except Exception as error:  # scapy_Exception from the filter compiler, and anything odd
        text = str(error)
        if "compile filter" in text:
            reason = text.rsplit("(", 1)[-1].rstrip(")") if "(" in text else "libpcap cannot compile it"
            raise CaptureError(f"invalid capture filter {bpf!r}: {reason}") from None
        raise CaptureError(f"cannot capture on {iface}: {text}".splitlines()[0]) from None


class _Scoped:
    """start() when a `with` block begins, stop() when it ends."""

    def start(self) -> None:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self.stop()


class LiveCapture(_Scoped):
    """Capture one interface. Use as a context manager; iterate `batches()` or `packets()` in one consumer thread."""

    def __init__(self, iface: str, bpf: str | None = None, *, count: int = 0, duration: float | None = None) -> None:
        self.iface = iface
        self.bpf = bpf or None
        self.count = count  # stop after this many packets (0: no limit)
        self.duration = duration  # stop after this many seconds (None: no limit)
        self.interrupted = False  # Ctrl-C ended the capture
        self.linktype = LINKTYPE_ETHERNET
        self.packets_read = 0
        self.kernel_packets = 0  # what the kernel saw for our socket (its drops included)
        self.kernel_drops = 0  # packets the kernel dropped because the ring was full
        self.longest_wait = 0.0  # seconds a packet waited in the ring before the reader took it, at most
        self._blocks: queue.SimpleQueue[list[bytes] | None] = queue.SimpleQueue()
        self._socket: socket.socket | None = None
        self._process: subprocess.Popen[bytes] | None = None
        self._receiver: threading.Thread | None = None
        self._error: str | None = None
        self._timer: threading.Timer | None = None
        self._stop_lock = threading.Lock()  # the duration timer and the consumer may both stop

    @property
    def stats(self) -> tuple[int, int]:
        """(packets, drops) the kernel counted for our socket so far."""
        return self.kernel_packets, self.kernel_drops

    def start(self) -> None:
        """Open the ring, start the reader process; returns once every later packet lands in the ring."""
        sock = open_ring(self.iface, self.bpf)
        kind = device_type(sock)
        if kind not in ARPHRD_TO_LINKTYPE:
            sock.close()
            raise CaptureError(f"{self.iface}: unsupported link type (Linux ARPHRD {kind})")
        self.linktype = ARPHRD_TO_LINKTYPE[kind]
        self._socket = sock
        try:
            self._process = subprocess.Popen(
                [sys.executable, "-m", "inspector.capture.ring_reader", str(sock.fileno())],
                pass_fds=(sock.fileno(),), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            )
        except OSError as error:
            sock.close()
            raise CaptureError(f"cannot start the capture's reader process: {error.strerror or error}") from None
        self._receiver = threading.Thread(target=self._receive, name=f"capture {self.iface}", daemon=True)
        self._receiver.start()
        if self.duration is not None:
            self._timer = threading.Timer(self.duration, self.stop)
            self._timer.daemon = True
            self._timer.start()

    def _receive(self) -> None:
        """The receiving thread: the reader process's records to the queue, until it ends."""
        process = self._process
        assert process is not None and process.stdout is not None and process.stderr is not None
        stream = process.stdout
        try:
            while header := stream.read(RECORD.size):
                if len(header) < RECORD.size:
                    raise EOFError("a cut record")
                taken, size = RECORD.unpack(header)
                block = stream.read(size)
                if len(block) < size:
                    raise EOFError("a cut record")
                count, first_time = block_counts(block)
                if count:
                    self.longest_wait = max(self.longest_wait, taken - first_time)
                    self._blocks.put([block])
                self._count_kernel()
        except BaseException as error:  # reported by the consumer as one line
            self._error = f"{type(error).__name__}: {error}"
        finally:
            if process.wait() != 0 and self._error is None:
                said = process.stderr.read().decode(errors="replace").strip().splitlines()
                self._error = said[-1] if said else f"the reader process ended with status {process.returncode}"
            process.stdout.close()
            process.stderr.close()
            self._blocks.put(None)  # wakes the consumer: no more blocks

    def _count_kernel(self) -> None:
        sock = self._socket
        if sock is not None and sock.fileno() >= 0:
            packets, drops = statistics(sock)
            self.kernel_packets += packets
            self.kernel_drops += drops

    @property
    def running(self) -> bool:
        return self._receiver is not None and self._receiver.is_alive()

    def batches(self) -> Iterator[list[RawPacket]]:
        """Batches of packets in capture order until count, duration, stop() or Ctrl-C ends the capture.

        The blocks the reader copied are parsed here, in the consumer's thread. Ctrl-C is a normal
        way to stop: it stops the reader, and what was already captured is still handed out. A
        failure of the reader is raised as one CaptureError after the last batch.
        """
        while True:
            try:
                blocks = self._blocks.get(timeout=POLL_SECONDS)
            except queue.Empty:
                continue
            except KeyboardInterrupt:
                self.interrupt()
                continue
            if blocks is None:
                break
            batch: list[RawPacket] = []
            for block in blocks:
                batch += block_packets(block, self.linktype, self.packets_read + len(batch) + 1)
            if self.count and self.packets_read + len(batch) >= self.count:
                batch = batch[: self.count - self.packets_read]
                self._tell(NOW)
            if batch:
                self.packets_read += len(batch)
                yield batch
        if self._error is not None:
            raise CaptureError(f"capture on {self.iface} failed: {self._error}".splitlines()[0])

    def packets(self) -> Iterator[RawPacket]:
        """The packets of `batches()` one by one."""
        for batch in self.batches():
            yield from batch

    def _tell(self, command: bytes) -> None:
        """Send the reader process a stop command (one byte into an empty pipe: it never blocks)."""
        process = self._process
        if process is not None and process.stdin is not None and not process.stdin.closed:
            with contextlib.suppress(OSError, ValueError):
                os.write(process.stdin.fileno(), command)

    def interrupt(self) -> None:
        """Stop reading now, without waiting (safe in a signal handler); what was read is still handed out."""
        self.interrupted = True
        self._tell(NOW)

    def stop(self, *, drain: bool = True) -> None:
        """Stop reading (idempotent) and wait for the reader process to end; with `drain`, it first
        takes what the kernel already queued. Packets already captured stay available to `batches()`."""
        if self._timer is not None and self._timer is not threading.current_thread():
            self._timer.cancel()
        with self._stop_lock:
            self._tell(DRAIN if drain else NOW)
            process = self._process
            if process is not None and process.stdin is not None and not process.stdin.closed:
                process.stdin.close()
            if self._receiver is not None and self._receiver is not threading.current_thread():
                self._receiver.join(STOP_TIMEOUT)
                if self._receiver.is_alive() and process is not None:  # the reader is stuck: end it
                    process.kill()
                    self._receiver.join()
            if self._socket is not None and self._socket.fileno() >= 0:
                with contextlib.suppress(OSError):
                    self._count_kernel()
                self._socket.close()


class LiveDecoding(_Scoped):
    """The live capture engine that `inspector capture` and the window share: capture, then decode in batches.

    `start()` begins capturing (CaptureError at once if it cannot); `events()` decodes in the calling
    thread, yielding the session events of each captured batch, until the capture ends; `stop()` ends
    it from any thread, `interrupt()` too and at once (from a signal handler, say). `on_packets` sees
    each raw batch before it is decoded (to save it, say). The counts
    say how far things went: packets read, kernel drops, frames decoded.
    """

    def __init__(self, iface: str, bpf: str | None = None, *, count: int = 0, duration: float | None = None,
                 inflate_limit: int | None = None,
                 on_packets: Callable[[list[RawPacket]], None] | None = None) -> None:
        self.capture = LiveCapture(iface, bpf, count=count, duration=duration)
        self.decoder = CaptureDecoder(inflate_limit=inflate_limit)
        self.on_packets = on_packets
        self.frames_decoded = 0

    @property
    def packets_read(self) -> int:
        return self.capture.packets_read

    @property
    def kernel_drops(self) -> int:
        return self.capture.kernel_drops

    @property
    def interrupted(self) -> bool:
        return self.capture.interrupted

    @property
    def longest_wait(self) -> float:
        return self.capture.longest_wait

    def start(self) -> None:
        self.capture.start()

    def stop(self) -> None:
        self.capture.stop()

    def interrupt(self) -> None:
        self.capture.interrupt()

    def events(self) -> Iterator[list[SessionEvent]]:
        """The session events of each captured batch that completed any, then those that the end of the
        traffic completes; decoded in the calling thread by the producer files go through."""
        for events in batch_events(self._seen(self.capture.batches()), self.decoder):
            self.frames_decoded += sum(type(event) is FrameSeen for event in events)
            yield events

    def _seen(self, batches: Iterator[list[RawPacket]]) -> Iterator[list[RawPacket]]:
        for batch in batches:
            if self.on_packets is not None:
                self.on_packets(batch)
            yield batch
