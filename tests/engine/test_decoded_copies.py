"""Decoded copies of the IDX files (engine.data.decoded): made once, used while the file stays
the same, written whole or not at all, and the images they give are the same numbers as the
IDX files read directly; the conversion to float stops at a stop request."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from engine import data
from engine.control import Interrupted, SessionControl, working
from engine.data import DATASETS, decoded, load_images
from engine.data.decoded import copy_name, idx_array
from engine.data.idx import read_idx, write_idx
from engine.data.store import decoded_dir
from engine.errors import DataError

FASHION = Path("/usr/share/datasets/fashion-mnist")


@pytest.fixture(autouse=True)
def own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets an empty cache (platformdirs follows XDG_CACHE_HOME) and a process that
    has read no IDX set yet."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    data._idx_memo.clear()
    return tmp_path / "cache"


def an_idx_file(
    tmp_path: Path, seed: int = 0, shape: tuple[int, ...] = (50, 4, 3)
) -> tuple[Path, np.ndarray]:
    values = np.random.default_rng(seed).integers(0, 256, size=shape, dtype=np.uint8)
    path = tmp_path / "src" / "train-images-idx3-ubyte.gz"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_idx(path, values)
    return path, values


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_copy_is_made_once_and_used_while_the_file_stays_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, values = an_idx_file(tmp_path)
    folder = tmp_path / "copies"
    first = idx_array(path, "t", (-1, 4, 3), folder)
    np.testing.assert_array_equal(first, values)
    assert listing(folder) == [copy_name(path)]  # one whole copy, no temporary file
    # The second time the IDX file is not read: the copy is memory-mapped, read-only.
    monkeypatch.setattr(decoded, "read_idx", lambda *a: pytest.fail("the IDX file was read again"))
    again = idx_array(path, "t", (50, 4, 3), folder)
    np.testing.assert_array_equal(again, values)
    assert isinstance(again, np.memmap) and not again.flags.writeable
    # Asked for another shape, the copy does not answer: the file is read (and refused).
    monkeypatch.undo()
    with pytest.raises(DataError, match=r"shape \(50, 4, 3\), not \(60, 4, 3\)"):
        idx_array(path, "t", (60, 4, 3), folder)


def test_a_changed_file_is_decoded_again_and_its_old_copy_removed(tmp_path: Path) -> None:
    path, _ = an_idx_file(tmp_path, seed=0)
    folder = tmp_path / "copies"
    idx_array(path, "t", (-1, 4, 3), folder)
    old = copy_name(path)
    _, values = an_idx_file(tmp_path, seed=1)  # the same name and size, new values
    stat = os.stat(path)
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))  # however coarse the clock
    assert copy_name(path) != old
    np.testing.assert_array_equal(idx_array(path, "t", (-1, 4, 3), folder), values)
    assert listing(folder) == [copy_name(path)]


def test_a_cut_copy_is_not_used_but_written_again(tmp_path: Path) -> None:
    path, values = an_idx_file(tmp_path)
    folder = tmp_path / "copies"
    idx_array(path, "t", (-1, 4, 3), folder)
    copy = folder / copy_name(path)
    copy.write_bytes(copy.read_bytes()[:-7])
    np.testing.assert_array_equal(idx_array(path, "t", (-1, 4, 3), folder), values)
    np.testing.assert_array_equal(np.load(copy), values)  # whole again


def test_a_failed_write_leaves_no_file_and_still_gives_the_array(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path, values = an_idx_file(tmp_path, shape=(600, 28, 28))
    folder = tmp_path / "copies"

    def no_room(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(decoded.os, "fsync", no_room)
    np.testing.assert_array_equal(idx_array(path, "t", (-1, 28, 28), folder), values)
    assert listing(folder) == []  # neither a copy nor a temporary file
    # A folder that cannot be made (a file where it should be) is no error either.
    (tmp_path / "blocked").write_text("")
    monkeypatch.undo()
    np.testing.assert_array_equal(idx_array(path, "t", (-1, 28, 28), tmp_path / "blocked" / "x"), values)


def test_an_interrupted_write_leaves_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, _ = an_idx_file(tmp_path)
    folder = tmp_path / "copies"
    monkeypatch.setattr(decoded, "WRITE_CHUNK", 100)  # 600 bytes: six chunks to write
    control = SessionControl()
    original = decoded.checkpoint

    def check(done: float | None = None) -> None:
        control.stop.set()  # asked to stop while the first chunk was written
        original(done)

    monkeypatch.setattr(decoded, "checkpoint", check)
    with pytest.raises(Interrupted), working(control, "data"):
        idx_array(path, "t", (-1, 4, 3), folder)
    assert listing(folder) == []


def test_stale_temporary_files_are_removed_but_not_fresh_ones(tmp_path: Path) -> None:
    path, _ = an_idx_file(tmp_path)
    folder = tmp_path / "copies"
    folder.mkdir()
    stem = copy_name(path).rsplit(".", 2)[0]
    dead, busy = folder / f".{stem}.{'0' * 20}.npy.abc.part", folder / f".{stem}.{'1' * 20}.npy.def.part"
    dead.write_bytes(b"x")
    busy.write_bytes(b"x")
    os.utime(dead, (0, 0))
    idx_array(path, "t", (-1, 4, 3), folder)
    assert listing(folder) == sorted([copy_name(path), busy.name])


@pytest.mark.skipif(not FASHION.is_dir(), reason="Debian's dataset-fashion-mnist is not installed")
def test_fashion_mnist_from_its_copy_is_the_same_numbers_as_from_its_files() -> None:
    info = DATASETS["fashion-mnist"]
    cold = load_images("fashion-mnist", 60_000, seed=0)
    assert len(listing(decoded_dir("fashion-mnist"))) == 4
    # What load_images computed before the copies (and before computing in place and in chunks).
    tx = read_idx(FASHION / info.files["train_images"][0], "f", (60_000, 28, 28)) / np.float32(255)
    vx = read_idx(FASHION / info.files["val_images"][0], "f", (10_000, 28, 28)) / np.float32(255)
    mean, std = float(tx.mean()), float(tx.std())
    np.testing.assert_array_equal(cold.train_x, ((tx - mean) / std).reshape(-1, 1, 28, 28))
    np.testing.assert_array_equal(cold.val_x, ((vx - mean) / std).reshape(-1, 1, 28, 28))
    assert cold.train_x.dtype == np.float32 and cold.train_x.flags.writeable
    # Another process finds the copies (this one forgets what it read).
    data._idx_memo.clear()
    warm = load_images("fashion-mnist", 1000, seed=3)
    ref = read_idx(FASHION / info.files["train_images"][0], "f", (60_000, 28, 28))
    train = np.random.default_rng(3).permutation(60_000)[:1000]
    part = ref[train] / np.float32(255)
    expect = (part - float(part.mean())) / (float(part.std()) or 1.0)
    np.testing.assert_array_equal(warm.train_x, expect.reshape(-1, 1, 28, 28))
    assert warm.key != cold.key


@pytest.mark.skipif(not FASHION.is_dir(), reason="Debian's dataset-fashion-mnist is not installed")
def test_a_stop_ends_the_conversion_between_chunks(monkeypatch: pytest.MonkeyPatch) -> None:
    load_images("fashion-mnist", 10, seed=0)  # decoded and kept: what follows is the conversion
    checks: list[int] = []
    control = SessionControl()
    original = data.checkpoint

    def check(done: float | None = None) -> None:
        checks.append(1)
        if len(checks) == 4:
            control.stop.set()
        original(done)

    monkeypatch.setattr(data, "checkpoint", check)
    with pytest.raises(Interrupted), working(control, "data"):
        load_images("fashion-mnist", 60_000, seed=0)
    assert len(checks) == 4  # it ended at the first check after the stop
    assert data.CHUNK * 28 * 28 * 4 <= 32 << 20  # at most ~32 MB of float32 between checks
