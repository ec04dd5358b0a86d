"""Joining a group that `torchrun` launched, instead of spawning one.

    torchrun --nnodes N --nproc-per-node K main.py run data-parallel --out DIR

starts N·K copies of the command, on one machine or several, with RANK, WORLD_SIZE,
LOCAL_RANK, MASTER_ADDR and MASTER_PORT in their environment. Each copy joins that one
process group (`init_method="env://"`). Copy 0 runs the session as `main.py run` always does
(its data-parallel stacks are its own `ShardStack`s, which tell the others when to step);
the others build the same replicas and `follow` (worker.py). Every run with workers > 1 is
trained by the whole group: its `workers` becomes the group's size.
"""

from __future__ import annotations

import dataclasses
import os

from engine.config import ExperimentConfig
from engine.errors import ConfigError

_joined: dict[str, int] = {}  # rank and world once this process has joined a torchrun group
_joined_once: list[bool] = []  # [True] once it has (and so must leave with os._exit: main.py)


def launched() -> tuple[int, int, int] | None:
    """(rank, world, local rank) when torchrun started this process, else None."""
    env = os.environ
    if "TORCHELASTIC_RUN_ID" not in env or "RANK" not in env or "WORLD_SIZE" not in env:
        return None
    return int(env["RANK"]), int(env["WORLD_SIZE"]), int(env.get("LOCAL_RANK", "0"))


def for_group(config: ExperimentConfig, world: int) -> ExperimentConfig:
    """`config` with every data-parallel run on `world` workers (refused where K·B > N)."""
    if world < 2:
        raise ConfigError(
            f"torchrun started {world} process; data-parallel runs need at least 2 "
            "(--nproc-per-node 2, or --nnodes 2)",
            "workers",
            "torchrun_world",
        )
    runs = tuple(dataclasses.replace(r, workers=world) if r.workers > 1 else r for r in config.runs)
    return dataclasses.replace(config, runs=runs)  # validated again: K·B ≤ N


def join(config: ExperimentConfig) -> tuple[int, int]:
    """Join torchrun's group (this process's rank and the world size)."""
    import torch.distributed as dist

    from engine.training.parallel.worker import GROUP_TIMEOUT, worker_device, worker_threads

    found = launched()
    assert found is not None
    rank, world, local = found
    local_world = int(os.environ.get("LOCAL_WORLD_SIZE", world))
    worker_threads(local_world)
    _, backend = worker_device(config, local, local_world)
    dist.init_process_group(backend, init_method="env://", timeout=GROUP_TIMEOUT)
    _joined.update(rank=rank, world=world, local=local, local_world=local_world)
    _joined_once.append(True)
    return rank, world


def joined() -> tuple[int, int] | None:
    """(rank, world) of the torchrun group this process has joined, else None."""
    return (_joined["rank"], _joined["world"]) if _joined else None


def follow_session(config: ExperimentConfig) -> None:
    """A copy other than 0: hold the replicas and step them when copy 0 says, until it ends."""
    from engine.training.parallel.worker import follow, shard_stacks, worker_device

    rank, world = _joined["rank"], _joined["world"]
    device, _ = worker_device(config, _joined["local"], _joined["local_world"])
    follow(shard_stacks(config, rank, world, device))


def leave() -> None:
    """Copy 0 at the end of its session (however it ended): release the others.

    The group is not destroyed, here or by the others: tearing gloo down (destroy, or the
    interpreter's exit after it) aborted a copy now and then ("terminate called without an
    active exception", 1 run in 8 here, failing the whole torchrun job after its results were
    written). main.py ends a process that joined a group with `os._exit` instead (`joined_once`),
    and the operating system closes its connections."""
    from engine.training.parallel.worker import release_followers

    try:
        if _joined and _joined["rank"] == 0:
            release_followers()
    except Exception:  # a group that already broke: what broke it is the error to tell
        pass
    finally:
        _joined.clear()


def joined_once() -> bool:
    """Whether this process joined a torchrun group (and so must end with `os._exit`)."""
    return bool(_joined_once)
