"""Whether the mypyc build of the decoding path runs, or its Python sources do.

setup.py compiles the hot modules into extensions that sit beside their sources, and Python imports an
extension before a .py of the same name. After an edit, an editable install would go on running the
old build, which is never what anyone wants. So when any source differs from what was compiled (setup.py
records each one's SHA-256 in a manifest), or when INSPECTOR_PURE_PYTHON=1, every compiled module is
imported from its source instead. It is all or none: compiled modules reach each other's classes
directly, so they cannot be mixed with sources.
"""

from __future__ import annotations

import hashlib
import importlib.machinery
import importlib.util
import json
import os
import sys
from collections.abc import Sequence
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

PACKAGE_DIR = Path(__file__).resolve().parent
PURE_PYTHON_VARIABLE = "INSPECTOR_PURE_PYTHON"
MANIFEST = "_native_sources.json"  # written by setup.py: source path -> SHA-256 when compiled

COMPILED = "compiled"
NOT_BUILT = "sources: not compiled"
ASKED_FOR_SOURCES = f"sources: {PURE_PYTHON_VARIABLE}=1"
STALE = "sources: the compiled build is out of date with its sources"


def find_builds(package_dir: Path = PACKAGE_DIR) -> dict[str, tuple[Path, Path]]:
    """Module name -> (source, extension) for each module built beside its source."""
    suffixes = tuple(importlib.machinery.EXTENSION_SUFFIXES)
    builds: dict[str, tuple[Path, Path]] = {}
    for folder, _dirs, names in os.walk(package_dir):
        for name in names:
            suffix = next((s for s in suffixes if name.endswith(s)), None)
            if suffix is None:
                continue
            extension = Path(folder, name)
            source = extension.with_name(name[: -len(suffix)] + ".py")
            if source.exists():
                relative = source.relative_to(package_dir.parent).with_suffix("")
                builds[".".join(relative.parts)] = (source, extension)
    return builds


def choose(
    builds: dict[str, tuple[Path, Path]], environment: dict[str, str] | os._Environ[str], manifest: Path
) -> str:
    if not builds:
        return NOT_BUILT
    if environment.get(PURE_PYTHON_VARIABLE) == "1":
        return ASKED_FOR_SOURCES
    try:
        compiled_from = {Path(path).parts[1:]: digest for path, digest in json.loads(manifest.read_text()).items()}
    except (OSError, ValueError, AttributeError, IndexError):
        return STALE  # no record of what was compiled: trust only the sources
    package_root = manifest.parent
    for source, _extension in builds.values():
        recorded = compiled_from.get(source.relative_to(package_root).parts)
        if recorded != hashlib.sha256(source.read_bytes()).hexdigest():
            return STALE
    return COMPILED


class SourceFinder:
    """A meta-path finder that loads the listed modules from their .py files."""

    def __init__(self, sources: dict[str, Path]) -> None:
        self.sources = sources

    def find_spec(
        self, name: str, path: Sequence[str] | None = None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        source = self.sources.get(name)
        if source is None:
            return None
        return importlib.util.spec_from_file_location(name, source)


def install() -> str:
    """Decide once, before any compiled module is imported; returns the mode, which MODE keeps."""
    builds = find_builds()
    mode = choose(builds, os.environ, PACKAGE_DIR / MANIFEST)
    if mode not in (COMPILED, NOT_BUILT):
        sys.meta_path.insert(0, SourceFinder({name: source for name, (source, _ext) in builds.items()}))
    return mode


MODE = install()
