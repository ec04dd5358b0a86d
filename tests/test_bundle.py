"""The installer bundle, built for real: skipped unless BSL_BUILD_BUNDLE=1 (it takes minutes and a
second copy of torch; CI stays fast). Builds with packaging/build.sh, then runs the frozen app's
--self-test, --version and a window start-up (offscreen), from the build folder and from the
.tar.gz unpacked into an empty folder, and checks nothing is written next to the executable.
About 5 minutes; pytest's faulthandler prints a stack at 120 s while the build runs (it goes on)."""

from __future__ import annotations

import os
import subprocess
import tarfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    os.environ.get("BSL_BUILD_BUNDLE") != "1", reason="set BSL_BUILD_BUNDLE=1 to build the installer bundle"
)


def _clean_env(home: Path) -> dict[str, str]:
    # No venv, no PYTHONPATH, a fresh home (caches and settings go there, not into the bundle).
    keep = {k: os.environ[k] for k in ("PATH", "LANG", "TMPDIR") if k in os.environ}
    return {**keep, "HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "XDG_CACHE_HOME": str(home / "cache")}


def _files(folder: Path) -> set[str]:
    return {str(p.relative_to(folder)) for p in folder.rglob("*")}


@pytest.fixture(scope="module")
def built() -> Path:
    out = subprocess.run(
        ["bash", "packaging/build.sh"], cwd=ROOT, capture_output=True, text=True, timeout=3600
    )
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-3000:]
    assert "self-test passed" in out.stdout
    tarballs = sorted((ROOT / "build").glob("BatchSizeLab-*-linux-*.tar.gz"))
    assert tarballs, out.stdout[-2000:]
    return tarballs[-1]


def _check_app(app: Path, home: Path) -> None:
    env = _clean_env(home)
    before = _files(app.parent)
    test = subprocess.run(
        [str(app), "--self-test"], cwd=home, env=env, capture_output=True, text=True, timeout=600
    )
    assert test.returncode == 0 and "self-test passed" in test.stdout, test.stdout + test.stderr
    version = subprocess.run(
        [str(app), "--version"], cwd=home, env=env, capture_output=True, text=True, timeout=120
    )
    assert "(installed bundle)" in version.stdout and "torch 2.13.0" in version.stdout, version.stdout
    window = subprocess.run(
        [str(app), "--report-startup", "--lang", "zh"],
        cwd=home,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert window.returncode == 0 and "window shown (zh, " in window.stdout, window.stdout + window.stderr
    assert _files(app.parent) == before  # nothing written next to the executable


def test_the_built_bundle_runs(built: Path, tmp_path: Path) -> None:
    _check_app(ROOT / "build" / "dist" / "BatchSizeLab" / "BatchSizeLab", tmp_path)


def test_the_tarball_unpacked_elsewhere_runs(built: Path, tmp_path: Path) -> None:
    place = tmp_path / "unpacked"
    place.mkdir()
    with tarfile.open(built) as tar:
        tar.extractall(place, filter="tar")
    top = place / "BatchSizeLab"
    assert {"BatchSizeLab", "batch-size-lab.desktop", "batch-size-lab.png", "INSTALL.txt"} <= set(
        os.listdir(top)
    )
    assert "Exec=BatchSizeLab" in (top / "batch-size-lab.desktop").read_text()
    home = tmp_path / "home"
    home.mkdir()
    _check_app(top / "BatchSizeLab", home)
