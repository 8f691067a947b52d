"""Make the README's pictures of the window again, each with the window's own `--screenshot` option.

    .venv/bin/python -m tests.tools.readme_screenshots            # every picture
    .venv/bin/python -m tests.tools.readme_screenshots masking    # only the ones named

Each picture is one command line, listed in SHOTS, so the README's pictures show what the code
draws today and anyone can make them again. They land in resources/screenshots/ (kept out of the
wheel). tests/test_readme.py checks that every picture the README shows exists and that every pane
of the window has one.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Final, NamedTuple

ROOT: Final = Path(__file__).resolve().parents[2]
PICTURES: Final = ROOT / "resources" / "screenshots"
CAPTURES: Final = ROOT / "resources" / "captures"
SIZE: Final = "1280x800"


class Shot(NamedTuple):
    name: str  # the PNG's stem under resources/screenshots/
    capture: str  # a bundled capture's file name, or "" for the bundled sample
    options: tuple[str, ...]


SHOTS: Final = (
    Shot("pane-handshake", "chromium-deflate.pcapng", ("--pane", "handshake")),
    Shot("pane-bytes", "websockets-echo.pcapng",
         ("--frame", "0", "--field", "websocket.masking_key", "--pane", "bytes")),
    Shot("pane-masking", "websockets-echo.pcapng",
         ("--frame", "0", "--field", "websocket.masking_key", "--pane", "masking", "--dark")),
    Shot("pane-diagram", "websockets-echo.pcapng",
         ("--frame", "4", "--field", "websocket.payload_length", "--pane", "diagram")),
    Shot("pane-payload", "chromium-deflate.pcapng", ("--pane", "payload")),
    Shot("pane-messages", "websockets-echo.pcapng", ("--frame", "7", "--pane", "messages", "--dark")),
    Shot("pane-compare", "hixie-76.pcapng", ("--pane", "compare")),
    Shot("pane-violations", "websockets-violations.pcapng", ("--frame", "2", "--pane", "violations")),
)


def command(shot: Shot) -> list[str]:
    capture = [str(CAPTURES / shot.capture)] if shot.capture else []
    out = str(PICTURES / f"{shot.name}.png")
    return [sys.executable, "-m", "inspector.ui.app", *capture, "--screenshot", out, "--size", SIZE, *shot.options]


def main(names: list[str]) -> int:
    chosen = [shot for shot in SHOTS if not names or shot.name in names]
    unknown = set(names) - {shot.name for shot in SHOTS}
    if unknown:
        print(f"readme_screenshots: unknown picture(s): {', '.join(sorted(unknown))}", file=sys.stderr)
        return 2
    PICTURES.mkdir(exist_ok=True)
    environment = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    for shot in chosen:
        result = subprocess.run(command(shot), env=environment, cwd=ROOT, capture_output=True, text=True, timeout=300)
        if result.returncode != 0:
            print(f"{shot.name}: {result.stderr.strip()}", file=sys.stderr)
            return 1
        print(PICTURES / f"{shot.name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
