"""A training step's memory as a line in the batch size: two measured sizes predict any other.

Every part of a step but the parameters and the optimizer's state grows linearly with B
(step_memory.py counts them), so the line through two steps is exact for the rest. No torch
here: the views and the results folder read it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


class _Measured(Protocol):
    @property
    def batch_size(self) -> int: ...
    @property
    def total(self) -> int: ...


@dataclass(frozen=True)
class MemoryLine:
    """Memory = fixed + per_sample · B, through two measured steps."""

    fixed: float
    per_sample: float

    @classmethod
    def through(cls, small: _Measured, large: _Measured) -> MemoryLine:
        if small.batch_size == large.batch_size:
            raise ValueError("a memory line needs steps at two different batch sizes")
        slope = (large.total - small.total) / (large.batch_size - small.batch_size)
        return cls(fixed=small.total - slope * small.batch_size, per_sample=slope)

    def predict(self, batch_size: float) -> float:
        return self.fixed + self.per_sample * batch_size

    def largest_within(self, budget: float) -> int:
        """The largest batch size whose predicted step fits `budget` bytes (0: none does)."""
        if self.per_sample <= 0:
            raise ValueError("memory that does not grow with the batch has no largest batch size")
        return max(int((budget - self.fixed) // self.per_sample), 0)
