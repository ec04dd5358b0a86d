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
import math
import time
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.config import MAX_RUNS, ExperimentConfig, RunSpec, epoch_position
from engine.control import Interrupted, SessionControl, checkpoint, working
from engine.history import HistoryRows
from engine.noise import GradientNoise, measure_gradient_noise
from engine.stack import CHUNK_ROWS, Member, RunStack

if TYPE_CHECKING:
    import torch

    from engine.problems import Problem

SNAPSHOT_INTERVAL_S = 0.05


@dataclass(frozen=True)
class RunInfo:
    """Static facts about one run, known before it starts."""

    label: str
    color: str
    batch_size: int
    iterations_per_epoch: int
    total_iterations: int
    total_samples: int = 0  # samples it will have seen at the end (epochs × samples per epoch)


@dataclass(frozen=True)
class SessionSetup:
    """What the views need before the first step: data, surface, start, minimum, runs."""

    device: str  # e.g. "CPU, 1 thread" or "CUDA: NVIDIA H100"
    param_names: tuple[str, ...]  # the recorded parameters (empty for networks)
    data: dict[str, np.ndarray]  # the data columns of 2-D problems (empty for networks)
    # The fields below are None for problems that have no 2-D surface to draw (networks).
    start: np.ndarray | None  # the point every run starts from
    minimum: np.ndarray | None  # the full-batch loss minimum
    minimum_loss: float | None
    grid_x: np.ndarray | None  # contour axes (1-D) and grid_loss[j, i] at (grid_x[i], grid_y[j])
    grid_y: np.ndarray | None
    grid_loss: np.ndarray | None
    runs: tuple[RunInfo, ...]
    # 2/λ_max of the full-batch loss's (constant) Hessian, for quadratic problems: full-batch
    # GD with a larger learning rate diverges. None where the curvature is not constant.
    lr_limit: float | None = None
    # What the recorded loss is: "mse" (mean squared residual, no ½), "cross_entropy" (mean),
    # "welsch" (mean robust loss), "batch_cross_entropy" (a network's mini-batch mean), "hinton".
    loss_name: str = ""
    # Local minima other than `minimum` (higher loss), where the surface has more than one.
    other_minima: tuple[np.ndarray, ...] = ()


@dataclass(frozen=True)
class RunProgress:
    """Where one run stands, plus the rows recorded since the previous snapshot."""

    label: str
    iteration: int  # iterations done
    iterations_per_epoch: int
    epoch: int  # the current epoch, 1-based (see `epoch_position`)
    iteration_in_epoch: int  # iterations done in the current epoch (0..iterations_per_epoch)
    samples_seen: int
    # Full-batch loss at the current parameters (2-D problems) or the last mini-batch loss
    # (networks); the last finite one if diverged.
    loss: float
    done: bool
    diverged: bool
    new_rows: HistoryRows
    lr: float = 0.0  # the learning rate of its next step (batch-size scaling and warm-up applied)


@dataclass(frozen=True)
class RunResult:
    """The outcome of one run, as written to summary.json."""

    label: str
    batch_size: int
    iterations_per_epoch: int
    iterations: int
    epochs: float
    samples_seen: int
    initial_loss: float | None  # full-data loss at the start; None when even that is not finite
    final_loss: float | None  # exact full-data loss at the end; None when the run diverged
    final_params: list[float]  # the recorded parameters (empty for networks)
    diverged: bool
    wall_time_s: float  # time spent stepping this run's stack (runs stepped as one share it)


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
    # What the config's `measure` instruments found, on the snapshot after each one finished
    # and, all together, on the last one: "gradient_noise" -> GradientNoise (at the start,
    # before training), "basins" -> {run label: BasinCount} (after training, unless stopped).
    measurements: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class BasinCount:
    """Where copies of one run, differing only in their batch-order seed, ended up."""

    seeds: int
    better: int  # nearest to the better (global) minimum
    worse: int  # nearest to another minimum
    diverged: int

    def to_dict(self) -> dict[str, int]:
        return dataclasses.asdict(self)


def derive_seed(seed: int, purpose: str) -> int:
    """An independent 63-bit seed for one purpose ("data", "start", "run:<label>")."""
    words = np.random.SeedSequence([seed, zlib.crc32(purpose.encode())]).generate_state(2)
    return int((int(words[0]) << 31) ^ int(words[1])) & (2**63 - 1)


