"""Where the runs of a two-parameter problem start: the config's point, or one drawn from
its seed. Its own module: the session and the data-parallel workers both need it."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from engine.config import ExperimentConfig
from engine.seeds import derive_seed

if TYPE_CHECKING:
    from engine.problems.protocol import Problem


def start_point(config: ExperimentConfig, problem: Problem) -> np.ndarray | None:
    """The config's start, or a point 2.5 units from the minimum in a seeded direction.

    None for problems without a drawable start (networks start from their own initialisation).
    """
    minimum = problem.minimum()
    if minimum is None:
        return None
    if config.start is not None:
        return np.array(config.start, dtype=np.float64)
    rng = np.random.default_rng(derive_seed(config.seed, "start"))
    angle = rng.uniform(0, 2 * np.pi)
    return minimum + 2.5 * np.array([np.cos(angle), np.sin(angle)])
