"""A network's start: the prepared images and the passes at the start weights are kept in the
user's cache and give exactly the numbers made afresh; a damaged copy is found by its hash and
made again; the preparation reports one rising bar and ends at once when asked to stop.

Each test has a cache of its own (XDG_CACHE_HOME) and forgets what this process has read or
computed, as a new process would. The IDX set is an MNIST-shaped one written into that cache,
uncompressed (IDX files are read whether gzip'd or not), so no test needs a download.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from engine import ExperimentConfig, Progress, RunSpec, SessionControl, data, run_session
from engine import control as control_module
from engine.control import Interrupted, checkpoint, share, working
from engine.data import DATASETS, load_images, prepared
from engine.data.idx import read_idx, write_idx
from engine.data.store import cache_dir, passes_dir, prepared_dir
from engine.problems import network

END_S = 0.5  # generous against the ~0.1 s target: CI machines are shared and noisy
INFO = DATASETS["mnist"]


@pytest.fixture(scope="module")
def idx_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """MNIST-shaped IDX files (60 000 + 10 000 images of smooth random blobs), written once."""
    folder = tmp_path_factory.mktemp("idx")
    rng = np.random.default_rng(0)
    for role, n in (("train", INFO.train_size), ("val", INFO.val_size)):
        labels = rng.integers(0, 10, size=n, dtype=np.uint8)
        # Class-dependent brightness, so a network has something to learn and loss to report.
        images = (rng.integers(0, 128, size=(n, 28, 28)) + 12 * labels[:, None, None]).astype(np.uint8)
        write_idx(folder / INFO.files[f"{role}_images"][0], images, compress=False)
        write_idx(folder / INFO.files[f"{role}_labels"][0], labels, compress=False)
    return folder


@pytest.fixture(autouse=True)
def new_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, idx_files: Path) -> Path:
    """An empty cache holding the IDX set, and a process that has read and computed nothing."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    shutil.copytree(idx_files, cache_dir("mnist"))
    forget()
    return tmp_path / "cache"


def forget() -> None:
    """What this process remembers of data sets and passes (a new process knows none of it)."""
    data._idx_memo.clear()
    data._digest_memo.clear()
    network._remembered.clear()


