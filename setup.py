"""Compiles the capture-decoding path with mypyc; everything else is in pyproject.toml.

These modules run once per packet or frame of a capture. mypyc turns the same typed sources into C
extensions, which makes `inspector dump` faster (tests/perf/bench_dump.py times both builds).
With INSPECTOR_PURE_PYTHON=1 at install time, or where compiling fails, the package installs as plain
Python and behaves the same; `inspector/_compiled.py` also runs the sources whenever a build is stale.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

from setuptools import setup
from setuptools.command.build_ext import build_ext

# Hot modules only: the rest (GUI, CLI plumbing, field trees, the encoder) gains nothing measurable.
COMPILED = [
    "inspector/protocol/constants.py",
    "inspector/protocol/violations.py",
    "inspector/protocol/masking.py",
    "inspector/protocol/frame.py",
    "inspector/protocol/stream.py",
    "inspector/protocol/messages.py",
    "inspector/protocol/deflate.py",
    "inspector/protocol/handshake.py",
    "inspector/protocol/hixie.py",
    "inspector/protocol/resync.py",
    "inspector/protocol/phases.py",
    "inspector/protocol/connection.py",
    "inspector/session/events.py",
    "inspector/session/recorder.py",
    "inspector/session/spill.py",
    "inspector/session/store.py",
    "inspector/capture/packets.py",
    "inspector/capture/pcapfile.py",
    "inspector/capture/layers.py",
    "inspector/capture/reassembly.py",
    "inspector/capture/flows.py",
    "inspector/capture/pipeline.py",
    "inspector/report/output.py",
    "inspector/report/jsonl.py",
    "inspector/report/listing.py",
    "inspector/commands/dump.py",
]
GROUP = "inspector._native"  # one shared library for all of them, kept inside the package
MANIFEST = "_native_sources.json"  # beside that library: what each source hashed to when it was compiled


class OptionalBuildExt(build_ext):
    """A failed compile leaves the pure-Python package, which works the same, only slower."""

    def run(self) -> None:
        try:
            super().run()
        except Exception as error:  # whatever the compiler's complaint, the sources still work
            print(f"warning: not compiled ({error}); installing plain Python", file=sys.stderr)
            return
        if self.extensions:
            library = Path(self.get_ext_fullpath(GROUP + "__mypyc"))
            hashes = {path: hashlib.sha256(Path(path).read_bytes()).hexdigest() for path in COMPILED}
            (library.parent / MANIFEST).write_text(json.dumps(hashes, indent=1) + "\n")


def native_extensions() -> list:
    if os.environ.get("INSPECTOR_PURE_PYTHON") == "1":
        return []
    try:
        from mypyc.build import mypycify
    except ImportError:
        print("warning: mypyc is not installed; installing plain Python", file=sys.stderr)
        return []
    try:
        return mypycify(["--ignore-missing-imports", *COMPILED], opt_level="3", group_name=GROUP)
    except (Exception, SystemExit) as error:  # mypyc exits when the sources do not type-check
        print(f"warning: not compiled ({error}); installing plain Python", file=sys.stderr)
        return []


setup(ext_modules=native_extensions(), cmdclass={"build_ext": OptionalBuildExt})
