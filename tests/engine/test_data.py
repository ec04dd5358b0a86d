"""Datasets: the bundled digits, the IDX reader, and downloads from a real local HTTP server
(good, missing, truncated and corrupt files, offline), which leave nothing half-written."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import numpy as np
import pytest

from engine.control import Interrupted, SessionControl, working
from engine.data import availability, cache_dir, download, load_images
from engine.data.idx import read_idx, write_idx
from engine.errors import DataError
from tests.helpers import MNIST_FILES, serving, small_idx_set

FASHION = Path("/usr/share/datasets/fashion-mnist")


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets an empty cache (platformdirs follows XDG_CACHE_HOME)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return tmp_path / "cache"


def cache_listing(name: str) -> list[str]:
    folder = cache_dir(name)
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# ----- digits -----


def test_digits_are_the_1797_uci_images_split_by_the_seed() -> None:
    a = load_images("digits", 1438, seed=1)
    assert a.train_x.shape == (1438, 1, 8, 8) and a.val_x.shape == (359, 1, 8, 8)
    assert np.bincount(np.concatenate([a.train_y, a.val_y])).tolist() == [
        178, 182, 177, 183, 181, 182, 181, 179, 174, 180,
    ]  # the published class counts of the 1 797 images  # fmt: skip
    assert abs(float(a.train_x.mean())) < 1e-5 and float(a.train_x.std()) == pytest.approx(1.0, rel=1e-5)
    b = load_images("digits", 1438, seed=1)
    np.testing.assert_array_equal(a.val_x, b.val_x)  # the same seed, the same split
    c = load_images("digits", 1438, seed=2)
    assert not np.array_equal(a.val_y, c.val_y)
    # No image is both trained on and validated against.
    train = {x.tobytes() for x in a.train_x}
    assert sum(x.tobytes() in train for x in a.val_x) <= 2  # the UCI set has a few duplicate images
    assert load_images("digits", 100, seed=1).train_x.shape == (100, 1, 8, 8)


# ----- IDX -----


def test_idx_round_trip_and_refusals(tmp_path: Path) -> None:
    values = np.arange(2 * 3 * 4, dtype=np.uint8).reshape(2, 3, 4)
    for compress in (True, False):
        write_idx(tmp_path / "a", values, compress)
        np.testing.assert_array_equal(read_idx(tmp_path / "a", "t", (2, 3, 4)), values)
        np.testing.assert_array_equal(read_idx(tmp_path / "a", "t", (-1, 3, 4)), values)
    with pytest.raises(DataError, match=r"shape \(2, 3, 4\), not \(5, 3, 4\)"):
        read_idx(tmp_path / "a", "t", (5, 3, 4))
    with pytest.raises(DataError, match="not an IDX file of 1-D bytes"):
        read_idx(tmp_path / "a", "t", (24,))
    raw = (tmp_path / "a").read_bytes()
    (tmp_path / "short").write_bytes(raw[:-5])
    with pytest.raises(DataError, match="has 19 values where its header promises 24") as e:
        read_idx(tmp_path / "short", "t", (2, 3, 4))
    assert e.value.reason == "truncated"
    write_idx(tmp_path / "gz", values)
    (tmp_path / "cut.gz").write_bytes((tmp_path / "gz").read_bytes()[:20])
    with pytest.raises(DataError, match="cut short or damaged"):
        read_idx(tmp_path / "cut.gz", "t", (2, 3, 4))
    with pytest.raises(DataError, match="cannot read"):
        read_idx(tmp_path / "none", "t", (2, 3, 4))


@pytest.mark.skipif(not FASHION.is_dir(), reason="Debian's dataset-fashion-mnist is not installed")
def test_fashion_mnist_from_debians_folder_is_found_and_checked() -> None:
    assert availability("fashion-mnist") == "system"
    data = load_images("fashion-mnist", 1000, seed=0)
    assert data.train_x.shape == (1000, 1, 28, 28) and data.val_x.shape == (10_000, 1, 28, 28)
    assert np.bincount(data.val_y).tolist() == [1000] * 10  # the test set is balanced
    assert data.classes[9] == "Ankle boot"


# ----- downloads -----


def test_a_download_from_a_local_server_fills_the_cache(tmp_path: Path) -> None:
    sums = small_idx_set(tmp_path / "srv")
    assert availability("mnist") == "download"
    with pytest.raises(DataError, match="mnist is not on this computer") as e:
        load_images("mnist", 10, 0)
    assert "python main.py download mnist" in str(e.value)
    seen: list[float] = []
    control = SessionControl(report=lambda task, done: seen.append(done))
    with serving(tmp_path / "srv") as url, working(control, "download"):
        folder = download("mnist", base_url=url, checksums=sums)
    assert cache_listing("mnist") == sorted(MNIST_FILES)
    for name in MNIST_FILES:
        assert (folder / name).read_bytes() == (tmp_path / "srv" / name).read_bytes()
    assert availability("mnist") == "cached"
    assert load_images("mnist", 10, 0).val_x.shape == (10_000, 1, 28, 28)
    assert seen[0] == 0.0 and seen[-1] == 1.0 and seen == sorted(seen)
    # A second call finds every file verified and fetches nothing (the server is gone).
    assert download("mnist", base_url="http://127.0.0.1:9/", checksums=sums) == folder


def test_a_leftover_partial_file_is_removed_by_the_next_download(tmp_path: Path) -> None:
    # A window that ends its process while a read blocks (gui/app.py) leaves its .partial.
    import os
    import time

    from engine.data.store import STALE_S

    sums = small_idx_set(tmp_path / "srv")
    folder = cache_dir("mnist")
    folder.mkdir(parents=True)
    old, fresh = folder / ".t10k-labels-idx1-ubyte.gz.abc.partial", folder / ".x.def.partial"
    for partial in (old, fresh):
        partial.write_bytes(b"half a file")
    os.utime(old, (time.time() - STALE_S - 5,) * 2)
    with serving(tmp_path / "srv") as url:
        download("mnist", base_url=url, checksums=sums)
    assert not old.exists() and fresh.exists()  # another download may still be writing that one
    assert cache_listing("mnist") == sorted([*MNIST_FILES, fresh.name])
    # Once the set is whole, `download` fetches nothing; looking for the files still sweeps.
    os.utime(fresh, (time.time() - STALE_S - 5,) * 2)
    assert availability("mnist") == "cached" and cache_listing("mnist") == sorted(MNIST_FILES)


@pytest.mark.parametrize(
    ("fault", "reason", "words"),
    [
        ("missing", "http", "answered 404"),
        ("checksum", "checksum", "does not match its published checksum"),
        ("truncated", "truncated", "stopped early"),
        ("offline", "offline", "cannot reach 127.0.0.1"),
    ],
)
def test_a_failed_download_leaves_nothing_half_written(
    tmp_path: Path, fault: str, reason: str, words: str
) -> None:
    sums = small_idx_set(tmp_path / "srv")
    bad = MNIST_FILES[2]  # the third file fails: two complete, verified files stay
    lie: set[str] = set()
    if fault == "missing":
        (tmp_path / "srv" / bad).unlink()
    elif fault == "checksum":
        sums[bad] = "0" * 32
    elif fault == "truncated":
        lie = {bad}
    with serving(tmp_path / "srv", lie) as url:
        base = "http://127.0.0.1:9/" if fault == "offline" else url  # port 9: nobody listens
        with pytest.raises(DataError, match=words) as e:
            download("mnist", base_url=base, checksums=sums)
    assert e.value.reason == reason and "\n" not in str(e.value)
    kept = [] if fault == "offline" else sorted(MNIST_FILES[:2])
    assert cache_listing("mnist") == kept  # no .partial file, no file of the failed one
    assert availability("mnist") == "download"
    assert load_images("digits", 50, 0).train_x.shape == (50, 1, 8, 8)  # the others still work


def test_a_stopped_download_leaves_nothing_half_written(tmp_path: Path) -> None:
    sums = small_idx_set(tmp_path / "srv")
    control = SessionControl()
    control.report = lambda task, done: control.stop.set() if done > 0.1 else None
    with serving(tmp_path / "srv") as url, pytest.raises(Interrupted), working(control, "download"):
        download("mnist", base_url=url, checksums=sums)
    assert not [n for n in cache_listing("mnist") if n.endswith(".partial")]
    assert availability("mnist") == "download"


@pytest.mark.skipif(not FASHION.is_dir(), reason="Debian's dataset-fashion-mnist is not installed")
def test_the_real_fashion_mnist_files_download_and_load(tmp_path: Path) -> None:
    # Debian recompressed the files, so their MD5s are not the published ones: the test
    # supplies the checksums it computes from the files it serves.
    shutil.copytree(FASHION, tmp_path / "srv")
    sums = {p.name: hashlib.md5(p.read_bytes()).hexdigest() for p in (tmp_path / "srv").iterdir()}
    with serving(tmp_path / "srv") as url:
        download("fashion-mnist", base_url=url, checksums=sums)
    assert availability("fashion-mnist") == "cached"
    data = load_images("fashion-mnist", 60_000, seed=3)
    assert data.train_x.shape == (60_000, 1, 28, 28)
    assert np.bincount(data.train_y).tolist() == [6000] * 10
