"""The crafter renders at 1280x800 in the light and the dark palette (the window's `--pane crafter` uses this)."""

from __future__ import annotations

from PySide6.QtGui import QImage

from inspector.ui.crafter.shots import SHOT_SIZE, save_screenshots


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
