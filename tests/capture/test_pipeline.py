"""The pipeline on hand-built captures: reassembly cases, link types, flows, mid-stream, refusals."""

from __future__ import annotations

from inspector.capture.packets import RawPacket
from inspector.capture.pcapfile import read_packets
from inspector.capture.pipeline import CaptureDecoder
from inspector.protocol.frame import Frame
from inspector.session.events import FrameSeen, MessageSeen, NoteSeen, SessionEvent

from . import synth
from .events import connections, of_type

KEY = bytes.fromhex("37fa213d")


def run(packets: list[tuple[int, bytes]]) -> list[SessionEvent]:
    raw = [RawPacket(i + 1, 1000.0 + i, linktype, data, len(data)) for i, (linktype, data) in enumerate(packets)]
    return list(CaptureDecoder().run(raw))


def frames(events: list[SessionEvent]) -> list[tuple[Frame, FrameSeen]]:
    return [(e.frame, e) for e in of_type(events, FrameSeen)]


def opened(flow: synth.Flow, extra_response: str = "") -> list[tuple[int, bytes]]:
    return [*flow.handshake(), *flow.send("client", synth.upgrade_request()),
            *flow.send("server", synth.upgrade_response(extra=extra_response))]


def test_frame_split_at_every_header_byte():
    frame = synth.ws_frame(2, b"x" * 70_000, mask=KEY)  # 14-byte header: 64-bit length and key
    for cut in range(1, 15):
        flow = synth.Flow()
        packets = opened(flow)
        first = len(packets) + 1
        base = flow.sent["client"]
        packets += [flow.segment("client", base, frame[:cut]),
                    flow.segment("client", base + cut, frame[cut : cut + 40_000]),
                    flow.segment("client", base + cut + 40_000, frame[cut + 40_000 :])]
        flow.sent["client"] += len(frame)
        packets += flow.close()
        found = frames(run(packets))
        assert len(found) == 1, cut
        decoded, event = found[0]
        assert decoded.payload == b"x" * 70_000 and decoded.masking_key == KEY
        assert not decoded.violations
        assert event.packets == [first, first + 1, first + 2]
        assert event.time == 1000.0 + first + 1  # the packet that completed it (times: 1000 + index)


def test_many_frames_in_one_segment_share_the_packet():
    flow = synth.Flow()
    stream = b"".join(synth.ws_frame(1, f"m{i}".encode(), mask=KEY) for i in range(300))
    packets = [*opened(flow), *flow.send("client", stream), *flow.close()]
    found = frames(run(packets))
    assert [f.payload for f, _ in found] == [f"m{i}".encode() for i in range(300)]
    assert {tuple(e.packets) for _, e in found} == {(len(opened(synth.Flow())) + 1,)}
    assert [f.index for f, _ in found] == list(range(300))


def test_two_interleaved_connections():
    a, b = synth.Flow(cport=40001), synth.Flow(cport=40002, client="10.0.0.3")
    pa, pb = opened(a), opened(b)
    pa += a.send("client", synth.ws_frame(1, b"from-a", mask=KEY))
    pb += b.send("client", synth.ws_frame(1, b"from-b", mask=KEY))
    pb += b.send("server", synth.ws_frame(1, b"to-b"))
    mixed = [p for pair in zip(pa, pb, strict=False) for p in pair] + pb[len(pa):] + a.close() + b.close()
    events = run(mixed)
    conns = connections(events)
    assert [(c.id, c.client) for c in conns] == [(1, "10.0.0.1:40001"), (2, "10.0.0.3:40002")]
    by_conn = {(e.connection.id, f.payload) for f, e in frames(events)}
    assert by_conn == {(1, b"from-a"), (2, b"from-b"), (2, b"to-b")}


def test_lost_segment_then_later_frames_still_decode():
    flow = synth.Flow()
    packets = opened(flow)
    chunks = [synth.ws_frame(1, f"frame-{i}".encode() * 3, mask=KEY) for i in range(5)]
    segments = [seg for chunk in chunks for seg in flow.send("client", chunk)]
    del segments[1]  # frame-1 never captured
    events = run(packets + segments + flow.close())
    texts = [f.payload for f, _ in frames(events) if not f.truncated]
    assert b"frame-0" * 3 in texts
    assert texts[-3:] == [b"frame-2" * 3, b"frame-3" * 3, b"frame-4" * 3]
    gaps = [e for e in of_type(events, NoteSeen) if e.kind == "gap"]
    assert len(gaps) == 1 and gaps[0].length == len(chunks[1])
    assert events[-1].connection.gaps == 1


def test_retransmission_and_out_of_order_deliver_each_frame_once():
    flow = synth.Flow()
    packets = opened(flow)
    segments = flow.send("server", b"".join(synth.ws_frame(2, bytes([i]) * 50) for i in range(4)), size=60)
    reordered = [segments[0], segments[2], segments[1], segments[1], segments[3], segments[2]]
    found = frames(run(packets + reordered + flow.close()))
    assert [f.payload for f, _ in found] == [bytes([i]) * 50 for i in range(4)]
    assert all(not f.violations for f, _ in found)


