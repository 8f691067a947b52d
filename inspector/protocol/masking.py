"""Client-to-server masking, RFC 6455 Section 5.3: octet i of the payload is XORed with key[i % 4].

Two pure-Python strategies, chosen by size (tests/perf/bench_protocol.py measures both):
small payloads go through one big-integer XOR, large ones through four `bytes.translate`
passes over the strided lanes data[0::4] .. data[3::4], one per key byte.
"""

from __future__ import annotations

from typing import Final

from .constants import MASKING_KEY_SIZE

# For each key byte k, a 256-byte table mapping b -> b ^ k.
_XOR_TABLES: Final[tuple[bytes, ...]] = tuple(bytes(b ^ k for b in range(256)) for k in range(256))

# Measured crossover on this project's machines: below it the big-int path wins.
_TRANSLATE_THRESHOLD: Final = 4096


def mask_bigint(data: bytes, key: bytes) -> bytes:
    size = len(data)
    if not size:
        return b""
    stream = key * (size // MASKING_KEY_SIZE + 1)
    mixed = int.from_bytes(data, "little") ^ int.from_bytes(stream[:size], "little")
    return mixed.to_bytes(size, "little")


def mask_translate(data: bytes, key: bytes) -> bytes:
    out = bytearray(data)
    for lane in range(MASKING_KEY_SIZE):
        out[lane::MASKING_KEY_SIZE] = data[lane::MASKING_KEY_SIZE].translate(_XOR_TABLES[key[lane]])
    return bytes(out)


def apply_mask(data: bytes, key: bytes) -> bytes:
    """Mask or unmask `data` with the 4-byte `key` (the operation is its own inverse)."""
    if len(key) != MASKING_KEY_SIZE:
        raise ValueError(f"a masking key is {MASKING_KEY_SIZE} bytes, got {len(key)}")
    if len(data) < _TRANSLATE_THRESHOLD:
        return mask_bigint(data, key)
    return mask_translate(bytes(data), key)
