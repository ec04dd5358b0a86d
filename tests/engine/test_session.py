"""Sampling arithmetic, seeding, divergence, stop/pause/step, device choice."""

from __future__ import annotations

import threading

import numpy as np
import pytest
import torch

from engine import ConfigError, RunSpec, SessionControl, run_session
from engine.training.sampling import epoch_segments
from tests.helpers import collect, small_config


def epoch_batches(*args: object) -> list[torch.Tensor]:
    """One epoch as a list of 1-D index tensors, one per iteration."""
    return [row for segment in epoch_segments(*args) for row in segment.unbind(0)]  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("n", "b", "drop_last"), [(64, 8, False), (70, 8, False), (70, 8, True), (10, 10, False)]
)
def test_shuffle_partitions_every_sample_once_per_epoch(n, b, drop_last) -> None:
    g = torch.Generator().manual_seed(1)
    expected_batches = n // b if drop_last else -(-n // b)
    batches = epoch_batches(n, b, expected_batches, "shuffle", drop_last, g)
    assert len(batches) == expected_batches
    seen = torch.cat(batches).tolist()
    assert len(seen) == len(set(seen))
    assert len(seen) == (n // b) * b if drop_last else len(seen) == n
    assert all(len(x) == b for x in batches[:-1])


def test_replacement_draws_the_set_number_of_full_batches() -> None:
    g = torch.Generator().manual_seed(1)
    batches = epoch_batches(100, 16, 5, "replacement", False, g)
    assert [len(x) for x in batches] == [16] * 5
    assert all(0 <= int(i) < 100 for x in batches for i in x)


@pytest.mark.parametrize(
    ("sampling", "drop_last", "per_epoch", "ipe"),
    [
        ("shuffle", False, None, 9),
        ("shuffle", True, None, 8),
        ("replacement", False, None, 9),
        ("replacement", False, 4, 4),
    ],
)
def test_session_counts_iterations_and_samples(sampling, drop_last, per_epoch, ipe) -> None:
    config = small_config(
        n_samples=70,
        epochs=3,
        sampling=sampling,
        drop_last=drop_last,
        batches_per_epoch=per_epoch,
        runs=(RunSpec("R", 8),),
    )
    result = collect(config)
    rows = result.histories["R"].rows()
    (r,) = result.last.results
    assert r.iterations_per_epoch == ipe
    assert r.iterations == 3 * ipe and len(rows) == 3 * ipe + 1
    per = 70 if sampling == "shuffle" and not drop_last else ipe * 8
    assert r.samples_seen == 3 * per
    assert rows.samples_seen[-1] == 3 * per
    np.testing.assert_allclose(rows.epoch, np.arange(3 * ipe + 1) / ipe)


def test_runs_share_one_epoch_clock() -> None:
    """After every snapshot, each run has done the same fraction of its epochs (± one step)."""
    config = small_config(
        n_samples=200, epochs=2, runs=(RunSpec("GD", "full"), RunSpec("SGD", 1), RunSpec("M", 20))
    )
    control = SessionControl()
    control.pause.set()
    gen = run_session(config, control)
    next(gen)
    for _ in range(37):  # 37 single ticks of the finest run (SGD, 200 per epoch)
        control.step.set()
        progress = next(gen)
    its = {rp.label: rp.iteration for rp in progress.runs}
    gen.close()
    assert its == {"SGD": 37, "M": 37 * 10 // 200, "GD": 0}


def test_same_seed_same_history_and_other_seed_differs() -> None:
    a = collect(small_config(seed=5)).histories
    b = collect(small_config(seed=5)).histories
    c = collect(small_config(seed=6)).histories
    for label in a:
        np.testing.assert_array_equal(a[label].rows().params, b[label].rows().params)
        np.testing.assert_array_equal(a[label].rows().loss, b[label].rows().loss)
    assert not np.array_equal(a["SGD"].rows().params, c["SGD"].rows().params)


def test_different_seed_gives_different_data(data_of) -> None:
    x5, y5 = data_of(small_config(seed=5))
    x6, _ = data_of(small_config(seed=6))
    x5b, y5b = data_of(small_config(seed=5))
    assert not np.allclose(x5, x6)
    np.testing.assert_array_equal(x5, x5b)
    np.testing.assert_array_equal(y5, y5b)


def test_diverging_run_is_marked_and_stopped_alone() -> None:
    # lr 0.9: full-batch GD contracts (|1 − 2·0.9·λ| < 1 for λ ≈ 1), while single samples with
    # x² > 1 overshoot and SGD blows up.
    config = small_config(
        n_samples=200, epochs=20, lr=0.9, feature_shift=0.0, runs=(RunSpec("GD", "full"), RunSpec("SGD", 1))
    )
    result = collect(config)
    by_label = {r.label: r for r in result.last.results}
    assert by_label["SGD"].diverged and by_label["SGD"].final_loss is None
    assert not by_label["GD"].diverged and by_label["GD"].iterations == 20
    assert by_label["SGD"].iterations < 20 * 200
    for h in result.histories.values():
        rows = h.rows()
        assert np.isfinite(rows.loss).all() and np.isfinite(rows.params).all()
    sgd_rows = result.histories["SGD"].rows()
    assert sgd_rows.iteration[-1] == by_label["SGD"].iterations


def test_stop_event_ends_the_session_early() -> None:
    control = SessionControl()
    config = small_config(n_samples=1000, epochs=50, runs=(RunSpec("SGD", 1),))
    seen = 0
    last = None
    for progress in run_session(config, control):
        seen += 1
        if seen == 3:
            control.stop.set()
        last = progress
    assert last is not None and last.finished and last.stopped
    assert last.results[0].iterations < 50 * 1000


def test_pause_holds_the_session_until_resumed() -> None:
    control = SessionControl()
    control.pause.set()
    gen = run_session(small_config(), control)
    first = next(gen)
    assert first.setup is not None and all(rp.iteration == 0 for rp in first.runs)
    out: list = []
    t = threading.Thread(target=lambda: out.append(next(gen)))
    t.start()
    t.join(0.3)
    assert t.is_alive() and not out  # paused: no snapshot arrives
    control.pause.clear()
    t.join(10)
    assert out and out[0].clock_epochs > 0
    gen.close()


def test_cuda_without_a_gpu_is_a_clear_error() -> None:
    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    with pytest.raises(ConfigError, match="no usable CUDA GPU") as caught:
        next(run_session(small_config(device="cuda")))
    assert caught.value.field == "device"


def test_auto_device_says_which_it_picked() -> None:
    first = next(run_session(small_config(device="auto")))
    expected = "CUDA" if torch.cuda.is_available() else "CPU"
    assert first.setup is not None and first.setup.device.startswith(expected)


def test_pace_limits_ticks_per_second() -> None:
    """At 200 ticks/s, 60 ticks cannot finish in under 0.295 s (full speed takes milliseconds)."""
    import time

    config = small_config(n_samples=60, epochs=1, runs=(RunSpec("SGD", 1),))
    t0 = time.perf_counter()
    collect(config, SessionControl(pace=200.0))
    paced = time.perf_counter() - t0
    assert paced >= 59 / 200
