"""One data-parallel worker's replica of a stack: its shard of every global batch, gradients
summed over the group by `torch.distributed.all_reduce`.

Every worker draws the epoch's batches exactly as one process at the global batch K·B would
(the same seeded generator, the same `epoch_segments`), then keeps its own slice of each:
worker r takes positions r·B … (r+1)·B of the batch, padded with weight 0 where the batch is
short (the last one of an epoch). Each sample is weighted 1/(global batch), so the SUM of the
workers' gradients is the one-process gradient of the global batch, and so are their batch
losses: the replicas take the same optimizer step and stay equal to the one process up to
float32 summation order (tests/engine/test_data_parallel.py).

Why an explicit `all_reduce` and not `DistributedDataParallel`: the engine trains runs as
stacked parameter tensors through functional losses (and the 2-D problems through
closed-form gradients, no autograd at all), not as `nn.Module`s, which is what DDP wraps. One
flat all-reduce per step (every gradient and the batch losses in one buffer) is what DDP's
bucketing would do for models this small anyway: one bucket.

Worker 0 reports (records rows, measures epochs, evaluates); the others only step, so a
network's costly passes are made once, not K times.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from engine.config import ExperimentConfig, RunSpec
from engine.training.stack import RunStack, _Segment

if TYPE_CHECKING:
    import torch

    from engine.problems.protocol import Problem


class ShardStack(RunStack):
    """A stack whose runs all have `workers` = world > 1, as worker `rank` of the group holds it."""

    def __init__(
        self,
        specs: list[RunSpec],
        config: ExperimentConfig,
        problem: Problem,
        starts: list[list[np.ndarray]],
        device: torch.device,
        seeds: list[int],
        rank: int,
        world: int,
        number: int = 0,
    ) -> None:
        self.rank, self.world = rank, world
        self.number = number  # which data-parallel stack of the session (the broadcast says)
        self.reports = rank == 0
        super().__init__(specs, config, problem, starts, device, seeds)
        # Each row's share per worker (rows in the stack's order, as `batches` are).
        by_label = {s.label: s for s in specs}
        self.shares = np.array([config.worker_batch_of(by_label[m.spec.label]) for m in self.members])

    # ----- the group -----

    def advance(self, due: int) -> int:
        """Step every worker to iteration `due`: worker 0 tells the others first (its
        broadcast is what their `follow` loop waits on), then all step together to the same
        iteration. Worker 0 alone knows when every run has diverged (its flush finds it): then
        it tells the others nothing more, and they take no more steps either."""
        import torch
        import torch.distributed as dist

        due = min(due, self.total)
        if self.rank == 0:
            if due <= self.iteration or not self.active:  # nothing to do: the others are not told
                return 0
            dist.broadcast(torch.tensor([self.number, due], dtype=torch.int64), src=0)
        start = self.iteration
        while self.iteration < due:
            self.step()
        return self.iteration - start

    def reduce(self, losses: torch.Tensor | None) -> torch.Tensor | None:
        import torch
        import torch.distributed as dist

        grads = [p.grad for group in self.groups for p in group]
        parts = [g.reshape(-1) for g in grads if g is not None]
        if losses is not None:
            parts.append(losses.detach().reshape(-1))
        flat = torch.cat(parts)
        dist.all_reduce(flat)  # SUM: each shard's samples are already weighted 1/(global batch)
        at = 0
        for g in grads:
            if g is not None:
                g.copy_(flat[at : at + g.numel()].view(g.shape))
                at += g.numel()
        return None if losses is None else flat[at:].view(losses.shape)

    # ----- the shard -----

    def _new_epoch(self) -> None:
        """The epoch's global batches, drawn as one process at K·B draws them; this worker's
        slice of each, weighted 1/(global batch), 0 on padding."""
        from engine.training.sampling import epoch_segments

        c = self.config
        per_run = [
            epoch_segments(c.n_samples, int(b), self.ipe, self.sampling, c.drop_last, g)
            for b, g in zip(self.batches, self.generators, strict=True)
        ]
        self.segments = self._shard_segments(per_run)
        self.segment = self.segments[0]
        self.segment_pos = 0

    def _shard_segments(self, per_run: list[list[torch.Tensor]]) -> list[_Segment]:
        import torch

        width = int(self.shares.max())
        sizes = np.zeros((self.ipe, self.runs), dtype=np.int64)  # global batch per iteration
        local = np.zeros((self.ipe, self.runs), dtype=np.int64)  # this worker's part of it
        idx = torch.zeros((self.ipe, self.runs, width), dtype=torch.int64)
        for r, segs in enumerate(per_run):
            share = int(self.shares[r])
            lo = self.rank * share
            k = 0
            for s in segs:
                part = s[:, lo : lo + share]
                idx[k : k + len(s), r, : part.shape[1]] = part
                sizes[k : k + len(s), r] = s.shape[1]
                local[k : k + len(s), r] = part.shape[1]
                k += len(s)
        segments = []
        k = 0
        while k < self.ipe:
            end = k + 1
            while end < self.ipe and (sizes[end] == sizes[k]).all():
                end += 1
            b = max(int(local[k].max()), 1)  # a worker with no samples left still steps (weight 0)
            cols = torch.arange(b)
            counts = torch.as_tensor(local[k])
            weights = (cols[None, :] < counts[:, None]).float() / torch.as_tensor(sizes[k]).float()[:, None]
            data = self.problem.prepare(idx[k:end, :, :b].to(self.device))
            segments.append(_Segment(k, end, data, weights.to(self.device), sizes[k].copy()))
            k = end
        return segments

    # ----- reporting: worker 0 only -----

    def initial_losses(self, blocks: list[torch.Tensor]) -> np.ndarray:
        if self.reports:
            return super().initial_losses(blocks)
        return np.zeros(len(blocks[0]))  # never reported: worker 0's are

    def record(self, losses: torch.Tensor | None = None) -> None:
        if self.reports:
            super().record(losses)

    def record_start(self) -> None:
        if self.reports:
            super().record_start()

    def measure_epoch(self) -> None:
        if self.reports:
            super().measure_epoch()

    def snapshot(self) -> None:
        if self.reports:
            super().snapshot()
