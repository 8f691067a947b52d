"""Interop: a real websockets 17 client and server talk through a recording relay on loopback; the
decoder must find exactly the messages the peers sent and received, with no violations."""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from conftest import RecordingRelay
from hypothesis import given, settings
from hypothesis import strategies as st
from websockets.asyncio.client import connect
from websockets.asyncio.server import ServerConnection, serve

from inspector.protocol.connection import CloseState, ConnectionDecoder
from inspector.protocol.constants import Direction, Opcode
from inspector.protocol.frame import Frame
from inspector.protocol.handshake import Handshake
from inspector.protocol.messages import Message

Payload = str | bytes | list[str] | list[bytes]
RelayFactory = Callable[[str, int], RecordingRelay]


@dataclass
class Session:
    relay: RecordingRelay
    server_received: list[str | bytes] = field(default_factory=list)
    client_received: list[str | bytes] = field(default_factory=list)


async def _talk(make_relay: RelayFactory, compression: str | None, sends: list[Payload], ping: bytes | None) -> Session:
    session: Session | None = None
    received: list[str | bytes] = []

    async def echo(ws: ServerConnection) -> None:
        async for message in ws:
            received.append(message)
            await ws.send(message)

    async with serve(echo, "127.0.0.1", 0, compression=compression, max_size=None) as server:
        port = server.sockets[0].getsockname()[1]
        relay = make_relay("127.0.0.1", port)
        session = Session(relay, received)
        async with connect(f"ws://127.0.0.1:{relay.port}", compression=compression, max_size=None) as ws:
            for item in sends:
                await ws.send(item)
                session.client_received.append(await ws.recv())
            if ping is not None:
                await (await ws.ping(ping))
    relay.wait_closed()
    return session


def _decode(relay: RecordingRelay) -> tuple[ConnectionDecoder, list[Handshake | Frame | Message]]:
    decoder = ConnectionDecoder()
    events: list[Handshake | Frame | Message] = []
    for chunk in relay.chunks:
        events += decoder.feed(Direction(chunk.direction), chunk.data)
    events += decoder.finish()
    return decoder, events


def _joined(item: Payload) -> str | bytes:
    if isinstance(item, list):
        return "".join(item) if isinstance(item[0], str) else b"".join(item)  # type: ignore[arg-type]
    return item


def _value(message: Message) -> str | bytes:
    return message.text if message.opcode == Opcode.TEXT else message.data  # type: ignore[return-value]


def _check(
    compression: str | None, sends: list[Payload], ping: bytes | None, make_relay: RelayFactory
) -> tuple[ConnectionDecoder, list[Handshake | Frame | Message]]:
    session = asyncio.run(_talk(make_relay, compression, sends, ping))
    decoder, events = _decode(session.relay)
    handshake = decoder.handshake
    assert handshake is not None and not handshake.refused and handshake.accept_valid is True
    assert (handshake.deflate is not None) is (compression is not None)
    assert decoder.violations == [] and handshake.violations == []
    frames = [e for e in events if isinstance(e, Frame)]
    messages = [e for e in events if isinstance(e, Message)]
    assert [f.index for f in frames] == list(range(len(frames)))
    assert all(f.violations == () and not f.truncated for f in frames), [f.violations for f in frames]
    assert all(m.violations == () and m.complete for m in messages)
    # The peers are the ground truth: what each side sent is what the other received.
    from_client = [_value(m) for m in messages if m.direction is Direction.CLIENT]
    from_server = [_value(m) for m in messages if m.direction is Direction.SERVER]
    assert from_client == session.server_received == [_joined(s) for s in sends]
    assert from_server == session.client_received
    if compression is not None:
        assert any(m.compressed for m in messages)
    # Clean close: the client closes, the server answers, both with 1000.
    assert decoder.close.state is CloseState.CLOSED
    assert decoder.close.first_closer is Direction.CLIENT
    assert decoder.close.code == {Direction.CLIENT: 1000, Direction.SERVER: 1000}
    assert decoder.ignored_bytes == {Direction.CLIENT: 0, Direction.SERVER: 0}
    return decoder, events


@pytest.mark.parametrize("compression", [None, "deflate"])
def test_text_and_binary(compression: str | None, recording_relay: RelayFactory) -> None:
    sends: list[Payload] = ["Hello", "héllo wörld € " * 50, b"\x00\x01\x02\xff", "", b""]
    _check(compression, sends, None, recording_relay)


@pytest.mark.parametrize("compression", [None, "deflate"])
def test_one_mebibyte_binary(compression: str | None, recording_relay: RelayFactory) -> None:
    blob = os.urandom(1 << 20)
    text = "abc" * 100_000  # compresses well
    _decoder, events = _check(compression, [blob, text], None, recording_relay)
    big = [e for e in events if isinstance(e, Frame) and e.payload_length > 0xFFFF]
    assert big and all(f.length_form == 64 for f in big)


