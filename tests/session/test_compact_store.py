"""The store keeps numbers and spilled bytes, not the decoder's objects: what it rebuilds on demand must be
what the decoder built (every frame, message, field tree and violation), on every bundled capture and on
hand-made streams with cut headers, truncated frames, fragments around a Ping, bad UTF-8 and deflate."""

from __future__ import annotations

import zlib
from pathlib import Path

import pytest

from inspector.capture.load import decode_packets, load_capture
from inspector.capture.pcapfile import read_packets
from inspector.protocol.fieldtree import Field, frame_fields
from inspector.protocol.frame import Frame
from inspector.protocol.messages import Message
from inspector.session.events import FrameSeen, MessageSeen
from inspector.session.store import SessionStore
from tests.capture import synth

CAPTURES = sorted((Path(__file__).resolve().parents[2] / "resources" / "captures").glob("*.pcap*"))
KEY = bytes.fromhex("37fa213d")


def frame_facts(frame: Frame) -> tuple:
    return (frame.direction, frame.offset, frame.fin, frame.rsv1, frame.rsv2, frame.rsv3, frame.opcode, frame.masked,
            frame.length_form, frame.payload_length, frame.masking_key, frame.header, frame.payload,
            frame.masked_payload, frame.truncated, frame.index, frame.wire_length, frame.close_code,
            frame.close_reason, [v.to_json() for v in frame.violations])


def message_facts(message: Message | None) -> tuple | None:
    if message is None:
        return None
    return (message.direction, message.opcode, list(message.frame_indices), message.compressed, message.data,
            message.text, message.complete, [v.to_json() for v in message.violations])


def tree_lines(root: Field) -> list[tuple]:
    return [(node.name, node.filter_name, node.bit_offset, node.bit_width, node.value, node.display, node.summary,
             node.shown_in, [v.code for v in node.violations])
            for node in root.walk()]


def assert_rebuilt_like_decoded(path: Path) -> int:
    decoded = list(decode_packets(read_packets(path)))
    store = load_capture(path)
    assert len(store.events) == len(decoded)
    messages_of: dict[tuple[int, int], Message] = {}
    for event in decoded:
        if type(event) is MessageSeen:
            for index in event.message.frame_indices:
                messages_of[(event.connection.id, index)] = event.message
    checked = 0
    for position, event in enumerate(decoded):
        rebuilt = store.events[position]
        assert type(rebuilt) is type(event)
        assert (rebuilt.connection.id, rebuilt.direction, rebuilt.packets, rebuilt.time) == (
            event.connection.id, event.direction, event.packets, event.time)
        if type(event) is FrameSeen:
            frame = event.frame
            record = store.frame_record(position)
            assert record is not None and record.position == position
            assert frame_facts(record.frame) == frame_facts(frame)
            message = messages_of.get((event.connection.id, frame.index))
            assert message_facts(record.message) == message_facts(message)
            assert tree_lines(frame_fields(record.frame, message=record.message)) == tree_lines(
                frame_fields(frame, message=message))
            found = store.frame_row(position)
            assert found is not None
            completes = message if message is not None and message.frame_indices[-1] == frame.index else None
            assert message_facts(found[0].completed_message(found[1])) == message_facts(completes)
            checked += 1
        elif type(event) is MessageSeen:
            assert message_facts(rebuilt.message) == message_facts(event.message)
    return checked


@pytest.mark.parametrize("capture", CAPTURES, ids=[c.name for c in CAPTURES])
def test_every_bundled_capture_is_rebuilt_as_decoded(capture: Path) -> None:
    checked = assert_rebuilt_like_decoded(capture)
    assert checked > 0 or capture.name.startswith("hixie")


def deflated(data: bytes) -> bytes:
    squeeze = zlib.compressobj(wbits=-15)
    return (squeeze.compress(data) + squeeze.flush(zlib.Z_SYNC_FLUSH))[:-4]  # RFC 7692 §7.2.1


def hostile_flow(tail: bytes) -> list[tuple[int, bytes]]:
    flow = synth.Flow()
    deflate = "Sec-WebSocket-Extensions: permessage-deflate\r\n"
    packets = [*flow.handshake(), *flow.send("client", synth.upgrade_request(extra=deflate)),
               *flow.send("server", synth.upgrade_response(extra=deflate))]
    client = (synth.ws_frame(1, "héllo".encode(), mask=KEY)
              + synth.ws_frame(1, b"\xff\xfe bad", mask=KEY)  # invalid UTF-8
              + synth.ws_frame(1, b"frag", fin=False, mask=KEY)
              + synth.ws_frame(9, b"ping", mask=KEY)  # a Ping between two fragments
              + synth.ws_frame(0, b"mented", mask=KEY)
              + synth.ws_frame(1, deflated(b"squeezed " * 20), mask=KEY, rsv=4)
              + synth.ws_frame(2, bytes(range(200)), mask=KEY, form=64)  # a needlessly long length form
              + synth.ws_frame(1, b"unmasked from a client"))
    server = (synth.ws_frame(10, b"ping") + synth.ws_frame(2, b"\x00" * 300)
              + synth.ws_frame(9, b"x" * 10, fin=False)  # a fragmented control frame
              + synth.ws_frame(8, b"\x03\xe8bye"))
    packets += flow.send("client", client, size=7) + flow.send("server", server, size=50)
    packets += flow.send("client", tail)
    return packets


@pytest.mark.parametrize("tail", [
    synth.ws_frame(2, b"cut short" * 10, mask=KEY)[:30],  # a frame the capture ends inside
    synth.ws_frame(2, b"x" * 300, mask=KEY)[:3],  # a header cut before its length ends
    synth.ws_frame(8, b"\x03\xe8", mask=KEY),
    bytes.fromhex("82ff") + (2**64 - 1).to_bytes(8, "big") + KEY + b"tiny",  # claims 2^64 - 1 bytes, MSB set
], ids=["truncated-payload", "cut-header", "close", "claims-2^64"])
def test_hostile_streams_are_rebuilt_as_decoded(tmp_path: Path, tail: bytes) -> None:
    path = tmp_path / "hostile.pcapng"
    path.write_bytes(synth.pcapng_bytes(hostile_flow(tail)))
    assert assert_rebuilt_like_decoded(path) >= 12


def test_a_live_session_without_a_file_is_rebuilt_from_its_spill(tmp_path: Path) -> None:
    path = tmp_path / "live.pcapng"
    path.write_bytes(synth.pcapng_bytes(hostile_flow(b"")))
    decoded = list(decode_packets(read_packets(path)))
    store = SessionStore()  # fed event by event, as a live capture feeds the window
    for event in decoded:
        store.extend([event])
    path.unlink()
    frames = [e.frame for e in decoded if type(e) is FrameSeen]
    rebuilt = [store.frame_record(p) for p in store.frame_positions]
    assert [frame_facts(r.frame) for r in rebuilt if r is not None] == [frame_facts(f) for f in frames]
