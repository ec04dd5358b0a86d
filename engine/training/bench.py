"""What a session hands an instrument (engine/instruments/): the `Bench` it measures on, and
the shape of an `Instrument`. Defined here, in the training room, so that the session can run
instruments without importing them: the registry is plugged in from above (engine/experiment.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

import numpy as np

from engine.config import ExperimentConfig
from engine.control import SessionControl

if TYPE_CHECKING:
    from engine.problems.protocol import Problem
    from engine.training.progress import Progress, SessionSetup


@dataclass(frozen=True)
class Bench:
    """What an instrument works with: the session's config, problem, setup and control,
    `train`, which runs a session of another config (the basins' copies), and the runs'
    recorded weights (the landscape)."""

    config: ExperimentConfig
    problem: Problem
    setup: SessionSetup
    control: SessionControl
    train: Callable[[ExperimentConfig, SessionControl | None], Iterator[Progress]]
    # Each run's recorded weights (T, P), when the config measures the landscape (networks).
    trajectories: Callable[[], dict[str, np.ndarray]] | None = None


@dataclass(frozen=True)
class Instrument:
    """A measurement beside training: "before" it (at the start every run shares) or "after"
    it (from the finished runs); `measure` returns what lands in `Progress.measurements`."""

    when: Literal["before", "after"]
    measure: Callable[[Bench], Any]
