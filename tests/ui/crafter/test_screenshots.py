"""The crafter renders at 1280x800 in the light and the dark palette, alone and as the window's scripted
`--pane crafter` and `--pane templates` pictures, with or without a capture named."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QImage

from inspector.ui.crafter.shots import SHOT_SIZE, save_screenshots
from tests.ui.test_window_integration import run_shot


def _mean_lightness(path: str) -> float:
    image = QImage(path)
    values = [image.pixelColor(x, y).lightnessF() for x in range(0, image.width(), 20)
              for y in range(0, image.height(), 20)]
    return sum(values) / len(values)


def test_the_crafter_renders_light_and_dark(qtbot, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    paths = save_screenshots(str(tmp_path), scenes=["crafter", "verdict"])
    assert len(paths) == 4
    for light in paths[::2]:
        dark = light.replace("-light.png", "-dark.png")
        assert (QImage(light).width(), QImage(light).height()) == SHOT_SIZE
        assert _mean_lightness(dark) < 0.4 < _mean_lightness(light), light


VIOLATIONS = Path(__file__).resolve().parents[3] / "resources" / "captures" / "websockets-violations.pcapng"


@pytest.mark.parametrize("capture", [[], [str(VIOLATIONS)]], ids=["sample", "named"])
@pytest.mark.parametrize("pane", ["crafter", "templates"])
def test_the_window_pictures_the_crafter_and_the_catalogue(tmp_path, pane, capture):
    out = tmp_path / f"{pane}.png"
    done = run_shot(tmp_path, *capture, "--screenshot", str(out), "--pane", pane, "--dark")
    assert done.returncode == 0, done.stderr
    image = QImage(str(out))
    assert (image.width(), image.height()) == SHOT_SIZE
    assert _mean_lightness(str(out)) < 0.4


def test_a_scripted_picture_sends_a_captured_frame_to_the_lab_server_and_waits_for_the_verdict(tmp_path):
    before, after = tmp_path / "before.png", tmp_path / "after.png"
    common = [str(VIOLATIONS), "--frame", "2", "--pane", "crafter"]  # frame 2: a text frame with RSV2 set
    assert run_shot(tmp_path, *common, "--screenshot", str(before)).returncode == 0
    done = run_shot(tmp_path, *common, "--send-to-lab", "strict", "--screenshot", str(after))
    assert done.returncode == 0, done.stderr
    # The session table under the editor (y 560-640 at 1280x800) has the frame, the Close 1002 and its answer.
    empty, filled = QImage(str(before)), QImage(str(after))
    changed = sum(empty.pixelColor(x, y) != filled.pixelColor(x, y) for x in range(20, 900, 10)
                  for y in range(565, 640, 5))
    assert changed > 50
    done = run_shot(tmp_path, *common, "--send-to-lab", "nosuch", "--screenshot", str(tmp_path / "x.png"))
    assert done.returncode == 2 and "nosuch" in done.stderr and not (tmp_path / "x.png").exists()
