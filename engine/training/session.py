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
import itertools
import math
import time
from collections.abc import Generator, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.config import ExperimentConfig, RunSpec, epoch_position
from engine.control import Interrupted, SessionControl, checkpoint, share, working
from engine.problems.protocol import Classifier, LocalMinima, StabilityLimit
from engine.seeds import batch_seed, derive_seed
from engine.training.bench import Bench, Instrument
from engine.training.history import HistoryRows
from engine.training.memory import check_memory
from engine.training.progress import Progress, RunInfo, RunProgress, RunResult, SessionSetup
from engine.training.stack import CHUNK_ROWS, Member, RunStack, Stack, stack_groups
from engine.training.start import start_point

if TYPE_CHECKING:
    import torch

    from engine.problems.protocol import Problem

SNAPSHOT_INTERVAL_S = 0.05
# A network's "data" task, as shares of one bar: its images, its runs' first loss (a pass over
# all N), their epoch-0 measures. Measured on lenet-fashion with nothing cached, on the 2-core
# machines: ~1.7 s, ~7.6 s and ~2.2 s (benchmarks/first_loss.py prints them).
NETWORK_DATA_SPANS = ((0.0, 0.15), (0.15, 0.8), (0.8, 1.0))
OTHER_DATA_SPANS = ((0.0, 1.0), (1.0, 1.0), (1.0, 1.0))  # the data is all of the work


def make_stacks(
    config: ExperimentConfig, problem: Problem, start: np.ndarray | None, device: torch.device
) -> list[Stack]:
    """Group the runs by schedule (iterations per epoch, sampling) and optimizer into stacks.

    Every run starts from `start` (2-D problems) or from its initialisation's weights
    (networks: runs with the same `init` share them). Each stack's first loss (a network's:
    a pass over all N) reports progress as its share of the current task (`stack_shares`)."""
    groups = stack_groups(config)
    stacks: list[Stack | None] = []
    parallel = [specs for specs in groups if specs[0].workers > 1]  # K processes: training/parallel
    try:
        for specs, (lo, hi) in zip(groups, stack_shares(config, groups), strict=True):
            if specs[0].workers > 1:
                stacks.append(None)  # made below, all together
                continue
            with share(lo, hi):
                starts = [problem.initial_blocks(start, config.init_of(s)) for s in specs]
                seeds = [batch_seed(config, s) for s in specs]
                stacks.append(RunStack(specs, config, problem, starts, device, seeds))
        if parallel:
            from engine.training.parallel import parallel_stacks

            made = iter(
                parallel_stacks(
                    parallel,
                    config,
                    problem,
                    [[problem.initial_blocks(start, config.init_of(s)) for s in specs] for specs in parallel],
                    device,
                    [[batch_seed(config, s) for s in specs] for specs in parallel],
                )
            )
            stacks = [st if st is not None else next(made) for st in stacks]
    except BaseException:
        close_stacks([st for st in stacks if st is not None])
        raise
    return [st for st in stacks if st is not None]


def close_stacks(stacks: list[Stack]) -> None:
    """Release what the stacks hold outside this process (a data-parallel stack's workers):
    every group asked to end first, so they end together, then each waited for; one that
    fails to end does not keep the others from ending (the first failure is raised after)."""
    failure: BaseException | None = None
    for step in ("leave", "close"):
        for st in stacks:
            try:
                getattr(st, step)()
            except BaseException as exc:  # raised once every stack is released
                failure = failure or exc
    if failure is not None:
        raise failure


def stack_shares(config: ExperimentConfig, groups: list[list[RunSpec]]) -> list[tuple[float, float]]:
    """Each stack's share of the work of evaluating every stack at its start: its runs, unless
    a stack before it started from the same weights (the same inits, as many runs), whose
    numbers a network remembers (engine.problems.network) and so does not compute again."""
    seen: set[tuple[str, ...]] = set()
    weights = []
    for specs in groups:
        inits = tuple(sorted(config.init_of(s) for s in specs))
        weights.append(0.0 if inits in seen else float(len(specs)))
        seen.add(inits)
    total = sum(weights)
    bounds = np.cumsum([0.0, *weights]) / total
    return [(float(lo), float(hi)) for lo, hi in itertools.pairwise(bounds)]


