"""Resynchronising on frame boundaries: the start found depends on the bytes alone, and costs linear work."""

from __future__ import annotations

import itertools
import random

import pytest
from conftest import client_frame, event_summary, wire_frame
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector.protocol.connection import ConnectionDecoder, SidePhase
from inspector.protocol.constants import Direction, Opcode
from inspector.protocol.frame import Frame
from inspector.protocol.messages import Message
from inspector.protocol.resync import MAX_ANCHOR_FRAME, FrameStartFinder, find_frame_start

C, S = Direction.CLIENT, Direction.SERVER
HELLO = wire_frame(Opcode.TEXT, b"Hello")


def _pieces(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts} | {0, len(data)})
    return [data[a:b] for a, b in itertools.pairwise(points)]


# -- the start is a function of the stream -------------------------------------------------------------

def test_a_start_waits_for_the_header_that_confirms_it() -> None:
    # 82 03 00 80 01 is a 3-byte binary frame; 81 05 Hello follows. Cut after the 81, the bytes 80 01 81
    # look like a 1-byte continuation ending exactly at the cut. That bogus start used to win, though
    # the whole stream shows the chain from offset 0.
    frame = bytes.fromhex("8203008001")
    stream = frame + HELLO
    assert find_frame_start(stream, S) == 0
    decoder = ConnectionDecoder(expect_handshake=False)
    assert decoder.feed(S, stream[:6]) == []
    events = decoder.feed(S, stream[6:])
    assert [e.offset for e in events if isinstance(e, Frame)] == [0, 5]
    assert [e.text for e in events if isinstance(e, Message) and e.is_text] == ["Hello"]


def test_a_frame_ending_at_the_data_seen_so_far_is_confirmed_only_by_the_end_of_the_stream() -> None:
    decoder = ConnectionDecoder(expect_handshake=False)
    assert decoder.feed(S, HELLO) == []  # a header after it could still break the chain
    assert decoder.phases[S] is SidePhase.RESYNC
    [frame, message] = decoder.finish()
    assert frame.offset == 0 and message.text == "Hello"


def test_a_start_is_ruled_out_by_the_header_after_its_frame() -> None:
    finder = FrameStartFinder(S)
    assert finder.feed(bytes.fromhex("8201aa")) is None  # plausible so far
    assert finder.feed(b"\xff") is None  # ...but 0xff.. is no header: give up offset 0 (and 1, 2)
    assert finder.feed(HELLO + HELLO) == (4, HELLO + HELLO)
    assert finder.skipped == 4


def test_an_anchor_longer_than_the_limit_is_not_waited_for() -> None:
    header = bytes([0x82, 127]) + (2**63 - 1).to_bytes(8, "big")  # far more than the limit
    assert find_frame_start(header + HELLO + HELLO, S, final=False) == len(header)


def test_the_end_of_the_stream_settles_a_cut_header() -> None:
    assert find_frame_start(HELLO + b"\x81", S) is None  # the next header is cut: no chain is shown
    assert find_frame_start(HELLO + b"\x81", S, final=False) is None


def _frame_stream(draw: st.DrawFn, direction: Direction) -> bytes:
    """Garbage, then frames (some fragmented, some control, an occasional 16-bit length), then garbage."""
    mask = bytes.fromhex("37fa213d") if direction is C else None
    out = [draw(st.binary(max_size=40))]
    for _ in range(draw(st.integers(0, 8))):
        opcode = draw(st.sampled_from([Opcode.TEXT, Opcode.BINARY, Opcode.CONTINUATION, Opcode.PING, Opcode.CLOSE]))
        size = draw(st.sampled_from([0, 1, 2, 5, 126, 300])) if opcode < 8 else draw(st.sampled_from([0, 2, 5]))
        payload = draw(st.binary(min_size=size, max_size=size))
        out.append(wire_frame(opcode, payload, fin=opcode >= 8 or draw(st.booleans()), mask=mask))
    out.append(draw(st.binary(max_size=12)))
    return b"".join(out)


@st.composite
def streams(draw: st.DrawFn) -> tuple[Direction, bytes, list[int]]:
    direction = draw(st.sampled_from([C, S]))
    data = draw(st.binary(max_size=300)) if draw(st.booleans()) else _frame_stream(draw, direction)
    return direction, data, draw(st.lists(st.integers(0, 2000), max_size=15))


