"""Benchmark opening a big capture in the real window, offscreen, against tshark reading the same file.

    python tests/perf/bench_gui.py [--frames 1000000] [--connections 8] [--batch-frames N] [--capture FILE] [--keep DIR]

A script, not a test: run it by hand. It writes a pcapng with bench_dump's generator, once for each
packing of frames into TCP segments (as bench_dump does: one message per segment, as an interactive
peer writes, and up to 32 frames per segment, as a busy sender writes; `--batch-frames N` for one of
them), or takes `--capture FILE` written by an earlier `--keep` run. Each file is measured in a fresh
process of this script, so one window's leftovers do not weigh on the next; in one run:

1. times `tshark -r FILE -d tcp.port==P,http -Y websocket -T fields -e frame.number` on the file;
2. opens the file in a MainWindow under QT_QPA_PLATFORM=offscreen and prints
   - the time from `open_file` to the first row in the frames table,
   - the time to fully loaded (the window's `capture_loaded`), and its ratio to tshark's time,
   - the longest event-loop stall while loading: the worst lateness of a 10 ms QTimer,
   - resident memory per frame above the empty window (after a garbage collection);
3. times one display filter, compiled once, over every frame the window holds, as the filter bar runs it.

Targets: first row < 1 s; stall < 100 ms; <= 300 bytes per frame; loaded in <= half of tshark's
time; the filter over 1,000,000 frames in < 1 s. The machine's load average is printed with the
figures, because other work on a shared machine slows every one of them.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_dump import BUSY_SENDER_BATCH, FIRST_SERVER_PORT, INTERACTIVE_BATCH, run_timed, write_capture
from PySide6.QtCore import QElapsedTimer, QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication

from inspector import BUILD
from inspector.filter import compile_filter
from inspector.session.store import SessionStore
from inspector.ui.frame_filter import passing_rows
from inspector.ui.main_window import MainWindow

TICK_MS = 10
TARGET_FIRST_ROW_S = 1.0
TARGET_STALL_MS = 100.0
TARGET_BYTES_PER_FRAME = 300
TARGET_SHARE_OF_TSHARK = 0.5
TARGET_FILTER_S_PER_MILLION = 1.0
DEFAULT_FILTER = "websocket.opcode == 9 || websocket.payload_length > 125"


def resident_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def time_tshark(tshark: str, capture: Path, ports: list[int], workdir: Path) -> tuple[float, int]:
    decode_as = [arg for port in ports for arg in ("-d", f"tcp.port=={port},http")]
    output = workdir / "tshark.tsv"
    seconds, _peak = run_timed([tshark, "-n", "-r", str(capture), *decode_as, "-Y", "websocket",
                                "-T", "fields", "-e", "frame.number"], output)
    with open(output, "rb") as lines:
        packets = sum(1 for _ in lines)
    return seconds, packets


class LoadWatch:
    """Opens a file in the window and records what the user would feel while it loads."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.clock = QElapsedTimer()
        self.first_row_s: float | None = None
        self.loaded_s: float | None = None
        self.worst_late_ms = 0.0
        self._last_tick_ms = 0
        self.ticker = QTimer()
        self.ticker.setInterval(TICK_MS)
        self.ticker.timeout.connect(self._tick)
        window.capture_loaded.connect(self._loaded)
        window.frames_model.rowsInserted.connect(self._rows)
        window.frames_model.modelReset.connect(self._rows)

    def run(self, app: QApplication, path: str) -> None:
        self.clock.start()
        self._last_tick_ms = 0
        self.ticker.start()
        # The window's own event loop, as a user's app.exec() runs it, until the load ends either way.
        loop = QEventLoop()
        self.window.capture_loaded.connect(lambda _path: loop.quit())
        self.window.loader.busy_changed.connect(lambda busy: None if busy else QTimer.singleShot(0, loop.quit))
        self.window.open_file(path)
        if self.loaded_s is None:
            loop.exec()
        self.ticker.stop()
        if self.loaded_s is None:
            raise SystemExit(f"loading stopped without a capture: {self.window.status_label.text()}")

    def _tick(self) -> None:
        now = self.clock.elapsed()
        self.worst_late_ms = max(self.worst_late_ms, now - self._last_tick_ms - TICK_MS)
        self._last_tick_ms = now

    def _rows(self) -> None:
        if self.first_row_s is None and self.window.frames_model.rowCount() > 0:
            self.first_row_s = self.clock.elapsed() / 1000

    def _loaded(self, _path: str) -> None:
        self.loaded_s = self.clock.elapsed() / 1000
        self._rows()


def time_filter(store: SessionStore, expression: str) -> tuple[float, int, int]:
    """(seconds, frames evaluated, frames passed) for one compiled filter over every frame of the store,
    run as the window's filter bar runs it (frame_filter.passing_rows)."""
    display_filter = compile_filter(expression)
    start = time.perf_counter()
    kept = passing_rows(store, display_filter)
    return time.perf_counter() - start, store.frame_count, sum(len(rows) for rows in kept.values())


