"""The timeline, playback, connection state strip and messages view, on the bundled captures, in a real window.

Playback runs on a clock the test owns: each `call_later` the player asks for is fired on the next
turn of the event loop with the clock moved on by exactly the delay asked for. So the clock's reading
when a frame appears is the playback's own schedule, which is checked against the capture's times.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, Qt, QTimer

from inspector.capture.load import load_capture
from inspector.protocol.constants import Direction, Opcode
from inspector.resources import capture_path
from inspector.session.events import FrameSeen
from inspector.session.store import SessionStore
from inspector.ui.main_window import MainWindow
from inspector.ui.panes.messages import MessagesModel
from inspector.ui.panes.timeline import FrameKinds
from inspector.ui.playback import Player
from inspector.ui.session_model import SessionModel

# Capture times are seconds since the epoch: a double holds them to about 0.2 µs.
TOLERANCE = 1e-6


class FakeClock:
    def __init__(self) -> None:
        self.time = 1000.0
        self._generation = 0

    def now(self) -> float:
        return self.time

    def call_later(self, seconds: float, callback: Callable[[], None]) -> None:
        self._generation += 1
        generation = self._generation

        def fire() -> None:
            if generation == self._generation:  # not cancelled or replaced meanwhile
                self.time += seconds
                callback()

        QTimer.singleShot(0, fire)

    def cancel(self) -> None:
        self._generation += 1


@pytest.fixture
def window(exposed_window: MainWindow) -> MainWindow:
    return exposed_window


def open_capture(qtbot, window: MainWindow, name: str) -> None:
    with qtbot.waitSignal(window.capture_loaded, timeout=20_000):
        window.open_file(str(capture_path(name)))


def fake_player(window: MainWindow) -> tuple[Player, FakeClock]:
    clock = FakeClock()
    player = window.player
    player.clock = clock
    return player, clock


def play_to_end(qtbot, player: Player, clock: FakeClock) -> list[tuple[float, int]]:
    """(clock time since the start, position) for each frame the playback reached, until it finished."""
    start = clock.time
    reached: list[tuple[float, int]] = []
    player.frame_reached.connect(lambda position: reached.append((clock.time - start, position)))
    with qtbot.waitSignal(player.finished, timeout=10_000):
        player.play()
    return reached


def expected_offsets(window: MainWindow, speed: float, max_gap: float | None = None) -> dict[int, float]:
    """Each frame's position -> when a playback from the first frame shows it, computed from the capture."""
    store = window.store
    assert store is not None
    offsets, elapsed, previous = {}, 0.0, None
    for position in store.frame_positions:
        time = store.events[position].time
        if previous is not None:
            gap = time - previous
            elapsed += min(gap, max_gap) if max_gap is not None else gap
        offsets[position] = elapsed / speed
        previous = time
    return offsets


@pytest.mark.parametrize("speed", [0.25, 1.0, 16.0])
def test_playback_reaches_each_frame_at_its_scaled_time(qtbot, window: MainWindow, speed: float) -> None:
    open_capture(qtbot, window, "websockets-echo.pcapng")
    player, clock = fake_player(window)
    window.timeline.stepper.go_to_frame(0)
    player.set_speed(speed)
    rows_seen = []
    window.session.frame_changed.connect(lambda: rows_seen.append(window.frames_model.rowCount()))
    reached = play_to_end(qtbot, player, clock)
    expected = expected_offsets(window, speed)
    assert [position for _, position in reached] == list(expected)  # every frame, in order
    for offset, position in reached:
        assert offset == pytest.approx(expected[position], abs=TOLERANCE)
    # The table grew one row per frame as playback reached it (one connection here), the selection following.
    assert rows_seen == list(range(2, len(expected) + 1))
    assert window.session.frame_row == len(expected) - 1
    assert window.fields_view.currentIndex().isValid()


