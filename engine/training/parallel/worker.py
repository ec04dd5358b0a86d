"""What a data-parallel worker process runs: join the group, build its replicas, then step
when worker 0 says so.

Worker 0 is the group's hub. Spawned by a session (`remote.py`), it takes commands from the
session over a pipe, tells the other workers to step with one `broadcast` of
(stack number, iteration), and answers with what the session needs (rows, results). Under
`torchrun` the session itself is worker 0 (`torchrun.py`). The other workers only `follow`.

A worker that loses its group (another one killed, the session gone) exits: a collective
with a dead peer raises, a pipe whose other end is closed reads as EOF, and on Linux the
kernel kills a spawned worker when the process that spawned it dies (PR_SET_PDEATHSIG).
"""

from __future__ import annotations

import dataclasses
import os
import signal
import sys
import threading
from datetime import timedelta
from multiprocessing.connection import Connection
from typing import TYPE_CHECKING, Any

from engine.config import ExperimentConfig
from engine.control import Interrupted

if TYPE_CHECKING:
    import torch

    from engine.training.parallel.shard import ShardStack

# How long a collective waits for a worker that does not answer before the group gives up:
# a day, i.e. never in practice. The followers wait in a broadcast for as long as the session
# is paused (a lecture's discussion) or worker 0 works alone (its other runs, an instrument
# after training), and a worker that dies is noticed at once anyway: by its closed
# connections, by the session watching the processes, by torchrun's agent.
GROUP_TIMEOUT = timedelta(days=1)
QUIT = (-1, -1)  # the broadcast that ends the followers' loop


def die_with_parent(parent: int) -> None:
    """Ask the kernel to kill this process when its parent dies (Linux), so no worker is left
    behind by a session killed with SIGKILL; elsewhere the pipe's EOF ends worker 0."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # the parent died before the request was made
        os._exit(1)


def worker_device(config: ExperimentConfig, local_rank: int, local_world: int) -> tuple[torch.device, str]:
    """(device, backend): a GPU per worker of this machine when there are enough of them, its
    gradients all-reduced by NCCL and the small CPU tensors that say when to step by gloo;
    else gloo for everything (on the CPU, or K workers sharing one GPU, which NCCL refuses)."""
    import torch

    from engine.training.device import resolve_device

    device = resolve_device(config.device)
    if device.type == "cuda" and torch.cuda.device_count() >= local_world:
        torch.cuda.set_device(local_rank)
        return torch.device("cuda", local_rank), "cpu:gloo,cuda:nccl"
    return device, "gloo"


def worker_threads(world: int) -> None:
    """Intra-op threads for one of `world` workers on this machine: the session's count
    (engine/training/device.py) split between them, at least one each."""
    import torch

    from engine.training.device import threads_for, usable_cpus

    if "OMP_NUM_THREADS" not in os.environ:
        torch.set_num_threads(max(1, threads_for(usable_cpus(), torch.get_num_threads()) // world))


def shard_stacks(config: ExperimentConfig, rank: int, world: int, device: torch.device) -> list[ShardStack]:
    """This worker's replica of every data-parallel stack of `config`, numbered in order."""
    from engine.problems import make_problem
    from engine.seeds import batch_seed, derive_seed
    from engine.training.parallel.shard import ShardStack
    from engine.training.stack import stack_groups
    from engine.training.start import start_point

    problem = make_problem(config, device, derive_seed(config.seed, "data"))
    start = start_point(config, problem)
    groups = [specs for specs in stack_groups(config) if specs[0].workers > 1]
    return [
        ShardStack(
            specs,
            config,
            problem,
            [problem.initial_blocks(start, config.init_of(s)) for s in specs],
            device,
            [batch_seed(config, s) for s in specs],
            rank,
            world,
            number,
        )
        for number, specs in enumerate(groups)
    ]


def follow(stacks: list[ShardStack]) -> None:
    """A worker other than 0: step each stack as worker 0's broadcasts say, until told to quit."""
    import torch
    import torch.distributed as dist

    order = torch.zeros(2, dtype=torch.int64)
    while True:
        dist.broadcast(order, src=0)
        number, due = (int(v) for v in order)
        if number < 0:
            return
        stacks[number].advance(due)


def release_followers() -> None:
    """Worker 0: end the other workers' `follow` loops."""
    import torch
    import torch.distributed as dist

    dist.broadcast(torch.tensor(QUIT, dtype=torch.int64), src=0)


def state(stack: ShardStack, full: bool) -> dict[str, Any]:
    """What the session's mirror of `stack` needs to know after a command (`remote.py`)."""
    out: dict[str, Any] = {
        "iteration": stack.iteration,
        "samples": stack.samples.copy(),
        "wall": stack.wall,
        "pending": stack.pending,
    }
    if full:
        out["members"] = [dataclasses.replace(m, new_epochs=list(m.new_epochs)) for m in stack.members]
        out["lrs"] = [stack.lr_of_row(m.row) for m in stack.members]
    return out


def serve(stacks: list[ShardStack], conn: Connection) -> None:
    """Worker 0 of a spawned group: answer the session's commands, each about one of the
    stacks (by number), until it says quit or goes."""
    while True:
        try:
            op, *args = conn.recv()
        except (EOFError, OSError):  # the session is gone
            op, args = "quit", []
        if op == "quit":
            release_followers()
            return
        stack = stacks[int(args[0])]
        if op == "advance":
            stack.advance(int(args[1]))
            conn.send(("ok", state(stack, full=False)))
        elif op == "start":
            stack.record_start()
            conn.send(("ok", state(stack, full=True)))
        elif op == "flush":
            rows = stack.flush()
            conn.send(("ok", rows, state(stack, full=True)))
            for m in stack.members:
                m.new_epochs.clear()  # the session has them now
        elif op == "final":
            try:
                result = stack.final()
            except Interrupted:  # the session's stop cut a network's pass over all N short
                conn.send(("stopped",))
                continue
            conn.send(("ok", result, state(stack, full=True)))
        elif op == "trajectory":
            conn.send(("ok", stack.trajectory(int(args[1]))))
        else:
            raise ValueError(f"unknown command {op!r}")


def spawned(
    rank: int,
    world: int,
    config_data: dict[str, Any],
    store: str,
    parent: int,
    conn: Connection | None,
    stop: threading.Event | None = None,
) -> None:
    """The entry point of a worker that a session spawned (torch.multiprocessing, "spawn")."""
    die_with_parent(parent)
    # Ctrl-C in a terminal reaches every process of its group: the session stops the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import torch.distributed as dist

        config = ExperimentConfig.from_dict(config_data)
        worker_threads(world)
        device, backend = worker_device(config, rank, world)
        dist.init_process_group(
            backend, init_method=f"file://{store}", rank=rank, world_size=world, timeout=GROUP_TIMEOUT
        )
        stacks = shard_stacks(config, rank, world, device)
        if conn is None:
            follow(stacks)
        else:
            for st in stacks:
                st.stop = stop  # the session's stop, shared: worker 0's long passes end early
            conn.send(("ready", [state(st, full=True) for st in stacks]))
            serve(stacks, conn)
        # At once, and without destroying the group: tearing torch and gloo down takes a
        # second the session would wait for, and now and then aborts ("terminate called
        # without an active exception" on the terminal; see torchrun.py's `leave`).
        os._exit(0)
    except BaseException as exc:  # whatever ended it, the session says it in one sentence
        if conn is not None:
            try:
                conn.send(("error", f"{type(exc).__name__}: {exc}".splitlines()[0][:300]))
            except (OSError, ValueError):
                pass
        os._exit(1)  # no traceback on the terminal: the session reports it once