def record_starts(stacks: list[Stack], control: SessionControl, shares: list[tuple[float, float]]) -> None:
    """Every stack's iteration 0 (a network's epoch-0 measures, each stack its share of the
    task); Interrupted when the stop event cut them short."""
    for st, (lo, hi) in zip(stacks, shares, strict=True):
        st.stop = control.stop
        with share(lo, hi):
            st.record_start()  # iteration 0: the start
    checkpoint()  # a network's measures end early, without raising, once asked to stop


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


def _progress(stack: Stack, m: Member, rows: HistoryRows) -> RunProgress:
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
        new_epochs=tuple(m.new_epochs),
        predictions=m.predictions,
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


def _results(stack: Stack) -> dict[str, RunResult]:
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
            per_epoch=tuple(m.per_epoch),
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


def run_session(
    config: ExperimentConfig,
    control: SessionControl | None = None,
    instruments: Mapping[str, Instrument] | None = None,
) -> Generator[Progress, None, None]:
    """Train every run of `config` side by side, yielding `Progress` snapshots.

    The first snapshot carries the `SessionSetup` and iteration 0 of every run; then come the
    instruments measured at the start (gradient noise), training, the instruments that need
    finished runs (basins), and a last snapshot with `finished=True` and the `RunResult`s.
    Long work between snapshots (data, surface, instruments) reports progress through
    `control.report` and ends within ~0.1 s of a stop: stopped before the setup was ready,
    the generator yields nothing; after, it yields a last snapshot with `stopped=True`.
    Raises ConfigError (a ValueError, one sentence) when the device asked for is unavailable,
    the data admit no minimum, or the session would not fit in memory (training/memory.py).
    """
    control = control or SessionControl()
    known = dict(instruments or {})
    missing = [name for name in config.measure if name not in known]
    if missing:  # engine.run_session plugs every instrument in; this one was called without
        raise ValueError(f"no instrument {missing[0]!r} was given to this session")
    try:
        prepared = _prepare(config, control)
    except Interrupted:
        return
    try:
        yield from _train(config, control, known, *prepared)
    finally:  # however it ends: finished, stopped, failed, or closed by its consumer
        close_stacks(prepared[1])


def _prepare(config: ExperimentConfig, control: SessionControl) -> tuple[Problem, list[Stack], SessionSetup]:
    """Data, stacks, surface and start: everything before the first snapshot."""
    with working(control, "startup"):
        # Once per process, and slow (torch ~1.4 s idle, up to ~3.6 s on a loaded machine;
        # torch._dynamo, which torch.optim imports on its first optimizer, ~1.1 s more, up to
        # ~3.3 s): named as a task, so a window can say what the wait is.
        import torch._dynamo  # noqa: F401  # torch with it: loaded here for the task's name

        from engine.training.device import describe_device, resolve_device, settle_threads

        settle_threads()  # the process's one thread count, before any session computes: device.py

    from engine.problems import loss_grid, make_problem

    device = resolve_device(config.device)
    check_memory(config, device)  # before the data: a session that cannot fit is refused now
    images, first_loss, measures = NETWORK_DATA_SPANS if config.problem == "network" else OTHER_DATA_SPANS
    with working(control, "data", images):
        problem = make_problem(config, device, derive_seed(config.seed, "data"))
    start = start_point(config, problem)
    with working(control, "data", first_loss):  # a network's first loss is a pass over all N: stoppable
        stacks = make_stacks(config, problem, start, device)
    try:
        with working(control, "data", measures):  # a network's epoch-0 measures: ~20 000 images
            shares = stack_shares(config, [[m.spec for m in st.members] for st in stacks])
            record_starts(stacks, control, shares)
        bounds = problem.view_bounds(start) if start is not None else None
        with working(control, "surface"):
            grid = loss_grid(problem, bounds) if bounds is not None else (None, None, None)
        members = {m.spec.label: (st, m) for st in stacks for m in st.members}
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
            lr_limit=problem.lr_limit() if isinstance(problem, StabilityLimit) else None,
            loss_name=problem.loss_name,
            other_minima=tuple(problem.local_minima()[1:]) if isinstance(problem, LocalMinima) else (),
            n_params=int(problem.n_params),
            **_network_facts(problem),
        )
        return problem, stacks, setup
    except BaseException:  # whatever fails, no worker process is left behind
        close_stacks(stacks)
        raise


def _network_facts(problem: Problem) -> dict[str, Any]:
    if not isinstance(problem, Classifier):
        return {}
    images, labels = problem.examples()
    return {"classes": tuple(problem.class_names), "examples": images, "example_labels": labels}