def verdict(ok: bool) -> str:
    return "meets" if ok else "MISSES"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--frames", type=int, default=1_000_000)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--seed", type=int, default=6455)
    parser.add_argument("--batch-frames", type=int, metavar="N",
                        help=f"only this packing (default: {INTERACTIVE_BATCH}, then {BUSY_SENDER_BATCH})")
    parser.add_argument("--capture", type=Path, help="measure this capture from bench_dump's generator, here")
    parser.add_argument("--keep", type=Path, help="write the captures here and keep them")
    parser.add_argument("--filter", default=DEFAULT_FILTER, help=f"the expression timed (default: {DEFAULT_FILTER})")
    args = parser.parse_args()
    tshark = shutil.which("tshark")
    if tshark is None:
        raise SystemExit("tshark is not installed (apt-get install tshark)")
    if args.capture is not None:
        ports = [FIRST_SERVER_PORT + number for number in range(args.connections)]
        workdir = Path(tempfile.mkdtemp(prefix="bench_gui_"))
        try:
            return measure(args, tshark, args.capture, ports, workdir)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
    workdir = Path(tempfile.mkdtemp(prefix="bench_gui_")) if args.keep is None else args.keep
    workdir.mkdir(parents=True, exist_ok=True)
    failed = 0
    try:
        for batch_frames in [args.batch_frames] if args.batch_frames else [INTERACTIVE_BATCH, BUSY_SENDER_BATCH]:
            capture = workdir / f"gui-{args.frames}-{batch_frames}.pcapng"
            start = time.perf_counter()
            frames, _ports, packets = write_capture(capture, args.frames, args.connections, args.seed, batch_frames)
            os.sync()
            label = ("one message per segment" if batch_frames == INTERACTIVE_BATCH
                     else f"up to {batch_frames} frames per segment")
            print(f"capture ({label}): {frames:,} frames in {packets:,} packets, "
                  f"{capture.stat().st_size / 1e6:,.1f} MB, written in {time.perf_counter() - start:.1f} s", flush=True)
            failed |= subprocess.run([sys.executable, __file__, "--capture", str(capture), "--connections",
                                      str(args.connections), "--filter", args.filter]).returncode
        return failed
    finally:
        if args.keep is None:
            shutil.rmtree(workdir, ignore_errors=True)


def measure(args: argparse.Namespace, tshark: str, capture: Path, ports: list[int], workdir: Path) -> int:
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}  [{BUILD}]")
    tshark_s, tshark_packets = time_tshark(tshark, capture, ports, workdir)

    app = QApplication.instance() or QApplication([])
    window = MainWindow(QSettings(str(workdir / "settings.ini"), QSettings.Format.IniFormat))
    window.resize(1280, 800)
    window.show()
    for _ in range(20):
        app.processEvents()
    gc.collect()
    empty = resident_bytes()
    watch = LoadWatch(window)
    watch.run(app, str(capture))
    for _ in range(5):
        app.processEvents()
    store = window.store
    assert store is not None and watch.loaded_s is not None
    gc.collect()
    per_frame = (resident_bytes() - empty) / max(store.frame_count, 1)
    filter_s, evaluated, passed = time_filter(store, args.filter)
    per_million = filter_s * 1e6 / max(evaluated, 1)

    frames = store.frame_count
    first = watch.first_row_s if watch.first_row_s is not None else float("nan")
    share = watch.loaded_s / tshark_s
    print(f"window: {frames:,} frames, {store.packets:,} packets; tshark: {tshark_packets:,} packets with websocket")
    print(f"  first visible row   : {first:7.2f} s   "
          f"({verdict(first < TARGET_FIRST_ROW_S)} < {TARGET_FIRST_ROW_S:g} s)")
    print(f"  fully loaded        : {watch.loaded_s:7.2f} s   tshark {tshark_s:.2f} s, ratio {share:.2f} of tshark's "
          f"time ({verdict(share <= TARGET_SHARE_OF_TSHARK)} <= {TARGET_SHARE_OF_TSHARK:g})")
    print(f"  longest stall       : {watch.worst_late_ms:7.0f} ms  "
          f"({verdict(watch.worst_late_ms < TARGET_STALL_MS)} < {TARGET_STALL_MS:g} ms)")
    print(f"  memory per frame    : {per_frame:7.0f} B   ({(resident_bytes() - empty) / 1e6:,.0f} MB above the empty "
          f"window; {verdict(per_frame <= TARGET_BYTES_PER_FRAME)} <= {TARGET_BYTES_PER_FRAME} B)")
    print(f"  filter {args.filter!r}: {filter_s:.2f} s over {evaluated:,} frames ({passed:,} pass), "
          f"{per_million:.2f} s per million ({verdict(per_million < TARGET_FILTER_S_PER_MILLION)} < "
          f"{TARGET_FILTER_S_PER_MILLION:g} s)")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
