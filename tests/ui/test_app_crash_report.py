"""A native crash in the window leaves a Python stack on stderr (faulthandler, turned on by app.main)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "resources" / "captures" / "websockets-echo.pcapng"

# Runs the real app.main; once the capture is shown, the frames pane crashes the way a bad native call
# would (faulthandler._sigsegv raises SIGSEGV in C, not a Python exception).
CRASHING_APP = """
import faulthandler, sys
from inspector.ui import app
from inspector.ui.panes.frames import FramesPane

assert not faulthandler.is_enabled()

def crash(self):
    faulthandler._sigsegv()

FramesPane._on_frame_changed = crash
sys.exit(app.main([sys.argv[1]]))
"""


def _run_crashing_app() -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONFAULTHANDLER"}
    env["QT_QPA_PLATFORM"] = "offscreen"
    return subprocess.run([sys.executable, "-c", CRASHING_APP, str(SAMPLE)], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=60)


def test_a_native_crash_prints_the_python_stack() -> None:
    result = _run_crashing_app()
    assert result.returncode != 0
    assert "Fatal Python error: Segmentation fault" in result.stderr
    # The stack names the window code that was running, down to app.main.
    assert "in crash" in result.stderr and "select_frame" in result.stderr and "in main" in result.stderr