def batch_seed(config: ExperimentConfig, spec: RunSpec) -> int:
    """The seed of a run's batch order: its own, or one for all runs with `same_batches`."""
    return derive_seed(config.seed, "batches" if config.same_batches else f"run:{spec.label}")


def start_point(config: ExperimentConfig, problem: Problem) -> np.ndarray | None:
    """The config's start, or a point 2.5 units from the minimum in a seeded direction.

    None for problems without a drawable start (networks start from their own initialisation).
    """
    minimum = problem.minimum()
    if minimum is None:
        return None
    if config.start is not None:
        return np.array(config.start, dtype=np.float64)
    rng = np.random.default_rng(derive_seed(config.seed, "start"))
    angle = rng.uniform(0, 2 * np.pi)
    return minimum + 2.5 * np.array([np.cos(angle), np.sin(angle)])


def make_stacks(
    config: ExperimentConfig, problem: Problem, start: list[np.ndarray], device: torch.device
) -> list[RunStack]:
    """Group the runs by schedule (iterations per epoch, sampling) and optimizer into stacks."""
    by_schedule: dict[tuple[int, str, str, str], list[RunSpec]] = {}
    for spec in config.runs:
        name, params = config.optimizer_of(spec)
        key = (
            config.iterations_per_epoch(spec),
            config.sampling_of(spec),
            name,
            repr(sorted(params.items())),
        )
        by_schedule.setdefault(key, []).append(spec)
    return [
        RunStack(specs, config, problem, start, device, [batch_seed(config, s) for s in specs])
        for specs in by_schedule.values()
    ]


def gradient_noise_at(
    config: ExperimentConfig,
    point: np.ndarray,
    problem: Problem | None = None,
    control: SessionControl | None = None,
) -> GradientNoise:
    """Measure the mini-batch gradient noise of `config`'s data at `point` (a 2-D problem).

    Seeded from the config, so the same config and point give the same numbers; callable from
    any thread (the GUI measures at a run's current point this way). With a `control`, it
    reports progress as the task "gradient_noise" and raises `Interrupted` once stopped.
    """
    if problem is None:
        import torch

        from engine.problems import make_problem

        with working(control, "data"):
            problem = make_problem(config, torch.device("cpu"), derive_seed(config.seed, "data"))
    sample_gradients = getattr(problem, "sample_gradients", None)
    if sample_gradients is None:
        raise ValueError(f"the {config.problem} problem has no per-sample gradients to measure")
    with working(control, "gradient_noise"):
        return measure_gradient_noise(sample_gradients(point), point, derive_seed(config.seed, "noise"))


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


def _progress(stack: RunStack, m: Member, rows: HistoryRows) -> RunProgress:
    it = m.good_iteration if m.diverged else stack.iteration
    samples = m.good_samples if m.diverged else int(stack.samples[m.row])
    epoch, within = epoch_position(it, stack.ipe)
    return RunProgress(
        label=m.spec.label,
        iteration=it,
        iterations_per_epoch=stack.ipe,
        epoch=epoch,
        iteration_in_epoch=within,
        samples_seen=samples,
        loss=m.last_loss,
        done=m.diverged or not stack.active,
        diverged=m.diverged,
        new_rows=rows,
        lr=stack.lr_of_row(m.row),
    )


def _diverged_late(rp: RunProgress, result: RunResult) -> RunProgress:
    epoch, within = epoch_position(result.iterations, rp.iterations_per_epoch)
    return dataclasses.replace(
        rp,
        iteration=result.iterations,
        epoch=epoch,
        iteration_in_epoch=within,
        samples_seen=result.samples_seen,
        done=True,
        diverged=True,
    )


