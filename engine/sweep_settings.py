"""What a batch-size sweep measures (`ExperimentConfig.sweep`, used when `measure` holds "sweep").

Plain frozen data, checked on construction like the config itself: a value out of range is
refused with a sentence that names the field (`sweep.seeds`, …) and what it may be.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine.checks import check_choice, check_float, check_int
from engine.errors import ConfigError, shown

# How the learning rate follows B in a sweep: "fixed" (the config's lr at every B), "linear" and
# "sqrt" (scaled from the config's lr_reference_batch, as the runs' lr_scaling does), "tuned"
# (the best of TUNE_FACTORS × lr at each B, picked on the first seed: the theory assumes the
# best rate at each batch size).
LR_RULES = ("fixed", "linear", "sqrt", "tuned")
TUNE_FACTORS = (0.25, 0.5, 1.0, 2.0, 4.0)
MAX_SIZES = 16
MAX_SEEDS = 20
MAX_BUDGET_MB = 1e9  # a petabyte: any real budget is below it


@dataclass(frozen=True)
class SweepSettings:
    """The batch sizes to try, how often, at which rate, to which target, within which memory."""

    batch_sizes: tuple[int, ...] = (8, 16, 32, 64, 128, 256, 512, 1024)
    # Trainings per batch size, each with its own seed (data split, weights, batch order);
    # 0: only the cost (time and memory) of each size is measured, nothing is trained.
    seeds: int = 3
    lr_rule: str = "fixed"
    # The target that "steps to target" counts to: a validation accuracy (0..1) or a training
    # loss (> 0); at most one. None for both: no target, the sweep compares final figures only.
    target_accuracy: float | None = None
    target_loss: float | None = None
    # Bytes one training step may use, in MB; a size predicted above it is not run (its row says
    # out_of_memory). None: BUDGET_SHARE of the memory available when the sweep starts.
    memory_budget_mb: float | None = None

    def __post_init__(self) -> None:
        sizes = self.batch_sizes
        if not isinstance(sizes, (tuple, list)) or not 2 <= len(sizes) <= MAX_SIZES:
            raise ConfigError(
                f"sweep.batch_sizes must be a list of 2 to {MAX_SIZES} batch sizes (got {shown(sizes)})",
                "sweep.batch_sizes",
                "list",
                got=sizes,
            )
        for b in sizes:
            check_int("sweep.batch_sizes", b, 1, 1_000_000)
        if len(set(sizes)) != len(sizes):
            raise ConfigError(
                "sweep.batch_sizes must name each batch size once", "sweep.batch_sizes", "twice"
            )
        object.__setattr__(self, "batch_sizes", tuple(sorted(sizes)))
        check_int("sweep.seeds", self.seeds, 0, MAX_SEEDS)
        check_choice("sweep.lr_rule", self.lr_rule, LR_RULES)
        if self.target_accuracy is not None:
            check_float("sweep.target_accuracy", self.target_accuracy, 0.0, low_open=True, high=1.0)
            object.__setattr__(self, "target_accuracy", float(self.target_accuracy))
        if self.target_loss is not None:
            check_float("sweep.target_loss", self.target_loss, 0.0, low_open=True, high=1e6)
            object.__setattr__(self, "target_loss", float(self.target_loss))
        if self.target_accuracy is not None and self.target_loss is not None:
            raise ConfigError(
                "sweep: set target_accuracy or target_loss, not both", "sweep.target_loss", "one_target"
            )
        if self.memory_budget_mb is not None:
            check_float(
                "sweep.memory_budget_mb", self.memory_budget_mb, 0.0, low_open=True, high=MAX_BUDGET_MB
            )
            object.__setattr__(self, "memory_budget_mb", float(self.memory_budget_mb))

    @property
    def target(self) -> tuple[str, float] | None:
        """("val_accuracy", 0.9), ("train_loss", 0.1) or None."""
        if self.target_accuracy is not None:
            return "val_accuracy", self.target_accuracy
        if self.target_loss is not None:
            return "train_loss", self.target_loss
        return None

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["batch_sizes"] = list(self.batch_sizes)
        return d

    @classmethod
    def from_dict(cls, data: Any) -> SweepSettings:
        if isinstance(data, SweepSettings):
            return data
        if not isinstance(data, Mapping):
            raise ConfigError(f"sweep must be an object of settings (got {shown(data)})", "sweep", "mapping")
        known = [f.name for f in dataclasses.fields(cls)]
        unknown = sorted((k for k in data if k not in known), key=str)
        if unknown:
            raise ConfigError(
                f"unknown sweep field {shown(unknown[0])}; known: {', '.join(known)}", "sweep", "unknown"
            )
        kwargs = dict(data)
        for name in ("target_accuracy", "target_loss", "memory_budget_mb"):
            v = kwargs.get(name)
            if isinstance(v, int) and not isinstance(v, bool) and abs(v) < 1e308:
                kwargs[name] = float(v)
        return cls(**kwargs)
