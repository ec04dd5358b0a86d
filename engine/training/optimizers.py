"""Building a run's optimizer: an entry of the table (engine/optimizer_specs.py) as the real
`torch.optim` class."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from engine.optimizer_specs import OPTIMIZERS, ParamRange, check_optimizer, torch_kwargs

if TYPE_CHECKING:
    import torch

__all__ = ["OPTIMIZERS", "ParamRange", "build_optimizer", "check_optimizer", "torch_kwargs"]


def build_optimizer(
    name: str,
    params: Iterable[torch.Tensor] | Iterable[dict[str, Any]],
    lr: float,
    options: Mapping[str, Any],
    foreach: bool | None = None,
) -> torch.optim.Optimizer:
    """Construct the `torch.optim` optimizer called `name` over `params` (tensors or param groups).

    `foreach` picks torch's multi-tensor kernels (None: torch's default for the device).
    """
    import torch

    check_optimizer(name, options)
    cls = getattr(torch.optim, OPTIMIZERS[name][0])
    optimizer: torch.optim.Optimizer = cls(params, lr=lr, foreach=foreach, **torch_kwargs(name, options))
    return optimizer
