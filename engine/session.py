"""Running every run of a config side by side: `run_session(config, control) -> Iterator[Progress]`.

The runs share one clock measured in epochs, so at any moment they have seen the same
fraction of the data: after one epoch GD has taken 1 step, mini-batch ⌈N/B⌉ steps and SGD N
steps. A tick of the clock is one iteration of the run with the most iterations per epoch;
every other run takes its k-th step once k / (its iterations per epoch) ≤ the clock.

The generator yields numpy snapshots (never live tensors) at most ~20 times a second, checks
the stop event once per tick and waits while paused; a "step" request lets one tick through.
"""

from __future__ import annotations

import dataclasses
import threading
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from engine.config import ExperimentConfig, RunSpec, epoch_position
from engine.history import HistoryRows
from engine.optimizers import build_optimizer

if TYPE_CHECKING:
    import torch

    from engine.problems import LinearRegression

SNAPSHOT_INTERVAL_S = 0.05
CHUNK_ROWS = 8192  # rows buffered on the device before a forced snapshot
DIVERGENCE_FACTOR = 1e6  # a loss this many times above the start's (or non-finite) = diverged


@dataclass
class SessionControl:
    """How a caller steers a running session from another thread."""

    stop: threading.Event = field(default_factory=threading.Event)  # end as soon as possible
    pause: threading.Event = field(default_factory=threading.Event)  # wait between ticks
    step: threading.Event = field(default_factory=threading.Event)  # while paused: one tick
    # Ticks (iterations of the finest run) per second; 0 = as fast as possible. Read every
    # tick, so a caller may change it while the session runs.
    pace: float = 0.0


@dataclass(frozen=True)
class RunInfo:
    """Static facts about one run, known before it starts."""

    label: str
    color: str
    batch_size: int
    iterations_per_epoch: int
    total_iterations: int


@dataclass(frozen=True)
class SessionSetup:
    """What the views need before the first step: data, surface, start, minimum, runs."""

    device: str  # e.g. "CPU, 1 thread" or "CUDA: NVIDIA H100"
    param_names: tuple[str, ...]
    data: dict[str, np.ndarray]
    start: np.ndarray  # the point every run starts from
    minimum: np.ndarray  # the full-batch loss minimum
    minimum_loss: float
    grid_x: np.ndarray  # contour axes (1-D) and grid_loss[j, i] at (grid_x[i], grid_y[j])
    grid_y: np.ndarray
    grid_loss: np.ndarray
    runs: tuple[RunInfo, ...]


@dataclass(frozen=True)
class RunProgress:
    """Where one run stands, plus the rows recorded since the previous snapshot."""

    label: str
    iteration: int  # iterations done
    iterations_per_epoch: int
    epoch: int  # the current epoch, 1-based (see `epoch_position`)
    iteration_in_epoch: int  # iterations done in the current epoch (0..iterations_per_epoch)
    samples_seen: int
    loss: float  # full-batch loss at the current parameters (last finite one if diverged)
    done: bool
    diverged: bool
    new_rows: HistoryRows


@dataclass(frozen=True)
class RunResult:
    """The outcome of one run, as written to summary.json."""

    label: str
    batch_size: int
    iterations_per_epoch: int
    iterations: int
    epochs: float
    samples_seen: int
    initial_loss: float
    final_loss: float | None  # None when the run diverged
    final_params: list[float]
    diverged: bool
    wall_time_s: float


@dataclass(frozen=True)
class Progress:
    """One snapshot of a session."""

    clock_epochs: float  # the shared clock, in epochs
    runs: tuple[RunProgress, ...]
    steps_per_second: float  # optimizer steps, all runs together, since the previous snapshot
    setup: SessionSetup | None = None  # only on the first snapshot
    finished: bool = False  # the last snapshot: every run done, or stopped
    stopped: bool = False  # ended early by the stop event
    results: tuple[RunResult, ...] = ()  # only on the last snapshot


def derive_seed(seed: int, purpose: str) -> int:
    """An independent 63-bit seed for one purpose ("data", "start", "run:<label>")."""
    words = np.random.SeedSequence([seed, zlib.crc32(purpose.encode())]).generate_state(2)
    return int((int(words[0]) << 31) ^ int(words[1])) & (2**63 - 1)


def start_point(config: ExperimentConfig, problem: LinearRegression) -> np.ndarray:
    """The config's start, or a point 2.5 units from the minimum in a seeded direction."""
    if config.start is not None:
        return np.array(config.start, dtype=np.float64)
    rng = np.random.default_rng(derive_seed(config.seed, "start"))
    angle = rng.uniform(0, 2 * np.pi)
    return problem.minimum() + 2.5 * np.array([np.cos(angle), np.sin(angle)])