def test_conflicting_overlap_is_flagged_first_copy_wins():
    flow = synth.Flow()
    packets = opened(flow)
    frame = synth.ws_frame(1, b"original text!", mask=KEY)
    start = flow.sent["client"]
    packets.append(flow.segment("client", start, frame[:10]))
    packets.append(flow.segment("client", start + 4, b"\xff\xff\xff\xff\xff\xff" + frame[10:]))  # bytes 4-9 differ
    flow.sent["client"] += len(frame)
    events = run(packets + flow.close())
    notes = of_type(events, NoteSeen)
    assert [n.kind for n in notes] == ["overlap-conflict"]
    assert [f.payload for f, _ in frames(events)] == [b"original text!"]
    assert events[-1].connection.conflicts == 1


def test_link_types_ipv6_sll2_null():
    for linktype, client, server in [(synth.SLL2, "10.0.0.1", "10.0.0.2"), (synth.NULL, "::1", "::1"),
                                     (synth.ETHERNET, "2001:db8::1", "2001:db8::2"), (synth.LOOP, "::1", "::1"),
                                     (synth.RAW, "192.0.2.1", "192.0.2.2")]:
        flow = synth.Flow(linktype=linktype, client=client, server=server)
        packets = [*opened(flow), *flow.send("server", synth.ws_frame(1, b"hi")), *flow.close()]
        events = run(packets)
        assert [f.payload for f, _ in frames(events)] == [b"hi"], linktype
        conn = connections(events)[0]
        assert conn.server.endswith(":8080") and (conn.server.startswith("[") == (":" in server))


def test_pcapng_two_interfaces_two_connections(tmp_path):
    a = synth.Flow(linktype=synth.ETHERNET)
    b = synth.Flow(linktype=synth.SLL2, cport=40009)
    packets = [*opened(a), *opened(b), *a.send("client", synth.ws_frame(1, b"eth", mask=KEY)),
               *b.send("client", synth.ws_frame(1, b"sll2", mask=KEY)), *a.close(), *b.close()]
    path = tmp_path / "two.pcapng"
    path.write_bytes(synth.pcapng_bytes(packets, nano_linktypes=(synth.SLL2,)))
    events = list(CaptureDecoder().run(read_packets(path)))
    assert sorted((e.connection.id, f.payload) for f, e in frames(events)) == [(1, b"eth"), (2, b"sll2")]


def test_huge_declared_length_costs_nothing_and_is_truncated():
    flow = synth.Flow()
    header = bytes([0x82, 0xFF]) + (1 << 63).to_bytes(8, "big") + KEY
    packets = [*opened(flow), *flow.send("client", header + b"abc")]  # no FIN: the capture just ends
    found = frames(run(packets))
    assert len(found) == 1
    frame = found[0][0]
    assert frame.truncated and frame.payload_length == 1 << 63 and len(frame.payload) == 3
    assert {"length-msb-set", "truncated-frame"} <= {v.code for v in frame.violations}


def test_refused_handshake_reported_without_frames():
    flow = synth.Flow()
    packets = [*flow.handshake(), *flow.send("client", synth.upgrade_request()),
               *flow.send("server", synth.upgrade_response("403 Forbidden") + b"x" * 5000), *flow.close()]
    events = run(packets)
    conns = connections(events)
    assert len(conns) == 1 and conns[0].handshake.status == 403
    assert frames(events) == []


def test_plain_http_is_not_reported():
    flow = synth.Flow()
    request = b"GET /big HTTP/1.1\r\nHost: x\r\n\r\n"
    body = b"HTTP/1.1 200 OK\r\nContent-Length: 200000\r\n\r\n" + synth.ws_frame(1, b"looks like a frame") * 9000
    assert run([*flow.handshake(), *flow.send("client", request), *flow.send("server", body, 60000),
                *flow.close()]) == []


def test_non_http_with_syn_is_ignored_even_if_bytes_look_like_frames():
    flow = synth.Flow()
    assert run([*flow.handshake(), *flow.send("client", synth.ws_frame(1, b"abc", mask=KEY) * 5)]) == []


def test_midstream_connection_without_handshake():
    flow = synth.Flow(client_isn=77_000, server_isn=99_000)
    server_frames = b"".join(synth.ws_frame(1, f"s{i}".encode()) for i in range(4))
    client_frames = b"".join(synth.ws_frame(1, f"c{i}".encode(), mask=KEY) for i in range(4))
    # The capture starts inside a frame: first the server's tail of an earlier frame.
    packets = [*flow.send("server", b"tail-of-an-earlier-frame" + server_frames), *flow.send("client", client_frames)]
    events = run(packets)
    conns = connections(events)
    assert len(conns) == 1 and conns[0].handshake is None
    assert conns[0].client == "10.0.0.1:40000"  # from the masked frames, not from who spoke first
    payloads = {(str(f.direction), f.payload) for f, _ in frames(events)}
    assert {("client", b"c3"), ("server", b"s3")} <= payloads


