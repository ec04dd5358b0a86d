"""Every lesson preset: the computed outcome supports what its explanation says.

Each test runs the preset as shipped (headless, through the public API) and checks the claim
its text makes, with the tolerance written next to it.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import torch

from engine import derive_seed, load_preset, preset_ids
from engine.sampling import epoch_segments
from tests.conftest import collect

LESSONS = {
    "gd-sgd-minibatch",
    "epoch-iteration",
    "gradient-noise",
    "rprop-vs-rmsprop",
    "hinton-rprop-example",
    "bigger-batch-more-epochs",
    "batch-one-is-noisy",
    "sampling-modes",
    "lr-scaling",
    "sgd-escapes-local-minimum",
}


def test_every_lesson_has_texts_in_both_languages() -> None:
    assert set(preset_ids()) >= LESSONS
    for ident in preset_ids():
        preset = load_preset(ident)
        for field in ("title", "explanation"):
            texts = getattr(preset, field)
            assert texts.get("en", "").strip() and texts.get("zh", "").strip(), (ident, field)


def test_gd_sgd_minibatch() -> None:
    """Same samples per epoch; GD 1 step, SGD N steps, mini-batch ⌈N/B⌉; SGD is the noisiest."""
    config = load_preset("gd-sgd-minibatch").config
    got = collect(config)
    results = {r.label: r for r in got.last.results}
    assert {k: r.iterations_per_epoch for k, r in results.items()} == {"GD": 1, "SGD": 1000, "Mini-batch": 32}
    assert len({r.samples_seen for r in results.values()}) == 1  # the same samples, spent differently
    # SGD's path jitters around the minimum: its loss over the last epochs varies far more.
    spread = {}
    for label, history in got.histories.items():
        rows = history.rows()
        late = rows.loss[rows.epoch >= config.epochs - 5]
        spread[label] = np.std(late)
    assert spread["SGD"] > 10 * spread["Mini-batch"]


def test_epoch_iteration() -> None:
    """N = 1000, B = 10: 100 iterations an epoch; after 3 epochs 300 steps and 3000 samples."""
    config = load_preset("epoch-iteration").config
    rows = collect(config).histories["Mini-batch"].rows()
    at = int(np.flatnonzero(rows.epoch == 3)[0])
    assert rows.iteration[at] == 300 and rows.samples_seen[at] == 3000


def test_gradient_noise() -> None:
    """Variance ∝ 1/B, zero at B = N, measured within 4 standard errors of theory."""
    got = collect(load_preset("gradient-noise").config)
    noise = got.last.measurements["gradient_noise"]
    assert noise.agrees()
    assert noise.without_replacement[-1] < 1e-20
    b, v = noise.batch_sizes[:-1], noise.with_replacement[:-1]
    slope = np.polyfit(np.log(b), np.log(v), 1)[0]
    assert abs(slope + 1) < 0.05  # log-log slope −1: the variance falls as 1/B


def test_rprop_vs_rmsprop() -> None:
    """Full-batch Rprop converges in a few dozen steps; B = 1 Rprop crawls; RMSprop settles."""
    got = collect(load_preset("rprop-vs-rmsprop").config)
    minimum = got.setup.minimum
    dist = {label: np.linalg.norm(h.rows().params[-1] - minimum) for label, h in got.histories.items()}
    start = np.linalg.norm(got.setup.start - minimum)
    assert dist["Rprop GD"] < 0.05
    assert dist["Rprop B1"] > 0.8 * start  # after 50 000 steps, still most of the way back
    assert dist["RMSprop B1"] < 0.2
    gd = got.histories["Rprop GD"].rows()
    near = np.flatnonzero(gd.loss < 2 * got.setup.minimum_loss)
    assert near.size and gd.iteration[near[0]] <= 40  # "a few dozen steps"


def test_hinton_rprop_example() -> None:
    """Rprop runs away from 0; SGD, RMSprop and Adam stay near where they began."""
    got = collect(load_preset("hinton-rprop-example").config)
    final = {r.label: r.final_params[0] for r in got.last.results}
    assert abs(final["SGD"]) < 1e-5  # back where it began after every cycle (float32 rounding)
    assert abs(final["RMSprop"]) < 0.5 and abs(final["Adam"]) < 0.5
    assert abs(final["Rprop"]) > 1000
    rprop = got.histories["Rprop"].rows()
    ends = rprop.params[rprop.iteration % 10 == 0, 0]
    assert np.all(np.diff(ends[5:]) < 0)  # further every cycle once its step has grown


def first_reaching(rows, target: float) -> int:
    hit = np.flatnonzero(rows.loss < target)
    assert hit.size, "never reached the target"
    return int(hit[0])


def test_bigger_batch_more_epochs() -> None:
    """Epochs to a target loss grow with B; iterations to it stay about the same."""
    got = collect(load_preset("bigger-batch-more-epochs").config)
    target = 1.05 * got.setup.minimum_loss
    labels = ["B4", "B16", "B64", "B256", "GD"]
    epochs, iterations = [], []
    for label in labels:
        rows = got.histories[label].rows()
        k = first_reaching(rows, target)
        epochs.append(rows.epoch[k])
        iterations.append(rows.iteration[k])
    assert np.all(np.diff(epochs) > 0)  # strictly more epochs
    assert epochs[-1] > 50 * epochs[0]
    assert max(iterations) < 1.5 * min(iterations)  # "much closer together" per step


def test_batch_one_is_noisy() -> None:
    """B = 1 keeps bouncing above the minimum; B = 32 settles much closer."""
    got = collect(load_preset("batch-one-is-noisy").config)
    m = got.setup.minimum_loss
    late = {}
    for label, history in got.histories.items():
        rows = history.rows()
        late[label] = rows.loss[rows.epoch >= 8] - m
    assert np.std(late["SGD"]) > 10 * np.std(late["Mini-batch"])
    assert np.mean(late["SGD"]) > 5 * np.mean(late["Mini-batch"])


def test_sampling_modes() -> None:
    """Same steps and samples; every sample once vs ~37% missed per epoch; similar final loss."""
    config = load_preset("sampling-modes").config
    got = collect(config)
    results = {r.label: r for r in got.last.results}
    shuffle, replacement = results["Shuffle"], results["Replacement"]
    assert shuffle.iterations_per_epoch == replacement.iterations_per_epoch == 100
    assert shuffle.samples_seen == replacement.samples_seen == 20 * 1000
    assert abs(shuffle.final_loss - replacement.final_loss) < 0.02 * shuffle.final_loss
    # The coverage the text quotes, from the batches the engine draws.
    g = torch.Generator().manual_seed(0)
    n = config.n_samples
    (shuffled,) = epoch_segments(n, 10, 100, "shuffle", False, g)
    assert len(torch.unique(shuffled)) == n
    missed = [
        n - len(torch.unique(epoch_segments(n, 10, 100, "replacement", False, g)[0])) for _ in range(50)
    ]
    assert abs(np.mean(missed) / n - np.exp(-1)) < 0.01  # 1 − 1/e of samples used, the rest missed


def test_lr_scaling() -> None:
    """Linear scaling keeps per-epoch curves together up to B = 128; B = 512 passes 2/λ and diverges."""
    config = load_preset("lr-scaling").config
    got = collect(config)
    together = ["B4", "B16", "B64", "B128"]
    for epoch in (1, 2, 5, 10):
        at = [np.interp(epoch, got.histories[k].rows().epoch, got.histories[k].rows().loss) for k in together]
        assert max(at) < 1.15 * min(at), (epoch, at)
    results = {r.label: r for r in got.last.results}
    assert results["B512"].diverged and not any(results[k].diverged for k in together)
    # The text's threshold, from the data: the MSE Hessian is 2·E[(x, 1)(x, 1)ᵀ].
    x = got.setup.data["x"]
    hessian = 2 * np.array([[np.mean(x * x), np.mean(x)], [np.mean(x), 1.0]])
    limit = 2 / np.linalg.eigvalsh(hessian).max()
    assert 0.55 < limit < 0.67  # "≈ 0.61"
    lr = {k: config.scaled_lr_of(config.run_by_label(k)) for k in results}
    assert lr["B128"] < limit < lr["B512"]
    # With the same lr for every B, the big batches fall far behind per epoch.
    same = collect(dataclasses.replace(config, lr_scaling="none", runs=config.runs[:4])).histories
    big, small = same["B128"].rows(), same["B4"].rows()
    assert np.interp(2, big.epoch, big.loss) > 10 * np.interp(2, small.epoch, small.loss)


def test_sgd_escapes_local_minimum() -> None:
    """GD settles in the worse minimum (every seed alike); B = 1 reaches the better one; B = 8 stays."""
    config = load_preset("sgd-escapes-local-minimum").config
    got = collect(config)
    basins = got.last.measurements["basins"]
    seeds = config.measure_seeds
    assert basins["GD"].better == 0 and basins["GD"].worse == seeds
    assert basins["SGD"].better >= 0.75 * seeds  # "sooner or later … into the better basin"
    assert basins["Mini-batch"].better <= 0.125 * seeds  # "the runs stay"
    # The surface really has a better and a worse minimum, and the start is in the worse basin.
    from engine.two_lines import TwoLines

    problem = TwoLines(config, torch.device("cpu"), derive_seed(config.seed, "data"))
    better, worse = problem.local_minima()[:2]
    assert problem.full_loss(better) < problem.full_loss(worse) - 0.1
    gd = np.array(next(r for r in got.last.results if r.label == "GD").final_params)
    assert np.linalg.norm(gd - worse) < 0.15 < np.linalg.norm(gd - better)
