"""Logistic regression against float64 references written out here."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from engine import ExperimentConfig, RunSpec
from engine.problems.logistic import LogisticRegression
from tests.helpers import collect


def problem(n: int = 300) -> LogisticRegression:
    config = ExperimentConfig(problem="logistic", n_samples=n, noise=0.8, feature_shift=0.4)
    return LogisticRegression(config, torch.device("cpu"), 4)


@pytest.mark.parametrize("padded", [False, True])
def test_closed_form_gradient_equals_autograd(padded: bool) -> None:
    p = problem(80)
    g = torch.Generator().manual_seed(2)
    theta = (torch.randn(3, 2, generator=g) * 2).requires_grad_()
    idx = torch.randint(0, 80, (1, 3, 6), generator=g)
    batch = tuple(t[0] for t in p.prepare(idx))
    weights = None
    if padded:
        sizes = torch.tensor([6, 2, 4])
        weights = (torch.arange(6)[None, :] < sizes[:, None]).float() / sizes[:, None]
    losses = p.batch_losses([theta], batch, weights)
    (want,) = torch.autograd.grad(losses.sum(), theta)
    (got,) = p.batch_gradients([theta], batch, weights)
    torch.testing.assert_close(got, want, rtol=1e-5, atol=1e-6)


def test_full_loss_and_minimum_against_float64_torch() -> None:
    p = problem()
    x, y = torch.tensor(p.x64), torch.tensor(p.y64)
    assert set(np.unique(p.y64)) == {0.0, 1.0}
    for point in ([0.0, 0.0], [1.5, -0.3], [-2.0, 4.0]):
        want = torch.nn.functional.binary_cross_entropy_with_logits(point[0] * x + point[1], y).item()
        assert p.full_loss(np.array(point)) == pytest.approx(want, rel=1e-12)
    # The minimum: a float64 autograd loop of plain gradient descent from the origin ends there.
    theta = torch.zeros(2, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.SGD([theta], lr=2.0)
    for _ in range(5000):
        opt.zero_grad()
        torch.nn.functional.binary_cross_entropy_with_logits(theta[0] * x + theta[1], y).backward()
        opt.step()
    np.testing.assert_allclose(p.minimum(), theta.detach().numpy(), atol=1e-6)


def test_noise_zero_is_refused_and_runs_converge() -> None:
    with pytest.raises(ValueError, match="noise must be > 0 for logistic"):
        ExperimentConfig(problem="logistic", noise=0.0)
    config = ExperimentConfig(
        problem="logistic",
        n_samples=400,
        noise=0.8,
        lr=1.0,
        epochs=30,
        runs=(RunSpec("GD", "full"), RunSpec("B16", 16)),
    )
    got = collect(config)
    assert got.setup.grid_loss is not None and np.isfinite(got.setup.grid_loss).all()
    for r in got.last.results:
        assert r.final_loss < got.setup.minimum_loss * 1.05
