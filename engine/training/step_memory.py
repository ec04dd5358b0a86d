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

from engine.training.memory_line import MemoryLine

__all__ = ["MemoryLine", "SavedBytes", "StepMemory", "measure_loss_step", "measure_step"]


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
    return measure_loss_step(parameters, lambda: loss_fn(model(x), y), optimizer, [x, y])


def measure_loss_step(
    parameters: Sequence[torch.Tensor],
    loss_of: Callable[[], torch.Tensor],
    optimizer: torch.optim.Optimizer,
    batch: Sequence[torch.Tensor],
) -> StepMemory:
    """One step of `optimizer` over `parameters` on the loss `loss_of()` computes from `batch`
    (leading axis: the samples), counted part by part. On CUDA the activations are the
    allocator's peak during the step less what was allocated before it and the other parts
    (gradients, optimizer state) made meanwhile; elsewhere autograd's saved bytes."""
    cuda = parameters[0].device.type == "cuda"
    optimizer.zero_grad(set_to_none=True)
    if cuda:
        torch.cuda.synchronize()
        torch.cuda.reset_peak_memory_stats()
        before = torch.cuda.memory_allocated()
    with SavedBytes(exclude=[*parameters, *batch]) as saved:
        loss = loss_of()
    loss.backward()  # type: ignore[no-untyped-call]  # torch leaves Tensor.backward unannotated
    optimizer.step()
    state = [v for s in optimizer.state.values() for v in s.values() if isinstance(v, torch.Tensor)]
    gradients = _nbytes([p.grad for p in parameters if p.grad is not None])
    activations = saved.total
    if cuda:
        torch.cuda.synchronize()
        activations = max(torch.cuda.max_memory_allocated() - before - gradients - _nbytes(state), 0)
    return StepMemory(
        batch_size=int(batch[0].shape[0]),
        activations=activations,
        parameters=_nbytes(parameters),
        gradients=gradients,
        optimizer_state=_nbytes(state),
        batch=_nbytes(batch),
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
