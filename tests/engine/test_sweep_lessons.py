"""The sweep lessons' sentences, checked against their own runs: choose-batch-size on seeds 0-4
(a student may pick any), memory-vs-batch against its memory line (seed-free: memory depends
on the network and the batch, not on the draw)."""

from __future__ import annotations

import dataclasses
import math
import os

import numpy as np
import pytest

from engine import SweepResult, availability, format_bytes, load_preset, run_session
from engine.instruments.noise_scale import SUBSET
from engine.instruments.sweep import lr_for
from engine.instruments.sweep_result import mean_by_batch
from engine.sweep_settings import TUNE_FACTORS


def lesson(ident: str, **changes: object):
    return dataclasses.replace(load_preset(ident).config, device="cpu", **changes)  # type: ignore[arg-type]


def swept(config) -> SweepResult:
    found = None
    for p in run_session(config):
        found = p.measurements.get("sweep", found)
    assert found is not None and found.finished
    return found


def test_choose_batch_size_is_set_up_as_its_text_says():
    config = lesson("choose-batch-size")
    s = config.sweep
    assert s.batch_sizes == (8, 16, 32, 64, 128, 256, 512, 1024) and s.seeds == 3
    assert config.epochs == 30 and config.n_samples == 1438 and config.dataset == "digits"
    assert s.lr_rule == "tuned" and s.target_accuracy == 0.95
    assert TUNE_FACTORS == (0.25, 0.5, 1.0, 2.0, 4.0)
    assert lr_for(config, 128, "tuned") == pytest.approx(0.05 * math.sqrt(128 / 32))
    assert SUBSET == 1024


@pytest.mark.parametrize("seed", range(5))
def test_choose_batch_size_holds_on_every_seed(seed):
    sweep = swept(lesson("choose-batch-size", seed=seed))
    assert len(sweep.rows) == 24 and all(r.status == "ok" for r in sweep.rows), [
        (r.batch_size, r.status) for r in sweep.rows if r.status != "ok"
    ]
    steps = mean_by_batch(sweep.rows, "steps_to_target")
    epochs = mean_by_batch(sweep.rows, "epochs_to_target")
    # "B = 8 takes at least eight times as many steps as B = 1 024, and B = 1 024 at least four
    # times as many epochs as B = 8."
    assert steps[8] >= 8 * steps[1024], steps
    assert epochs[1024] >= 4 * epochs[8], epochs
    fit = sweep.steps_fit
    assert fit is not None and fit.scale > 0 and fit.b_crit > 0  # the law fits (drawn, B_crit marked)
    start, mid = sweep.noise_start, sweep.noise_midway
    assert start is not None and mid is not None and start.b_simple and mid.b_simple
    assert mid.b_simple > start.b_simple  # "larger midway than at the start"
    assert sweep.midway == (128, 15.0)  # "after 15 epochs at B = 128"
    # B_crit of the same order as B_simple, as the theory expects (the explanation's "guide").
    assert start.b_simple / 3 <= fit.b_crit <= 3 * mid.b_simple
    assert sweep.time_optimal_batch() in sweep.batch_sizes


@pytest.mark.skipif(
    availability("fashion-mnist") == "download", reason="Fashion-MNIST is not on this machine"
)
def test_memory_vs_batch():
    config = lesson("memory-vs-batch")
    sweep = swept(config)
    line = sweep.memory_line
    assert line is not None
    # "about 48 kB more per image, on top of about 0.5 MB"; "weights and gradients about 0.25 MB each"
    assert round(line.per_sample / 1e3) == 48
    assert round(line.fixed / 1e6, 1) == 0.5
    costs = {c.batch_size: c for c in sweep.costs}
    parts = costs[16].memory
    assert parts is not None and round(parts.parameters / 1e6, 2) == round(parts.gradients / 1e6, 2) == 0.25
    # "With a 1 GB budget the largest batch that fits is about 20 000"
    assert sweep.budget_bytes == 1e9
    assert 19_500 <= line.largest_within(sweep.budget_bytes) <= 21_000
    # "B = 30 000 (1.4 GB) and the full batch of 60 000 (2.9 GB) are predicted, marked
    # out_of_memory and not run"
    refused = {r.batch_size: r for r in sweep.rows if r.status == "out_of_memory"}
    assert set(refused) == {30_000, 60_000} and config.n_samples == 60_000
    assert format_bytes(costs[30_000].memory_bytes) == "1.4 GB"
    assert format_bytes(costs[60_000].memory_bytes) == "2.9 GB"
    ran = [c for c in sweep.costs if c.status == "ok"]
    assert [c.batch_size for c in ran] == [16, 64, 256, 1024, 4096, 15_000]
    for c in ran:  # each size run is measured, and it lies on the line
        assert c.memory is not None and c.memory_bytes == pytest.approx(line.predict(c.batch_size))
    # "on a CPU they stop growing long before the batch stops fitting in memory"
    fastest = max(ran, key=lambda c: c.samples_per_s or 0.0)
    assert fastest.batch_size < 15_000


