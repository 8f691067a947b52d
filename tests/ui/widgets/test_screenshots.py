from PySide6.QtGui import QImage

from inspector.ui.widgets.demo import SHOT_SIZE, save_screenshots


def _mean_lightness(path: str) -> float:
    image = QImage(path)
    step = 20
    values = [image.pixelColor(x, y).lightnessF() for x in range(0, image.width(), step)
              for y in range(0, image.height(), step)]
    return sum(values) / len(values)


def test_every_widget_renders_in_light_and_dark(qtbot, tmp_path):
    paths = save_screenshots(str(tmp_path))
    assert len(paths) == 2 * 9
    for light in (p for p in paths if p.endswith("-light.png")):
        dark = light.replace("-light.png", "-dark.png")
        image = QImage(light)
        assert (image.width(), image.height()) == SHOT_SIZE
        assert _mean_lightness(dark) < 0.4 < _mean_lightness(light), light