class _Run:
    """One run's live state: parameters, optimizer, batch order, unflushed rows."""

    def __init__(
        self,
        spec: RunSpec,
        config: ExperimentConfig,
        problem: LinearRegression,
        start: np.ndarray,
        device: torch.device,
    ) -> None:
        import torch

        self.spec = spec
        self.batch = config.batch_size_of(spec)
        self.ipe = config.iterations_per_epoch(spec)
        self.total = self.ipe * config.epochs
        self.theta = torch.tensor(start, dtype=torch.float32, device=device, requires_grad=True)
        self.optimizer = build_optimizer(config.optimizer, [self.theta], config.lr, config.optimizer_params)
        self.generator = torch.Generator().manual_seed(derive_seed(config.seed, f"run:{spec.label}"))
        self.config, self.problem, self.device = config, problem, device
        self.iteration = 0
        self.samples = 0
        self.wall = 0.0
        self.diverged = False
        self.good_samples = 0
        self.good_params = np.asarray(start, dtype=np.float64)
        self.good_iteration = 0  # the last iteration with a finite, sane loss once diverged
        self.batches: list[torch.Tensor] = []
        self.initial_loss = float(problem.full_loss(start))
        self.last_loss = self.initial_loss
        # Unflushed rows: parameters stay on the device until a snapshot.
        self.buf = torch.empty((CHUNK_ROWS, problem.n_params), dtype=torch.float32, device=device)
        self.buf_meta = np.empty((CHUNK_ROWS, 3), dtype=np.float64)  # iteration, samples, wall
        self.pending = 0

    @property
    def active(self) -> bool:
        return not self.diverged and self.iteration < self.total

    def step(self) -> None:
        t0 = time.perf_counter()
        k = self.iteration % self.ipe
        if k == 0:
            c = self.config
            self.batches = [
                b.to(self.device, non_blocking=True)
                for b in _epoch_batches(c, self.batch, self.ipe, self.generator)
            ]
        idx = self.batches[k]
        self.optimizer.zero_grad(set_to_none=True)
        loss = self.problem.batch_loss(self.theta, idx)
        loss.backward()  # type: ignore[no-untyped-call]
        self.optimizer.step()
        self.iteration += 1
        self.samples += len(idx)
        self.wall += time.perf_counter() - t0
        self._record()

    def _record(self) -> None:
        with_grad_off = self.theta.detach()
        self.buf[self.pending].copy_(with_grad_off)
        self.buf_meta[self.pending] = (self.iteration, self.samples, self.wall)
        self.pending += 1

    def flush(self) -> HistoryRows:
        """Move unflushed rows to numpy, compute their exact loss, and catch divergence."""
        n = self.pending
        params = self.buf[:n].double().cpu().numpy()
        meta = self.buf_meta[:n].copy()
        self.pending = 0
        loss = self.problem.full_loss(params) if n else np.empty(0)
        limit = DIVERGENCE_FACTOR * max(self.initial_loss, 1e-3)
        bad = ~np.isfinite(loss) | (loss > limit) | ~np.isfinite(params).all(axis=1)
        if bad.any():
            n = int(np.argmax(bad))  # keep only the rows before the first bad one
            self.diverged = True
            self.good_iteration = int(meta[n, 0]) - 1
            params, meta, loss = params[:n], meta[:n], loss[:n]
        if n:
            self.last_loss = float(loss[-1])
            self.good_samples = int(meta[n - 1, 1])
            self.good_params = params[n - 1].copy()
        if self.diverged:
            self.samples = self.good_samples
        return _rows(meta, loss, params, self.ipe)

    def progress(self, rows: HistoryRows) -> RunProgress:
        it = self.good_iteration if self.diverged else self.iteration
        epoch, within = epoch_position(it, self.ipe)
        return RunProgress(
            label=self.spec.label,
            iteration=it,
            iterations_per_epoch=self.ipe,
            epoch=epoch,
            iteration_in_epoch=within,
            samples_seen=self.samples,
            loss=self.last_loss,
            done=not self.active,
            diverged=self.diverged,
            new_rows=rows,
        )

    def result(self) -> RunResult:
        # A diverged run reports where it last was sane (its live parameters may be inf/NaN).
        params = self.good_params if self.diverged else self.theta.detach().double().cpu().numpy()
        it = self.good_iteration if self.diverged else self.iteration
        final = None if self.diverged else float(self.problem.full_loss(params))
        return RunResult(
            label=self.spec.label,
            batch_size=self.batch,
            iterations_per_epoch=self.ipe,
            iterations=it,
            epochs=it / self.ipe,
            samples_seen=self.samples,
            initial_loss=self.initial_loss,
            final_loss=final,
            final_params=[float(v) for v in params],
            diverged=self.diverged,
            wall_time_s=self.wall,
        )