def test_frames_appear_in_the_table_only_as_playback_reaches_them(qtbot, window: MainWindow) -> None:
    open_capture(qtbot, window, "websockets-deflate.pcapng")
    player, clock = fake_player(window)
    window.timeline.stepper.go_to_frame(0)
    counts = []
    player.frame_reached.connect(lambda _position: counts.append(window.frames_model.rowCount()))
    play_to_end(qtbot, player, clock)
    assert counts == list(range(1, 16))
    assert window.session.reveal is not None  # finished, still showing what it played
    assert window.playback_bar.stop_button.isEnabled()
    window.playback_bar.stop_button.click()
    assert not window.playback_bar.stop_button.isEnabled()
    assert window.frames_model.rowCount() == 15 and window.session.reveal is None


def test_gaps_longer_than_the_limit_are_cut_to_it(qtbot, window: MainWindow) -> None:
    open_capture(qtbot, window, "chromium-deflate.pcapng")
    player, clock = fake_player(window)
    window.timeline.stepper.go_to_frame(0)
    limit = 0.0005  # the capture's frames are up to a few ms apart: some gaps are longer than this, some not
    window.playback_bar.skip_box.setChecked(True)
    window.playback_bar.gap_box.setValue(1.0)  # the box's own limits; the player takes any value
    player.set_max_gap(limit)
    expected = expected_offsets(window, 1.0, limit)
    full = expected_offsets(window, 1.0)
    assert max(full.values()) > max(expected.values()) * 2  # the cut matters in this capture
    reached = play_to_end(qtbot, player, clock)
    assert [p for _, p in reached] == list(expected)
    for offset, position in reached:
        assert offset == pytest.approx(expected[position], abs=TOLERANCE)


def test_pause_holds_the_playback_and_resume_goes_on_from_there(qtbot, window: MainWindow) -> None:
    open_capture(qtbot, window, "websockets-echo.pcapng")
    player, clock = fake_player(window)
    window.timeline.stepper.go_to_frame(0)
    reached: list[int] = []
    player.frame_reached.connect(reached.append)
    player.frame_reached.connect(lambda _p: player.pause() if len(reached) == 5 else None)
    with qtbot.waitSignal(player.playing_changed, check_params_cb=lambda playing: not playing, timeout=5000):
        player.play()
    for _ in range(20):
        QCoreApplication.processEvents()
    assert len(reached) == 5 and not player.playing
    assert window.playback_bar.play_button.text() == "Play"
    paused_at = clock.time
    clock.time += 30.0  # a long pause does not count as playback time
    start = clock.time
    offsets = []
    player.frame_reached.connect(lambda _p: offsets.append(clock.time - start))
    with qtbot.waitSignal(player.finished, timeout=5000):
        window.playback_bar.play_button.click()
    store = window.store
    assert store is not None
    assert reached == list(store.frame_positions)
    expected = expected_offsets(window, 1.0)
    fifth = expected[reached[4]]
    for offset, position in zip(offsets, reached[5:], strict=True):
        assert offset == pytest.approx(expected[position] - fifth, abs=TOLERANCE)
    assert paused_at < start


def test_speed_change_while_playing_rescales_the_rest(qtbot, window: MainWindow) -> None:
    open_capture(qtbot, window, "websockets-echo.pcapng")
    player, clock = fake_player(window)
    window.timeline.stepper.go_to_frame(0)
    reached: list[tuple[float, int]] = []
    start = clock.time
    player.frame_reached.connect(lambda p: reached.append((clock.time - start, p)))
    player.frame_reached.connect(lambda _p: window.playback_bar.speed_box.setCurrentIndex(6)
                                 if len(reached) == 3 else None)  # 16x from the third frame on
    with qtbot.waitSignal(player.finished, timeout=5000):
        player.play()
    expected = expected_offsets(window, 1.0)
    third_time, third = reached[2]
    for offset, position in reached[3:]:
        assert offset == pytest.approx(third_time + (expected[position] - expected[third]) / 16, abs=TOLERANCE)


