"""Engine paths against independent references: closed-form GD in float64, plain torch loops."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from engine import RunSpec, derive_seed
from tests.helpers import collect, small_config


def test_gd_path_equals_closed_form_float64_iteration(data_of) -> None:
    config = small_config(n_samples=200, epochs=30, lr=0.1, runs=(RunSpec("GD", "full"),))
    x, y = data_of(config)
    got = collect(config).histories["GD"].rows()

    theta = np.array(config.start, dtype=np.float64)
    expected = [theta.copy()]
    for _ in range(config.epochs):
        residual = theta[0] * x + theta[1] - y
        grad = np.array([2 * np.mean(residual * x), 2 * np.mean(residual)])
        theta = theta - config.lr * grad
        expected.append(theta.copy())
    expected_arr = np.array(expected)
    # float32 training vs float64 reference: a few ulps of float32 per step, contracting.
    np.testing.assert_allclose(got.params, expected_arr, rtol=0, atol=2e-5)
    np.testing.assert_array_equal(got.iteration, np.arange(config.epochs + 1))
    full_loss = [np.mean((p[0] * x + p[1] - y) ** 2) for p in got.params]
    np.testing.assert_allclose(got.loss, full_loss, rtol=1e-9)


def plain_loop(config, label: str, batch: int, x, y, optimizer_factory, lr_at=None) -> np.ndarray:
    """What a user would write: randperm per epoch, slices as batches, MSE, torch.optim.

    `lr_at(k)`, when given, sets the learning rate of step k (0-based) by hand.
    """
    xt = torch.tensor(x, dtype=torch.float32)
    yt = torch.tensor(y, dtype=torch.float32)
    theta = torch.tensor(config.start, dtype=torch.float32, requires_grad=True)
    opt = optimizer_factory([theta])
    g = torch.Generator().manual_seed(derive_seed(config.seed, f"run:{label}"))
    path = [theta.detach().clone()]
    n = len(x)
    for _ in range(config.epochs):
        order = torch.randperm(n, generator=g)
        for start in range(0, n, batch):
            idx = order[start : start + batch]
            if lr_at is not None:
                opt.param_groups[0]["lr"] = lr_at(len(path) - 1)
            opt.zero_grad()
            loss = torch.nn.functional.mse_loss(theta[0] * xt[idx] + theta[1], yt[idx])
            loss.backward()
            opt.step()
            path.append(theta.detach().clone())
    return torch.stack(path).double().numpy()


@pytest.mark.parametrize(
    ("optimizer", "params", "factory"),
    [
        ("sgd", {}, lambda p: torch.optim.SGD(p, lr=0.05)),
        (
            "sgd",
            {"momentum": 0.9, "nesterov": True},
            lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True),
        ),
        ("adam", {"beta1": 0.8}, lambda p: torch.optim.Adam(p, lr=0.05, betas=(0.8, 0.999))),
        ("rmsprop", {}, lambda p: torch.optim.RMSprop(p, lr=0.05)),
        ("rprop", {}, lambda p: torch.optim.Rprop(p, lr=0.05)),
        ("adagrad", {}, lambda p: torch.optim.Adagrad(p, lr=0.05)),
        ("adadelta", {}, lambda p: torch.optim.Adadelta(p, lr=0.05)),
    ],
)
@pytest.mark.parametrize("batch", [1, 8, 10])
def test_minibatch_path_equals_plain_torch_loop(data_of, optimizer, params, factory, batch) -> None:
    config = small_config(
        n_samples=50,
        epochs=2,
        optimizer=optimizer,
        optimizer_params=params,
        runs=(RunSpec("R", batch),),
    )
    x, y = data_of(config)
    got = collect(config).histories["R"].rows().params
    want = plain_loop(config, "R", batch, x, y, factory)
    assert got.shape == want.shape
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)


def test_all_runs_start_from_the_same_point_and_final_loss_drops() -> None:
    result = collect(small_config(epochs=5))
    starts = {label: h.rows().params[0].tolist() for label, h in result.histories.items()}
    assert all(s == [-1.0, 2.0] for s in starts.values())
    for r in result.last.results:
        assert r.final_loss is not None and r.final_loss < r.initial_loss
        assert r.samples_seen == 5 * 64


@pytest.mark.parametrize(
    ("scaling", "factor"), [("none", 1.0), ("linear", 10 / 4), ("sqrt", (10 / 4) ** 0.5)]
)
def test_lr_scaling_and_warmup_equal_a_hand_scheduled_loop(data_of, scaling, factor) -> None:
    """Scaled lr, then a linear warm-up over 1.5 epochs: lr_k = lr · factor · min(1, (k+1)/w)."""
    config = small_config(
        n_samples=50,
        epochs=3,
        lr=0.02,
        lr_scaling=scaling,
        lr_reference_batch=4,
        warmup_epochs=1.5,
        runs=(RunSpec("R", 10),),
    )
    warmup = 8  # ⌈1.5 × 5 iterations per epoch⌉
    x, y = data_of(config)
    got = collect(config)
    lr = 0.02 * factor
    expected = plain_loop(
        config,
        "R",
        10,
        x,
        y,
        lambda p: torch.optim.SGD(p, lr=lr),
        lr_at=lambda k: lr * min(1.0, (k + 1) / warmup),
    )
    np.testing.assert_allclose(got.histories["R"].rows().params, expected, rtol=1e-5, atol=1e-6)
    assert got.last.runs[0].lr == pytest.approx(lr)  # after the warm-up: the scaled lr itself
