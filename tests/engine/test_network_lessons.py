"""The network lessons: every sentence of their explanations, checked against the runs and
against closed forms (parameter counts, initialisation scales) and a plain PyTorch replay.

A student may change the seed (the validation split, the start weights, the batch order), so
the texts give what held on seeds 0-4 and the tests run all five: the digits lessons here, and
LeNet on Fashion-MNIST (minutes a seed) its own seed here and the others with make test-all
(BSL_SLOW=1)."""

from __future__ import annotations

import dataclasses
import math
import os

import numpy as np
import pytest
import torch

from engine import DATASETS, availability, derive_seed, load_preset
from engine.problems import make_problem
from engine.seeds import batch_seed
from tests.helpers import collect, plain_loop, scores

CPU = torch.device("cpu")
SEEDS = range(5)  # the lesson's own seed (0) and four a student may pick
SLOW = pytest.mark.skipif(
    os.environ.get("BSL_SLOW") != "1", reason="LeNet on another seed, minutes: make test-all (BSL_SLOW=1)"
)


def lesson(ident: str, seed: int):
    return dataclasses.replace(load_preset(ident).config, device="cpu", seed=seed)


@pytest.mark.parametrize("seed", SEEDS)
def test_mlp_digits(seed: int) -> None:
    config = lesson("mlp-digits", seed)
    got = collect(config)
    results = {r.label: r for r in got.last.results}
    problem = make_problem(config, CPU, derive_seed(config.seed, "data"))
    # 64 → 128 → 10: 9 610 parameters; a fifth of 1 797 held out: 359, N = 1 438.
    assert problem.n_params == 64 * 128 + 128 + 128 * 10 + 10 == 9610
    assert len(problem.val_y) == 359 == round(1797 / 5) and config.n_samples == 1438 == 1797 - 359
    assert {config.scaled_lr_of(s) for s in config.runs} == {0.05} and config.optimizer == "sgd"
    batch = {"B32": 32, "B64": 64, "Full-batch": 1438}
    assert {k: r.batch_size for k, r in results.items()} == batch
    assert (
        {k: r.iterations_per_epoch for k, r in results.items()}
        == {k: math.ceil(1438 / b) for k, b in batch.items()}
        == {"B32": 45, "B64": 23, "Full-batch": 1}
    )
    assert {k: r.iterations for k, r in results.items()} == {"B32": 900, "B64": 460, "Full-batch": 20}
    assert {r.samples_seen for r in results.values()} == {28_760} and 28_760 == 20 * 1438
    assert len({r.initial_loss for r in results.values()}) == 1  # the same weights at the start
    val = {k: {e["epoch"]: e["val_accuracy"] for e in r.per_epoch} for k, r in results.items()}
    # After 2 epochs: "B = 32 more than 87 %, B = 64 about 85 to 87 % and the full batch less than 20 %".
    after2 = {k: 100 * v[2] for k, v in val.items()}
    assert after2["B32"] > 87 and 85 <= round(after2["B64"]) <= 87 and after2["Full-batch"] < 20, after2
    # After 20: "B = 32 and B = 64 both more than 95 %, the full batch only 70 to 80 %".
    after20 = {k: 100 * v[20] for k, v in val.items()}
    assert after20["B32"] > 95 and after20["B64"] > 95 and 70 <= after20["Full-batch"] <= 80, after20
    # "20 exact steps have not got far": the full batch's loss is still far above the others'.
    assert results["Full-batch"].final_loss > 10 * results["B32"].final_loss
    # A plain nn.Module + torch.optim replay of B32 on its batches gets the same validation score.
    replay = dataclasses.replace(config, runs=(config.run_by_label("B32"),))
    model, problem, _ = plain_loop(replay, "B32", 32)
    _, accuracy = scores(model, problem.val_x, problem.val_y)
    assert abs(accuracy - val["B32"][20]) <= 1 / 359 + 1e-12