@pytest.mark.parametrize("compression", [None, "deflate"])
def test_fragmented_sends(compression: str | None, recording_relay: RelayFactory) -> None:
    sends: list[Payload] = [["Hel", "lo"], [b"ab", b"cd", b"ef"], ["€"[:1], " done"]]
    _decoder, events = _check(compression, sends, None, recording_relay)
    first = next(e for e in events if isinstance(e, Message) and e.direction is Direction.CLIENT)
    frames = {e.index: e for e in events if isinstance(e, Frame)}
    # websockets ends a fragmented message with an empty FIN continuation; compressed, "nothing" is
    # one byte: an empty stored block minus the 00 00 ff ff tail (RFC 7692 Section 7.2.3.6).
    assert len(first.frame_indices) == 3
    last = frames[first.frame_indices[-1]]
    assert last.opcode == Opcode.CONTINUATION and last.fin
    assert last.payload == (b"" if compression is None else b"\x00")
    assert [frames[i].opcode for i in first.frame_indices[:2]] == [Opcode.TEXT, Opcode.CONTINUATION]
    if compression is not None:
        assert frames[first.frame_indices[0]].rsv1 and first.compressed


@pytest.mark.parametrize("compression", [None, "deflate"])
def test_ping_pong_and_close(compression: str | None, recording_relay: RelayFactory) -> None:
    decoder, events = _check(compression, ["before"], b"are you there?", recording_relay)
    frames = [e for e in events if isinstance(e, Frame)]
    [ping] = [f for f in frames if f.opcode == Opcode.PING]
    [pong] = [f for f in frames if f.opcode == Opcode.PONG]
    assert ping.direction is Direction.CLIENT and ping.payload == b"are you there?"
    assert pong.direction is Direction.SERVER and pong.payload == ping.payload
    assert decoder.pong_for == {pong.index: ping.index}
    closes = [f for f in frames if f.opcode == Opcode.CLOSE]
    assert [c.direction for c in closes] == [Direction.CLIENT, Direction.SERVER]
    assert frames[-1] is closes[-1]


# -- a real recording, re-chunked and cut ---------------------------------------------------------

_RECORDED: list[Session] = []


def _recorded() -> Session:
    """One compressed session, recorded once per test run (hypothesis calls the test many times)."""
    if not _RECORDED:
        relays: list[RecordingRelay] = []

        def make(host: str, port: int) -> RecordingRelay:
            relays.append(RecordingRelay(host, port))
            return relays[-1]

        sends: list[Payload] = ["one", ["fr", "ag"], b"\x00" * 5000, "two € " * 40, os.urandom(70_000)]
        _RECORDED.append(asyncio.run(_talk(make, "deflate", sends, b"p")))
        for relay in relays:
            relay.close()
    return _RECORDED[0]


def _summary(events: list[Handshake | Frame | Message]) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for e in events:
        if isinstance(e, Frame):
            out.append((e.index, e.direction, e.offset, e.opcode, e.payload, [v.code for v in e.violations]))
        elif isinstance(e, Message):
            out.append((e.direction, e.frame_indices, e.data, e.text, e.complete, [v.code for v in e.violations]))
        else:
            out.append((e.status, e.accept_valid))
    return out


@settings(max_examples=40, deadline=None)
@given(st.lists(st.integers(min_value=1, max_value=4096), min_size=1, max_size=30))
def test_real_recording_any_chunking_same_events(sizes: list[int]) -> None:
    session = _recorded()
    whole = _summary(_decode(session.relay)[1])
    decoder = ConnectionDecoder()
    events: list[Handshake | Frame | Message] = []
    turn = 0
    for chunk in session.relay.chunks:
        data = chunk.data
        while data:
            size = sizes[turn % len(sizes)]
            turn += 1
            events += decoder.feed(Direction(chunk.direction), data[:size])
            data = data[size:]
    events += decoder.finish()
    assert _summary(events) == whole


def test_real_recording_without_handshake_resyncs() -> None:
    session = _recorded()
    stream = session.relay.stream("server")
    response_end = stream.index(b"\r\n\r\n") + 4
    # Start 3 bytes into the second server frame (the echo of "one" is the first): mid-frame.
    first = stream[response_end:]
    second_frame_start = 2 + (first[1] & 0x7F)
    cut = response_end + second_frame_start + 3
    decoder = ConnectionDecoder(expect_handshake=False)
    events = decoder.feed(Direction.SERVER, stream[cut:]) + decoder.finish()
    assert [v.code for v in decoder.violations] == ["handshake-missing"]
    messages = [e for e in events if isinstance(e, Message)]
    assert messages, "resync found no frames"
    # Compressed with context takeover: the window before the cut is unknown, so the first messages may
    # not inflate; the last one (random bytes, mostly stored blocks) and the frames must still line up.
    frames = [e for e in events if isinstance(e, Frame)]
    assert frames[-1].opcode == Opcode.CLOSE and frames[-1].close_code == 1000
    # Every server frame that starts after the cut is found, at the same place, with the same payload.
    truth = [e for e in _decode(session.relay)[1] if isinstance(e, Frame) and e.direction is Direction.SERVER]
    expected = [(f.offset - cut, f.opcode, f.payload) for f in truth if f.offset >= cut]
    assert [(f.offset, f.opcode, f.payload) for f in frames] == expected
    assert decoder.skipped_bytes[Direction.SERVER] == expected[0][0]