def _epoch_batches(
    c: ExperimentConfig, batch: int, ipe: int, generator: torch.Generator
) -> list[torch.Tensor]:
    from engine.sampling import epoch_batches

    return epoch_batches(c.n_samples, batch, ipe, c.sampling, c.drop_last, generator)


def _rows(meta: np.ndarray, loss: np.ndarray, params: np.ndarray, ipe: int) -> HistoryRows:
    iteration = meta[:, 0].astype(np.int64)
    return HistoryRows(
        iteration=iteration,
        epoch=iteration / ipe,
        samples_seen=meta[:, 1].astype(np.int64),
        wall_time_s=meta[:, 2].copy(),
        loss=np.asarray(loss, dtype=np.float64),
        params=params,
    )


def _keep_pace(
    control: SessionControl, anchor: tuple[float, int, float] | None, tick: int
) -> tuple[float, int, float]:
    """Wait until `tick` is due at `control.pace` ticks per second; returns the new anchor."""
    pace = control.pace
    now = time.perf_counter()
    if anchor is None or anchor[2] != pace:
        return (now, tick, pace)
    due = anchor[0] + (tick - anchor[1]) / pace
    if due - now > 0:
        control.stop.wait(due - now)
    elif now - due > 0.25:  # fell behind (slow steps): do not burst to catch up
        return (now, tick, pace)
    return anchor


def run_session(config: ExperimentConfig, control: SessionControl | None = None) -> Iterator[Progress]:
    """Train every run of `config` side by side, yielding `Progress` snapshots.

    The first snapshot carries the `SessionSetup` and iteration 0 of every run; the last has
    `finished=True` and the `RunResult`s. Raises RuntimeError when the device is unavailable.
    """
    import torch

    from engine.device import describe_device, resolve_device
    from engine.problems import loss_grid, make_problem

    control = control or SessionControl()
    device = resolve_device(config.device)
    # One intra-op thread: these models are tiny, and a second thread fights the GUI thread
    # for the other core (measured: 2–13× slower small-batch steps with two threads).
    torch.set_num_threads(1)
    problem = make_problem(config, device, derive_seed(config.seed, "data"))
    start = start_point(config, problem)
    runs = [_Run(spec, config, problem, start, device) for spec in config.runs]
    fine = max(r.ipe for r in runs)
    total_ticks = fine * config.epochs

    xs, ys, z = loss_grid(problem, problem.view_bounds(start))
    minimum = problem.minimum()
    setup = SessionSetup(
        device=describe_device(device),
        param_names=problem.param_names,
        data=problem.data_columns(),
        start=start,
        minimum=minimum,
        minimum_loss=float(problem.full_loss(minimum)),
        grid_x=xs,
        grid_y=ys,
        grid_loss=z,
        runs=tuple(RunInfo(r.spec.label, config.color_of(r.spec), r.batch, r.ipe, r.total) for r in runs),
    )
    for r in runs:
        r._record()  # iteration 0: the start
    tick = 0
    steps_since = 0
    last_yield = time.perf_counter()

    def snapshot(
        setup: SessionSetup | None = None, finished: bool = False, stopped: bool = False
    ) -> Progress:
        nonlocal steps_since, last_yield
        now = time.perf_counter()
        rate = steps_since / max(now - last_yield, 1e-9)
        steps_since, last_yield = 0, now
        return Progress(
            clock_epochs=tick / fine,
            runs=tuple(r.progress(r.flush()) for r in runs),
            steps_per_second=rate,
            setup=setup,
            finished=finished,
            stopped=stopped,
        )

    yield snapshot(setup=setup)
    anchor: tuple[float, int, float] | None = None  # (time, tick, pace) the pacing counts from
    while tick < total_ticks and any(r.active for r in runs):
        if control.stop.is_set():
            break
        single = False
        if control.pause.is_set():
            if any(r.pending for r in runs):
                yield snapshot()
            while control.pause.is_set() and not control.stop.is_set():
                if control.step.is_set():
                    control.step.clear()
                    single = True
                    break
                control.stop.wait(0.02)
            if control.stop.is_set():
                break
            anchor = None  # after a pause, pace from now, not from before it
        if control.pace > 0 and not single:
            anchor = _keep_pace(control, anchor, tick)
            if control.stop.is_set():
                break
        tick += 1
        for r in runs:
            due = tick * r.ipe // fine
            while r.active and r.iteration < due:
                r.step()
                steps_since += 1
        full = any(r.pending >= CHUNK_ROWS - 1 for r in runs)
        if single or full or time.perf_counter() - last_yield >= SNAPSHOT_INTERVAL_S:
            yield snapshot()
    stopped = control.stop.is_set() and any(r.active for r in runs)
    last = snapshot(finished=True, stopped=stopped)  # flushes, so divergence is known below
    yield dataclasses.replace(last, results=tuple(r.result() for r in runs))
