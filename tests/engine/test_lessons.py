"""Every lesson preset: the computed outcome supports what its explanation says.

Each test runs the preset as shipped (headless, through the public API) and checks the claim
its text makes, with the tolerance written next to it.
"""

from __future__ import annotations

import numpy as np

from engine import load_preset, preset_ids
from tests.conftest import collect

LESSONS = {
    "gd-sgd-minibatch",
    "epoch-iteration",
    "gradient-noise",
    "rprop-vs-rmsprop",
    "hinton-rprop-example",
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
    noise = got.setup.measurements["gradient_noise"]
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
