"""Which samples each iteration sees: shuffle-and-partition, or draws with replacement.

Batches are index tensors into data that already lives on the device; no per-sample
DataLoader work. All randomness comes from the run's own `torch.Generator`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch


def epoch_batches(
    n: int,
    batch: int,
    iterations: int,
    sampling: str,
    drop_last: bool,
    generator: torch.Generator,
) -> list[torch.Tensor]:
    """Index tensors (CPU, int64) for one epoch's `iterations` batches.

    Parameters
    ----------
    n, batch : data set size and batch size (1 ≤ batch ≤ n).
    iterations : batches in the epoch (from `iterations_per_epoch`).
    sampling : "shuffle" permutes the data and cuts it into consecutive batches (the last one
        short unless `drop_last`); "replacement" draws every batch uniformly with replacement.
    generator : the run's seeded generator; it advances, so the next epoch differs.
    """
    import torch

    if sampling == "replacement":
        draws = torch.randint(0, n, (iterations, batch), generator=generator)
        return list(draws.unbind(0))
    if batch == n:
        # A full batch is the same set in any order: skip the shuffle so that GD sums in data
        # order and matches a plain full-batch loop bit for bit.
        return [torch.arange(n)]
    order = torch.randperm(n, generator=generator)
    batches = list(torch.split(order, batch))
    if drop_last and len(batches[-1]) < batch:
        batches.pop()
    assert len(batches) == iterations, (len(batches), iterations)
    return batches
