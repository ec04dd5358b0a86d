"""Data-parallel runs on `torch.distributed`: K worker processes, each with a replica of the
run and a shard of every global batch of K·B, their gradients summed by all-reduce.

- `shard.py`: one worker's replica (`ShardStack`): its slice of the batches, the all-reduce.
- `worker.py`: what a worker process runs; worker 0 is the group's hub.
- `remote.py`: the session's side of a spawned group (`RemoteStack`, RunStack's interface).
- `torchrun.py`: joining a group that `torchrun` started, on one machine or several.

`parallel_stack` is what the session calls for a stack whose runs have workers > 1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.config import ExperimentConfig, RunSpec

if TYPE_CHECKING:
    import numpy as np
    import torch

    from engine.problems.protocol import Problem
    from engine.training.parallel.remote import RemoteStack
    from engine.training.parallel.shard import ShardStack


def parallel_stack(
    specs: list[RunSpec],
    config: ExperimentConfig,
    problem: Problem,
    starts: list[list[np.ndarray]],
    device: torch.device,
    seeds: list[int],
    number: int,
) -> RemoteStack | ShardStack:
    """The `number`-th data-parallel stack of the session: this process's own replica as
    worker 0 of a torchrun group it has joined, else a group of spawned workers."""
    from engine.training.parallel.torchrun import joined

    group = joined()
    if group is not None:
        from engine.training.parallel.shard import ShardStack

        rank, world = group
        return ShardStack(specs, config, problem, starts, device, seeds, rank, world, number)
    from engine.training.parallel.remote import RemoteStack

    return RemoteStack(specs, config)
