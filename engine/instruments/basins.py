"""Basins: where copies of each run end up when only their batch order differs.

After training, `measure_seeds` copies of every run (each with its own batch-order seed) are
trained as sessions of their own, and each copy is classed by the minimum nearest its final
parameters (the two_lines surface has a better and a worse one).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from engine.config import MAX_RUNS, ExperimentConfig, RunSpec
from engine.control import Interrupted, SessionControl, checkpoint
from engine.problems.protocol import LocalMinima

if TYPE_CHECKING:
    from engine.problems.protocol import Problem
    from engine.training.progress import Progress, RunResult


@dataclass(frozen=True)
class BasinCount:
    """Where copies of one run, differing only in their batch-order seed, ended up."""

    seeds: int
    better: int  # nearest to the better (global) minimum
    worse: int  # nearest to another minimum
    diverged: int

    def to_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)


def count_basins(
    config: ExperimentConfig,
    problem: Problem,
    train: Callable[[ExperimentConfig, SessionControl | None], Iterator[Progress]],
    control: SessionControl | None = None,
) -> dict[str, BasinCount]:
    """Train `config.measure_seeds` copies of every run (own batch orders) and count the minima.

    Copies are stepped together as one session; a run without randomness (full batch, no
    drawing with replacement) is the same under every seed, so it is trained once and counted
    for all. Each copy is classed by the minimum nearest its final parameters.
    """
    if not isinstance(problem, LocalMinima):
        raise ValueError(f"the {config.problem} problem has no list of minima to count")
    points = np.array(problem.local_minima())
    copies: list[RunSpec] = []
    owner: dict[str, str] = {}
    for spec in config.runs:
        random = config.batch_size_of(spec) < config.n_samples or config.sampling_of(spec) == "replacement"
        for _ in range(config.measure_seeds if random else 1):
            # Short labels of their own: a copy is never shown, and "label~k" could be too long.
            copy = dataclasses.replace(spec, label=f"copy{len(copies)}", color="")
            copies.append(copy)
            owner[copy.label] = spec.label
    # At most MAX_RUNS copies per session; only each session's last snapshot matters (memory
    # stays flat however long the runs). The clock tells how far the copies are, and a stop
    # ends them (raised as Interrupted).
    finals: list[RunResult] = []
    parts = [copies[i : i + MAX_RUNS] for i in range(0, len(copies), MAX_RUNS)]
    for p, part in enumerate(parts):
        replica = dataclasses.replace(config, runs=tuple(part), measure=(), same_batches=False)
        inner = SessionControl(stop=control.stop) if control is not None else None
        last: Progress | None = None
        for last in train(replica, inner):
            checkpoint((p + last.clock_epochs / config.epochs) / len(parts))
        if last is None or last.stopped:
            raise Interrupted
        finals.extend(last.results)
    counts = {s.label: [0, 0, 0] for s in config.runs}
    for r in finals:
        tally = counts[owner[r.label]]
        if r.diverged:
            tally[2] += 1
            continue
        nearest = int(np.argmin(np.linalg.norm(points - np.array(r.final_params), axis=1)))
        tally[0 if nearest == 0 else 1] += 1
    out = {}
    for spec in config.runs:
        # A run trained once stands for every seed (they would all take its path).
        scale = config.measure_seeds // sum(counts[spec.label])
        better, worse, diverged = (scale * c for c in counts[spec.label])
        out[spec.label] = BasinCount(config.measure_seeds, better, worse, diverged)
    return out
