"""Runs stepped as one stack come out as if each had run alone."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from engine import ExperimentConfig, RunSpec, derive_seed
from engine.problems.linear import LinearRegression
from engine.training.session import make_stacks
from tests.helpers import collect, small_config

OPTIMIZERS = [
    ("sgd", {}),
    ("sgd", {"momentum": 0.9, "nesterov": True}),
    ("adam", {}),
    ("rmsprop", {"centered": True}),
    ("rprop", {}),
    ("adagrad", {}),
    ("adadelta", {}),
]


def alone(config: ExperimentConfig, label: str):
    """The same config with only one of its runs."""
    return collect(dataclasses.replace(config, runs=(config.run_by_label(label),)))


def assert_same_as_alone(config: ExperimentConfig, rtol: float = 1e-6, atol: float = 1e-7) -> None:
    together = collect(config)
    results = {r.label: r for r in together.last.results}
    for spec in config.runs:
        single = alone(config, spec.label)
        got = together.histories[spec.label].rows()
        want = single.histories[spec.label].rows()
        np.testing.assert_array_equal(got.iteration, want.iteration)
        np.testing.assert_array_equal(got.samples_seen, want.samples_seen)
        np.testing.assert_allclose(got.params, want.params, rtol=rtol, atol=atol)
        np.testing.assert_allclose(got.loss, want.loss, rtol=rtol * 10, atol=atol)
        r, s = results[spec.label], single.last.results[0]
        assert (r.iterations, r.samples_seen, r.diverged) == (s.iterations, s.samples_seen, s.diverged)
        np.testing.assert_allclose(r.final_params, s.final_params, rtol=rtol, atol=atol)


@pytest.mark.parametrize(("optimizer", "params"), OPTIMIZERS)
def test_stacked_runs_equal_runs_made_alone(optimizer: str, params: dict) -> None:
    # Three runs share a schedule (B = 8, one with its own learning rate); SGD and GD do not.
    config = small_config(
        n_samples=40,
        epochs=3,
        optimizer=optimizer,
        optimizer_params=params,
        runs=(
            RunSpec("A", 8),
            RunSpec("B", 8),
            RunSpec("C", 8, lr=0.01),
            RunSpec("SGD", 1),
            RunSpec("GD", "full"),
        ),
    )
    assert_same_as_alone(config)


@pytest.mark.parametrize(("optimizer", "params"), OPTIMIZERS)
def test_runs_with_different_batch_sizes_share_a_stack(optimizer: str, params: dict) -> None:
    # Drawing with replacement, a set number of batches per epoch: B = 1, 4 and 9 step at the
    # same ticks, so they are padded into one stack.
    config = small_config(
        n_samples=30,
        epochs=3,
        sampling="replacement",
        batches_per_epoch=5,
        optimizer=optimizer,
        optimizer_params=params,
        runs=(RunSpec("one", 1), RunSpec("four", 4), RunSpec("nine", 9, lr=0.02)),
    )
    assert_same_as_alone(config, rtol=2e-6, atol=2e-7)


def test_runs_are_grouped_by_schedule() -> None:
    config = small_config(
        runs=(RunSpec("A", 8), RunSpec("SGD", 1), RunSpec("B", 8, lr=0.2), RunSpec("GD", "full"))
    )
    problem = LinearRegression(config, torch.device("cpu"), 0)
    stacks = make_stacks(config, problem, np.zeros(2), torch.device("cpu"))
    assert [[m.spec.label for m in s.members] for s in stacks] == [["A", "B"], ["SGD"], ["GD"]]
    assert [len(s.optimizer.param_groups) for s in stacks] == [2, 1, 1]


def test_a_diverging_run_does_not_disturb_its_stack() -> None:
    config = small_config(
        n_samples=40,
        epochs=4,
        runs=(RunSpec("calm", 8), RunSpec("wild", 8, lr=50.0), RunSpec("calm2", 8, lr=0.02)),
    )
    together = collect(config)
    results = {r.label: r for r in together.last.results}
    assert results["wild"].diverged and results["wild"].final_loss is None
    for label in ("calm", "calm2"):
        single = alone(config, label)
        assert not results[label].diverged
        np.testing.assert_allclose(
            together.histories[label].rows().params, single.histories[label].rows().params, rtol=1e-6
        )


@pytest.mark.parametrize("padded", [False, True])
def test_closed_form_gradient_equals_autograd(padded: bool) -> None:
    config = small_config(n_samples=50)
    problem = LinearRegression(config, torch.device("cpu"), 3)
    g = torch.Generator().manual_seed(1)
    theta = torch.randn(4, 2, generator=g, dtype=torch.float32, requires_grad=True)
    idx = torch.randint(0, 50, (1, 4, 7), generator=g)
    batch = tuple(t[0] for t in problem.prepare(idx))
    weights = None
    if padded:
        sizes = torch.tensor([7, 3, 1, 5])
        weights = (torch.arange(7)[None, :] < sizes[:, None]).float() / sizes[:, None]
    losses = problem.batch_losses([theta], batch, weights)
    (want,) = torch.autograd.grad(losses.sum(), theta)
    (got,) = problem.batch_gradients([theta], batch, weights)
    torch.testing.assert_close(got, want, rtol=1e-5, atol=1e-6)
    # And the per-run loss is the mean over that run's own samples.
    x, y = problem.x64, problem.y64
    i = idx[0, 1, : (3 if padded else 7)].numpy()
    w, b = theta[1].detach().double().numpy()
    assert float(losses[1].detach()) == pytest.approx(np.mean((w * x[i] + b - y[i]) ** 2), rel=1e-5)


def test_many_seeds_of_one_run_come_out_as_separate_runs() -> None:
    runs = tuple(RunSpec(f"s{i}", 8) for i in range(16))
    config = small_config(n_samples=64, epochs=2, runs=runs)
    out = collect(config)
    finals = np.array([r.final_params for r in out.last.results])
    assert len(np.unique(finals.round(6), axis=0)) == 16  # each seed its own batch order
    single = alone(config, "s11").last.results[0]
    np.testing.assert_allclose(finals[11], single.final_params, rtol=1e-6)
    assert derive_seed(config.seed, "run:s11") != derive_seed(config.seed, "run:s12")


def test_a_run_with_its_own_optimizer_equals_a_config_of_that_optimizer() -> None:
    config = small_config(
        n_samples=40,
        epochs=3,
        runs=(
            RunSpec("plain", 8),
            RunSpec("rprop", 8, optimizer="rprop"),
            RunSpec("rms", 8, optimizer="rmsprop", optimizer_params={"alpha": 0.9}),
        ),
    )
    stacks = make_stacks(
        config, LinearRegression(config, torch.device("cpu"), 0), np.zeros(2), torch.device("cpu")
    )
    assert sorted(len(s.members) for s in stacks) == [1, 1, 1]  # one optimizer per stack
    together = collect(config)
    for label, name, params in (("rprop", "rprop", {}), ("rms", "rmsprop", {"alpha": 0.9})):
        reference = collect(
            dataclasses.replace(config, optimizer=name, optimizer_params=params, runs=(RunSpec(label, 8),))
        )
        np.testing.assert_array_equal(
            together.histories[label].rows().params, reference.histories[label].rows().params
        )
    with pytest.raises(ValueError, match="optimizer of run 'bad' must be one of"):
        RunSpec("bad", 8, optimizer="lbfgs")
    with pytest.raises(ValueError, match="need the run's own optimizer"):
        RunSpec("bad", 8, optimizer_params={"momentum": 0.9})
    round_trip = ExperimentConfig.from_dict(config.to_dict())
    assert round_trip == config


def test_a_run_with_its_own_sampling_equals_a_config_of_that_sampling() -> None:
    config = small_config(
        n_samples=40, epochs=3, runs=(RunSpec("S", 8), RunSpec("R", 8, sampling="replacement"))
    )
    together = collect(config)
    reference = collect(dataclasses.replace(config, sampling="replacement", runs=(RunSpec("R", 8),)))
    np.testing.assert_array_equal(
        together.histories["R"].rows().params, reference.histories["R"].rows().params
    )
    with pytest.raises(ValueError, match="sampling of run 'X' must be one of shuffle, replacement"):
        RunSpec("X", 8, sampling="sequential")


@pytest.mark.parametrize("padded", [False, True])
def test_two_lines_closed_form_gradient_equals_autograd(padded: bool) -> None:
    from engine.problems.two_lines import WIDTH, TwoLines

    config = small_config(problem="two_lines", n_samples=60)
    problem = TwoLines(config, torch.device("cpu"), 3)
    g = torch.Generator().manual_seed(2)
    theta = (torch.randn(3, 2, generator=g) * 2).requires_grad_()
    idx = torch.randint(0, 60, (1, 3, 6), generator=g)
    batch = tuple(t[0] for t in problem.prepare(idx))
    weights = None
    if padded:
        sizes = torch.tensor([6, 2, 4])
        weights = (torch.arange(6)[None, :] < sizes[:, None]).float() / sizes[:, None]
    losses = problem.batch_losses([theta], batch, weights)
    (want,) = torch.autograd.grad(losses.sum(), theta)
    (got,) = problem.batch_gradients([theta], batch, weights)
    torch.testing.assert_close(got, want, rtol=1e-5, atol=1e-6)
    # Full loss and per-sample gradients against a float64 formula written out here.
    x, y = problem.x64, problem.y64
    point = np.array([0.3, -0.4])
    r = point[0] * x + point[1] - y
    assert problem.full_loss(point) == pytest.approx(np.mean(1 - np.exp(-(r**2) / (2 * WIDTH**2))), rel=1e-12)
    slope = r / WIDTH**2 * np.exp(-(r**2) / (2 * WIDTH**2))
    np.testing.assert_allclose(problem.sample_gradients(point), np.stack([slope * x, slope], 1), rtol=1e-12)
    for m in problem.local_minima():
        assert np.linalg.norm(problem.full_gradient(m)) < 1e-6
