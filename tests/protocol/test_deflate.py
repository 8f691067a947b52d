"""RFC 7692: extension header parsing, negotiated parameters, inflation with limits, compression."""

from __future__ import annotations

import random
import zlib

import pytest

from inspector.protocol.deflate import (
    DeflateParameters,
    ExtensionOffer,
    Inflater,
    MessageCompressor,
    negotiate_deflate,
    parse_extensions,
)

# RFC 7692 Section 7.2.3.1: "Hello" compressed in one block.
HELLO = bytes.fromhex("f248cdc9c90700")
# Section 7.2.3.2: the second "Hello" using the first one's LZ77 window.
HELLO_SHARED = bytes.fromhex("f200110000")
# Section 7.2.3.3: a stored (no compression) block.
HELLO_STORED = bytes.fromhex("000500faff48656c6c6f00")
# Section 7.2.3.4: the block has BFINAL set.
HELLO_BFINAL = bytes.fromhex("f348cdc9c90700")


def test_rfc_hello() -> None:
    assert Inflater().inflate([HELLO]).data == b"Hello"


def test_rfc_hello_split_across_frames() -> None:
    # Section 7.2.3.1 also shows the same bytes fragmented: f2 48 c1 | cd c9 c9 07 00 (our split).
    assert Inflater().inflate([HELLO[:3], HELLO[3:]]).data == b"Hello"


def test_rfc_shared_window_needs_context_takeover() -> None:
    inflater = Inflater()
    assert inflater.inflate([HELLO]).data == b"Hello"
    assert inflater.inflate([HELLO_SHARED]).data == b"Hello"


def test_shared_window_fails_without_context_takeover() -> None:
    inflater = Inflater(no_context_takeover=True)
    assert inflater.inflate([HELLO]).data == b"Hello"
    result = inflater.inflate([HELLO_SHARED])
    assert not result.ok
    assert result.error is not None
    assert result.data != b"Hello"


def test_rfc_stored_block() -> None:
    assert Inflater().inflate([HELLO_STORED]).data == b"Hello"


def test_rfc_bfinal_block_then_next_message_keeps_window() -> None:
    inflater = Inflater()
    assert inflater.inflate([HELLO_BFINAL]).data == b"Hello"
    # A new stream starts; the window of the ended one is given back as a preset dictionary.
    assert inflater.inflate([HELLO_SHARED]).data == b"Hello"


def test_garbage_reports_error() -> None:
    result = Inflater().inflate([b"\xff\xff\xff\xff\xff"])
    assert result.error
    assert not result.limit_exceeded


def test_inflater_recovers_after_error() -> None:
    inflater = Inflater()
    assert inflater.inflate([b"\xff\xff\xff"]).error
    assert inflater.inflate([HELLO]).data == b"Hello"


