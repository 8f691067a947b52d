"""One time base everywhere a person reads a relative time: seconds since the capture's first packet.

The window's frame table, the `dump` listing and the live `capture` listing must show the same
time for the same frame (and Wireshark's Time column counts the same way).
"""

from __future__ import annotations

import asyncio
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, serve

from inspector.capture.pcapfile import CaptureFile
from inspector.ui.main_window import MainWindow

REPO = Path(__file__).resolve().parents[2]
# Not the pre-RFC (hixie) sessions: they hold no RFC 6455 frames, so no timed frame line.
CAPTURES = sorted(c for c in (REPO / "resources" / "captures").glob("*.pcap*") if not c.name.startswith("hixie-"))
# A frame line of the listing: "  1:7          0.005551 → CONT ..."
FRAME_LINE = re.compile(r"^ {2}(\d+):(\d+)\s+(-?\d+\.\d{6}) [→←] ", re.MULTILINE)


def listing_times(text: str) -> dict[tuple[int, int], str]:
    """(connection, frame index) -> the relative time printed for it."""
    return {(int(c), int(i)): t for c, i, t in FRAME_LINE.findall(text)}


def dump_listing(path: Path) -> str:
    result = subprocess.run([sys.executable, "-m", "inspector", "dump", str(path)], cwd=REPO,
                            capture_output=True, text=True, timeout=60, check=True)
    return result.stdout


def window_times(qtbot, path: Path, tmp_path: Path) -> dict[tuple[int, int], str]:
    window = MainWindow(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.capture_loaded, timeout=20_000):
        window.open_file(str(path))
    times = {}
    for row in range(window.connections_model.rowCount()):
        connection = window.connections_model.record(row).id
        window.connections_view.selectRow(row)
        model = window.frames_model
        for frame in range(model.rowCount()):
            times[(connection, model.index(frame, 0).data())] = model.index(frame, 1).data()
    return times


@pytest.mark.parametrize("capture", CAPTURES, ids=[c.name for c in CAPTURES])
def test_window_and_dump_listing_show_the_same_times(qtbot, tmp_path: Path, capture: Path) -> None:
    from_dump = listing_times(dump_listing(capture))
    assert len(from_dump) >= 8
    assert window_times(qtbot, capture, tmp_path) == from_dump


def test_times_count_from_the_first_packet_not_the_first_frame(qtbot, tmp_path: Path) -> None:
    """The first WebSocket frame comes after the TCP and HTTP handshakes, so its time is not 0."""
    capture = REPO / "resources" / "captures" / "chromium-deflate.pcapng"
    with CaptureFile(capture) as file:
        packets = list(file)
    from_dump = listing_times(dump_listing(capture))
    first_frame = float(from_dump[(1, 0)])
    assert first_frame > 0
    assert any(abs(p.time - packets[0].time - first_frame) < 1e-6 for p in packets)


@pytest.mark.live
def test_live_capture_window_and_dump_show_the_same_times(qtbot, tmp_path: Path) -> None:
    """Capture real websockets traffic on lo with `inspector capture -w`; the live listing, the dump of
    the saved file and the window opening that file must print the same time for every frame."""
    saved = tmp_path / "live.pcapng"
    result: dict[str, object] = {}

    async def echo(ws: ServerConnection) -> None:
        async for message in ws:
            await ws.send(message)

    async def scenario() -> None:
        async with serve(echo, "127.0.0.1", 0, compression="deflate") as server:
            port = server.sockets[0].getsockname()[1]
            process = subprocess.Popen(
                [sys.executable, "-m", "inspector", "capture", "-i", "lo", "-f", f"tcp port {port}",
                 "--duration", "2", "-w", str(saved)],
                cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            )
            assert process.stderr is not None
            started = await asyncio.to_thread(process.stderr.readline)
            assert started.startswith("inspector: capturing on lo"), started
            await asyncio.sleep(0.05)  # the first packet is the SYN, some time after the capture started
            async with connect(f"ws://127.0.0.1:{port}", compression="deflate") as ws:
                for text in ("one", "two" * 1000, "three"):
                    await ws.send(text)
                    await ws.recv()
                await (await ws.ping(b"beat"))
            stdout, stderr = await asyncio.to_thread(process.communicate, timeout=20)
            result.update(rc=process.returncode, stdout=stdout, stderr=stderr)

    asyncio.run(scenario())
    assert result["rc"] == 0, result["stderr"]
    live = listing_times(str(result["stdout"]))
    assert len(live) == 10  # 3 messages and a ping each way, and the close each way
    assert listing_times(dump_listing(saved)) == live
    assert window_times(qtbot, saved, tmp_path) == live
