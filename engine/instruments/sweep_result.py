"""What a batch-size sweep found (engine/instruments/sweep.py measures it): plain data, no
torch, so that the views, the CLI and the results folder read it without loading torch.

`SweepResult` holds one `BatchCost` per size (its time alone and its step's memory, or the
predicted memory that kept it from running), one `SweepRow` per size and seed (sweep.csv's
rows), the noise scale B_simple at the start and midway, and the fits of the large-batch laws.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from engine.instruments.batch_theory import TheoryFit
from engine.training.memory_line import MemoryLine

if TYPE_CHECKING:
    from engine.training.step_memory import StepMemory


@dataclass(frozen=True)
class BatchCost:
    """Time and memory of one batch size, or why it was not run."""

    batch_size: int
    status: str  # "ok" or "out_of_memory"
    memory_bytes: float  # one step's total: measured ("ok"), or predicted (refused)
    iterations_per_epoch: int
    seconds_per_step: float | None = None  # None when not run
    steps_timed: int = 0
    memory: StepMemory | None = None  # the measured parts ("ok")
    samples_per_epoch: int = 0

    @property
    def seconds_per_epoch(self) -> float | None:
        return None if self.seconds_per_step is None else self.seconds_per_step * self.iterations_per_epoch

    @property
    def samples_per_s(self) -> float | None:
        seconds = self.seconds_per_epoch
        return None if not seconds else self.samples_per_epoch / seconds

    def to_dict(self) -> dict[str, object]:
        return {
            "batch_size": self.batch_size,
            "status": self.status,
            "memory_bytes": self.memory_bytes,
            "memory_measured": self.memory is not None,
            "seconds_per_epoch": self.seconds_per_epoch,
            "samples_per_s": self.samples_per_s,
            "steps_timed": self.steps_timed,
        }


@dataclass(frozen=True)
class NoiseScale:
    """B_simple at one point of training, with what it was computed from."""

    b_simple: float | None  # None where |G|² is not positive on this subset
    trace_covariance: float  # tr Σ, the summed per-sample gradient variance
    gradient_norm2: float  # |G|², unbiased
    samples: int  # n, the subset's size

    def to_dict(self) -> dict[str, float | int | None]:
        return {
            "b_simple": self.b_simple,
            "trace_covariance": self.trace_covariance,
            "gradient_norm2": self.gradient_norm2,
            "samples": self.samples,
        }


SWEEP_COLUMNS = (
    "batch_size",
    "seed",
    "lr",
    "seconds_per_epoch",
    "samples_per_s",
    "peak_memory_mb",
    "steps_to_target",
    "epochs_to_target",
    "seconds_to_target",
    "final_train_loss",
    "val_accuracy",
    "generalization_gap",
    "status",
)
STATUSES = ("ok", "diverged", "target_not_reached", "out_of_memory")
PHASES = ("memory", "timing", "noise", "training", "done")


@dataclass(frozen=True)
class SweepRow:
    """One batch size trained with one seed (or refused), as sweep.csv writes it."""

    batch_size: int
    seed: int
    lr: float
    seconds_per_epoch: float | None
    samples_per_s: float | None
    peak_memory_mb: float | None
    steps_to_target: float | None
    epochs_to_target: float | None
    seconds_to_target: float | None
    final_train_loss: float | None
    val_accuracy: float | None
    generalization_gap: float | None  # train − validation accuracy at the end
    status: str
    samples_to_target: float | None = None  # for the samples law; not a column of sweep.csv

    def to_dict(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in SWEEP_COLUMNS}

    @classmethod
    def of_cost(cls, cost: BatchCost, seed: int, lr: float) -> SweepRow:
        """A row of the size's cost alone (nothing trained): its time and memory, measured, or
        for a size refused its predicted memory; its status is the cost's."""
        memory = cost.memory_bytes / 1e6 if math.isfinite(cost.memory_bytes) else None
        return cls(
            cost.batch_size,
            seed,
            lr,
            cost.seconds_per_epoch,
            cost.samples_per_s,
            memory,
            *(None,) * 6,
            cost.status,
        )


