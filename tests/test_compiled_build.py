"""The mypyc build of the decoding path (setup.py) and the sources it is built from must agree.

`.ci/setup` installs the package with the build, so these tests fail when compiling silently stopped
working, when the two give different output, or when a stale build would shadow edited sources.

On a checkout that was never compiled (or whose build is stale), the tests that need the build skip
and say why. CI sets INSPECTOR_EXPECT_COMPILED=1, and there the same situation fails instead.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import inspector
from inspector import _compiled, resources

ROOT = Path(__file__).resolve().parents[1]
CAPTURES = resources.bundled_captures()
WHERE_FRAME_COMES_FROM = "import inspector, inspector.protocol.frame as f; print(inspector.BUILD); print(f.__file__)"
EXPECT_COMPILED = os.environ.get("INSPECTOR_EXPECT_COMPILED") == "1"

needs_the_build = pytest.mark.skipif(
    inspector.BUILD != _compiled.COMPILED and not EXPECT_COMPILED,
    reason=f"the compiled build is not in use ({inspector.BUILD}); run bash .ci/setup to build it",
)


def run_python(code_or_args: list[str], *, pure: bool, path: Path | None = None) -> str:
    environment = {key: value for key, value in os.environ.items() if key != _compiled.PURE_PYTHON_VARIABLE}
    if pure:
        environment[_compiled.PURE_PYTHON_VARIABLE] = "1"
    if path is not None:
        environment["PYTHONPATH"] = str(path)
    result = subprocess.run(
        [sys.executable, *code_or_args], capture_output=True, env=environment, cwd=path or ROOT, timeout=120
    )
    assert result.returncode == 0, result.stderr.decode()
    return result.stdout.decode()


@needs_the_build
def test_the_installed_package_runs_the_compiled_decoding_path():
    assert inspector.BUILD == _compiled.COMPILED, f"setup.py's mypyc build is not in use: {inspector.BUILD}"
    builds = _compiled.find_builds()
    assert {"inspector.protocol.frame", "inspector.session.events", "inspector.session.store",
            "inspector.capture.pipeline", "inspector.commands.dump"} <= set(builds)
    from inspector.protocol import frame

    assert frame.__file__.endswith(tuple(importlib.machinery.EXTENSION_SUFFIXES))


def test_inspector_pure_python_runs_the_sources():
    mode, frame_file = run_python(["-c", WHERE_FRAME_COMES_FROM], pure=True).split()[-2:]
    assert frame_file.endswith("frame.py")
    assert "INSPECTOR_PURE_PYTHON=1" in mode


@needs_the_build
@pytest.mark.parametrize("capture", CAPTURES, ids=[c.name for c in CAPTURES])
def test_compiled_and_pure_python_dumps_are_byte_identical(capture: Path):
    command = ["-m", "inspector", "dump", str(capture), "--json"]
    compiled = run_python(command, pure=False)
    assert compiled.count('"type": "frame"') + compiled.count('"type": "message"') > 0  # hixie: messages only
    assert run_python(command, pure=True) == compiled
    listing = [*command[:-1]]  # the readable listing too
    assert run_python(listing, pure=True) == run_python(listing, pure=False)


MESSAGE_OPCODE_TYPES = """
from inspector.protocol.connection import ConnectionDecoder
decoder = ConnectionDecoder(expect_handshake=False)  # picked up mid-message: a partial message first
events = decoder.feed("server", bytes.fromhex("80026c6f" "810548656c6c6f" "810548656c6c6f")) + decoder.finish()
print([(type(e.opcode).__name__, e.opcode) for e in events if type(e).__name__ == "Message"])
"""


def test_message_opcodes_are_plain_ints_in_both_builds():
    compiled = run_python(["-c", MESSAGE_OPCODE_TYPES], pure=False)
    assert compiled == run_python(["-c", MESSAGE_OPCODE_TYPES], pure=True)
    assert compiled.strip() == "[('int', 0), ('int', 1), ('int', 1)]"


@needs_the_build
def test_a_build_whose_source_was_edited_is_not_used(tmp_path: Path):
    copy = tmp_path / "inspector"
    shutil.copytree(ROOT / "inspector", copy)
    fresh = run_python(["-c", WHERE_FRAME_COMES_FROM], pure=False, path=tmp_path).split()
    assert fresh[0] == _compiled.COMPILED
    edited = copy / "protocol" / "masking.py"
    edited.write_text(edited.read_text() + "# an edit\n")  # every module falls back, not only this one
    stale = run_python(["-c", WHERE_FRAME_COMES_FROM], pure=False, path=tmp_path).split("\n")
    assert stale[0] == _compiled.STALE
    assert stale[1].endswith("frame.py")


def test_choose_reports_why_the_sources_run(tmp_path: Path):
    package = tmp_path / "inspector"
    package.mkdir()
    source, extension, manifest = package / "m.py", package / "m.so", package / _compiled.MANIFEST
    source.write_text("X = 1\n")
    extension.write_bytes(b"")
    builds = {"inspector.m": (source, extension)}
    assert _compiled.choose({}, {}, manifest) == _compiled.NOT_BUILT
    assert _compiled.choose(builds, {}, manifest) == _compiled.STALE  # no manifest: nothing to trust
    manifest.write_text(json.dumps({"inspector/m.py": hashlib.sha256(b"X = 1\n").hexdigest()}))
    assert _compiled.choose(builds, {}, manifest) == _compiled.COMPILED
    assert _compiled.choose(builds, {_compiled.PURE_PYTHON_VARIABLE: "1"}, manifest) == _compiled.ASKED_FOR_SOURCES
    source.write_text("X = 2\n")
    assert _compiled.choose(builds, {}, manifest) == _compiled.STALE
