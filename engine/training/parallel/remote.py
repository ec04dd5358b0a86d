"""Data-parallel stacks as the session sees them: K spawned worker processes behind
RunStack's interface, so the session, the CLI and the views need no special case.

The session's process never joins a process group: it spawns one group of K workers for all
its stacks with K workers (`SpawnedGroup`: `torch.multiprocessing`, "spawn", a pipe to worker
0, the group's hub, `worker.py`), each worker holding a replica of every one of those stacks;
each stack (`RemoteStack`) mirrors what worker 0 answers about it (its iteration, samples,
rows, members). So a worker that fails or is killed shows up in one place, here, as one
sentence (`WorkerError`), and the others are ended with it. Stop and pause need no message: a
paused session sends no command, and a stopped or closed one ends the group (`close`, always
called by the session).
"""

from __future__ import annotations

import multiprocessing.connection
import os
import shutil
import signal
import tempfile
import threading
import time
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.config import ExperimentConfig, RunSpec
from engine.control import Interrupted, checkpoint
from engine.errors import WorkerError
from engine.training.stack import Member

if TYPE_CHECKING:
    from multiprocessing.process import BaseProcess

POLL_S = 0.05  # how often a wait looks at the stop event and at the workers' lives
QUIT_GRACE_S = 3.0  # after "quit", how long the workers get to leave before they are killed
STOP_GRACE_S = 2.0  # a step asked of the group after a stop: how long it may take to answer


class SpawnedGroup:
    """K worker processes training every stack of `runs` (all with `workers` = K)."""

    def __init__(self, config: ExperimentConfig, runs: list[RunSpec]) -> None:
        import torch.multiprocessing as mp

        from engine.training.parallel.worker import spawned

        self.world = runs[0].workers
        self.labels = ", ".join(repr(r.label) for r in runs)
        self.stop: threading.Event | None = None
        self.processes: list[BaseProcess] = []
        self.conn: multiprocessing.connection.Connection | None = None
        self.closed = self.asked = False
        self.states: list[dict[str, Any]] = []  # each stack's at the start, from worker 0
        # Only these runs travel: the data, start and batch seeds follow from the rest.
        labels = {r.label for r in runs}
        data = {**config.to_dict(), "measure": []}
        data["runs"] = [r for r in data["runs"] if r["label"] in labels]
        self.folder = tempfile.mkdtemp(prefix="bsl-group-")  # the group's rendezvous file
        ctx = mp.get_context("spawn")
        self.halt = ctx.Event()  # the session's stop, as worker 0 sees it (its long passes end)
        try:
            ours, theirs = ctx.Pipe()
            self.conn = ours
            # Ctrl-C in a terminal reaches every process of its group, the workers too: they
            # ignore it (main.py as soon as it is imported in one, worker.py in any case), and
            # this process stops and ends them.
            for rank in range(self.world):
                p = ctx.Process(
                    target=spawned,
                    args=(rank, self.world, data, os.path.join(self.folder, "store"), os.getpid(),
                          theirs if rank == 0 else None, self.halt if rank == 0 else None),
                    name=f"bsl-worker-{rank}",
                    daemon=True,  # ended by multiprocessing at exit, should anything still run
                )  # fmt: skip
                p.start()
                self.processes.append(p)
            theirs.close()
            self.states = self.wait("starting", stoppable=True)[1]
        except BaseException:
            self.close()
            raise

    def call(self, op: str, *args: Any) -> tuple[Any, ...]:
        """Send worker 0 a command and return its answer (see `wait`)."""
        if self.closed or self.conn is None:
            raise WorkerError(f"the workers of run {self.labels} have already been ended")
        if self.stop is not None and self.stop.is_set():
            self.halt.set()  # a stopped session's last calls: worker 0 cuts a long pass short
        try:
            self.conn.send((op, *args))
        except (OSError, ValueError):
            pass  # worker 0 is gone: wait says which worker and how
        return self.wait(op)

    def wait(self, op: str, stoppable: bool = False) -> tuple[Any, ...]:
        """Worker 0's answer; WorkerError when a worker failed or ended; Interrupted on a stop:
        at once when `stoppable` (the workers' start: nothing to keep), else when the answer
        has not come STOP_GRACE_S after it (a step, the final loss: what a stopped session
        still reports, unless a worker hangs or a network's pass over all N is long)."""
        assert self.conn is not None
        sentinels = {p.sentinel: p for p in self.processes}
        stopped_at: float | None = None
        while True:
            ready = multiprocessing.connection.wait([self.conn, *sentinels], timeout=POLL_S)
            if self.conn in ready:
                try:
                    reply: tuple[Any, ...] = self.conn.recv()
                except (EOFError, OSError):
                    reply = ("gone",)
                if reply[0] in ("ok", "ready"):
                    return reply
                if reply[0] == "stopped":  # worker 0 saw the stop (halt) and cut its pass short
                    raise Interrupted
                self._fail(op, reply[1] if reply[0] == "error" else None)
            if ready:  # a worker ended without worker 0 answering
                self._fail(op, None)
            if self.stop is not None and self.stop.is_set():
                self.halt.set()
                stopped_at = stopped_at or time.monotonic()
                if stoppable or time.monotonic() - stopped_at > STOP_GRACE_S:
                    raise Interrupted
            if stoppable:
                checkpoint()

    def leave(self) -> None:
        """Ask the group to end ("quit" to worker 0, which tells the others), without waiting:
        a session ending several groups asks them all first, then `close`s each."""
        if self.conn is not None and not self.asked:
            self.asked = True
            try:
                self.conn.send(("quit",))
            except (OSError, ValueError):
                pass

    def close(self) -> None:
        """End the group: `leave`, then whatever is left after QUIT_GRACE_S is killed. Safe to
        call twice, and from a failure half-way through the start."""
        if self.closed:
            return
        self.closed = True
        self.leave()
        deadline = time.monotonic() + QUIT_GRACE_S
        for p in self.processes:
            p.join(max(0.0, deadline - time.monotonic()))
        for p in self.processes:
            if p.is_alive():
                p.kill()
                p.join(1.0)
        if self.conn is not None:
            self.conn.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _fail(self, op: str, message: str | None) -> None:
        time.sleep(POLL_S)  # let a dying group finish dying, so the first to go is named
        ended = [(rank, p.exitcode) for rank, p in enumerate(self.processes) if p.exitcode is not None]
        self.close()
        when = "starting" if op == "starting" else "training"
        rank, code = 0, None
        if ended:
            rank, code = min(ended, key=lambda e: (e[1] is not None and e[1] >= 0, e[0]))
        how = _exit_words(code) if ended else "lost its connection"
        detail = f" ({message})" if message else ""
        runs = "run" if "," not in self.labels else "runs"
        raise WorkerError(
            f"data-parallel worker {rank + 1} of {self.world} of {runs} {self.labels} {how} while {when}"
            f"{detail}; the group's {self.world} workers were ended",
            worker=rank + 1,
            workers=self.world,
            runs=self.labels,
            how=_exit_name(code),
        )