@dataclass(frozen=True)
class SweepResult:
    """What the sweep knows so far (`phase` "done": all of it)."""

    batch_sizes: tuple[int, ...]
    lr_rule: str
    target: tuple[str, float] | None
    budget_bytes: float  # inf where the available memory cannot be read and none was set
    memory_line: MemoryLine | None
    line_sizes: tuple[int, int]  # the two sizes measured for the line (1, 2 when all are over budget)
    costs: tuple[BatchCost, ...]  # one per size measured or refused so far
    rows: tuple[SweepRow, ...]
    lrs: dict[int, float]  # the rate each size trains at (tuned: once the first seed chose)
    noise_start: NoiseScale | None
    noise_midway: NoiseScale | None
    midway: tuple[int, float] | None  # (batch size, epochs) where the midway B_simple was taken
    steps_fit: TheoryFit | None
    samples_fit: TheoryFit | None
    phase: str
    seeds: int
    seed_index: int = 0  # the seed being trained (0-based), during "training"
    epoch: float = 0.0  # its epoch
    batch_size: int | None = None  # the size being timed, during "timing"
    tuning: dict[int, dict[float, float | None]] = field(default_factory=dict)  # B -> lr -> steps

    @property
    def finished(self) -> bool:
        return self.phase == "done"

    def time_optimal_batch(self) -> int | None:
        """The size whose mean seconds to the target is least (None before any reached it)."""
        means = mean_by_batch(self.rows, "seconds_to_target")
        return min(means, key=lambda b: means[b]) if means else None

    def to_dict(self) -> dict[str, object]:
        fit: dict[str, object] | None = None
        if self.steps_fit is not None or self.samples_fit is not None:
            s, e = self.steps_fit, self.samples_fit
            fit = {
                "s_min": _num(s.scale if s else None),
                "s_min_se": _num(s.scale_se if s else None),
                "b_crit": _num(s.b_crit if s else None),
                "b_crit_se": _num(s.b_crit_se if s else None),
                "e_min": _num(e.scale if e else None),
                "e_min_se": _num(e.scale_se if e else None),
                "b_crit_from_samples": _num(e.b_crit if e else None),
                "b_crit_from_samples_se": _num(e.b_crit_se if e else None),
                "points": s.points if s else 0,
            }
        return {
            "finished": self.finished,  # False: exported while it ran (the rows so far)
            "batch_sizes": list(self.batch_sizes),
            "lr_rule": self.lr_rule,
            "lr": {str(b): lr for b, lr in self.lrs.items()},
            "target": None if self.target is None else {"metric": self.target[0], "value": self.target[1]},
            "budget_mb": _num(self.budget_bytes / 1e6),
            "memory_line": None
            if self.memory_line is None
            else {
                "fixed_bytes": self.memory_line.fixed,
                "per_sample_bytes": self.memory_line.per_sample,
                "through_batch_sizes": list(self.line_sizes),
            },
            "fit": fit,
            "b_simple": {
                "start": None if self.noise_start is None else self.noise_start.b_simple,
                "midway": None if self.noise_midway is None else self.noise_midway.b_simple,
                "midway_batch_size": None if self.midway is None else self.midway[0],
                "midway_epochs": None if self.midway is None else self.midway[1],
                "subset": None if self.noise_start is None else self.noise_start.samples,
            },
            "time_optimal_batch_size": self.time_optimal_batch(),
            "costs": [c.to_dict() for c in self.costs],
            "tuning": {str(b): {repr(lr): s for lr, s in t.items()} for b, t in self.tuning.items()},
        }


def _num(v: float | None) -> float | None:
    """A number for JSON: None for nan and inf (summary.json allows neither)."""
    return None if v is None or not math.isfinite(v) else float(v)


def mean_by_batch(rows: Sequence[SweepRow], column: str) -> dict[int, float]:
    """The mean of `column` over each size's rows that have it."""
    values: dict[int, list[float]] = {}
    for r in rows:
        v = getattr(r, column)
        if v is not None and math.isfinite(v):
            values.setdefault(r.batch_size, []).append(float(v))
    return {b: float(np.mean(v)) for b, v in values.items()}