def _results(stack: RunStack) -> dict[str, RunResult]:
    params, losses = stack.final()
    out = {}
    for m in stack.members:
        # A diverged run reports where it last was sane (its live parameters may be inf/NaN).
        it = m.good_iteration if m.diverged else stack.iteration
        final = m.good_params if m.diverged else params[m.row]
        out[m.spec.label] = RunResult(
            label=m.spec.label,
            batch_size=m.batch,
            iterations_per_epoch=stack.ipe,
            iterations=it,
            epochs=it / stack.ipe,
            samples_seen=m.good_samples if m.diverged else int(stack.samples[m.row]),
            initial_loss=m.initial_loss if math.isfinite(m.initial_loss) else None,
            final_loss=None if m.diverged else float(losses[m.row]),
            final_params=[float(v) for v in final],
            diverged=m.diverged,
            wall_time_s=stack.wall,
        )
    return out


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

    The first snapshot carries the `SessionSetup` and iteration 0 of every run; then come the
    instruments measured at the start (gradient noise), training, the instruments that need
    finished runs (basins), and a last snapshot with `finished=True` and the `RunResult`s.
    Long work between snapshots (data, surface, instruments) reports progress through
    `control.report` and ends within ~0.1 s of a stop: stopped before the setup was ready,
    the generator yields nothing; after, it yields a last snapshot with `stopped=True`.
    Raises RuntimeError when the device is unavailable.
    """
    control = control or SessionControl()
    try:
        prepared = _prepare(config, control)
    except Interrupted:
        return
    yield from _train(config, control, *prepared)


def _prepare(
    config: ExperimentConfig, control: SessionControl
) -> tuple[Problem, list[RunStack], SessionSetup]:
    """Data, stacks, surface and start: everything before the first snapshot."""
    with working(control, "startup"):
        # Once per process, and slow (measured 2.6–3.6 s for torch, 2.9–3.3 s more for
        # torch._dynamo, which torch.optim imports on its first optimizer): named as a task,
        # so a window can say what the wait is.
        import torch
        import torch._dynamo

    from engine.device import choose_threads, describe_device, resolve_device
    from engine.problems import loss_grid, make_problem

    device = resolve_device(config.device)
    with working(control, "data"):
        problem = make_problem(config, device, derive_seed(config.seed, "data"))
    torch.set_num_threads(choose_threads(config, problem))
    start = start_point(config, problem)
    stacks = make_stacks(config, problem, problem.initial_blocks(start), device)
    members = {m.spec.label: (st, m) for st in stacks for m in st.members}
    bounds = problem.view_bounds(start) if start is not None else None
    with working(control, "surface"):
        grid = loss_grid(problem, bounds) if bounds is not None else (None, None, None)
    minimum = problem.minimum()
    setup = SessionSetup(
        device=describe_device(device),
        param_names=problem.param_names,
        data=problem.data_columns(),
        start=start,
        minimum=minimum,
        minimum_loss=float(problem.full_loss(minimum)) if minimum is not None else None,
        grid_x=grid[0],
        grid_y=grid[1],
        grid_loss=grid[2],
        runs=tuple(
            RunInfo(
                s.label,
                config.color_of(s),
                members[s.label][1].batch,
                members[s.label][0].ipe,
                members[s.label][0].total,
                config.epochs * config.samples_per_epoch(s),
            )
            for s in config.runs
        ),
        lr_limit=getattr(problem, "lr_limit", lambda: None)(),
        loss_name=str(getattr(problem, "loss_name", "")),
        other_minima=tuple(getattr(problem, "local_minima", lambda: [])()[1:]),
    )
    return problem, stacks, setup


def _train(
    config: ExperimentConfig,
    control: SessionControl,
    problem: Problem,
    stacks: list[RunStack],
    setup: SessionSetup,
) -> Iterator[Progress]:
    fine = max(st.ipe for st in stacks)
    total_ticks = fine * config.epochs
    for st in stacks:
        st.record_start()  # iteration 0: the start
    tick = 0
    steps_since = 0
    last_yield = time.perf_counter()
    measured: dict[str, Any] = {}

    def snapshot(
        setup: SessionSetup | None = None, finished: bool = False, stopped: bool = False
    ) -> Progress:
        nonlocal steps_since, last_yield
        now = time.perf_counter()
        rate = steps_since / max(now - last_yield, 1e-9)
        steps_since, last_yield = 0, now
        rows = {}
        for st in stacks:
            for m, (meta, loss, params) in zip(st.members, st.flush(), strict=True):
                rows[m.spec.label] = _progress(st, m, _rows(meta, loss, params, st.ipe))
        return Progress(
            clock_epochs=tick / fine,
            runs=tuple(rows[s.label] for s in config.runs),
            steps_per_second=rate,
            setup=setup,
            finished=finished,
            stopped=stopped,
            measurements=dict(measured) if finished else {},
        )

    def results() -> tuple[RunResult, ...]:
        by_label = {label: r for st in stacks for label, r in _results(st).items()}
        return tuple(by_label[s.label] for s in config.runs)

    def last_snapshot(stopped: bool) -> Progress:
        """The final snapshot with the results. The final evaluation can still find a run
        diverged (a network's last step): its progress then says so too, where it stopped."""
        progress = snapshot(finished=True, stopped=stopped)
        final = results()
        late = {r.label: r for r in final if r.diverged}
        runs = tuple(
            _diverged_late(rp, late[rp.label]) if rp.label in late and not rp.diverged else rp
            for rp in progress.runs
        )
        return dataclasses.replace(progress, runs=runs, results=final)

    yield snapshot(setup=setup)
    if "gradient_noise" in config.measure and setup.start is not None:
        try:
            measured["gradient_noise"] = gradient_noise_at(config, setup.start, problem, control)
        except Interrupted:
            yield last_snapshot(stopped=True)
            return
        yield dataclasses.replace(snapshot(), measurements=dict(measured))
    anchor: tuple[float, int, float] | None = None  # (time, tick, pace) the pacing counts from
    while tick < total_ticks and any(st.active for st in stacks):
        if control.stop.is_set():
            break
        single = False
        if control.pause.is_set():
            if any(st.pending for st in stacks):
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
        for st in stacks:
            due = tick * st.ipe // fine
            while st.active and st.iteration < due:
                st.step()
                steps_since += st.runs
        full = any(st.pending >= CHUNK_ROWS - 1 for st in stacks)
        if single or full or time.perf_counter() - last_yield >= SNAPSHOT_INTERVAL_S:
            yield snapshot()
    stopped = control.stop.is_set() and any(st.active for st in stacks)
    if "basins" in config.measure and not stopped:
        yield snapshot()  # the runs' last rows, before the copies take their time
        try:
            with working(control, "basins"):
                measured["basins"] = count_basins(config, problem, control)
        except Interrupted:
            stopped = True
    yield last_snapshot(stopped=stopped)


def count_basins(
    config: ExperimentConfig, problem: Problem, control: SessionControl | None = None
) -> dict[str, BasinCount]:
    """Train `config.measure_seeds` copies of every run (own batch orders) and count the minima.

    Copies are stepped together as one session; a run without randomness (full batch, no
    drawing with replacement) is the same under every seed, so it is trained once and counted
    for all. Each copy is classed by the minimum nearest its final parameters.
    """
    minima = getattr(problem, "local_minima", None)
    if minima is None:
        raise ValueError(f"the {config.problem} problem has no list of minima to count")
    points = np.array(minima())
    copies: list[RunSpec] = []
    owner: dict[str, str] = {}
    for spec in config.runs:
        random = config.batch_size_of(spec) < config.n_samples or config.sampling_of(spec) == "replacement"
        for _ in range(config.measure_seeds if random else 1):
            # Short labels of their own: a copy is never shown, and "label~k" could be too long.
            copy = dataclasses.replace(spec, label=f"copy{len(copies)}", color="")
            copies.append(copy)
            owner[copy.label] = spec.label
    # At most MAX_RUNS copies per session; only each session's last snapshot matters (memory
    # stays flat however long the runs). The clock tells how far the copies are, and a stop
    # ends them (raised as Interrupted).
    finals: list[RunResult] = []
    parts = [copies[i : i + MAX_RUNS] for i in range(0, len(copies), MAX_RUNS)]
    for p, part in enumerate(parts):
        replica = dataclasses.replace(config, runs=tuple(part), measure=(), same_batches=False)
        inner = SessionControl(stop=control.stop) if control is not None else None
        last: Progress | None = None
        for last in run_session(replica, inner):
            checkpoint((p + last.clock_epochs / config.epochs) / len(parts))
        if last is None or last.stopped:
            raise Interrupted
        finals.extend(last.results)
    counts = {s.label: [0, 0, 0] for s in config.runs}
    for r in finals:
        tally = counts[owner[r.label]]
        if r.diverged:
            tally[2] += 1
            continue
        nearest = int(np.argmin(np.linalg.norm(points - np.array(r.final_params), axis=1)))
        tally[0 if nearest == 0 else 1] += 1
    out = {}
    for spec in config.runs:
        # A run trained once stands for every seed (they would all take its path).
        scale = config.measure_seeds // sum(counts[spec.label])
        better, worse, diverged = (scale * c for c in counts[spec.label])
        out[spec.label] = BasinCount(config.measure_seeds, better, worse, diverged)
    return out
