"""The files shipped with the package: sample captures now, translations later.

They live in the repository's top-level `resources/` folder, which pyproject.toml installs inside the
package as `inspector._resources`. importlib.resources finds them the same way in a wheel, a regular
install, an editable install or a checkout, so nothing here depends on where the sources sit.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Final

PACKAGE: Final = "inspector._resources"
CAPTURES: Final = "captures"
SAMPLE_CAPTURE: Final = "websockets-echo.pcapng"  # what the window opens when no file is named
CAPTURE_SUFFIXES: Final = (".pcap", ".pcapng")
TRANSLATIONS: Final = "translations"  # the window's compiled Qt translations (.qm), one per language


def resource_path(*parts: str) -> Path:
    """A shipped file as a file-system path (pip installs a package as a directory, never zipped)."""
    found = files(PACKAGE).joinpath(*parts)
    if not isinstance(found, Path):
        raise FileNotFoundError(f"{'/'.join(parts)} is not on the file system: {found}")
    return found


def capture_path(name: str) -> Path:
    """A bundled capture, by file name (e.g. "chromium-deflate.pcapng")."""
    return resource_path(CAPTURES, name)


def sample_capture() -> Path:
    return capture_path(SAMPLE_CAPTURE)


def bundled_captures() -> list[Path]:
    """Every bundled capture, sorted by name."""
    return sorted(p for p in resource_path(CAPTURES).iterdir() if p.suffix in CAPTURE_SUFFIXES)


def translations_path() -> Path:
    """Where the window's .qm files live; the folder may not exist while no translation is shipped."""
    return resource_path(TRANSLATIONS)
