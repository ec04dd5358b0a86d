"""Data-parallel runs on `torch.distributed`: K worker processes, each with a replica of the
run and a shard of every global batch of K·B, their gradients summed by all-reduce.

- `shard.py`: one worker's replica (`ShardStack`): its slice of the batches, the all-reduce.
- `worker.py`: what a worker process runs; worker 0 is the group's hub.
- `remote.py`: the session's side of a spawned group (`RemoteStack`, RunStack's interface).
- `torchrun.py`: joining a group that `torchrun` started, on one machine or several.

`parallel_stacks` is what the session calls for its stacks whose runs have workers > 1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from engine.config import ExperimentConfig, RunSpec

if TYPE_CHECKING:
    import numpy as np
    import torch

    from engine.problems.protocol import Problem
    from engine.training.stack import Stack


def parallel_stacks(
    groups: list[list[RunSpec]],
    config: ExperimentConfig,
    problem: Problem,
    starts: list[list[list[np.ndarray]]],
    device: torch.device,
    seeds: list[list[int]],
) -> list[Stack]:
    """The session's data-parallel stacks, one per group of runs (`stack_groups`' order), with
    each group's starts and batch seeds: this process's own replicas as worker 0 of a torchrun
    group it has joined, else one group of spawned workers for all the stacks with the same K.

    Stacks are numbered as every worker numbers them (`worker.shard_stacks`): in order, among
    those with the same K (under torchrun every one has the group's size)."""
    from engine.training.parallel.torchrun import joined

    group = joined()
    if group is not None:
        from engine.training.parallel.shard import ShardStack

        rank, world = group
        return [
            ShardStack(specs, config, problem, starts[i], device, seeds[i], rank, world, i)
            for i, specs in enumerate(groups)
        ]
    from engine.training.parallel.remote import RemoteStack, SpawnedGroup

    out: list[Stack] = []
    spawned: dict[int, SpawnedGroup] = {}
    try:
        for k in dict.fromkeys(specs[0].workers for specs in groups):  # each K once, in order
            spawned[k] = SpawnedGroup(config, [r for specs in groups if specs[0].workers == k for r in specs])
        numbers: dict[int, int] = {}
        for specs in groups:
            k = specs[0].workers
            out.append(RemoteStack(spawned[k], numbers.setdefault(k, 0), specs, config))
            numbers[k] += 1
    except BaseException:
        for g in spawned.values():
            g.close()
        raise
    return out
