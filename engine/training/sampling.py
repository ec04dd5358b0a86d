"""Which samples each iteration sees: shuffle-and-partition, or draws with replacement.

Batches are index tensors into data that already lives on the device; no per-sample
DataLoader work. All randomness comes from the run's own `torch.Generator`, and one epoch
costs one `randperm` (or one `randint`) call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch


def epoch_segments(
    n: int,
    batch: int,
    iterations: int,
    sampling: str,
    drop_last: bool,
    generator: torch.Generator,
) -> list[torch.Tensor]:
    """One epoch's batches as (K, b) int64 CPU tensors of equal-size batches, in order.

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
        return [torch.randint(0, n, (iterations, batch), generator=generator)]
    if batch == n:
        # A full batch is the same set in any order: skip the shuffle so that GD sums in data
        # order and matches a plain full-batch loop bit for bit.
        return [torch.arange(n).view(1, n)]
    order = torch.randperm(n, generator=generator)
    full = n // batch
    segments = [order[: full * batch].view(full, batch)]
    if not drop_last and full * batch < n:
        segments.append(order[full * batch :].view(1, -1))
    assert sum(len(s) for s in segments) == iterations, (segments, iterations)
    return segments