def _bomb(megabytes: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    zero = bytes(1 << 20)
    body = b"".join(compressor.compress(zero) for _ in range(megabytes))
    return (body + compressor.flush(zlib.Z_SYNC_FLUSH))[:-4]


def test_zlib_bomb_stops_at_limit() -> None:
    bomb = _bomb(200)
    assert len(bomb) < 300_000
    limit = 1 << 20
    result = Inflater(limit=limit).inflate([bomb])
    assert result.limit_exceeded
    assert len(result.data) == limit
    assert result.data == bytes(limit)


def test_exactly_the_limit_is_fine() -> None:
    data = b"a" * 1000
    payload = MessageCompressor().compress(data)
    result = Inflater(limit=1000).inflate([payload])
    assert result.ok
    assert result.data == data
    assert Inflater(limit=999).inflate([payload]).limit_exceeded


def test_small_window_bits() -> None:
    compressor = MessageCompressor(window_bits=9)
    inflater = Inflater(window_bits=9)
    for text in (b"abcabcabc" * 50, b"abcabcabc" * 50, bytes(range(256)) * 4):
        assert inflater.inflate([compressor.compress(text)]).data == text


def test_window_bits_out_of_range() -> None:
    with pytest.raises(ValueError):
        Inflater(window_bits=16)
    with pytest.raises(ValueError):
        MessageCompressor(window_bits=7)


@pytest.mark.parametrize("takeover", [True, False])
def test_compressor_round_trip(takeover: bool) -> None:
    compressor = MessageCompressor(no_context_takeover=not takeover)
    inflater = Inflater(no_context_takeover=not takeover)
    messages = [b"Hello", b"Hello", b"", "héllo wörld".encode() * 100, bytes(range(256))]
    payloads = [compressor.compress(m) for m in messages]
    assert payloads[0] == HELLO
    assert (payloads[1] == HELLO_SHARED) is takeover
    assert not any(p.endswith(b"\x00\x00\xff\xff") and len(p) > 4 for p in payloads)
    assert [inflater.inflate([p]).data for p in payloads] == messages


def test_parse_extensions_ordered_several_lines_and_quotes() -> None:
    parsed = parse_extensions(
        [
            'permessage-deflate; client_max_window_bits, permessage-deflate; server_max_window_bits="10"',
            "x-webkit-deflate-frame ;a=b ; c",
        ]
    )
    assert parsed.errors == []
    assert [(o.name, o.params) for o in parsed.offers] == [
        ("permessage-deflate", {"client_max_window_bits": None}),
        ("permessage-deflate", {"server_max_window_bits": "10"}),
        ("x-webkit-deflate-frame", {"a": "b", "c": None}),
    ]


@pytest.mark.parametrize(
    "value",
    [
        "permessage-deflate; =3",
        'permessage-deflate; x="open',
        "permessage-deflate; x=",
        "@@@",
        "permessage-deflate x",
    ],
)
def test_parse_extensions_bad_syntax_is_reported(value: str) -> None:
    parsed = parse_extensions(value + ", good; y=1")
    assert parsed.errors
    if 'x="open' in value:  # an unterminated quote swallows the rest of the line
        assert parsed.offers == []
    else:
        assert parsed.offers == [ExtensionOffer("good", {"y": "1"})]


def test_parse_extensions_recovers_after_error() -> None:
    parsed = parse_extensions("a; =, b; k=v, , c")
    assert [o.name for o in parsed.offers] == ["b", "c"]
    assert len(parsed.errors) == 1


def test_negotiate_defaults() -> None:
    params, problems = negotiate_deflate(ExtensionOffer("permessage-deflate"))
    assert params == DeflateParameters()
    assert params.client_max_window_bits == 15
    assert problems == []


def test_negotiate_from_response() -> None:
    offer = parse_extensions("permessage-deflate; client_max_window_bits").offers
    response = ExtensionOffer(
        "permessage-deflate",
        {"server_no_context_takeover": None, "client_max_window_bits": "10", "server_max_window_bits": "12"},
    )
    params, problems = negotiate_deflate(response, offer)
    assert problems == []
    assert params == DeflateParameters(True, False, 12, 10)


def test_negotiate_problems() -> None:
    response = ExtensionOffer("permessage-deflate", {"client_max_window_bits": "16", "bogus": None})
    params, problems = negotiate_deflate(response, [ExtensionOffer("permessage-deflate")])
    assert params.client_max_window_bits == 15
    assert len(problems) == 3  # bad value, unknown parameter, not offered by the client


def test_window_is_the_last_bytes_produced_whatever_the_message_sizes() -> None:
    rng = random.Random(7)
    inflater = Inflater(window_bits=9)  # a 512-byte window, so a few messages fill it
    produced = b""
    for _ in range(200):
        data = rng.randbytes(rng.choice((0, 1, 30, 200, 511, 512, 513, 2000)))
        inflater._remember(data)
        produced += data
        assert inflater.window == produced[-512:]


def test_inflate_at_and_just_over_the_limit() -> None:
    """Inflater.inflate skips zlib's final flush call unless the last call filled its max_length: a message
    of exactly `limit` bytes is whole; one byte more is cut at the limit. Several frames, or one."""
    data = bytes(range(256)) * 20
    payload = MessageCompressor().compress(data)
    for parts in ([payload], [payload[:3], payload[3:]], [payload[:1], b"", payload[1:]]):
        at = Inflater(limit=len(data)).inflate(parts)
        assert (at.data, at.ok) == (data, True)
        over = Inflater(limit=len(data) - 1).inflate(parts)
        assert (over.data, over.limit_exceeded) == (data[:-1], True)