def _finder_result(direction: Direction, pieces: list[bytes]) -> tuple[tuple[int, bytes] | None, int]:
    finder = FrameStartFinder(direction, 0x40)
    for piece in pieces:
        found = finder.feed(piece)
        if found is not None:
            rest = b"".join(pieces)[found[0] + len(found[1]) :]
            return (found[0], found[1] + rest), finder.skipped
    return finder.finish(), finder.skipped


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(streams())
def test_every_chunking_finds_the_same_start(case: tuple[Direction, bytes, list[int]]) -> None:
    direction, data, cuts = case
    assert _finder_result(direction, _pieces(data, cuts)) == _finder_result(direction, [data])


def _decoded(direction: Direction, pieces: list[bytes]) -> list[tuple]:
    decoder = ConnectionDecoder(expect_handshake=False)
    events: list = []
    for piece in pieces:
        events += decoder.feed(direction, piece)
    events += decoder.finish()
    return [*event_summary(events), ("skipped", decoder.skipped_bytes[direction])]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(streams())
def test_every_chunking_of_a_mid_stream_connection_decodes_the_same(case: tuple[Direction, bytes, list[int]]) -> None:
    direction, data, cuts = case
    assert _decoded(direction, _pieces(data, cuts)) == _decoded(direction, [data])


def test_chunking_after_a_gap_changes_nothing() -> None:
    rng = random.Random(8)
    stream = bytes(rng.randrange(256) for _ in range(3000)) + b"".join(
        client_frame(Opcode.BINARY, bytes(rng.randrange(256) for _ in range(rng.randrange(200)))) for _ in range(30)
    )

    def run(size: int) -> list[tuple]:
        decoder = ConnectionDecoder(expect_handshake=False)
        decoder.feed(C, client_frame(Opcode.TEXT, b"before") + client_frame(Opcode.TEXT, b"the gap"))
        decoder.gap(C, 10)
        events = [e for start in range(0, len(stream), size) for e in decoder.feed(C, stream[start : start + size])]
        events += decoder.finish()
        return [(e.offset, e.payload) for e in events if isinstance(e, Frame)]

    whole = run(len(stream))
    assert len(whole) >= 30
    for size in (1, 7, 100, 1460):
        assert run(size) == whole


# -- linear work ----------------------------------------------------------------------------------------

def _garbage(kind: str, size: int) -> bytes:
    rng = random.Random(size)
    if kind == "ff":
        return b"\xff" * size
    if kind == "random":
        return rng.randbytes(size)
    # Every offset a plausible binary frame claiming 65535 bytes: each one makes the search wait.
    return (bytes([0x82, 126, 0xFF, 0xFF]) * (size // 4 + 1))[:size]


def _work_per_byte(kind: str, size: int, chunk: int) -> float:
    """Headers judged per byte while searching all of the garbage; a start found by chance (random
    bytes do chain now and then) is passed over by searching again from the next offset."""
    data = _garbage(kind, size)
    finder = FrameStartFinder(S, 0x40)
    work = 0
    for piece in [*(data[start : start + chunk] for start in range(0, size, chunk)), None]:
        found = finder.feed(piece) if piece is not None else finder.finish()
        while found is not None:
            work += finder.examined
            finder = FrameStartFinder(S, 0x40, offset=found[0] + 1, held=found[1][1:])
            found = finder.feed(b"") if piece is not None else finder.finish()
    return (work + finder.examined) / size


@pytest.mark.parametrize("kind", ["ff", "random", "waiting"])
@pytest.mark.parametrize("chunk", [1, 100, 1460])
def test_resync_work_per_byte_does_not_grow_with_the_buffer(kind: str, chunk: int) -> None:
    # At most two judgements per offset (its header, the header after its frame) and one re-check per
    # call, however much is held: rescanning the held bytes on each call would cost thousands per byte here.
    bound = 2 + 1 / chunk
    for size in (16 * 1024, 512 * 1024 if chunk > 1 else 128 * 1024):
        assert _work_per_byte(kind, size, chunk) <= bound


def test_resync_holds_at_most_one_anchor_frame() -> None:
    finder = FrameStartFinder(S)
    for _ in range(1000):
        finder.feed(_garbage("waiting", 1460))
    assert len(finder._buffer) <= MAX_ANCHOR_FRAME + 2 * 1460


def test_connection_resync_over_garbage_is_linear() -> None:
    decoder = ConnectionDecoder(expect_handshake=False)
    data = _garbage("ff", 64 * 1024)
    for start in range(0, len(data), 100):
        decoder.feed(S, data[start : start + 100])
    finder = decoder._sides[S].finder
    assert finder is not None and finder.examined <= 2 * len(data)
    assert decoder.finish() == [] and decoder.skipped_bytes[S] == len(data)
