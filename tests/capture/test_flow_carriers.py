"""Flow.frame (which packets carried a frame) against a brute-force scan of the same spans."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.capture.flows import Flow
from inspector.protocol.constants import Direction
from inspector.protocol.frame import decode_frame
from tests.capture import synth


def brute_force(spans: list[tuple[int, int, float]], start: int, end: int, number: int,
                time: float) -> tuple[list[int], float]:
    """Every span that holds a byte of [start, end), in order, packets deduplicated when repeated in a row."""
    carriers: list[tuple[int, float]] = []
    previous_end = None
    for span_end, packet, span_time in spans:
        span_start = previous_end if previous_end is not None else -1
        previous_end = span_end
        if span_end <= start or span_start >= end:
            continue
        if not carriers or carriers[-1][0] != packet:
            carriers.append((packet, span_time))
        else:
            carriers[-1] = (packet, span_time)
    if not carriers:
        return [number], time
    return [p for p, _ in carriers], carriers[-1][1]


@settings(max_examples=300)
@given(
    sizes=st.lists(st.integers(1, 40), min_size=0, max_size=12),
    numbers=st.lists(st.integers(1, 5), min_size=12, max_size=12),
    skip=st.integers(0, 80),
    payload=st.integers(0, 60),
    client=st.booleans(),
)
def test_flow_frame_equals_a_scan_of_every_span(sizes, numbers, skip, payload, client):
    data = synth.ws_frame(2, bytes(payload), mask=b"abcd" if client else None)
    direction = Direction.CLIENT if client else Direction.SERVER
    frame = decode_frame(data, direction=direction)
    frame.offset = skip
    flow = Flow(((b"\x7f\x00\x00\x01", 1), (b"\x7f\x00\x00\x01", 2)))
    flow.client_side = 0
    spans = flow.spans[0 if client else 1]
    end = 0
    numbers = sorted(numbers)  # packets come in capture order
    for size, number in zip(sizes, numbers, strict=False):
        end += size
        spans.append((end, number, number / 10))
    given_spans = list(spans)
    expected = brute_force(given_spans, skip, skip + frame.wire_length, 99, 9.9)
    assert flow.frame(frame, [99], 9.9) == expected