@pytest.mark.parametrize("seed", range(5))
def test_network_landscape_holds_on_every_seed(seed):
    from engine.instruments.landscape import GRID
    from engine.instruments.landscape import SUBSET as LANDSCAPE_SUBSET
    from engine.training.stack import SNAPSHOTS

    config = lesson("network-landscape", seed=seed)
    *_, last = run_session(config)
    land = last.measurements["landscape"]
    results = {r.label: r for r in last.results}
    assert {k: r.iterations for k, r in results.items()} == {"B16": 1800, "B1024": 40}
    assert config.scaled_lr_of(config.runs[0]) == pytest.approx(0.05 * math.sqrt(16 / 32))
    assert round(config.scaled_lr_of(config.runs[1]), 2) == 0.28
    assert GRID == 31 and LANDSCAPE_SUBSET == 1024 and SNAPSHOTS == 200
    assert len(land.paths["B16"]) in (201, 202) and land.loss.shape == (31, 31)
    assert land.explained[0] > 0.9  # "the first holds over 90 % of the movement"
    assert land.end_loss["B16"] < land.end_loss["B1024"]  # "B = 16 ends lower on the plane"
    assert land.rise["B1024"] >= 1.5 * land.rise["B16"] > 0  # "at least one and a half times"
    # Both paths start at the same weights.
    assert np.allclose(land.paths["B16"][0], land.paths["B1024"][0], atol=1e-4)


@pytest.mark.skipif(os.environ.get("BSL_SLOW") != "1", reason="about 7 minutes: make test-all (BSL_SLOW=1)")
@pytest.mark.skipif(availability("fashion-mnist") == "download", reason="no Fashion-MNIST here")
@pytest.mark.parametrize("seed", [0, 2])
def test_lenet_time_to_accuracy(seed):
    config = lesson("lenet-time-to-accuracy", seed=seed)
    assert config.n_samples == 10_000 and config.epochs == 20 and config.sweep.target_accuracy == 0.8
    assert config.sweep.batch_sizes == (8, 16, 32, 64, 128, 256, 512, 1024) and config.sweep.seeds == 2
    sweep = swept(config)
    per_epoch = {c.batch_size: c.seconds_per_epoch for c in sweep.costs}
    epochs = mean_by_batch(sweep.rows, "epochs_to_target")
    accuracy = mean_by_batch(sweep.rows, "val_accuracy")
    # "an epoch at B = 512 takes at most half the time of one at B = 8 (on this machine's CPU)"
    assert per_epoch[512] <= per_epoch[8] / 2
    # "B = 512 needs at least four times as many epochs to reach 80 % as B = 8"
    assert epochs[512] >= 4 * epochs[8]
    # "the least time to the target lies at a small batch, 64 or below (marked on the plot)"
    best = sweep.time_optimal_batch()
    assert best is not None and best <= 64
    # "the final validation accuracy is higher with small batches: the mean of B <= 64 above
    # that of B >= 256"
    small = np.mean([accuracy[b] for b in (8, 16, 32, 64)])
    large = np.mean([accuracy[b] for b in (256, 512, 1024)])
    assert small > large
