"""Loading a capture streams it into the window: rows show while the rest is read, a cancelled load
gives back the capture that was open, and what is shown equals a one-shot load."""

from __future__ import annotations

import gc
import os
import signal
import tempfile
import time
from pathlib import Path

import pytest

from inspector.capture.load import decode_packets, load_capture
from inspector.capture.pcapfile import read_packets
from inspector.protocol.fieldtree import frame_fields
from inspector.session.events import FrameSeen, MessageSeen
from inspector.session.store import SessionStore
from inspector.ui import loader as loader_module
from inspector.ui.main_window import MainWindow
from tests.capture.synth import Flow, pcap_bytes, upgrade_request, upgrade_response, ws_frame
from tests.perf.bench_dump import write_capture
from tests.session.test_batched_load import session_summary
from tests.ui.windows import new_window

ROOT = Path(__file__).resolve().parents[2]
CAPTURES = sorted((ROOT / "resources" / "captures").glob("*.pcap*"))
ECHO = ROOT / "resources" / "captures" / "websockets-echo.pcapng"
BIG_FRAMES = 200_000


@pytest.fixture(scope="module")
def big_capture(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("big") / "big.pcapng"
    frames, _ports, _packets = write_capture(path, BIG_FRAMES, 4, 6455)
    assert frames >= BIG_FRAMES
    return path


@pytest.fixture
def window(qtbot, tmp_path: Path) -> MainWindow:
    win = new_window(qtbot, tmp_path / "settings.ini")
    return win


def tree_rows(node) -> list[tuple]:
    return [(field.filter_name, field.bit_offset, field.bit_width, field.value, field.summary, field.shown_in)
            for field in node.walk()]


@pytest.mark.parametrize("capture", CAPTURES, ids=[c.name for c in CAPTURES])
def test_small_batches_into_the_window_give_the_one_shot_session(qtbot, window, monkeypatch, capture: Path) -> None:
    monkeypatch.setattr(loader_module, "BATCH_EVENTS", 2)  # many batches, even from a small file
    monkeypatch.setattr(loader_module, "SLICE_SECONDS", 0.0)  # one batch per turn of the event loop
    monkeypatch.setattr(loader_module, "GROW_SECONDS", 0.0)  # and the window told after each
    grew: list[int] = []
    window.loader.grew.connect(lambda: grew.append(1))
    with qtbot.waitSignal(window.capture_loaded, timeout=20_000):
        window.open_file(str(capture))
    store = window.store
    assert store is not None
    whole = load_capture(capture)
    assert session_summary(store) == session_summary(whole)
    if len(whole.events) > 4:
        assert grew  # it really arrived in parts
    assert window.connections_model.rowCount() == len(whole.connections)
    if whole.connections:
        assert window.frames_model.rowCount() == len(whole.connections[0].frames)


def test_the_first_rows_show_before_a_big_capture_is_loaded(qtbot, window, big_capture: Path) -> None:
    loaded: list[str] = []
    window.capture_loaded.connect(loaded.append)
    with qtbot.waitSignal(window.loader.started, timeout=20_000):
        window.open_file(str(big_capture))
    qtbot.waitUntil(lambda: window.frames_view.model().rowCount() > 0, timeout=5_000)  # in the view, not only the model
    assert not loaded and window.loader.busy
    assert window.frames_view.currentIndex().row() == 0  # the first frame is selected, its tree shown
    assert window.fields_model.rowCount() == 1
    shown = window.frames_model.rowCount()
    qtbot.waitUntil(lambda: bool(loaded), timeout=120_000)
    store = window.store
    assert store is not None and store.frame_count >= BIG_FRAMES
    assert window.frames_model.rowCount() == len(store.connections[0].frames) > shown
    assert window.frames_view.model().rowCount() == window.frames_model.rowCount()
    assert window.connections_model.rowCount() == len(store.connections)


def test_the_frame_count_under_the_timeline_follows_the_load(qtbot, window, big_capture: Path) -> None:
    """The line under the timeline says how many frames there are while they arrive, and all of them at the end."""
    counts: list[str] = []
    window.loader.started.connect(lambda _store: counts.append(window.playback_bar.time_label.text()))
    with qtbot.waitSignal(window.capture_loaded, timeout=120_000):
        window.open_file(str(big_capture))
    store = window.store
    assert store is not None
    assert counts and not counts[0].endswith(f" of {store.frame_count}")  # the first rows came before the rest
    assert window.playback_bar.time_label.text().endswith(f"frame 1 of {store.frame_count}")


def test_cancelling_mid_load_gives_back_the_open_capture(qtbot, window, big_capture: Path) -> None:
    with qtbot.waitSignal(window.capture_loaded, timeout=20_000):
        window.open_file(str(ECHO))
    before = window.store
    assert before is not None
    window.frames_view.selectRow(2)
    with qtbot.waitSignal(window.loader.started, timeout=20_000):
        window.open_file(str(big_capture))
    qtbot.waitUntil(lambda: window.store is not before, timeout=5_000)  # the new one was being shown
    with qtbot.waitSignal(window.loader.cancelled, timeout=20_000):
        window.cancel_button.click()
    qtbot.waitUntil(lambda: not window.loader.busy, timeout=20_000)
    assert window.store is before
    assert window.connections_model.rowCount() == len(before.connections)
    assert window.frames_model.rowCount() == len(before.connections[0].frames)
    assert window.session.frame_row == 2 and window.frames_view.currentIndex().row() == 2
    assert window.status_label.text() == "Loading cancelled"


def test_a_frame_selected_after_a_streamed_load_shows_its_decoded_tree_and_bytes(qtbot, window) -> None:
    with qtbot.waitSignal(window.capture_loaded, timeout=20_000):
        window.open_file(str(ECHO))
    whole = load_capture(ECHO)
    frames = whole.connections[0].frames
    for row in range(len(frames)):
        window.frames_view.selectRow(row)
        record = frames[row]
        shown = window.session.frame
        assert shown is not None
        assert shown.frame.header + shown.frame.masked_payload == record.frame.header + record.frame.masked_payload
        assert shown.frame.payload == record.frame.payload
        expected = frame_fields(record.frame, message=record.message)
        assert tree_rows(window.session.tree) == tree_rows(expected)


def test_events_fed_as_a_live_capture_feeds_them_show_in_the_window(window) -> None:
    """begin_store, then store.extend and grow per batch (a live capture has no file to read back): the
    frames show, and a selected frame's tree is the one the decoder's own frame gives."""
    events = list(decode_packets(read_packets(ECHO)))
    store = SessionStore("live")
    store.extend(events[:3])
    window.session.begin_store(store)
    for first in range(3, len(events), 5):
        store.extend(events[first : first + 5])
        window.session.grow()
    frames = [event.frame for event in events if type(event) is FrameSeen and event.connection.id == 1]
    assert window.frames_model.rowCount() == len(frames) > 2
    window.session.select_frame(len(frames) - 1)
    assert window.session.tree is not None
    message = next((e.message for e in events if type(e) is MessageSeen and e.connection.id == 1
                    and frames[-1].index in e.message.frame_indices), None)
    expected = frame_fields(frames[-1], message=message)
    assert tree_rows(window.session.tree) == tree_rows(expected)


def test_a_child_process_decodes_and_goes_on_while_the_window_is_busy(qtbot, window, big_capture: Path) -> None:
    """The decoding runs in a process of its own: while the window's thread is held up showing the first rows,
    the child goes on writing frames to the spill file, and it has exited once the capture is loaded."""
    grown: list[tuple[int, int]] = []
    children: list[int] = []

    def slow_first_show(store: SessionStore) -> None:
        process = window.loader._process
        assert process is not None
        children.append(process.pid)
        before = os.fstat(store._spill.fileno()).st_size
        time.sleep(0.5)
        grown.append((before, os.fstat(store._spill.fileno()).st_size))

    window.loader.started.connect(slow_first_show)
    with qtbot.waitSignal(window.capture_loaded, timeout=120_000):
        window.open_file(str(big_capture))
    [(before, after)] = grown
    assert after > before
    [child] = children
    assert child != os.getpid()
    assert not Path(f"/proc/{child}").exists()  # ended and reaped
    store = window.store
    assert store is not None and store.frame_count >= BIG_FRAMES


def test_cancelling_ends_the_decoding_process(qtbot, window, big_capture: Path) -> None:
    with qtbot.waitSignal(window.loader.started, timeout=20_000):
        window.open_file(str(big_capture))
    process = window.loader._process
    assert process is not None and Path(f"/proc/{process.pid}").exists()
    with qtbot.waitSignal(window.loader.cancelled, timeout=20_000):
        window.cancel_button.click()
    qtbot.waitUntil(lambda: not window.loader.busy, timeout=20_000)
    assert not Path(f"/proc/{process.pid}").exists()


def test_a_decoding_process_that_dies_ends_the_load_with_one_line(qtbot, window, big_capture: Path) -> None:
    with qtbot.waitSignal(window.capture_loaded, timeout=20_000):
        window.open_file(str(ECHO))
    before = window.store
    with qtbot.waitSignal(window.loader.started, timeout=20_000):
        window.open_file(str(big_capture))
    process = window.loader._process
    assert process is not None
    with qtbot.waitSignal(window.loader.failed, timeout=20_000) as failed:
        os.kill(process.pid, signal.SIGKILL)
    [line] = failed.args
    assert line == f"{big_capture}: could not be decoded (the decoding process ended with status -{signal.SIGKILL})"
    qtbot.waitUntil(lambda: not window.loader.busy, timeout=20_000)
    assert window.store is before
    assert "\n" not in window.status_label.text() and "Traceback" not in window.status_label.text()




def child_processes() -> set[int]:
    children: set[int] = set()
    for task in Path("/proc/self/task").iterdir():
        children.update(int(pid) for pid in (task / "children").read_text().split())
    return children


def test_opening_files_in_quick_succession_leaves_no_process_or_descriptor_behind(qtbot, window,
                                                                               big_capture: Path) -> None:
    """As an impatient user does: open a big file, open another before it is loaded, cancel, open again; in the
    end one capture is shown, every decoding child is gone and no file descriptor is left open."""
    open_and_wait_for_echo = lambda: window.open_file(str(ECHO))  # noqa: E731
    with qtbot.waitSignal(window.capture_loaded, timeout=20_000):
        open_and_wait_for_echo()
    descriptors = len(os.listdir("/proc/self/fd"))
    for round_number in range(6):
        with qtbot.waitSignal(window.loader.started, timeout=20_000):
            window.open_file(str(big_capture))
        if round_number % 2:
            with qtbot.waitSignal(window.loader.cancelled, timeout=20_000):
                window.cancel_button.click()
        else:
            with qtbot.waitSignal(window.capture_loaded, timeout=20_000):
                open_and_wait_for_echo()  # a new file while the big one loads: that load is dropped
    qtbot.waitUntil(lambda: not window.loader.busy, timeout=20_000)
    qtbot.waitUntil(lambda: not child_processes(), timeout=5_000)
    store = window.store
    assert store is not None and store.source == str(ECHO)
    assert window.frames_model.rowCount() == len(load_capture(ECHO).connections[0].frames)
    gc.collect()
    assert len(os.listdir("/proc/self/fd")) <= descriptors


def pane_rows(window) -> list[tuple]:
    model = window.violations_pane.model
    rows = [model.row_at(row) for row in range(model.rowCount())]
    return [(r.frame_ref.connection.id, r.frame_ref.row, r.violation.code) for r in rows]


def one_shot_violation_rows(path: Path) -> list[tuple]:
    """(connection id, frame row, code) of every violation of the frames and of the messages they complete, in
    capture order, read from a one-shot load without the window."""
    store = load_capture(path)
    found: list[tuple[int, tuple]] = []
    for view in store.connections:
        for row in range(len(view.frames)):
            record = view.frames[row]
            message = view.completed_message(row)
            codes = [v.code for v in record.frame.violations]
            codes += [v.code for v in message.violations] if message else []
            number = store.frame_positions.index(record.position)
            found += [(number, (view.id, row, code)) for code in codes]
    return [entry for _number, entry in sorted(found, key=lambda item: item[0])]


def late_violations_capture(tmp_path: Path) -> Path:
    """3,000 frames in which every 500th client frame is sent unmasked and every 700th carries invalid UTF-8."""
    flow = Flow()
    packets = flow.handshake()
    packets += flow.send("client", upgrade_request())
    packets += flow.send("server", upgrade_response())
    for number in range(1, 3001):
        payload = b"\xff\xfe" if number % 700 == 0 else b"ok"
        packets += flow.send("client", ws_frame(1, payload, mask=None if number % 500 == 0 else b"\x01\x02\x03\x04"))
    path = tmp_path / "late.pcap"
    path.write_bytes(pcap_bytes(packets))
    return path


@pytest.mark.parametrize("which", ["bundled", "late"])
def test_the_violations_pane_lists_every_violation_of_a_streamed_load(qtbot, window, monkeypatch, tmp_path: Path,
                                                                      which: str) -> None:
    path = ROOT / "resources" / "captures" / "websockets-violations.pcapng" if which == "bundled" \
        else late_violations_capture(tmp_path)
    monkeypatch.setattr(loader_module, "BATCH_EVENTS", 7)  # many batches
    monkeypatch.setattr(loader_module, "SLICE_SECONDS", 0.0)  # one batch per turn of the event loop
    monkeypatch.setattr(loader_module, "GROW_SECONDS", 0.0)  # and the window told after each
    grew: list[int] = []
    window.loader.grew.connect(lambda: grew.append(window.violations_pane.model.rowCount()))
    with qtbot.waitSignal(window.capture_loaded, timeout=60_000):
        window.open_file(str(path))
    expected = one_shot_violation_rows(path)
    assert len(expected) > 3
    assert pane_rows(window) == expected
    assert len(set(grew)) > 2  # the list grew with the load, not once at the end
    # The last violating frame's violation is selected when that frame is (found through the appended rows).
    connection_id, row, code = expected[-1]
    window.session.select_connection(window.store.by_id[connection_id])
    window.session.select_frame(row)
    selected = window.violations_pane.table.selectionModel().selectedRows()
    assert [index.row() for index in selected] == [pane_rows(window).index((connection_id, row, code))]


def test_the_handshake_panes_show_what_arrives_after_the_first_rows(qtbot, window, monkeypatch, tmp_path: Path) -> None:
    """Shown from the first batch on, the handshake and comparison panes end with what a one-shot load shows:
    here a segment lost late in the capture, which the handshake pane lists under the capture's notes."""
    flow = Flow()
    packets = flow.handshake()
    packets += flow.send("client", upgrade_request())
    packets += flow.send("server", upgrade_response())
    for _ in range(200):
        packets += flow.send("client", ws_frame(1, b"before", mask=b"\x01\x02\x03\x04"))
    flow.send("client", ws_frame(1, b"lost", mask=b"\x01\x02\x03\x04"))  # never captured
    packets += flow.send("client", ws_frame(2, b"after", mask=b"\x01\x02\x03\x04"))
    packets += flow.close()
    path = tmp_path / "late-gap.pcap"
    path.write_bytes(pcap_bytes(packets))
    monkeypatch.setattr(loader_module, "BATCH_EVENTS", 1)  # every packet's events a batch of their own
    monkeypatch.setattr(loader_module, "SLICE_SECONDS", 0.0)
    monkeypatch.setattr(loader_module, "GROW_SECONDS", 0.0)
    at_first: list[str] = []
    window.loader.started.connect(lambda _store: at_first.append(window.handshake_pane.toPlainText()))
    with qtbot.waitSignal(window.capture_loaded, timeout=20_000):
        window.open_file(str(path))
    streamed = window.handshake_pane.toPlainText(), window.handshake_comparison.toPlainText()
    other = new_window(qtbot, tmp_path / "other.ini")
    monkeypatch.setattr(loader_module, "BATCH_EVENTS", 100_000)  # the whole file in one batch
    with qtbot.waitSignal(other.capture_loaded, timeout=20_000):
        other.open_file(str(path))
    assert streamed == (other.handshake_pane.toPlainText(), other.handshake_comparison.toPlainText())
    assert at_first and "Capture notes:" not in at_first[0] and "Capture notes:" in streamed[0]


def test_no_room_for_the_spill_file_is_one_line_and_keeps_the_open_capture(qtbot, window, monkeypatch,
                                                                          tmp_path: Path) -> None:
    with qtbot.waitSignal(window.capture_loaded, timeout=20_000):
        window.open_file(str(ECHO))
    before = window.store
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "no-such-directory"))  # where the spill file would go
    with qtbot.waitSignal(window.loader.failed, timeout=20_000) as failed:
        window.open_file(str(ECHO))
    [line] = failed.args
    assert line.startswith(f"{ECHO}: could not start decoding (") and "\n" not in line
    assert window.store is before and not window.loader.busy
    assert window.status_label.text() == line