def expected(n_train: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The standardised training and validation images, computed from the IDX files directly."""
    folder = cache_dir("mnist")
    tx = read_idx(folder / INFO.files["train_images"][0], "m", (60_000, 28, 28))
    vx = read_idx(folder / INFO.files["val_images"][0], "m", (10_000, 28, 28)) / np.float32(255)
    if n_train < len(tx):
        tx = tx[np.random.default_rng(seed).permutation(len(tx))[:n_train]]
    tx = tx / np.float32(255)
    mean, std = float(tx.mean()), float(tx.std())
    return ((tx - mean) / std).reshape(-1, 1, 28, 28), ((vx - mean) / std).reshape(-1, 1, 28, 28)


def copies() -> list[Path]:
    folder = prepared_dir("mnist")
    return sorted(folder.iterdir()) if folder.exists() else []


def same(a: data.ImageSet, b: data.ImageSet) -> None:
    for name in ("train_x", "train_y", "val_x", "val_y"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype == y.dtype and x.shape == y.shape
        np.testing.assert_array_equal(x, y)
    assert a.key == b.key


# ----- prepared images -----


@pytest.mark.parametrize(("n_train", "seed"), [(60_000, 0), (1000, 3)])
def test_a_prepared_copy_gives_exactly_the_images_prepared_afresh(
    n_train: int, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = load_images("mnist", n_train, seed)
    train, val = expected(n_train, seed)
    np.testing.assert_array_equal(fresh.train_x, train)
    np.testing.assert_array_equal(fresh.val_x, val)
    assert [p.suffix for p in copies()] == [prepared.SUFFIX]  # one whole copy, no temporary file
    # Another process reads the copy: nothing is decoded, the numbers are the same, bit for bit.
    forget()
    monkeypatch.setattr(data, "_idx_arrays", lambda *a: pytest.fail("the images were prepared again"))
    kept = load_images("mnist", n_train, seed)
    same(kept, fresh)
    assert kept.train_x.flags.writeable and kept.train_x.flags.c_contiguous  # as torch takes them


def test_another_n_or_seed_is_another_copy_and_all_n_is_the_same_for_every_seed() -> None:
    load_images("mnist", 1000, 3)
    load_images("mnist", 1000, 4)
    assert len(copies()) == 2
    load_images("mnist", 60_000, 0)
    load_images("mnist", 60_000, 1)  # all N: the files' order whatever the seed
    assert len(copies()) == 3


@pytest.mark.parametrize("damage", ["flipped byte", "cut short", "header"])
def test_a_damaged_copy_is_found_by_its_hash_and_made_again(
    damage: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = load_images("mnist", 1000, 3)
    [copy] = copies()
    raw = bytearray(copy.read_bytes())
    if damage == "flipped byte":
        raw[len(raw) // 2] ^= 0x01  # one float of the images changes a little: only the hash sees it
    elif damage == "cut short":
        raw = raw[: len(raw) - 1000]
    else:
        raw[len(prepared.MAGIC) + 3] ^= 0x20
    copy.write_bytes(bytes(raw))
    forget()
    prepared_again: list[int] = []
    original = data._idx_arrays
    monkeypatch.setattr(data, "_idx_arrays", lambda *a: prepared_again.append(1) or original(*a))
    same(load_images("mnist", 1000, 3), fresh)
    assert prepared_again == [1]
    # The copy was written anew, whole: the next process reads it.
    forget()
    same(load_images("mnist", 1000, 3), fresh)
    assert prepared_again == [1] and len(copies()) == 1


def test_a_changed_source_file_makes_a_new_copy() -> None:
    before = load_images("mnist", 1000, 3)
    path = cache_dir("mnist") / INFO.files["train_images"][0]
    images = read_idx(path, "m", (60_000, 28, 28)).copy()
    images[:, 0, 0] = 255
    write_idx(path, images, compress=False)
    forget()
    after = load_images("mnist", 1000, 3)
    assert after.key != before.key and not np.array_equal(after.train_x, before.train_x)
    train, _ = expected(1000, 3)
    np.testing.assert_array_equal(after.train_x, train)


def test_only_the_newest_copies_are_kept(tmp_path: Path) -> None:
    folder = tmp_path / "kept"
    arrays = {"a": np.arange(5, dtype=np.float32)}
    for i in range(prepared.KEEP + 2):
        path = folder / f"{i}{prepared.SUFFIX}"
        prepared.save(path, str(i), arrays)
        os.utime(path, (1000 + i, 1000 + i))
    assert sorted(p.name for p in folder.iterdir()) == [
        f"{i}{prepared.SUFFIX}" for i in range(2, prepared.KEEP + 2)
    ]
    got = prepared.load(folder / f"3{prepared.SUFFIX}", "3", prepared.layout_of(arrays))
    assert got is not None
    np.testing.assert_array_equal(got["a"], arrays["a"])
    assert prepared.load(folder / f"3{prepared.SUFFIX}", "4", prepared.layout_of(arrays)) is None  # key


def test_an_unwritable_cache_is_no_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(*args: object) -> None:
        raise PermissionError(13, "read-only")

    monkeypatch.setattr(prepared, "save", refused)
    train, _ = expected(1000, 3)
    np.testing.assert_array_equal(load_images("mnist", 1000, 3).train_x, train)


# ----- passes at the start weights -----


def synthetic_config(**changes: object) -> ExperimentConfig:
    base = ExperimentConfig(
        problem="network",
        dataset="synthetic",
        model="mlp",
        n_samples=3000,
        epochs=1,
        lr=0.05,
        device="cpu",
        runs=(RunSpec("B32", 32), RunSpec("B100", 100)),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def first_snapshot(config: ExperimentConfig, control: SessionControl | None = None) -> Progress:
    session = run_session(config, control)
    try:
        return next(session)
    finally:
        session.close()


def start_numbers(progress: Progress) -> list[object]:
    """Each run's first loss and its epoch-0 measures, as the first snapshot has them."""
    return [(r.new_rows.loss.tolist(), r.new_epochs) for r in progress.runs]


def test_the_passes_at_the_start_are_kept_and_give_the_same_numbers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(network, "KEPT_ACTIVATIONS", 0)  # the MLP's passes count as costly here
    made: list[int] = []
    original = network.NetworkClassifier._pass
    monkeypatch.setattr(network.NetworkClassifier, "_pass", lambda *a: made.append(1) or original(*a))
    config = synthetic_config()
    first = first_snapshot(config)
    # The first loss over all N (the epoch-0 train measures too: N < EVAL_TRAIN), the validation.
    assert len(made) == 2
    assert len(list(passes_dir().iterdir())) == 2
    forget()
    again = first_snapshot(config)
    assert len(made) == 2  # another process: none made again
    assert start_numbers(again) == start_numbers(first)
    # A damaged file is no answer: that pass is made again, with the same numbers.
    forget()
    victim = sorted(passes_dir().iterdir())[0]
    kept = json.loads(victim.read_text())
    kept["loss"][0] += 1e-9
    victim.write_text(json.dumps(kept))
    assert start_numbers(first_snapshot(config)) == start_numbers(first)
    assert len(made) == 3
    # Passes at trained weights (the epoch-end measures) are not kept on disk.
    forget()
    session = run_session(config)
    for _ in session:
        pass
    assert len(list(passes_dir().iterdir())) == 2


def test_cheap_passes_are_not_kept() -> None:
    first_snapshot(synthetic_config())
    assert not passes_dir().exists()


# ----- progress and stops -----


def test_shares_map_a_steps_fractions_into_its_part_of_the_bar(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(control_module, "REPORT_INTERVAL_S", 0.0)
    seen: list[float] = []
    control = SessionControl(report=lambda task, done: seen.append(round(done, 6)))
    with working(control, "data", (0.2, 0.6)):
        with share(0.0, 0.5):
            checkpoint(0.5)
        with share(0.5, 1.0), share(0.5, 1.0):
            checkpoint(0.0)
            checkpoint(1.0)
    assert seen == [0.2, 0.3, 0.5, 0.6, 0.6]
    with share(0.0, 0.5):  # outside any task: nothing to report to, no error
        checkpoint(0.3)


def network_config(n_samples: int = 6000, model: str = "lenet") -> ExperimentConfig:
    return ExperimentConfig(
        problem="network",
        dataset="mnist",
        model=model,
        n_samples=n_samples,
        epochs=1,
        lr=0.05,
        device="cpu",
        runs=(RunSpec("B16", 16), RunSpec("B128", 128)),
    )


def data_reports(config: ExperimentConfig) -> list[float]:
    """What the "data" task reported until the first snapshot."""
    reports: list[tuple[str, float]] = []
    first = first_snapshot(config, SessionControl(report=lambda task, done: reports.append((task, done))))
    assert first.setup is not None
    return [done for task, done in reports if task == "data"]


def test_the_preparation_reports_one_rising_bar_that_reaches_1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(control_module, "REPORT_INTERVAL_S", 0.0)  # every step's every report
    config = network_config()
    done = data_reports(config)
    assert done == sorted(done) and done[0] == 0.0 and done[-1] == 1.0
    # It moves inside each step, not only between them: the images, the first loss (a pass over
    # all N), the epoch-0 measures (passes over the training sample and the validation images).
    for lo, hi in ((0.0, 0.15), (0.15, 0.8), (0.8, 1.0)):
        assert any(lo < d < hi for d in done), (lo, hi, done)
    # Another process reads the images and the passes' numbers back: the bar still rises.
    forget()
    done = data_reports(config)
    assert done == sorted(done) and done[0] == 0.0 and done[-1] == 1.0
    assert any(0.0 < d < 0.15 for d in done)  # reading the images


def run_until(config: ExperimentConfig, at_least: float) -> tuple[list[Progress], float]:
    """Run `config`, stop once its "data" task has reported ≥ at_least; (snapshots, seconds)."""
    reached = threading.Event()

    def report(task: str, done: float) -> None:
        if task == "data" and done >= at_least:
            reached.set()

    control = SessionControl(report=report)
    snapshots: list[Progress] = []
    thread = threading.Thread(target=lambda: snapshots.extend(run_session(config, control)))
    thread.start()
    assert reached.wait(120), f"the data never reached {at_least}"
    t0 = time.perf_counter()
    control.stop.set()
    thread.join(30)
    assert not thread.is_alive()
    return snapshots, time.perf_counter() - t0


@pytest.mark.parametrize(
    ("step", "at_least"), [("images", 0.01), ("first loss", 0.2), ("epoch-0 measures", 0.82)]
)
def test_a_stop_during_the_preparation_ends_it_at_once(step: str, at_least: float) -> None:
    snapshots, seconds = run_until(network_config(), at_least)
    assert seconds < END_S, step
    assert snapshots == []  # stopped before the setup was ready
    assert not [p for p in copies() if p.name.startswith(".")]  # no half-written copy left


def test_a_stop_while_a_copy_is_written_leaves_none(monkeypatch: pytest.MonkeyPatch) -> None:
    control = SessionControl()
    original = prepared.checkpoint

    def check(done: float | None = None) -> None:
        control.stop.set()  # asked to stop while the first chunk was written
        original(done)

    monkeypatch.setattr(prepared, "checkpoint", check)
    with pytest.raises(Interrupted), working(control, "data"):
        load_images("mnist", 1000, 3)
    assert copies() == []


def test_the_runs_length_is_known_before_the_preparation() -> None:
    config = synthetic_config()
    expected = [config.total_iterations(r) for r in config.runs]
    assert expected == [94, 30]  # ⌈3000/32⌉ and ⌈3000/100⌉, one epoch
    setup = first_snapshot(config).setup
    assert setup is not None
    assert [r.total_iterations for r in setup.runs] == expected
