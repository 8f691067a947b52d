"""The wheel a user installs carries the package whole: every module and every file of resources/.

The wheel is built with pip from a copy of the sources (as `pip wheel .` builds it, build isolation
included), installed into a fresh virtual environment, and run from there: `inspector dump` on the
sample found through the installed package, and the window opening that sample by itself.

Building in isolation fetches setuptools and mypy from the package index (or pip's cache), as any
user's build does. INSPECTOR_PURE_PYTHON=1 skips the mypyc compile, which tests/test_compiled_build.py
covers. The fresh environment gets its third-party packages (PySide6, scapy) from the environment
running the tests through a .pth file, so nothing is downloaded; it has no access to the sources.
"""

from __future__ import annotations

import os
import shutil
import site
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from inspector import resources

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("inspector", "resources", "pyproject.toml", "setup.py", "README.md")
NOT_SOURCES = shutil.ignore_patterns("__pycache__", "*.so", "*.pyd", "_native_sources.json", "*.egg-info")
BUILD_TIMEOUT = 300  # seconds; the first build on a machine may download setuptools and mypy


def _source_files(folder: str) -> set[str]:
    return {p.relative_to(ROOT / folder).as_posix() for p in (ROOT / folder).rglob("*")
            if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".so", ".pyd", ".pyc")
            and p.name != "_native_sources.json"}


def _clean_environment(**extra: str) -> dict[str, str]:
    skip = {"PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PYTHONSAFEPATH"}
    return {**{k: v for k, v in os.environ.items() if k not in skip}, **extra}


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    source.mkdir()
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=NOT_SOURCES)
        else:
            shutil.copy2(path, source / name)
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--disable-pip-version-check", "-q",
         "-w", str(work / "dist")],
        capture_output=True, text=True, timeout=BUILD_TIMEOUT, env=_clean_environment(INSPECTOR_PURE_PYTHON="1"),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    (built,) = (work / "dist").glob("websocket_inspector-*.whl")
    return built


@pytest.fixture(scope="module")
def fresh_env(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A new virtual environment with the wheel installed, and the test environment's dependencies."""
    venv = tmp_path_factory.mktemp("venv")
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps", "--no-index",
         "--disable-pip-version-check", "-q", str(wheel)],
        capture_output=True, text=True, timeout=BUILD_TIMEOUT, env=_clean_environment(),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                             capture_output=True, text=True, check=True).stdout.strip()
    # Dependencies only: these directories come after the new environment's own on sys.path, and the
    # sources (an editable install's finder lives in a .pth file, which a path line does not run) stay out.
    dependencies = [*site.getsitepackages(), site.getusersitepackages()]
    (Path(purelib) / "borrowed_dependencies.pth").write_text("\n".join(dependencies) + "\n")
    return venv


def run_in(venv: Path, *argv: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    environment = _clean_environment(QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
                                     HOME=str(tmp_path))
    return subprocess.run([str(venv / "bin" / argv[0]), *argv[1:]], capture_output=True, text=True,
                          cwd=tmp_path, env=environment, timeout=120)


def test_the_wheel_holds_every_module_and_every_resource(wheel: Path):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"inspector/{name}" for name in _source_files("inspector")} <= names
    shipped = {name.removeprefix("inspector/_resources/") for name in names if name.startswith("inspector/_resources/")}
    pictures = {name for name in _source_files("resources") if name.startswith("screenshots/")}
    assert pictures, "the README's screenshots are expected under resources/screenshots/"
    assert shipped == _source_files("resources") - pictures  # the README's pictures stay out of the wheel
    assert "inspector/_resources/captures/websockets-echo.pcapng" in names


def test_the_installed_package_finds_its_sample_and_dumps_it(fresh_env: Path, tmp_path: Path):
    where = run_in(fresh_env, "python", "-c",
                   "import inspector, inspector.resources as r; print(inspector.__file__); print(r.sample_capture())",
                   tmp_path=tmp_path)
    assert where.returncode == 0, where.stderr
    package, sample = where.stdout.split()
    assert Path(package).is_relative_to(fresh_env) and Path(sample).is_relative_to(fresh_env)
    assert Path(sample).read_bytes() == resources.sample_capture().read_bytes()

    dumped = run_in(fresh_env, "inspector", "dump", sample, "--json", tmp_path=tmp_path)
    assert dumped.returncode == 0, dumped.stderr
    expected = subprocess.run([sys.executable, "-m", "inspector", "dump", str(resources.sample_capture()), "--json"],
                              capture_output=True, text=True, check=True, cwd=ROOT).stdout
    assert dumped.stdout == expected and dumped.stdout.count('"type": "frame"') == 15


WINDOW = """
import sys
from PySide6.QtWidgets import QApplication
from inspector.ui import app
app.main(["--screenshot", sys.argv[1]])  # no capture named: the window opens the bundled sample
window = next(w for w in QApplication.topLevelWidgets() if type(w).__name__ == "MainWindow")
print(app.SAMPLE_CAPTURE)
print(window.windowTitle())
print(window.frames_model.rowCount())
"""


def test_the_installed_window_opens_the_bundled_sample(fresh_env: Path, tmp_path: Path):
    shot = tmp_path / "shot.png"
    shown = run_in(fresh_env, "python", "-c", WINDOW, str(shot), tmp_path=tmp_path)
    assert shown.returncode == 0, shown.stderr
    sample, title, rows = shown.stdout.strip().splitlines()[-3:]
    assert Path(sample).is_relative_to(fresh_env)
    assert title.startswith(resources.SAMPLE_CAPTURE) and int(rows) == 15
    assert shot.stat().st_size > 0