def test_keyboard_steps_by_frame_message_and_connection_across_the_session(qtbot, window: MainWindow) -> None:
    open_capture(qtbot, window, "websockets-violations.pcapng")
    store = window.store
    assert store is not None and len(store.connections) > 3
    strip = window.timeline
    strip.setFocus()
    qtbot.keyClick(strip, Qt.Key.Key_Home)
    assert window.session.position == store.frame_positions[0]
    for number in range(1, 6):  # frame by frame, whatever connection each belongs to
        qtbot.keyClick(strip, Qt.Key.Key_Right)
        position = store.frame_positions[number]
        assert window.session.position == position
        event = store.events[position]
        assert isinstance(event, FrameSeen)
        assert window.session.connection is store.by_id[event.connection.id]
        assert window.session.frame is not None and window.session.frame.position == position
    qtbot.keyClick(strip, Qt.Key.Key_Left)
    assert window.session.position == store.frame_positions[4]
    qtbot.keyClick(strip, Qt.Key.Key_End)
    assert window.session.position == store.frame_positions[-1]
    qtbot.keyClick(strip, Qt.Key.Key_Home)
    for opened in store.opened_positions[1:4]:  # connection by connection
        qtbot.keyClick(strip, Qt.Key.Key_Right, Qt.KeyboardModifier.ControlModifier)
        assert window.session.position == opened
        assert window.session.connection is store.by_id[store.events[opened].connection.id]
    qtbot.keyClick(strip, Qt.Key.Key_Left, Qt.KeyboardModifier.ControlModifier)
    assert window.session.position == store.opened_positions[2]
    qtbot.keyClick(strip, Qt.Key.Key_Home)
    for message in store.message_positions[:4]:  # message by message, with the window-wide keys
        qtbot.keyClick(window.frames_view, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
        assert window.session.position == message
    qtbot.keyClick(window.frames_view, Qt.Key.Key_F7, Qt.KeyboardModifier.ShiftModifier)
    assert window.session.position == store.message_positions[2]
    qtbot.keyClick(window.frames_view, Qt.Key.Key_F8, Qt.KeyboardModifier.ControlModifier)
    assert window.session.position == next(p for p in store.opened_positions if p > store.message_positions[2])


def test_clicking_the_strip_selects_the_frame_under_the_mouse(qtbot, window: MainWindow) -> None:
    open_capture(qtbot, window, "websockets-violations.pcapng")
    store = window.store
    assert store is not None
    strip = window.timeline
    count = len(store.frame_positions)
    for number in (0, count // 2, count - 1):
        qtbot.mouseClick(strip, Qt.MouseButton.LeftButton, pos=strip.rect().topLeft() + _point(strip._x_of(number)))
        assert strip.current_frame() == number


def _point(x: int):
    from PySide6.QtCore import QPoint
    return QPoint(x, 10)


def test_the_state_strip_follows_the_close_handshake(qtbot, window: MainWindow) -> None:
    open_capture(qtbot, window, "websockets-echo.pcapng")
    store = window.store
    assert store is not None
    strip = window.state_strip
    window.session.select_position(0)  # the connection opened, its handshake not yet complete
    assert strip.phase == "connecting"
    window.timeline.stepper.go_to_frame(12)  # the Pong, before any Close
    assert strip.phase == "open" and "no Close frame yet" in strip.text()
    window.timeline.stepper.go_to_frame(13)  # the client's Close
    assert strip.phase == "closing"
    assert "the client sent Close, the server has not answered" in strip.text()
    window.timeline.stepper.go_to_frame(14)  # the server's answer
    assert strip.phase == "closed" and "the client sent Close, the server answered" in strip.text()
    window.session.select_position(len(store.events) - 1)
    assert strip.phase == "closed" and "the TCP connection ended" in strip.text()


@pytest.mark.parametrize("name", ["websockets-echo.pcapng", "websockets-deflate.pcapng"])
def test_the_messages_view_shows_fragments_and_reassembled_data(qtbot, window: MainWindow, name: str) -> None:
    open_capture(qtbot, window, name)
    model = window.messages_pane.tree_model
    fragmented = next(row for row in range(model.rowCount()) if len(model.message(row).frame_indices) > 1)
    parent = model.index(fragmented, 0)
    assert model.rowCount(parent) == 4
    assert [model.index(r, 0, parent).data() for r in range(4)] == ["frame 6", "frame 7", "frame 8", "frame 9"]
    assert all("fragment" in model.index(r, 2, parent).data() for r in range(4))
    assert model.index(fragmented, 5).data() == "frag-one frag-two frag-three"
    assert model.index(fragmented, 4).data() == "valid UTF-8"
    window.messages_pane.tree.setCurrentIndex(parent)
    # Selecting the message selects its frames: the first becomes the frame, all four are marked in the table.
    assert window.session.frame_row == 6
    assert sorted(i.row() for i in window.frames_view.selectionModel().selectedRows()) == [6, 7, 8, 9]
    detail = window.messages_pane.detail.toPlainText()
    assert "frag-one frag-two frag-three" in detail and "valid UTF-8" in detail
    assert ("inflated" in detail) == (name == "websockets-deflate.pcapng")


def test_the_messages_view_inflates_chromium_messages_and_checks_utf8(qtbot, window: MainWindow) -> None:
    open_capture(qtbot, window, "chromium-deflate.pcapng")
    model = window.messages_pane.tree_model
    assert model.index(0, 5).data() == "hello from chromium"
    assert model.index(0, 2).data() == "Text, inflated"
    assert model.index(2, 3).data() == 70000 and model.index(2, 5).data().startswith("AAAA")
    assert model.index(1, 4).data() == "not text"
    open_capture(qtbot, window, "websockets-violations.pcapng")
    store = window.store
    assert store is not None
    window.session.select_connection(store.connections[8])
    bad = window.messages_pane.tree_model
    assert bad.index(0, 4).data().startswith("invalid UTF-8")


@pytest.mark.parametrize("name", ["websockets-echo.pcapng", "websockets-deflate.pcapng", "chromium-deflate.pcapng",
                                  "websockets-violations.pcapng"])
def test_messages_model_passes_qtmodeltester(qtmodeltester, name: str) -> None:
    from inspector.capture.load import load_capture

    store = load_capture(capture_path(name))
    for record in store.connections:
        model = MessagesModel()
        model.set_connection(record)
        qtmodeltester.check(model)


@pytest.mark.parametrize("columns", [3, 10, 31, 32, 33, 500])
def test_strip_buckets_agree_with_placing_each_frame_by_itself(qtbot, window: MainWindow, columns: int) -> None:
    """The strip's per-column `find` over byte arrays says the same as putting every frame in its column."""
    open_capture(qtbot, window, "websockets-violations.pcapng")
    kinds = window.timeline.kinds
    assert kinds.count == 32 and any(kinds.violation) and any(kinds.close)
    naive: dict[int, list[bool]] = {}
    for number in range(kinds.count):
        if kinds.count <= columns:
            x = (2 * number + 1) * columns // (2 * kinds.count)
        else:
            x = number * columns // kinds.count
            while (x + 1) * kinds.count // columns <= number:  # the column whose range holds the frame
                x += 1
            while x * kinds.count // columns > number:
                x -= 1
        flags = naive.setdefault(x, [False] * 4)
        for slot, on in enumerate((kinds.client[number], not kinds.client[number], kinds.violation[number],
                                   kinds.close[number])):
            flags[slot] = flags[slot] or bool(on)
    found = {x: list(flags) for x, *flags in kinds.buckets(columns)}
    if kinds.count > columns:
        assert len(found) == columns
    assert {x: f for x, f in found.items() if any(f)} == naive


def test_a_control_frame_between_fragments_shows_where_it_fell(qtbot, window: MainWindow, tmp_path: Path) -> None:
    """No bundled capture has a ping inside a fragmented message (RFC 6455 §5.4 allows it), so one is
    written here: a real handshake, then frames made by the encoder, into a pcapng the window opens."""
    from inspector.capture.pcapng_writer import PcapngWriter, session_packets
    from inspector.protocol import encoder
    from inspector.protocol.constants import Opcode
    from inspector.protocol.handshake import build_request, compute_accept

    key = "dGhlIHNhbXBsZSBub25jZQ=="  # RFC 6455 §1.3's example nonce
    answer = ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
              f"Sec-WebSocket-Accept: {compute_accept(key).accept}\r\n\r\n").encode()
    first, second = encoder.fragment(b"interrupted message", Opcode.TEXT, 2, mask=b"\x01\x02\x03\x04")
    exchanges = [
        ("client", build_request("127.0.0.1:9001", "/", key=key)),
        ("server", answer),
        ("client", encoder.encode(first)),
        ("client", encoder.encode(encoder.ping(b"are you there", mask=b"\x05\x06\x07\x08"))),
        ("server", encoder.encode(encoder.pong(b"are you there", mask=False))),
        ("client", encoder.encode(second)),
    ]
    path = tmp_path / "interleaved.pcapng"
    with open(path, "wb") as file:
        writer = PcapngWriter(file)
        for number, packet in enumerate(session_packets(exchanges, client=("127.0.0.1", 40001),
                                                        server=("127.0.0.1", 9001), start_time=1_700_000_000.0,
                                                        step=0.25), start=1):
            writer.write(packet._replace(number=number))
    with qtbot.waitSignal(window.capture_loaded, timeout=20_000):
        window.open_file(str(path))
    model = window.messages_pane.tree_model
    assert model.rowCount() == 1
    parent = model.index(0, 0)
    rows = [(model.index(r, 0, parent).data(), model.index(r, 2, parent).data()) for r in range(model.rowCount(parent))]
    # The server's Pong went the other way: it is not part of the client's message stream.
    assert rows == [("frame 0", "Text FIN=0: fragment"),
                    ("frame 1", "Ping FIN=1: control, between the fragments"),
                    ("frame 3", "Continuation FIN=1: fragment")]
    assert model.index(0, 5).data() == "interrupted message"


def test_moving_the_cursor_while_playing_goes_on_from_there(qtbot, window: MainWindow) -> None:
    open_capture(qtbot, window, "websockets-echo.pcapng")
    player, _clock = fake_player(window)
    store = window.store
    assert store is not None
    window.timeline.stepper.go_to_frame(0)
    reached: list[int] = []
    player.frame_reached.connect(reached.append)
    player.frame_reached.connect(lambda _p: window.timeline.stepper.go_to_frame(10) if len(reached) == 2 else None)
    with qtbot.waitSignal(player.finished, timeout=5000):
        player.play()
    assert reached == list(store.frame_positions[:2] + store.frame_positions[11:])
    assert window.frames_model.rowCount() == 15  # the jump revealed the frames it passed over


def kinds_read_frame_by_frame(store: SessionStore) -> tuple[bytes, bytes, bytes, int]:
    """The general path: each frame's direction, rule breaking (its own or its message's) and opcode, read
    from its connection; and how many frames break a rule only through their message."""
    client, violation, close, by_message = bytearray(), bytearray(), bytearray(), 0
    for position in store.frame_positions:
        found = store.frame_row(position)
        assert found is not None
        view, row = found
        client.append(view.direction(row) == Direction.CLIENT)
        violation.append(view.has_violations(row))
        close.append(view.opcode(row) == Opcode.CLOSE)
        by_message += view.has_violations(row) and row not in view.frame_violations
    return bytes(client), bytes(violation), bytes(close), by_message


@pytest.mark.parametrize("batch", [1, 5, 1000])
def test_strip_kinds_grown_from_the_stores_marks_agree_with_reading_each_frame(qtbot, batch: int) -> None:
    """The strip's kinds, grown batch by batch from the marks the store keeps per frame (a loading or live
    capture), are what reading every frame of the complete store says, messages that break a rule included."""
    messages_marked = 0
    for name in ("websockets-violations.pcapng", "websockets-deflate.pcapng", "chromium-deflate.pcapng",
                 "websockets-echo.pcapng", "hixie-76.pcapng"):
        whole = load_capture(capture_path(name))
        events = list(whole.events)
        growing = SessionStore()
        session = SessionModel()
        session.set_store(growing)
        kinds = FrameKinds(session)
        for first in range(0, len(events), batch):
            growing.extend(events[first : first + batch])
            kinds.grow()
        growing.finish()
        client, violation, close, by_message = kinds_read_frame_by_frame(whole)
        assert kinds.count == whole.frame_count
        assert (bytes(kinds.client), bytes(kinds.violation), bytes(kinds.close)) == (client, violation, close), name
        messages_marked += by_message
    assert messages_marked > 0  # a message's rule reached frames that break none themselves