@pytest.mark.parametrize("seed", SEEDS)
def test_init_schemes(seed: int) -> None:
    config = lesson("init-schemes", seed)
    got = collect(config)
    results = {r.label: r for r in got.last.results}
    assert {config.init_of(s) for s in config.runs} == {
        "default", "kaiming_uniform", "kaiming_normal", "xavier_uniform", "xavier_normal",
    }  # fmt: skip
    assert len({batch_seed(config, s) for s in config.runs}) == 1  # the same batches, same order
    assert {config.batch_size_of(s) for s in config.runs} == {32} and config.lr == 0.05
    # The scales, in closed form for the first layer (fan_in 64, fan_out 128) ...
    fan_in, fan_out = 64, 128
    assert round(1 / math.sqrt(3 * fan_in), 3) == 0.072
    assert round(math.sqrt(2 / fan_in), 3) == 0.177
    assert round(math.sqrt(2 / (fan_in + fan_out)), 3) == 0.102
    # ... and as drawn: the default within ±1/√fan_in, the others with zero biases.
    problem = make_problem(config, CPU, derive_seed(config.seed, "data"))
    first = {s.label: problem.initial_blocks(None, config.init_of(s)) for s in config.runs}
    assert np.abs(first["default"][0]).max() <= 1 / math.sqrt(fan_in)
    expected = {"default": 0.0722, "kaiming-uniform": 0.1768, "kaiming-normal": 0.1768}
    expected |= {"xavier-uniform": 0.1021, "xavier-normal": 0.1021}
    for label, std in expected.items():
        assert first[label][0].std() == pytest.approx(std, rel=0.03), label
        if label != "default":
            assert not first[label][1].any()
    # Larger weights, larger outputs: both Kaiming schemes start above ln 10 = 2.30.
    assert round(math.log(10), 2) == 2.30
    assert min(results[k].initial_loss for k in ("kaiming-uniform", "kaiming-normal")) > math.log(10)
    # After one epoch: the default's train loss about 1.1 to 1.2, 1.7 to 2.5 times each other's
    # (0.4 to 0.7).
    loss1 = {k: r.per_epoch[1]["train_loss"] for k, r in results.items()}
    default1 = loss1.pop("default")
    assert 1.1 <= round(default1, 1) <= 1.2
    assert 0.4 <= round(min(loss1.values()), 1) and round(max(loss1.values()), 1) <= 0.7
    ratios = [default1 / v for v in loss1.values()]
    assert 1.7 <= round(min(ratios), 1) and round(max(ratios), 1) <= 2.5
    # After 10 epochs all five: between 95 and 97.5 % validation accuracy; the default's train
    # loss still the highest, about 0.12 to 0.13 against 0.08 to 0.11.
    finals = [r.per_epoch[-1]["val_accuracy"] for r in results.values()]
    assert [r.per_epoch[-1]["epoch"] for r in results.values()] == [10] * 5
    assert 0.95 <= min(finals) and max(finals) <= 0.975
    loss10 = {k: r.per_epoch[-1]["train_loss"] for k, r in results.items()}
    default10 = loss10.pop("default")
    assert 0.12 <= round(default10, 2) <= 0.13 and default10 > max(loss10.values())
    assert 0.08 <= round(min(loss10.values()), 2) and round(max(loss10.values()), 2) <= 0.11


@pytest.mark.skipif(
    availability("fashion-mnist") == "download",
    reason="Fashion-MNIST is not on this machine (apt-get install dataset-fashion-mnist, or "
    "python main.py download fashion-mnist)",
)
@pytest.mark.parametrize("seed", [0, *(pytest.param(s, marks=SLOW) for s in SEEDS if s)])
def test_lenet_fashion(seed: int) -> None:
    config = lesson("lenet-fashion", seed)
    got = collect(config)
    results = {r.label: r for r in got.last.results}
    problem = make_problem(config, CPU, derive_seed(config.seed, "data"))
    # Two 5×5 convolutions (1 → 6, 6 → 16), then 400 → 120 → 84 → 10: 61 706 parameters.
    layers = (6 * 25 + 6) + (16 * 6 * 25 + 16) + (400 * 120 + 120) + (120 * 84 + 84) + (84 * 10 + 10)
    assert problem.n_params == layers == 61_706
    assert config.n_samples == DATASETS["fashion-mnist"].train_size == 60_000 and len(problem.val_y) == 10_000
    assert all(config.optimizer_of(s) == ("sgd", {"momentum": 0.9}) for s in config.runs)
    assert {config.scaled_lr_of(s) for s in config.runs} == {0.05} and config.epochs == 2
    assert {k: r.iterations_per_epoch for k, r in results.items()} == {"B16": 3750, "B128": 469, "B1024": 59}
    assert results["B1024"].iterations == 118 and round(3750 / 469) == 8  # "eight times as many"
    # One of B = 16's gradients has about 8 times the variance of one of B = 128's:
    # (N − B)/(N − 1) · tr Σ / B, the same tr Σ.
    n = config.n_samples
    assert 7.9 < (n - 16) / 16 / ((n - 128) / 128) < 8.1  # "about eight times as widely"
    assert round(0.05 / (1 - 0.9), 6) == 0.5  # the effective step with momentum
    val = {k: [e["val_accuracy"] for e in r.per_epoch] for k, r in results.items()}
    assert val["B128"][2] > 0.85
    # Bands, not numbers: near instability B = 16's curve follows every rounding (seeds 0-3,
    # and channels-last against plain convolutions, moved it between 52 and 70 %; with one
    # thread, seeds 0 and 4 fell back to chance, 10 %), and B = 1024's 118 steps ended between
    # 63 and 78 % on seeds 0-4. The text claims what held in every one of those runs.
    train = {k: r.per_epoch[-1]["train_loss"] for k, r in results.items()}
    assert train["B16"] > 2 * train["B128"]  # "more than twice B = 128's"
    assert val["B128"][2] - val["B16"][2] >= 0.15  # "at least 15 percentage points fewer"
    assert val["B1024"][2] < 0.80  # "ends below 80 %"
    # "the middle batch size learns most per epoch": ahead of both at every epoch's end.
    for epoch in (1, 2):
        assert val["B128"][epoch] > max(val["B16"][epoch], val["B1024"][epoch])