def test_client_found_from_request_line_without_syn():
    flow = synth.Flow()
    packets = [*flow.send("client", synth.upgrade_request()), *flow.send("server", synth.upgrade_response()),
               *flow.send("server", synth.ws_frame(1, b"ok"))]
    events = run(packets)
    assert connections(events)[0].handshake.accept_valid is True
    assert [(str(f.direction), f.payload) for f, _ in frames(events)] == [("server", b"ok")]


def test_sequence_numbers_wrapping_mid_frame():
    flow = synth.Flow(client_isn=2**32 - 200, server_isn=2**32 - 5)
    packets = [*opened(flow), *flow.send("server", synth.ws_frame(2, bytes(1000)), size=100),
               *flow.send("client", synth.ws_frame(2, bytes(500), mask=KEY), size=77), *flow.close()]
    found = frames(run(packets))
    assert sorted(len(f.payload) for f, _ in found) == [500, 1000]
    assert all(not f.violations for f, _ in found)


def test_messages_follow_their_last_frame():
    flow = synth.Flow()
    stream = synth.ws_frame(1, b"ab", fin=False, mask=KEY) + synth.ws_frame(0, b"cd", mask=KEY)
    events = run([*opened(flow), *flow.send("client", stream, size=3), *flow.close()])
    kinds = [type(e).__name__ for e in events]
    assert kinds == ["ConnectionOpened", "HandshakeSeen", "FrameSeen", "FrameSeen", "MessageSeen", "ConnectionClosed"]
    message = events[-2]
    assert type(message) is MessageSeen and message.message.data == b"abcd"
    assert message.message.frame_indices == [0, 1] and message.packets == events[-3].packets


def test_ended_connections_are_forgotten():
    decoder = CaptureDecoder()
    flows = [synth.Flow(cport=41000 + i) for i in range(20)]
    number = 0
    for flow in flows:
        packets = [*opened(flow), *flow.send("client", synth.ws_frame(1, b"x", mask=KEY)), *flow.close(),
                   flow.segment("client", flow.sent["client"] + 1, flags=synth.ACK)]  # the last ACK
        for linktype, data in packets:
            number += 1
            decoder.feed(RawPacket(number, float(number), linktype, data, len(data)))
        assert decoder.tracked_flows == 0
    plain = synth.Flow(cport=42000)
    for linktype, data in [*plain.handshake(), *plain.send("client", b"GET / HTTP/1.1\r\nHost: a\r\n\r\n"),
                           *plain.close()]:
        number += 1
        decoder.feed(RawPacket(number, float(number), linktype, data, len(data)))
    assert decoder.tracked_flows == 0


def test_hole_given_up_when_both_sides_have_sent_fin():
    flow = synth.Flow()
    packets = opened(flow)
    segments = [s for i in range(3) for s in flow.send("server", synth.ws_frame(1, f"s{i}".encode() * 10))]
    lost = segments.pop(1)
    assert lost
    decoder = CaptureDecoder()
    events = []
    for number, (linktype, data) in enumerate(packets + segments + flow.close(), start=1):
        events += decoder.feed(RawPacket(number, float(number), linktype, data, len(data)))
    # Before finish(): the gap was declared at the second FIN and the frame after it decoded.
    assert any(e.kind == "gap" for e in of_type(events, NoteSeen))
    assert b"s2" * 10 in [f.payload for f, _ in frames(events)]


def test_packets_of_frames_cut_anywhere_in_both_directions():
    """Frames whole in a packet, several per packet, and spread over packets, in both directions:
    each frame's packets are exactly those holding its bytes, its time that of the last one."""
    import random

    rng = random.Random(7)
    for _ in range(20):
        flow = synth.Flow()
        packets = opened(flow)
        frames_by_side, data_by_side = {}, {}
        segments: dict[str, list[tuple[int, int]]] = {"client": [], "server": []}  # (packet number, end offset)
        for side in ("client", "server"):
            sizes = [rng.choice((1, 3, 20, 125, 300)) for _ in range(30)]
            frames_by_side[side] = [synth.ws_frame(2, bytes(n), mask=KEY if side == "client" else None) for n in sizes]
            data_by_side[side] = b"".join(frames_by_side[side])
        sent = {"client": 0, "server": 0}
        while any(sent[side] < len(data_by_side[side]) for side in sent):
            side = rng.choice([side for side in sent if sent[side] < len(data_by_side[side])])
            cut = min(len(data_by_side[side]), sent[side] + rng.choice((1, 5, 30, 200, 600, 2000)))
            packets.append(flow.segment(side, flow.sent[side], data_by_side[side][sent[side] : cut]))
            flow.sent[side] += cut - sent[side]
            sent[side] = cut
            segments[side].append((len(packets), cut))
        found = frames(run(packets))
        for side in ("client", "server"):
            expected, offset = [], 0
            for frame in frames_by_side[side]:
                start, end = offset, offset + len(frame)
                carriers, low = [], 0
                for number, high in segments[side]:
                    if low < end and high > start:
                        carriers.append(number)
                    low = high
                expected.append(carriers)
                offset = end
            assert [e.packets for f, e in found if f.direction == side] == expected
        for _, event in found:
            assert event.time == 1000.0 + event.packets[-1] - 1
