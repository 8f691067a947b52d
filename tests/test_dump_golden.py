"""`inspector dump` output pinned byte for byte: the sha256 of stdout per capture and output mode.

Every bundled capture and two generated benchmark captures (both packings) are dumped in-process
three ways (JSON, JSON without payloads, the listing) and hashed. A change of output fails here; a
deliberate one updates tests/golden/dump_sha256.json in a commit that says why. A capture with no
recorded hash fails too, so a new sample cannot pass unchecked.

    INSPECTOR_RECORD_GOLDEN=1 pytest tests/test_dump_golden.py   # rewrites the file from today's output
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pytest

from inspector.cli import main
from tests.perf.bench_dump import write_capture

ROOT = Path(__file__).resolve().parents[1]
CAPTURES = sorted((ROOT / "resources" / "captures").glob("*.pcapng"))
GOLDEN = ROOT / "tests" / "golden" / "dump_sha256.json"
MODES = {"json": ["--json"], "json-no-payload": ["--json", "--no-payload"], "listing": []}
BENCH_FRAMES = 20_000
BENCH_CONNECTIONS = 8
BENCH_SEED = 6455
BENCH_PACKINGS = (32, 1)  # frames per write: a busy sender, an interactive one
RECORD = os.environ.get("INSPECTOR_RECORD_GOLDEN") == "1"


@pytest.fixture(scope="module")
def bench_captures(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("golden")
    made = {}
    for packing in BENCH_PACKINGS:
        path = folder / f"bench-{packing}.pcapng"
        write_capture(path, BENCH_FRAMES, BENCH_CONNECTIONS, BENCH_SEED, batch_frames=packing)
        made[path.name] = path
    return made


def recorded() -> dict[str, str]:
    return json.loads(GOLDEN.read_text()) if GOLDEN.exists() else {}


def dump_hash(capsys: pytest.CaptureFixture[str], path: Path, options: list[str]) -> str:
    assert main(["dump", str(path), *options]) == 0
    return hashlib.sha256(capsys.readouterr().out.encode("utf-8")).hexdigest()


def check(capsys: pytest.CaptureFixture[str], name: str, path: Path, mode: str) -> None:
    key = f"{name} {mode}"
    found = dump_hash(capsys, path, MODES[mode])
    if RECORD:
        hashes = recorded()
        hashes[key] = found
        GOLDEN.write_text(json.dumps(dict(sorted(hashes.items())), indent=1) + "\n")
        return
    expected = recorded().get(key)
    assert expected is not None, f"no hash for {key}: record its hash (INSPECTOR_RECORD_GOLDEN=1)"
    assert found == expected, f"dump output of {key} changed"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("capture", CAPTURES, ids=lambda p: p.name)
def test_bundled_capture_output_is_unchanged(capsys, capture: Path, mode: str) -> None:
    check(capsys, capture.name, capture, mode)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("packing", BENCH_PACKINGS)
def test_benchmark_capture_output_is_unchanged(capsys, bench_captures: dict[str, Path], packing: int,
                                               mode: str) -> None:
    name = f"bench-{packing}.pcapng"
    check(capsys, name, bench_captures[name], mode)


def test_bundled_captures_are_there() -> None:
    assert CAPTURES, "no captures in resources/captures"
