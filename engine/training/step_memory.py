"""One training step's memory, measured part by part, and its line in the batch size.

On the CPU there is no allocator high-water mark to read, so a step is counted as its parts:
the bytes autograd saves for backward (counted with `torch.autograd.graph.saved_tensors_hooks`,
each storage once, the parameters and the batch not again), the parameters, their gradients,
the optimizer's state after the step, and the batch itself. Every part but the parameters and
the optimizer grows linearly with the batch size B, so two measured sizes predict any other
(`MemoryLine`): the sweep's memory view draws that line and refuses the sizes above its budget.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import torch
from torch import nn


@dataclass(frozen=True)
class StepMemory:
    """Bytes of one training step at batch size `batch_size`, by part."""

    batch_size: int
    activations: int  # what autograd saves for backward (not the parameters, not the batch)
    parameters: int
    gradients: int
    optimizer_state: int
    batch: int

    @property
    def total(self) -> int:
        return self.activations + self.parameters + self.gradients + self.optimizer_state + self.batch


def measure_step(
    model: nn.Module,
    x: torch.Tensor,
    y: torch.Tensor,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    optimizer: torch.optim.Optimizer,
) -> StepMemory:
    """Take one training step of `model` on (x, y) and count its memory (the step changes the
    model and the optimizer: measure on copies)."""
    parameters = [p for p in model.parameters() if p.requires_grad]
    optimizer.zero_grad(set_to_none=True)
    with SavedBytes(exclude=[*parameters, x, y]) as saved:
        loss = loss_fn(model(x), y)
    loss.backward()  # type: ignore[no-untyped-call]  # torch leaves Tensor.backward unannotated
    optimizer.step()
    state = [v for s in optimizer.state.values() for v in s.values() if isinstance(v, torch.Tensor)]
    return StepMemory(
        batch_size=int(x.shape[0]),
        activations=saved.total,
        parameters=_nbytes(parameters),
        gradients=_nbytes([p.grad for p in parameters if p.grad is not None]),
        optimizer_state=_nbytes(state),
        batch=_nbytes([x, y]),
    )


class SavedBytes:
    """Inside `with SavedBytes(exclude) as saved:`, the bytes autograd saves for backward are
    counted in `saved.total`: each storage once (a view or an output saved twice counts once),
    the storages of `exclude` (parameters, the batch: counted apart) not at all."""

    def __init__(self, exclude: Sequence[torch.Tensor] = ()) -> None:
        self._skip = {t.untyped_storage().data_ptr() for t in exclude}
        self._seen: dict[int, int] = {}
        self._hooks = torch.autograd.graph.saved_tensors_hooks(self._pack, lambda t: t)

    def _pack(self, t: torch.Tensor) -> torch.Tensor:
        storage = t.untyped_storage()
        if storage.data_ptr() not in self._skip:
            self._seen[storage.data_ptr()] = storage.nbytes()
        return t

    @property
    def total(self) -> int:
        return sum(self._seen.values())

    def __enter__(self) -> SavedBytes:
        self._hooks.__enter__()
        return self

    def __exit__(self, *exc: object) -> None:
        self._hooks.__exit__(*exc)


def _nbytes(tensors: Sequence[torch.Tensor]) -> int:
    return sum(t.numel() * t.element_size() for t in tensors)


@dataclass(frozen=True)
class MemoryLine:
    """Memory = fixed + per_sample · B, through two measured steps."""

    fixed: float
    per_sample: float

    @classmethod
    def through(cls, small: StepMemory, large: StepMemory) -> MemoryLine:
        if small.batch_size == large.batch_size:
            raise ValueError("a memory line needs steps at two different batch sizes")
        slope = (large.total - small.total) / (large.batch_size - small.batch_size)
        return cls(fixed=small.total - slope * small.batch_size, per_sample=slope)

    def predict(self, batch_size: int) -> float:
        return self.fixed + self.per_sample * batch_size

    def largest_within(self, budget: float) -> int:
        """The largest batch size whose predicted step fits `budget` bytes (0: none does)."""
        if self.per_sample <= 0:
            raise ValueError("memory that does not grow with the batch has no largest batch size")
        return max(int((budget - self.fixed) // self.per_sample), 0)