def _train(
    config: ExperimentConfig,
    control: SessionControl,
    instruments: dict[str, Instrument],
    problem: Problem,
    stacks: list[Stack],
    setup: SessionSetup,
) -> Iterator[Progress]:
    fine = max(st.ipe for st in stacks)
    total_ticks = fine * config.epochs
    tick = 0
    steps_since = steps_all = 0
    # When the last snapshot ended: the next comes SNAPSHOT_INTERVAL_S of stepping later (a slow
    # flush, e.g. the exact loss over 10⁶ samples, is not followed by one of a single step), and
    # the rates count from it, the next flush included.
    started = last_yield = time.perf_counter()
    last_samples = 0
    measured: dict[str, Any] = {}

    def snapshot(
        setup: SessionSetup | None = None, finished: bool = False, stopped: bool = False
    ) -> Progress:
        nonlocal steps_since, steps_all, last_yield, last_samples
        now = time.perf_counter()
        samples = sum(int(st.samples.sum()) for st in stacks)
        steps_all += steps_since
        rows = {}
        for st in stacks:
            for m, (meta, loss, params) in zip(st.members, st.flush(), strict=True):
                rows[m.spec.label] = _progress(st, m, _rows(meta, loss, params, st.ipe))
                m.new_epochs.clear()
        flushed = time.perf_counter()
        if finished:  # the whole run's rates (its last moments were mostly the final evaluation)
            rate = steps_all / max(now - started, 1e-9)
            sample_rate = samples / max(now - started, 1e-9)
        else:  # since the last snapshot ended, this one's flush included: the real pace
            rate = steps_since / max(flushed - last_yield, 1e-9)
            sample_rate = (samples - last_samples) / max(flushed - last_yield, 1e-9)
        steps_since, last_yield, last_samples = 0, flushed, samples
        return Progress(
            clock_epochs=tick / fine,
            runs=tuple(rows[s.label] for s in config.runs),
            steps_per_second=rate,
            samples_per_second=sample_rate,
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
        diverged (a network's last step): its progress then says so too, where it stopped.
        A stop during that evaluation (a network's pass over all N) leaves the results empty."""
        progress = snapshot(finished=True, stopped=stopped)
        try:
            final = results()
        except Interrupted:  # stopped during a network's final pass over all N: no results
            return dataclasses.replace(progress, stopped=True)
        late = {r.label: r for r in final if r.diverged}
        runs = tuple(
            _diverged_late(rp, late[rp.label]) if rp.label in late and not rp.diverged else rp
            for rp in progress.runs
        )
        return dataclasses.replace(progress, runs=runs, results=final)

    def train(other: ExperimentConfig, other_control: SessionControl | None) -> Iterator[Progress]:
        return run_session(other, other_control, instruments)

    def trajectories() -> dict[str, np.ndarray]:
        return {m.spec.label: st.trajectory(m.row) for st in stacks for m in st.members}

    bench = Bench(config, problem, setup, control, train, trajectories)
    before = [n for n in config.measure if instruments[n].when == "before"]
    after = [n for n in config.measure if instruments[n].when == "after"]
    yield snapshot(setup=setup)

    def measure(name: str) -> Iterator[Progress]:
        """Run one instrument as its own task; an iterator's partial results each on a snapshot."""
        with working(control, name):
            found = instruments[name].measure(bench)
            if isinstance(found, Iterator):
                for partial in found:
                    measured[name] = partial
                    yield dataclasses.replace(snapshot(), measurements=dict(measured))
            else:
                measured[name] = found

    for name in before:
        try:
            yield from measure(name)
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
            last_yield = time.perf_counter()  # and count the rates from now
        if control.pace > 0 and not single:
            anchor = _keep_pace(control, anchor, tick)
            if control.stop.is_set():
                break
        tick += 1
        for st in stacks:
            steps_since += st.runs * st.advance(tick * st.ipe // fine)
        full = any(st.pending >= CHUNK_ROWS - 1 for st in stacks)
        if single or full or time.perf_counter() - last_yield >= SNAPSHOT_INTERVAL_S:
            yield snapshot()
    stopped = control.stop.is_set() and any(st.active for st in stacks)
    if after and not stopped:
        yield snapshot()  # the runs' last rows, before the instruments take their time
        for name in after:
            try:
                yield from measure(name)
            except Interrupted:
                stopped = True
                break
    yield last_snapshot(stopped=stopped)
