"""Classifying a flow: the mid-stream frame probe uses the decoder's resync rule, and neither look at the
held bytes depends on how TCP cut them or re-reads what it has seen."""

from __future__ import annotations

import itertools

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from inspector.capture.flows import (
    MAX_MIDSTREAM_PROBE,
    MAX_RESYNC_SCAN,
    FrameProbe,
    HttpVerdict,
    Probe,
    RequestHead,
    http_verdict,
    probe_frames,
)
from inspector.protocol.constants import RSV1_BIT, Direction
from inspector.protocol.resync import find_frame_start

from . import synth

KEY = bytes.fromhex("37fa213d")


@st.composite
def midstream_bytes(draw: st.DrawFn) -> bytes:
    """Some bytes of a cut-off frame (or garbage), then frames of one side, perhaps cut at the end."""
    masked = draw(st.booleans())
    frames = [synth.ws_frame(draw(st.sampled_from([0, 1, 2, 8, 9, 10])), draw(st.binary(max_size=40)),
                             mask=KEY if masked else None)
              for _ in range(draw(st.integers(0, 4)))]
    data = draw(st.binary(max_size=60)) + b"".join(frames)
    return data[: draw(st.integers(0, len(data)))] if draw(st.booleans()) else data


def _pieces(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({c % (len(data) + 1) for c in cuts} | {0, len(data)})
    return [data[a:b] for a, b in itertools.pairwise(points)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(midstream_bytes())
def test_the_probe_finds_the_start_the_decoder_resyncs_to(data: bytes) -> None:
    probe = FrameProbe()
    verdict = probe.feed(data, final=True)
    starts = {direction: find_frame_start(data, direction, RSV1_BIT) for direction in Direction}
    near = {d: s for d, s in starts.items() if s is not None and s <= MAX_RESYNC_SCAN}
    if not near:
        assert verdict is Probe.NOT_WEBSOCKET
        return
    first = min(near, key=lambda d: near[d])
    assert verdict is (Probe.CLIENT_FRAMES if first is Direction.CLIENT else Probe.SERVER_FRAMES)
    assert probe.start == near[first]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(midstream_bytes(), st.lists(st.integers(0, 400), max_size=12))
def test_the_probe_verdict_does_not_depend_on_segmentation(data: bytes, cuts: list[int]) -> None:
    whole = FrameProbe()
    expected = whole.feed(data, final=True)
    probe = FrameProbe()
    pieces = _pieces(data, cuts) or [b""]
    verdicts = [probe.feed(piece, final=index == len(pieces) - 1) for index, piece in enumerate(pieces)]
    decided = [v for v in verdicts if v is not Probe.WAIT]
    assert decided and decided[0] is expected and probe.start == whole.start


def test_one_frame_alone_waits_for_the_header_after_it_or_the_end() -> None:
    frame = synth.ws_frame(1, b"hello", mask=KEY)
    assert probe_frames(frame) is Probe.WAIT  # a header after it could still break the chain
    assert probe_frames(frame, final=True) is Probe.CLIENT_FRAMES
    assert probe_frames(frame + synth.ws_frame(2, b"x", mask=KEY)) is Probe.CLIENT_FRAMES
    assert probe_frames(synth.ws_frame(1, b"hi") * 2) is Probe.SERVER_FRAMES


def test_bytes_that_hold_no_chain_early_enough_are_not_websocket() -> None:
    text = b"just some text that never looks like a frame header " * 100  # no opcode 0-2/8-A with a sane length
    assert probe_frames(text) is Probe.NOT_WEBSOCKET
    late = bytes(range(32, 127)) * 50  # frames after MAX_RESYNC_SCAN bytes do not count
    assert len(late) > MAX_RESYNC_SCAN
    assert probe_frames(late + synth.ws_frame(1, b"hi") * 3, final=True) is Probe.NOT_WEBSOCKET


def test_the_probe_does_linear_work_and_gives_up_once_no_start_can_be_early_enough() -> None:
    # Every fourth offset starts a plausible 32 KiB frame whose next header is not; the others are no
    # headers at all. Each offset is ruled out once its frame's end has arrived.
    data = bytes.fromhex("827e7fff") * (MAX_MIDSTREAM_PROBE // 4)
    probe = FrameProbe()
    verdicts = [probe.feed(data[start : start + 100]) for start in range(0, len(data), 100)]
    decided = verdicts.index(Probe.NOT_WEBSOCKET)
    assert set(verdicts[:decided]) == {Probe.WAIT} and probe.fed < MAX_MIDSTREAM_PROBE
    assert sum(finder.examined for finder in probe.finders) <= 4 * probe.fed


def test_the_probe_settles_at_its_limit_as_if_the_stream_ended_there() -> None:
    # Offset 0 claims a frame longer than the limit, so the server search waits on it until then.
    data = bytes.fromhex("827effff") + bytes(MAX_MIDSTREAM_PROBE + 1000)
    probe = FrameProbe()
    verdicts = [probe.feed(data[start : start + 1000]) for start in range(0, len(data), 1000)]
    assert verdicts[64] is Probe.WAIT and verdicts[65] is Probe.SERVER_FRAMES  # 65 pieces reach the limit
    assert probe.fed == MAX_MIDSTREAM_PROBE and probe.start == 4  # 00 00 00 00: two empty frames
    one_look = FrameProbe()
    assert one_look.feed(data) is Probe.SERVER_FRAMES and one_look.start == 4


REQUESTS = [synth.upgrade_request(), b"GET /plain HTTP/1.1\r\nHost: x\r\n\r\nbody", b"POST / HTTP/1.0\n\n",
            b"GET" + b"/" * 9000, b"\x16\x03\x01\x02\x00", b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * 200]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(REQUESTS), st.binary(max_size=20), st.lists(st.integers(0, 2000), max_size=20))
def test_the_request_look_remembers_where_it_stopped(request: bytes, tail: bytes, cuts: list[int]) -> None:
    data = request + tail
    head = bytearray()
    looker = RequestHead()
    for piece in _pieces(data, cuts):
        head += piece
        verdict = looker.judge(head)
        assert verdict is http_verdict(head)
        if verdict is not HttpVerdict.NEED_MORE:
            return
        assert looker.searched >= len(head) - 3 or (looker.line_end < 0 and looker.searched == len(head))
