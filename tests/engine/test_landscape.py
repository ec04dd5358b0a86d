"""The landscape instrument: its grid is the loss of the weights it names (checked with a plain
PyTorch forward in float64), its plane is orthonormal and holds the paths' movement, and random
directions are filter-normalised."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch
from torch.nn import functional

from engine import ExperimentConfig, RunSpec, run_session
from engine.instruments.landscape import SUBSET, _filter_normalised, _subset
from engine.problems import make_problem
from engine.seeds import derive_seed


def landscape_config(**changes: object) -> ExperimentConfig:
    base = ExperimentConfig(
        problem="network",
        dataset="digits",
        n_samples=300,
        epochs=3,
        lr=0.1,
        device="cpu",
        runs=(RunSpec("B8", 8), RunSpec("B100", 100)),
        measure=("landscape",),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def landscape_of(config: ExperimentConfig):
    *_, last = run_session(config)
    return last.measurements["landscape"]


@pytest.mark.parametrize("directions", ["pca", "random"])
def test_the_grid_is_the_loss_of_the_weights_on_the_plane(directions):
    config = landscape_config(landscape_directions=directions)
    land = landscape_of(config)
    basis = land.basis
    assert np.allclose(basis @ basis.T, np.eye(2), atol=1e-9)
    problem = make_problem(config, torch.device("cpu"), derive_seed(config.seed, "data"))
    idx = _subset(config.n_samples, config.seed)
    assert land.subset == min(SUBSET, config.n_samples) == len(idx)
    x, y = problem.x[idx].double(), problem.y[idx]
    model = problem.model.double()
    shapes = [shape for _, shape in problem.blocks]
    for j, i in ((0, 0), (15, 15), (30, 7)):
        flat = land.origin + land.grid_a[i] * basis[0] + land.grid_b[j] * basis[1]
        params, at = {}, 0
        for name, shape in zip(problem.names, shapes, strict=True):
            size = int(np.prod(shape))
            params[name] = torch.tensor(flat[at : at + size].reshape(shape))
            at += size
        logits = torch.func.functional_call(model, params, (x,))
        expected = float(functional.cross_entropy(logits, y))
        assert land.loss[j, i] == pytest.approx(expected, rel=2e-4, abs=1e-5)
    model.float()
    # Both runs start from the same weights; each path is the projection of its snapshots.
    assert np.allclose(land.paths["B8"][0], land.paths["B100"][0], atol=1e-5)
    if directions == "pca":
        assert land.explained[0] >= land.explained[1] > 0 and sum(land.explained) <= 1 + 1e-9


def test_random_directions_are_filter_normalised():
    rng = np.random.default_rng(0)
    shapes = [(4, 3), (4,), (2, 4)]
    centre = rng.standard_normal(12 + 4 + 8)
    d = _filter_normalised(centre, shapes, rng)
    at = 0
    for shape in shapes:
        size = int(np.prod(shape))
        block = (
            centre[at : at + size].reshape(shape[0], -1) if len(shape) > 1 else centre[at : at + size][None]
        )
        got = d[at : at + size].reshape(block.shape)
        assert np.allclose(np.linalg.norm(got, axis=1), np.linalg.norm(block, axis=1))
        at += size


def test_a_diverged_run_keeps_its_sane_part_and_nothing_infinite_reaches_the_plane():
    land = landscape_of(landscape_config(lr=1e4, runs=(RunSpec("B8", 8), RunSpec("B100", 100, lr=0.1))))
    for path in land.paths.values():
        assert np.isfinite(path).all()
    assert np.isfinite(land.grid_a).all() and np.isfinite(land.grid_b).all()
