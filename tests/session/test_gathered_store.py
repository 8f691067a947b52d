"""SessionStore gathers what each event adds in lists and moves it into its arrays at the end of every `add`
and `extend` (packing runs with struct). However the events are split into calls, the arrays must come out
the same; a packed run must equal array.extend; and a message finds its frames while they are still gathered,
also when the frames' indices skip numbers (the general row_of_index behind the adding path's shortcut)."""

from __future__ import annotations

from array import array
from pathlib import Path

import pytest

from inspector.capture.load import decode_packets
from inspector.capture.pcapfile import read_packets
from inspector.protocol.connection import ConnectionDecoder
from inspector.protocol.constants import Direction, Opcode
from inspector.protocol.frame import Frame
from inspector.protocol.messages import Message
from inspector.session.events import Connection, ConnectionOpened, FrameSeen, MessageSeen, SessionEvent
from inspector.session.store import (
    CACHED_PACKERS,
    PACKED_RUN,
    STORE_ARRAYS,
    VIEW_ARRAYS,
    VIEW_DICTS,
    VIEW_LISTS,
    SessionStore,
    _move,
)
from tests.capture import synth

CAPTURES = sorted((Path(__file__).resolve().parents[2] / "resources" / "captures").glob("*.pcap*"))
KEY = bytes.fromhex("37fa213d")


def contents(store: SessionStore) -> list[tuple]:
    """Everything a reader of the store's numbers sees."""
    found: list[tuple] = [("store", name, list(getattr(store, name))) for name in STORE_ARRAYS]
    found.append(("packets", list(store._packets.starts), list(store._packets.numbers)))
    found.append(("spilled", store._spill.size))
    for view in store.connections:
        found += [(view.id, name, list(getattr(view, name))) for name in VIEW_ARRAYS]
        found += [(view.id, name, dict(getattr(view, name))) for name in VIEW_DICTS]
        found += [(view.id, name, list(getattr(view, name))) for name in VIEW_LISTS]
        found.append((view.id, list(view.message_frame_starts), view.opened_at, view.closed_at,
                      view.violation_count(), view.take_relinked()))
    return found


def busy_capture(tmp_path: Path) -> Path:
    """Two connections taking turns, with runs of frames longer than a cached packer, fragments and closes."""
    flows = [synth.Flow(cport=40000), synth.Flow(cport=40001)]
    packets: list[tuple[int, bytes]] = []
    for flow in flows:
        packets += [*flow.handshake(), *flow.send("client", synth.upgrade_request()),
                    *flow.send("server", synth.upgrade_response())]
    for turn in range(3):
        for number, flow in enumerate(flows):
            frames = b"".join(synth.ws_frame(1, f"{turn}.{number}.{i}".encode(), mask=KEY)
                              for i in range(CACHED_PACKERS + 20))
            packets += flow.send("client", frames, size=900)
            packets += flow.send("server", synth.ws_frame(2, b"a", fin=False) + synth.ws_frame(9, b"ping")
                                 + synth.ws_frame(0, b"b" * 300))
    for flow in flows:
        packets += flow.send("client", synth.ws_frame(8, b"\x03\xe8", mask=KEY)) + flow.close()
    path = tmp_path / "busy.pcapng"
    path.write_bytes(synth.pcapng_bytes(packets))
    return path


@pytest.mark.parametrize("capture", [*CAPTURES, None], ids=[*(c.name for c in CAPTURES), "busy"])
def test_the_arrays_do_not_depend_on_how_the_events_are_split(capture: Path | None, tmp_path: Path) -> None:
    path = capture if capture is not None else busy_capture(tmp_path)
    decoded = list(decode_packets(read_packets(path)))
    one_by_one = SessionStore()
    for event in decoded:
        one_by_one.add(event)
    whole = SessionStore()
    whole.extend(decoded)
    in_threes = SessionStore()
    for start in range(0, len(decoded), 3):
        in_threes.extend(decoded[start : start + 3])
    expected = contents(one_by_one)
    assert contents(whole) == expected
    assert contents(in_threes) == expected
    assert len(whole.events) == len(decoded)


@pytest.mark.parametrize("typecode", ["B", "H", "i", "I", "q", "Q", "d"])
@pytest.mark.parametrize("count", [0, 1, PACKED_RUN - 1, PACKED_RUN, CACHED_PACKERS + 1])
def test_moving_a_run_appends_what_array_extend_would(typecode: str, count: int) -> None:
    top = array(typecode, [0]).itemsize * 8 - (typecode.islower() and typecode != "d")
    biggest = 1e308 if typecode == "d" else (1 << top) - 1
    smallest = -biggest if typecode in "iqd" else 0
    values = [[smallest, biggest, 7][i % 3] for i in range(count)]
    moved, extended = array(typecode, [1]), array(typecode, [1])
    gathered = list(values)
    _move(gathered, moved)
    extended.extend(values)
    assert moved == extended
    assert gathered == []


def test_a_message_finds_its_gathered_frames_when_indices_skip_numbers() -> None:
    connection = Connection(1, "10.0.0.1:40000", "10.0.0.2:8080", ConnectionDecoder())

    def frame(index: int, payload: bytes, *, fin: bool = True, opcode: int = Opcode.TEXT) -> FrameSeen:
        header = bytes(((0x80 if fin else 0) | opcode, len(payload)))
        built = Frame(Direction.SERVER, index * 10, header, payload, length_form=7, payload_length=len(payload),
                      masking_key=None, index=index)
        return FrameSeen(connection, built, [index + 1], float(index))

    def message(indices: list[int], data: bytes) -> MessageSeen:
        built = Message(Direction.SERVER, Opcode.TEXT, indices, False, data, data.decode(), True)
        return MessageSeen(connection, built, [indices[-1] + 1], float(indices[-1]))

    events: list[SessionEvent] = [
        ConnectionOpened(connection, [1], 0.0),
        frame(0, b"one"), message([0], b"one"),  # dense so far: the shortcut answers
        frame(4, b"tw", fin=False), frame(5, b"o", opcode=Opcode.CONTINUATION),  # index 4 at row 1
        message([4, 5], b"two"),
        frame(9, b"three"), message([9], b"three"),
        message([7], b"lost"),  # no such frame: its data is spilled, nothing is linked
    ]
    for split in (1, len(events)):
        store = SessionStore()
        for start in range(0, len(events), split):
            store.extend(events[start : start + split])
        (view,) = store.connections
        assert list(view.frame_indices) == [0, 4, 5, 9]
        assert list(view.frame_messages) == [0, 1, 1, 2]
        assert [m.data for m in view.messages] == [b"one", b"two", b"three", b"lost"]
        assert [view.record(row).message.data for row in range(4)] == [b"one", b"two", b"two", b"three"]
        assert [view.row_of_index(i) for i in (0, 4, 5, 9, 7)] == [0, 1, 2, 3, -1]
