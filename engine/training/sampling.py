"""Which samples each iteration sees: shuffle-and-partition, or draws with replacement.

Batches are index tensors into data that already lives on the device; no per-sample
DataLoader work. All randomness comes from the run's own `torch.Generator`, and one epoch
costs one `randperm` (or one `randint`) call.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.config import ExperimentConfig, RunSpec
from engine.seeds import batch_seed

if TYPE_CHECKING:
    import numpy as np
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


class BatchOrder:
    """The batches one run draws, epoch by epoch, recomputed from its seed (for pictures of
    them: the session's own generator stays inside the session).

    `epoch(k)` returns epoch k's batches (0-based) as int64 index arrays, in the order the run
    steps through them. Going forward reuses the generator; going back restarts it from the
    nearest kept state (one every SNAPSHOT_EVERY epochs, at most MAX_SNAPSHOTS of ~5 kB), so a
    timeline dragged back costs at most that many epochs' draws.
    """

    SNAPSHOT_EVERY = 10
    MAX_SNAPSHOTS = 1000

    def __init__(
        self, n: int, batch: int, iterations: int, sampling: str, drop_last: bool, seed: int
    ) -> None:
        self.n, self.batch, self.iterations = n, batch, iterations
        self.sampling, self.drop_last, self.seed = sampling, drop_last, seed
        self._next = 0  # the epoch the generator will draw next
        self._generator: torch.Generator | None = None
        self._cache: tuple[int, list[np.ndarray]] | None = None
        self._snapshots: dict[int, torch.Tensor] = {}  # epoch -> generator state before it

    def epoch(self, k: int) -> list[np.ndarray]:
        import torch

        if self._cache is not None and self._cache[0] == k:
            return self._cache[1]
        if self._generator is None or k < self._next:
            self._generator, self._next = torch.Generator().manual_seed(self.seed), 0
            kept = max((e for e in self._snapshots if e <= k), default=None)
            if kept is not None:
                self._generator.set_state(self._snapshots[kept])
                self._next = kept
        while True:
            if self._next % self.SNAPSHOT_EVERY == 0 and len(self._snapshots) < self.MAX_SNAPSHOTS:
                self._snapshots.setdefault(self._next, self._generator.get_state())
            segments = epoch_segments(
                self.n, self.batch, self.iterations, self.sampling, self.drop_last, self._generator
            )
            self._next += 1
            if self._next > k:
                break
        batches = [row.numpy() for segment in segments for row in segment]
        self._cache = (k, batches)
        return batches


def batch_order(config: ExperimentConfig, spec: RunSpec) -> BatchOrder:
    """The batches `spec` draws in `config`'s session, epoch by epoch (see `BatchOrder`)."""
    return BatchOrder(
        config.n_samples,
        config.batch_size_of(spec),
        config.iterations_per_epoch(spec),
        config.sampling_of(spec),
        config.drop_last,
        batch_seed(config, spec),
    )
