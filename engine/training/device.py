"""Choosing the device at the start of a session, describing it in words, and the process's
intra-op thread count, settled once: every core but one."""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch


def resolve_device(choice: str) -> torch.device:
    """Map "auto" / "cpu" / "cuda" to a torch device; "cuda" without a GPU is a ConfigError."""
    import torch

    if choice == "cpu":
        return torch.device("cpu")
    available = torch.cuda.is_available()
    if choice == "cuda" and not available:
        from engine.errors import ConfigError

        raise ConfigError(
            "device is set to cuda, but this machine has no usable CUDA GPU "
            "(or this torch build has no CUDA); choose auto or cpu",
            "device",
            "no_cuda",
        )
    return torch.device("cuda" if available else "cpu")


def describe_device(device: torch.device) -> str:
    """'CUDA: NVIDIA H100' or 'CPU, 1 thread'."""
    import torch

    if device.type == "cuda":
        return f"CUDA: {torch.cuda.get_device_name(device)}"
    threads = torch.get_num_threads()
    return f"CPU, {threads} thread" + ("s" if threads != 1 else "")


# Intra-op threads, settled once per process, at the start of its first session, from the
# machine alone: every core this process may use but one, at most torch's default (its
# physical cores), at least one. Torch's CPU kernels split their work over an OpenMP team
# that meets at a barrier after every parallel loop and spins while it waits, so a team
# thread that shares its core with another busy thread (the window's own GUI thread, a
# browser) makes every barrier wait for its next time slice. Measured on the 2-core machines
# (benchmarks/threads_load.py, RESULTS.md), LeNet steps/s at B = 16 / 128: quiet, two threads
# 568 / 130, one 500 / 95; beside one busy process, two threads 5-8 / 2-4, one 108-323 /
# 25-69 (lenet-fashion was reported at 22 minutes on two threads beside other programs, 2 on
# one). The count does not follow the load of the moment, although that would win the quiet
# 1.1-1.4x back: float32 sums split over another number of threads round differently (GD's
# first step on the default lesson differs in its 7th digit between one and two), and the
# same config must give the same numbers whenever it is run on a machine.
# OMP_WAIT_POLICY=PASSIVE (the team sleeps at a barrier) ran 29 / 21-27 loaded and 288 / 117
# quiet: it softens the collapse but does not remove it, so it is not used.
_threads_lock = threading.Lock()
_settled: int | None = None


def threads_for(cpus: int, default: int) -> int:
    """Intra-op threads for a process that may use `cpus` cores and whose torch would take
    `default`: one core left to the GUI thread and other programs, at least 1, at most `default`."""
    return max(1, min(default, cpus - 1))


def usable_cpus() -> int:
    """The cores this process may run on (its affinity mask, where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def settle_threads() -> int:
    """Set torch's intra-op threads for this process, the first time only, and return them.

    Every session calls this right after importing torch, before its first tensor operation
    (engine/training/session.py), so the one `torch.set_num_threads` of the process is made
    before any engine thread computes: a session that starts meanwhile (the window runs each
    in a thread of its own) waits on the lock until it is made, and nothing of the engine
    computes outside a session before one has started (the GUI's "measure here" measures at a
    run of a session; the sweep's timings use the count as it is). A thread's OpenMP team
    takes torch's count at its first parallel loop, so the sessions' later threads get it.
    OMP_NUM_THREADS in the environment is the user's choice, kept.
    """
    global _settled
    with _threads_lock:
        if _settled is None:
            import torch

            if "OMP_NUM_THREADS" in os.environ:
                _settled = torch.get_num_threads()
            else:
                _settled = threads_for(usable_cpus(), torch.get_num_threads())
                torch.set_num_threads(_settled)
        return _settled
