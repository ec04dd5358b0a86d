"""The 784-128-10 network against a plain nn.Module loop, and stacked against alone."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch
from torch import nn

from engine import ExperimentConfig, RunSpec, derive_seed
from engine.problems.mlp import MLPClassifier
from tests.conftest import collect


def mlp_config(**changes: object) -> ExperimentConfig:
    base = ExperimentConfig(
        problem="mlp", n_samples=64, epochs=2, lr=0.1, device="cpu", runs=(RunSpec("A", 8),)
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def plain_mlp_loop(config: ExperimentConfig, label: str, batch: int) -> tuple[list[float], float]:
    """nn.Sequential + torch.optim, fed the batches the engine's seeded order gives."""
    problem = MLPClassifier(config, torch.device("cpu"), derive_seed(config.seed, "data"))
    w1, b1, w2, b2 = (torch.tensor(a, dtype=torch.float32) for a in problem.initial_blocks(None))
    model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
    with torch.no_grad():
        for p, v in zip(model.parameters(), (w1, b1, w2, b2), strict=True):
            p.copy_(v)
    opt = torch.optim.SGD(model.parameters(), lr=config.lr, momentum=0.9)
    g = torch.Generator().manual_seed(derive_seed(config.seed, f"run:{label}"))
    losses = []
    for _ in range(config.epochs):
        order = torch.randperm(config.n_samples, generator=g)
        for start in range(0, config.n_samples, batch):
            idx = order[start : start + batch]
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(problem.x[idx]), problem.y[idx])
            loss.backward()
            opt.step()
            losses.append(loss.item())
    with torch.no_grad():
        final = nn.functional.cross_entropy(model(problem.x), problem.y).item()
    return losses, final


@pytest.mark.parametrize("batch", [8, 10])
def test_mlp_run_equals_plain_module_loop(batch: int) -> None:
    config = mlp_config(optimizer_params={"momentum": 0.9}, runs=(RunSpec("A", batch),))
    got = collect(config)
    rows = got.histories["A"].rows()
    want_losses, want_final = plain_mlp_loop(config, "A", batch)
    # Row 0 is the start (full-data loss); row i is the batch loss of step i, before its update.
    np.testing.assert_allclose(rows.loss[1:], want_losses, rtol=1e-5)
    assert got.last.results[0].final_loss == pytest.approx(want_final, rel=1e-5)
    assert got.last.results[0].final_params == []  # networks do not list their weights


def test_stacked_mlp_runs_equal_runs_made_alone() -> None:
    config = mlp_config(
        optimizer="adam",
        lr=0.01,
        runs=(RunSpec("A", 8), RunSpec("B", 8, lr=0.003), RunSpec("C", 8)),
    )
    together = collect(config)
    results = {r.label: r for r in together.last.results}
    for spec in config.runs:
        single = collect(dataclasses.replace(config, runs=(spec,)))
        # Batched (bmm) and single (mm) matrix products round differently in float32.
        np.testing.assert_allclose(
            together.histories[spec.label].rows().loss, single.histories[spec.label].rows().loss, rtol=1e-4
        )
        assert results[spec.label].final_loss == pytest.approx(single.last.results[0].final_loss, rel=1e-4)
    assert results["A"].final_loss != results["C"].final_loss  # own batch orders


def test_mlp_refuses_a_start_point_and_too_much_data() -> None:
    with pytest.raises(ValueError, match="start applies to the two-parameter problems"):
        mlp_config(start=(0.0, 1.0))
    with pytest.raises(ValueError, match="n_samples must be a whole number from 2 to 100,000"):
        mlp_config(n_samples=200_000)
