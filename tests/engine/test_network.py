"""The network problem (the seed's MLP and LeNet-5 on images) against a plain nn.Module +
torch.optim loop fed the same batches, stacked runs against runs made alone, and its inits."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
import torch

from engine import ExperimentConfig, RunSpec, derive_seed, run_session
from engine.problems.network import NetworkClassifier
from tests.helpers import collect, plain_loop, scores


def net_config(**changes: object) -> ExperimentConfig:
    base = ExperimentConfig(
        problem="network",
        dataset="digits",
        n_samples=96,
        epochs=2,
        lr=0.1,
        device="cpu",
        runs=(RunSpec("A", 8),),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def lenet_config(**changes: object) -> ExperimentConfig:
    return net_config(**{"dataset": "synthetic", "model": "lenet", "n_samples": 48, **changes})


CASES = [
    ("mlp", "sgd", {"momentum": 0.9}, 8),
    ("mlp", "adam", {}, 10),  # 96 = 9 × 10 + 6: a short last batch
    ("lenet", "sgd", {"momentum": 0.9}, 8),
    ("lenet", "adam", {}, 10),
]


@pytest.mark.parametrize(("model", "optimizer", "params", "batch"), CASES)
def test_a_run_equals_a_plain_module_loop(model: str, optimizer: str, params: dict, batch: int) -> None:
    maker = net_config if model == "mlp" else lenet_config
    lr = 0.1 if optimizer == "sgd" else 0.003
    config = maker(optimizer=optimizer, optimizer_params=params, lr=lr, runs=(RunSpec("A", batch),))
    got = collect(config)
    result = got.last.results[0]
    reference, problem, want_losses = plain_loop(config, "A", batch)
    # Row 0 is the start (full-data loss); row i is the batch loss of step i, before its update.
    np.testing.assert_allclose(got.histories["A"].rows().loss[1:], want_losses, rtol=2e-5, atol=1e-6)
    train_loss, train_accuracy = scores(reference, problem.x, problem.y)
    val_loss, val_accuracy = scores(reference, problem.val_x, problem.val_y)
    assert result.final_loss == pytest.approx(train_loss, rel=2e-5)
    last = result.per_epoch[-1]
    assert (last["epoch"], last["iteration"]) == (config.epochs, result.iterations)
    assert last["train_loss"] == pytest.approx(train_loss, rel=2e-5)
    assert last["val_loss"] == pytest.approx(val_loss, rel=2e-5)
    assert last["train_accuracy"] == pytest.approx(train_accuracy, abs=1e-12)
    assert last["val_accuracy"] == pytest.approx(val_accuracy, abs=1e-12)
    assert [e["epoch"] for e in result.per_epoch] == list(range(config.epochs + 1))  # 0 = the start
    assert result.final_params == []  # networks do not list their weights


def test_a_short_run_is_measured_every_quarter_epoch() -> None:
    # N = 96, B = 8: 12 iterations an epoch, 2 epochs (≤ 4: short) → checks at 3, 6, 9 too.
    config = net_config(runs=(RunSpec("A", 8),))
    measured = [e for p in run_session(config) for rp in p.runs for e in rp.new_epochs]
    assert [e["iteration"] for e in measured] == [0, 3, 6, 9, 12, 15, 18, 21, 24]
    assert [e["epoch"] for e in measured] == [0, 0.25, 0.5, 0.75, 1, 1.25, 1.5, 1.75, 2]
    at: dict[int, tuple[float, float]] = dict.fromkeys((3, 9, 15, 21), (math.nan, math.nan))
    plain_loop(config, "A", 8, at)
    for entry in measured:
        if entry["iteration"] in at:
            val_loss, val_accuracy = at[int(entry["iteration"])]
            assert entry["val_loss"] == pytest.approx(val_loss, rel=2e-5)
            assert entry["val_accuracy"] == pytest.approx(val_accuracy, abs=1e-12)
    # The result keeps the epochs' ends only; a longer run is measured every quarter of its
    # first epoch (where different starts part), then at the epochs' ends only.
    result = collect(config).last.results[0]
    assert [e["epoch"] for e in result.per_epoch] == [0, 1, 2]
    longer = net_config(epochs=5)
    epochs = [e["epoch"] for p in run_session(longer) for rp in p.runs for e in rp.new_epochs]
    assert epochs == [0, 0.25, 0.5, 0.75, 1, 2, 3, 4, 5]


@pytest.mark.parametrize("maker", [net_config, lenet_config])
def test_stacked_runs_equal_runs_made_alone(maker) -> None:
    config = maker(
        optimizer="adam",
        lr=0.01,
        # A and B share a stack with their own lrs; C (B = 13) and D (B = 12) both take
        # ⌈96/B⌉ = 8 iterations an epoch, so they share one with padded batches. D starts from
        # another initialisation.
        runs=(
            RunSpec("A", 8),
            RunSpec("B", 8, lr=0.003),
            RunSpec("C", 13),
            RunSpec("D", 12, init="xavier_normal"),
        ),
    )
    together = collect(config)
    results = {r.label: r for r in together.last.results}
    for spec in config.runs:
        single = collect(dataclasses.replace(config, runs=(spec,)))
        # vmapped (batched) and single matrix products round differently in float32.
        np.testing.assert_allclose(
            together.histories[spec.label].rows().loss, single.histories[spec.label].rows().loss, rtol=1e-4
        )
        alone = single.last.results[0]
        assert results[spec.label].final_loss == pytest.approx(alone.final_loss, rel=1e-4)
        for a, b in zip(results[spec.label].per_epoch, alone.per_epoch, strict=True):
            assert a["val_accuracy"] == pytest.approx(b["val_accuracy"], abs=1.5 / len(single_val(config)))
    assert results["A"].final_loss != results["C"].final_loss  # own batch orders
    assert results["A"].initial_loss == results["B"].initial_loss == results["C"].initial_loss
    assert results["D"].initial_loss != results["A"].initial_loss


def single_val(config: ExperimentConfig) -> torch.Tensor:
    return NetworkClassifier(config, torch.device("cpu"), derive_seed(config.seed, "data")).val_y


def test_initialisations_follow_their_formulas() -> None:
    problem = NetworkClassifier(net_config(), torch.device("cpu"), 5)
    fan_in, fan_out = 64, 128  # fc1 of the MLP on 8×8 digits
    default = problem.initial_blocks(None, "default")
    assert np.abs(default[0]).max() <= 1 / np.sqrt(fan_in)  # nn.Linear: U(±1/√fan_in)
    assert np.abs(default[1]).max() > 0  # with its own biases
    normal = problem.initial_blocks(None, "kaiming_normal")[0]
    assert normal.std() == pytest.approx(np.sqrt(2 / fan_in), rel=0.05)
    uniform = problem.initial_blocks(None, "xavier_uniform")[0]
    bound = np.sqrt(6 / (fan_in + fan_out))
    assert 0.97 * bound < np.abs(uniform).max() <= bound
    for scheme in ("kaiming_uniform", "kaiming_normal", "xavier_uniform", "xavier_normal"):
        assert not problem.initial_blocks(None, scheme)[1].any()  # zero biases
    # The same seed gives the same start; the config's seed draws it.
    np.testing.assert_array_equal(problem.initial_blocks(None, "default")[0], default[0])
    other = NetworkClassifier(net_config(), torch.device("cpu"), 6).initial_blocks(None, "default")
    assert not np.array_equal(other[0], default[0])


def test_network_config_refusals_name_the_field() -> None:
    with pytest.raises(ValueError, match="start applies to the two-parameter problems"):
        net_config(start=(0.0, 1.0))
    with pytest.raises(ValueError, match="n_samples must be a whole number from 2 to 1,438"):
        net_config(n_samples=1439)
    with pytest.raises(ValueError, match="model lenet needs 28×28 images"):
        net_config(model="lenet")
    with pytest.raises(ValueError, match="dataset must be one of digits, fashion-mnist, mnist, synthetic"):
        net_config(dataset="cifar")
    with pytest.raises(ValueError, match="dataset applies to the network problem only"):
        ExperimentConfig(dataset="mnist")
    with pytest.raises(ValueError, match="init of run 'A' applies to the network problem only"):
        ExperimentConfig(runs=(RunSpec("A", 4, init="xavier_normal"),))
    with pytest.raises(ValueError, match="init of run 'A' must be one of default, kaiming_uniform"):
        RunSpec("A", 4, init="zeros")


def test_train_metrics_use_a_fixed_sample_of_a_large_training_set() -> None:
    from engine.problems.network import EVAL_TRAIN

    config = net_config(dataset="synthetic", n_samples=EVAL_TRAIN + 50)
    problem = NetworkClassifier(config, torch.device("cpu"), 3)
    assert len(problem.eval_x) == EVAL_TRAIN
    rows = {x.numpy().tobytes() for x in problem.x}
    assert all(x.numpy().tobytes() in rows for x in problem.eval_x[:200])
    again = NetworkClassifier(config, torch.device("cpu"), 3)
    assert torch.equal(problem.eval_y, again.eval_y)  # the same sample for the same seed
    small = NetworkClassifier(net_config(), torch.device("cpu"), 3)
    assert small.eval_x is small.x  # N ≤ 10 000: all of them
