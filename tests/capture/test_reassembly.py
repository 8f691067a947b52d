from __future__ import annotations

from inspector.capture.reassembly import CONFLICT, DATA, GAP, StreamReassembler

ACK, PSH, SYN, FIN, RST = 0x10, 0x08, 0x02, 0x01, 0x04


def _data(chunks) -> bytes:
    return b"".join(c.data for c in chunks if c.kind == DATA)


def _start(isn: int = 100) -> StreamReassembler:
    r = StreamReassembler()
    assert r.segment(isn, SYN, b"", 1, 0.0) == []
    return r


def test_in_order_delivery_keeps_packet_numbers():
    r = _start()
    out = r.segment(101, ACK, b"abc", 2, 1.0) + r.segment(104, ACK, b"de", 3, 2.0)
    assert [(c.offset, c.data, c.number, c.time) for c in out] == [(0, b"abc", 2, 1.0), (3, b"de", 3, 2.0)]
    assert r.offset == 5


def test_out_of_order_is_buffered_then_delivered_in_order():
    r = _start()
    assert r.segment(104, ACK, b"def", 3, 0.0) == []
    assert r.buffered == 3
    out = r.segment(101, ACK, b"abc", 4, 0.0)
    assert _data(out) == b"abcdef"
    assert [c.number for c in out] == [4, 3]
    assert r.buffered == 0


def test_retransmission_dropped_and_partial_overlap_delivers_only_the_new_tail():
    r = _start()
    r.segment(101, ACK, b"abcd", 2, 0.0)
    assert r.segment(101, ACK, b"abcd", 3, 0.0) == []  # exact retransmission
    out = r.segment(103, ACK, b"cdEF", 4, 0.0)
    assert [(c.kind, c.offset, c.data) for c in out] == [(DATA, 4, b"EF")]
    assert r.conflicts == 0


def test_conflicting_overlap_first_copy_wins_and_is_flagged():
    r = _start()
    r.segment(101, ACK, b"abcd", 2, 0.0)
    out = r.segment(102, ACK, b"XcdZ", 5, 0.0)
    assert out[0].kind == CONFLICT and out[0].length == 1 and out[0].number == 5
    assert _data(out) == b"Z"
    assert r.conflicts == 1


def test_overlapping_out_of_order_segments():
    r = _start()
    r.segment(105, ACK, b"efgh", 2, 0.0)
    r.segment(103, ACK, b"cdef", 3, 0.0)
    out = r.segment(101, ACK, b"ab", 4, 0.0)
    assert _data(out) == b"abcdefgh"


def test_sequence_wraparound():
    r = _start(2**32 - 3)
    out = r.segment(2**32 - 2, ACK, b"abcd", 2, 0.0)  # crosses 2^32
    out += r.segment(2, ACK, b"ef", 3, 0.0)
    out += r.segment(0, ACK, b"cd", 4, 0.0)  # retransmission after the wrap
    assert _data(out) == b"abcdef"


def test_lost_segment_reported_as_gap_at_flush_then_delivery_continues():
    r = _start()
    r.segment(101, ACK, b"abc", 2, 0.0)
    assert r.segment(110, ACK, b"xyz", 3, 0.0) == []
    out = r.flush(9, 1.0)
    assert [(c.kind, c.offset, c.length) for c in out] == [(GAP, 3, 6), (DATA, 9, 3)]
    assert r.segment(113, ACK, b"!", 4, 0.0)[0].offset == 12
    assert r.gaps == 1


def test_gap_declared_when_out_of_order_bound_exceeded():
    r = StreamReassembler(max_out_of_order=10)
    r.segment(100, SYN, b"", 1, 0.0)
    assert r.segment(111, ACK, b"0123456", 2, 0.0) == []
    out = r.segment(118, ACK, b"789ab", 3, 0.0)
    assert out[0].kind == GAP and out[0].length == 10
    assert _data(out) == b"0123456789ab"


def test_rst_flushes_and_fin_closes():
    r = _start()
    r.segment(105, ACK, b"later", 2, 0.0)
    out = r.segment(101, RST, b"", 3, 0.0)
    assert [c.kind for c in out] == [GAP, DATA]
    assert r.closed
    s = _start()
    s.segment(101, ACK | FIN, b"bye", 2, 0.0)
    assert s.closed
    assert s.segment(104, ACK, b"more", 3, 0.0) == []


def test_midstream_starts_at_first_seen_sequence_number():
    r = StreamReassembler()
    out = r.segment(987654, ACK, b"xy", 5, 0.0)
    assert out[0].offset == 0 and out[0].data == b"xy"
    assert r.segment(987656, ACK, b"z", 6, 0.0)[0].offset == 2


def test_out_of_order_fin_closes_once_hole_fills():
    r = _start()
    r.segment(104, ACK | FIN, b"def", 2, 0.0)
    assert not r.closed
    r.segment(101, ACK, b"abc", 3, 0.0)
    assert r.closed


def test_fin_seen_even_out_of_order():
    r = _start()
    assert not r.fin_seen
    r.segment(110, ACK | FIN, b"z", 2, 0.0)
    assert r.fin_seen and not r.closed


def test_in_order_fast_path_agrees_with_segment():
    """The pipeline tries in_order first and falls back to segment; that must deliver exactly what
    segment alone delivers, through reordering, retransmissions, overlaps, FIN and wraparound."""
    import random

    rng = random.Random(6455)
    for trial in range(200):
        isn = rng.choice((100, 2**32 - 50, rng.randrange(2**32)))
        stream = bytes(rng.randrange(256) for _ in range(400))
        segments = []
        pos = 0
        while pos < len(stream):
            size = rng.choice((0, 1, 5, 17, 40))
            segments.append((pos, size))
            pos += size
        order = list(segments)
        for _ in range(rng.randrange(4)):  # a few swaps, duplicates and overlapping resends
            i, j = rng.randrange(len(order)), rng.randrange(len(order))
            order[i], order[j] = order[j], order[i]
        order += [(rng.randrange(len(stream)), rng.randrange(1, 30)) for _ in range(rng.randrange(3))]
        plain, fast = StreamReassembler(max_out_of_order=64), StreamReassembler(max_out_of_order=64)
        plain_out, fast_out = [], []
        for r in (plain, fast):
            r.segment(isn, SYN, b"", 1, 0.0)
        for number, (offset, size) in enumerate(order, start=2):
            payload = stream[offset : offset + size]
            seq = (isn + 1 + offset) & 0xFFFFFFFF
            flags = ACK | (FIN if trial % 5 == 0 and number == len(order) + 1 else 0)
            plain_out += plain.segment(seq, flags, payload, number, 0.0)
            start = fast.in_order(seq, payload) if not flags & FIN else -1
            if start >= 0:
                if payload:
                    fast_out.append((DATA, start, payload, len(payload), number, 0.0))
            else:
                fast_out += fast.segment(seq, flags, payload, number, 0.0)
        plain_out += plain.flush()
        fast_out += fast.flush()
        assert [tuple(c) for c in fast_out] == [tuple(c) for c in plain_out]
        assert (fast.offset, fast.closed, fast.conflicts, fast.gaps) == (plain.offset, plain.closed, plain.conflicts,
                                                                         plain.gaps)
