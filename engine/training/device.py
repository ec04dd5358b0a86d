"""Choosing the device at the start of a session, describing it in words, and the process's
intra-op thread count, settled once, away from the cores other programs keep busy."""

from __future__ import annotations

import math
import os
import sys
import threading
import time
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


# Intra-op threads, settled once per process, at the start of its first session, from what
# the rest of the machine is doing then. Torch's CPU kernels split their work over an OpenMP
# team that meets at a barrier after every parallel loop and spins while it waits: when a
# team thread shares its core with another busy process, every barrier waits for that
# thread's next time slice. Reported: lenet-fashion took 22 minutes on two threads beside
# other programs, 2 on one. Measured on the 2-core machines (benchmarks/threads_load.py,
# RESULTS.md), LeNet steps/s at B = 16 / 128: quiet, two threads 568 / 130, one 500 / 95;
# beside a busy process, two threads 5-8 / 2-4, one 108-323 / 25-69. OMP_WAIT_POLICY=PASSIVE
# (the team sleeps at a barrier instead of spinning) ran 29 / 21-27 there, and 288 / 117
# quiet: it softens the collapse but does not remove it, so it is not used. The team gets the
# cores the other processes leave idle, at most torch's default (its physical cores).
LOAD_WINDOW_S = 0.2  # how long the other processes' CPU use is sampled
IDLE_SLACK = 0.3  # a core the others use less than this much of counts as idle
_threads_lock = threading.Lock()
_settled: int | None = None


def threads_for(cpus: int, default: int, others: float | None) -> int:
    """Intra-op threads for a process that may use `cpus` cores while other processes keep
    `others` cores busy (None: unknown, then one core is left to them): the cores left idle,
    at least 1 and at most `default`."""
    if others is None:
        spare = cpus - 1
    else:
        spare = math.floor(cpus - max(others, 0.0) + IDLE_SLACK)
    return max(1, min(default, spare))


def usable_cpus() -> int:
    """The cores this process may run on (its affinity mask, where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return os.cpu_count() or 1


def machine_busy_s() -> float | None:
    """CPU seconds the cores this process may use have spent busy (all processes; a VM's
    stolen time counts as busy) since the machine started; None where this OS does not say."""
    try:
        if sys.platform == "win32":
            import ctypes
            from ctypes import wintypes

            idle, kernel, user = wintypes.FILETIME(), wintypes.FILETIME(), wintypes.FILETIME()
            if not ctypes.windll.kernel32.GetSystemTimes(
                ctypes.byref(idle), ctypes.byref(kernel), ctypes.byref(user)
            ):
                return None

            def seconds(t: wintypes.FILETIME) -> float:
                return ((t.dwHighDateTime << 32) | t.dwLowDateTime) * 1e-7  # 100 ns units

            return seconds(kernel) + seconds(user) - seconds(idle)  # kernel time includes idle
        mine = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
        busy = 0
        with open("/proc/stat", encoding="ascii") as f:
            for line in f:
                fields = line.split()
                if not fields or not fields[0].startswith("cpu") or len(fields) < 9:
                    break  # the cpu lines come first
                core = fields[0][3:]  # "" on the first line: all cores together
                if (mine is None) != (core == "") or (core and int(core) not in (mine or ())):
                    continue  # the total without an affinity mask, else the cores of the mask
                # user nice system idle iowait irq softirq steal (guest time is in user)
                ticks = [int(v) for v in fields[1:9]]
                busy += sum(ticks) - ticks[3] - ticks[4]
        return busy / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, AttributeError):
        return None


def others_busy(window_s: float = LOAD_WINDOW_S) -> float | None:
    """Cores kept busy by other processes: the machine's busy time over a short window less
    this process's own, per second (or the 1-minute load average where the OS gives no busy
    time); None where neither is known."""
    before = machine_busy_s()
    if before is None:
        return os.getloadavg()[0] if hasattr(os, "getloadavg") else None
    own, wall = time.process_time(), time.perf_counter()
    time.sleep(window_s)
    after = machine_busy_s()
    elapsed = time.perf_counter() - wall
    if after is None or elapsed <= 0:
        return None
    return max(0.0, (after - before - (time.process_time() - own)) / elapsed)


def settle_threads() -> int:
    """Set torch's intra-op threads for this process, the first time only, and return them.

    Every session calls this right after importing torch, before its first tensor operation
    (engine/training/session.py), so the one `torch.set_num_threads` of the process is made
    before any engine thread computes: a session that starts meanwhile (the window runs each
    in a thread of its own) waits on the lock until it is made, and nothing of the engine
    computes outside a session before one has started (the GUI's "measure here" measures at a
    run of a session; the sweep's timings use the count as it is). A thread's OpenMP team
    takes torch's count at its first parallel loop, so the sessions' later threads get it.
    Not re-decided when the load changes later: the count could then change only while other
    sessions compute. OMP_NUM_THREADS in the environment is the user's choice, kept.
    """
    global _settled
    with _threads_lock:
        if _settled is None:
            import torch

            if "OMP_NUM_THREADS" in os.environ:
                _settled = torch.get_num_threads()
            else:
                _settled = threads_for(usable_cpus(), torch.get_num_threads(), others_busy())
                torch.set_num_threads(_settled)
        return _settled
