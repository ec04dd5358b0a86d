"""Loss surfaces and networks that runs train on: the registry.

One module per problem (linear, logistic, two_lines, hinton, network), each implementing the
interface in `protocol.py`. `make_problem` imports the one a config names when it is needed
(they import torch), so nothing here imports a problem module at load time and no problem
module imports this registry back.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

import numpy as np

from engine.config import PROBLEMS, ExperimentConfig
from engine.problems.protocol import Bounds, Problem, SummarisedSurface

if TYPE_CHECKING:
    import torch

__all__ = ["LOSS_NAMES", "REGISTRY", "Bounds", "Problem", "loss_grid", "make_problem"]

# config.problem -> (module, class)
REGISTRY = {
    "linear": ("engine.problems.linear", "LinearRegression"),
    "network": ("engine.problems.network", "NetworkClassifier"),
    "logistic": ("engine.problems.logistic", "LogisticRegression"),
    "two_lines": ("engine.problems.two_lines", "TwoLines"),
    "hinton": ("engine.problems.hinton", "HintonWeight"),
}

# config.problem -> the loss its runs record (each class's `loss_name`; a test holds them
# equal): known before the problem is built, so a window can title its plot while the data loads.
LOSS_NAMES = {
    "linear": "mse",
    "network": "batch_cross_entropy",
    "logistic": "cross_entropy",
    "two_lines": "welsch",
    "hinton": "hinton",
}


def make_problem(config: ExperimentConfig, device: torch.device, seed: int) -> Problem:
    """The problem named by `config.problem`, its data drawn from `seed`."""
    if config.problem not in REGISTRY:
        raise ValueError(f"problem must be one of {', '.join(PROBLEMS)} (got {config.problem!r})")
    module, name = REGISTRY[config.problem]
    problem: Problem = getattr(importlib.import_module(module), name)(config, device, seed)
    return problem


def loss_grid(
    problem: Problem, bounds: Bounds, resolution: int = 200
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(xs, ys, Z) with Z[j, i] = full-batch loss at (xs[i], ys[j]), float32, in one call.

    Uses the problem's `surface_loss` where it has one (large data sets are summarised for
    the picture; see engine/problems/line_data.py).
    """
    xs = np.linspace(*bounds[0], resolution)
    ys = np.linspace(*bounds[1], resolution)
    ww, bb = np.meshgrid(xs, ys)
    loss = problem.surface_loss if isinstance(problem, SummarisedSurface) else problem.full_loss
    z = loss(np.stack([ww, bb], axis=-1))
    return xs, ys, np.ascontiguousarray(z, dtype=np.float32)