class RemoteStack:
    """The runs of one data-parallel stack, trained by a `SpawnedGroup` (stack `number` of
    those its workers hold); RunStack's interface, its state a mirror of worker 0's."""

    def __init__(
        self, group: SpawnedGroup, number: int, specs: list[RunSpec], config: ExperimentConfig
    ) -> None:
        self.group, self.number = group, number
        self.ipe = config.iterations_per_epoch(specs[0])
        self.total = config.total_iterations(specs[0])
        self.runs = len(specs)
        self.iteration, self.wall, self.pending = 0, 0.0, 0
        self.samples = np.zeros(self.runs, dtype=np.int64)
        self.members: list[Member] = []
        self.lrs: list[float] = []
        self._mirror(group.states[number])

    @property
    def stop(self) -> threading.Event | None:
        return self.group.stop

    @stop.setter
    def stop(self, event: threading.Event | None) -> None:  # the session's, for the whole group
        self.group.stop = event

    @property
    def active(self) -> bool:
        return self.iteration < self.total and not all(m.diverged for m in self.members)

    def advance(self, due: int) -> int:
        if not self.active or due <= self.iteration:
            return 0
        start = self.iteration
        self._mirror(self.group.call("advance", self.number, min(due, self.total))[1])
        return self.iteration - start

    def record_start(self) -> None:
        self._mirror(self.group.call("start", self.number)[1])

    def flush(self) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        _, rows, state = self.group.call("flush", self.number)
        self._mirror(state)
        rows_out: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = rows
        return rows_out

    def final(self) -> tuple[np.ndarray, np.ndarray]:
        _, result, state = self.group.call("final", self.number)
        self._mirror(state)
        out: tuple[np.ndarray, np.ndarray] = result
        return out

    def trajectory(self, row: int) -> np.ndarray:
        out: np.ndarray = self.group.call("trajectory", self.number, row)[1]
        return out

    def lr_of_row(self, row: int) -> float:
        return self.lrs[row]

    def leave(self) -> None:
        self.group.leave()

    def close(self) -> None:
        self.group.close()

    def _mirror(self, state: dict[str, Any]) -> None:
        self.iteration, self.wall, self.pending = state["iteration"], state["wall"], state["pending"]
        self.samples = state["samples"]
        if "members" in state:
            if not self.members:
                self.members = state["members"]
            else:  # the same objects, updated: the session keeps references to them
                for mine, theirs in zip(self.members, state["members"], strict=True):
                    mine.__dict__.update(theirs.__dict__)
            self.lrs = state["lrs"]


def _exit_name(code: int | None) -> str:
    """ "SIGKILL", "exit code 1" or "no answer": how a worker ended, in no language."""
    if code is None:
        return "no answer"
    if code < 0:
        try:
            return signal.Signals(-code).name
        except ValueError:
            return f"signal {-code}"
    return f"exit code {code}"


def _exit_words(code: int | None) -> str:
    """How a worker ended, as the English sentence says it."""
    if code is None:
        return "stopped answering"
    return f"was killed ({_exit_name(code)})" if code < 0 else f"failed ({_exit_name(code)})"
