"""The batch-size sweep: which batch size to use for this network on this machine.

After the session's own runs, `run_sweep` measures every size of `config.sweep.batch_sizes`:

1. memory: one step at the two smallest sizes, counted part by part, gives the line that
   predicts every other size (step_memory.MemoryLine); a size predicted above the budget is
   not run at all (its rows say `out_of_memory` with the predicted size);
2. cost: each remaining size timed **alone** (batch_cost.py), its memory measured;
3. B_simple, the gradient noise scale, at the start (noise_scale.py);
4. the statistical figures: `seeds` trainings of every size for the epoch budget, seed after
   seed (seed k uses the config's seed + k for its data split, weights and batch orders); the
   sizes of one seed are trained as one session, stacked as any session's runs are (the
   figures do not depend on the stacking; the times above are never taken inside one);
   with `lr_rule` "tuned", the first seed tries TUNE_FACTORS × the square-root rule's rate at
   each size and the rest use the best (fewest steps to the target, else lowest final loss);
5. B_simple again midway: at the middle size, after half the epoch budget;
6. the fits of the large-batch laws (batch_theory.py) to steps and samples to the target.

It is a generator: it yields a `SweepResult` whenever something new is known (a size timed, a
seed trained, and about twice a second while a seed trains, with its epoch), so views fill in
live. It checks the stop event throughout (Interrupted).
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Iterator, Sequence
from functools import partial
from typing import TYPE_CHECKING, Any

import numpy as np
import torch

from engine.config import MAX_RUNS, ExperimentConfig, RunSpec
from engine.control import Interrupted, SessionControl, checkpoint
from engine.instruments.batch_cost import measure_cost, step_memory
from engine.instruments.batch_theory import TheoryFit, fit_samples, fit_steps
from engine.instruments.noise_scale import noise_scale, subset_indices
from engine.instruments.sweep_result import PHASES, BatchCost, NoiseScale, SweepResult, SweepRow
from engine.problems.protocol import PerSampleGradients, SingleRunLoss
from engine.seeds import batch_seed
from engine.sweep_settings import TUNE_FACTORS
from engine.training.memory import available_memory
from engine.training.memory_line import MemoryLine
from engine.training.stack import RunStack

if TYPE_CHECKING:
    from engine.training.bench import Bench
    from engine.training.progress import Progress, RunResult

BUDGET_SHARE = 0.5  # the default budget: this share of the memory available when the sweep starts
PARTIAL_INTERVAL_S = 0.5


def lr_for(config: ExperimentConfig, batch_size: int, rule: str) -> float:
    """The rate `rule` gives a size ("tuned": the square-root rule's, the centre of its grid)."""
    ratio = batch_size / config.lr_reference_batch
    factor = {"fixed": 1.0, "linear": ratio, "sqrt": math.sqrt(ratio), "tuned": math.sqrt(ratio)}[rule]
    return config.lr * factor


def target_crossing(
    per_epoch: Sequence[dict[str, float]], target: tuple[str, float]
) -> tuple[float, float] | None:
    """(steps, samples) at which the run first met the target, interpolated linearly between
    the two measured epoch ends that bracket it; None when it never did."""
    metric, value = target
    rising = metric == "val_accuracy"
    previous: dict[str, float] | None = None
    for entry in per_epoch:
        v = entry[metric]
        if (v >= value) if rising else (v <= value):
            if previous is None:
                return float(entry["iteration"]), float(entry["samples_seen"])
            before = previous[metric]
            frac = (value - before) / (v - before) if v != before else 1.0
            frac = min(max(frac, 0.0), 1.0)
            steps = previous["iteration"] + frac * (entry["iteration"] - previous["iteration"])
            samples = previous["samples_seen"] + frac * (entry["samples_seen"] - previous["samples_seen"])
            return float(steps), float(samples)
        previous = entry
    return None


class _Sweep:
    """The sweep's state as it goes; `result()` freezes it."""

    def __init__(self, bench: Bench) -> None:
        self.bench = bench
        self.config = bench.config
        self.settings = bench.config.sweep
        problem = bench.problem
        if not isinstance(problem, SingleRunLoss) or not isinstance(problem, PerSampleGradients):
            raise ValueError(f"the sweep needs a network problem (got {self.config.problem})")
        self.problem = problem
        self.device: torch.device = problem.device  # type: ignore[attr-defined]
        self.costs: dict[int, BatchCost] = {}
        self.rows: list[SweepRow] = []
        self.lrs: dict[int, float] = {}
        self.tuning: dict[int, dict[float, float | None]] = {}
        self.line: MemoryLine | None = None
        self.line_sizes = (0, 0)
        self.budget = math.inf
        self.noise_start: NoiseScale | None = None
        self.noise_midway: NoiseScale | None = None
        self.midway: tuple[int, float] | None = None
        self.phase = "memory"
        self.seed_index, self.epoch = 0, 0.0
        self.current: int | None = None
        self.last_partial = 0.0

    def spec(self, b: int, lr: float | None = None, label: str = "") -> RunSpec:
        return RunSpec(
            label or f"B{b}", b, lr=lr if lr is not None else lr_for(self.config, b, self.settings.lr_rule)
        )

    def result(self) -> SweepResult:
        ok = [r for r in self.rows if r.status == "ok" and r.steps_to_target]
        return SweepResult(
            batch_sizes=self.settings.batch_sizes,
            lr_rule=self.settings.lr_rule,
            target=self.settings.target,
            budget_bytes=self.budget,
            memory_line=self.line,
            line_sizes=self.line_sizes,
            costs=tuple(self.costs[b] for b in self.settings.batch_sizes if b in self.costs),
            rows=tuple(sorted(self.rows, key=lambda r: (r.batch_size, r.seed))),
            lrs=dict(self.lrs),
            noise_start=self.noise_start,
            noise_midway=self.noise_midway,
            midway=self.midway,
            steps_fit=_fit(fit_steps, [r.batch_size for r in ok], [r.steps_to_target for r in ok]),
            samples_fit=_fit(fit_samples, [r.batch_size for r in ok], [r.samples_to_target for r in ok]),
            phase=self.phase,
            seeds=self.settings.seeds,
            seed_index=self.seed_index,
            epoch=self.epoch,
            batch_size=self.current,
            tuning={b: dict(t) for b, t in self.tuning.items()},
        )

    def due(self) -> bool:
        """Whether a partial result is due (about twice a second)."""
        now = time.monotonic()
        if now - self.last_partial >= PARTIAL_INTERVAL_S:
            self.last_partial = now
            return True
        return False


def _fit(
    law: Callable[[Any, Any], TheoryFit], sizes: list[int], costs: list[float | None]
) -> TheoryFit | None:
    if len(set(sizes)) < 2:
        return None
    try:
        return law(sizes, costs)
    except (ValueError, np.linalg.LinAlgError):
        return None


def run_sweep(bench: Bench) -> Iterator[SweepResult]:
    """Measure every batch size of `bench.config.sweep` (see the module's docstring)."""
    sweep = _Sweep(bench)
    config, settings = sweep.config, sweep.settings
    sizes = settings.batch_sizes
    seeds = settings.seeds
    # Shares of the work, for the progress fraction (training dominates when there is any).
    weights = {"memory": 0.02, "timing": 0.15 if seeds else 0.98, "noise": 0.05 if seeds else 0.0}
    weights["training"] = 1.0 - sum(weights.values())

    def report(phase: str, done: float) -> None:
        start = sum(weights[p] for p in PHASES[: PHASES.index(phase)] if p in weights)
        checkpoint(start + weights.get(phase, 0.0) * min(max(done, 0.0), 1.0))

    # 1. The budget, and the memory line from the two smallest sizes. A probe at B = 1 and 2
    # first (kilobytes): when even the smallest sizes are predicted over the budget, they are
    # never stepped, and the probe's line (exact too: memory is affine in B) stands instead.
    report("memory", 0.0)
    yield sweep.result()
    if settings.memory_budget_mb is not None:
        sweep.budget = settings.memory_budget_mb * 1e6
    else:
        available = available_memory(sweep.device)
        sweep.budget = BUDGET_SHARE * available if available is not None else math.inf
    probe = MemoryLine.through(
        *(step_memory(config, sweep.problem, sweep.spec(b), sweep.device) for b in (1, 2))
    )
    through = (1, 2) if probe.predict(sizes[1]) > sweep.budget else sizes[:2]
    if through == (1, 2):
        sweep.line = probe
    else:
        small, large = (step_memory(config, sweep.problem, sweep.spec(b), sweep.device) for b in through)
        sweep.line = MemoryLine.through(small, large)
    sweep.line_sizes = (int(through[0]), int(through[1]))
    allowed = [b for b in sizes if sweep.line.predict(b) <= sweep.budget]
    for b in sizes:
        if b not in allowed:
            ipe = config.iterations_per_epoch(sweep.spec(b))
            sweep.costs[b] = BatchCost(b, "out_of_memory", sweep.line.predict(b), ipe)
    # 2. Each size's time, alone.
    # One partial result before, none between sizes: a window redrawing its views meanwhile
    # would share the cores with the timing (the busy strip still moves: `report`).
    sweep.phase = "timing"
    yield sweep.result()
    for i, b in enumerate(allowed):
        report("timing", i / len(allowed))
        sweep.costs[b] = measure_cost(config, sweep.problem, sweep.spec(b), sweep.device, bench.control)
    allowed = [b for b in allowed if sweep.costs[b].status == "ok"]
    for b in sizes:
        sweep.lrs[b] = lr_for(config, b, settings.lr_rule)
    _refused_rows(sweep, sizes, allowed)
    if not seeds:  # nothing trained: each size's row holds its cost alone
        sweep.rows.extend(SweepRow.of_cost(sweep.costs[b], _seed(config, 0), sweep.lrs[b]) for b in allowed)
    if seeds and allowed:
        # 3. The noise scale at the start (the session's own weights and data).
        sweep.phase = "noise"
        report("noise", 0.0)
        yield sweep.result()
        idx = subset_indices(config.n_samples, config.seed)
        start = [
            torch.tensor(w, dtype=torch.float32, device=sweep.device)
            for w in sweep.problem.initial_blocks(None)
        ]
        sweep.noise_start = noise_scale(sweep.problem, start, idx)
        # 4. The statistical figures, seed after seed.
        sweep.phase = "training"
        for k in range(seeds):
            sweep.seed_index, sweep.epoch = k, 0.0
            yield sweep.result()
            yield from _train_seed(sweep, allowed, k, partial(_report_seed, report, k, seeds))
        # 5. The noise scale midway, at the middle size.
        middle = allowed[len(allowed) // 2]
        epochs = max(config.epochs / 2, 1.0)
        weights_mid = _train_alone(sweep, middle, epochs)
        sweep.noise_midway = noise_scale(sweep.problem, weights_mid, idx)
        sweep.midway = (middle, epochs)
    sweep.phase = "done"
    yield sweep.result()


def _report_seed(report: Callable[[str, float], None], k: int, seeds: int, done: float) -> None:
    report("training", (k + done) / seeds)


def _refused_rows(sweep: _Sweep, sizes: Sequence[int], allowed: Sequence[int]) -> None:
    for b in sizes:
        if b not in allowed:
            for k in range(max(sweep.settings.seeds, 1)):
                sweep.rows.append(SweepRow.of_cost(sweep.costs[b], _seed(sweep.config, k), sweep.lrs[b]))


def _seed(config: ExperimentConfig, k: int) -> int:
    return (config.seed + k) % 2**63


def _train_seed(
    sweep: _Sweep, allowed: Sequence[int], k: int, progress: Callable[[float], None]
) -> Iterator[SweepResult]:
    """Train every allowed size with seed k (with "tuned", the first seed tries the grid)."""
    config, settings = sweep.config, sweep.settings
    tune = settings.lr_rule == "tuned" and k == 0
    specs: list[RunSpec] = []
    owner: dict[str, tuple[int, float]] = {}
    for b in allowed:
        rates = [sweep.lrs[b] * f for f in TUNE_FACTORS] if tune else [sweep.lrs[b]]
        for j, lr in enumerate(rates):
            spec = sweep.spec(b, lr, f"B{b}-{j}" if tune else f"B{b}")
            specs.append(spec)
            owner[spec.label] = (b, lr)
    results: list[RunResult] = []
    parts = [specs[i : i + MAX_RUNS] for i in range(0, len(specs), MAX_RUNS)]
    for p, part in enumerate(parts):
        replica = dataclasses.replace(
            config, seed=_seed(config, k), runs=tuple(part), measure=(), lr_scaling="none", same_batches=False
        )
        inner = SessionControl(stop=sweep.bench.control.stop)
        last: Progress | None = None
        for last in sweep.bench.train(replica, inner):
            sweep.epoch = last.clock_epochs
            progress((p + last.clock_epochs / config.epochs) / len(parts))
            if sweep.due():
                yield sweep.result()
        if last is None or last.stopped:
            raise Interrupted
        results.extend(last.results)
    rows = {r.label: _row(sweep, owner[r.label][0], _seed(config, k), owner[r.label][1], r) for r in results}
    if tune:
        for b in allowed:
            candidates = [rows[s.label] for s in specs if owner[s.label][0] == b]
            sweep.tuning[b] = {r.lr: r.steps_to_target for r in candidates}
            best = min(candidates, key=_tuning_rank)
            sweep.lrs[b] = best.lr
            sweep.rows.append(best)
    else:
        sweep.rows.extend(rows.values())


def _tuning_rank(row: SweepRow) -> tuple[int, float]:
    """Fewest steps to the target first, then the lowest final loss; diverged last."""
    if row.status == "ok" and row.steps_to_target is not None:
        return (0, row.steps_to_target)
    if row.final_train_loss is not None:
        return (1, row.final_train_loss)
    return (2, 0.0)


def _row(sweep: _Sweep, b: int, seed: int, lr: float, result: RunResult) -> SweepRow:
    target = sweep.settings.target
    cost = sweep.costs[b]
    per = result.per_epoch
    last = per[-1] if per and not result.diverged else None
    crossing = target_crossing(per, target) if target is not None else None
    steps = crossing[0] if crossing else None
    epochs = steps / result.iterations_per_epoch if steps is not None else None
    if result.diverged:
        status = "diverged"
    elif target is not None and crossing is None:
        status = "target_not_reached"
    else:
        status = "ok"
    return SweepRow(
        batch_size=b,
        seed=seed,
        lr=lr,
        seconds_per_epoch=cost.seconds_per_epoch,
        samples_per_s=cost.samples_per_s,
        peak_memory_mb=cost.memory_bytes / 1e6,
        steps_to_target=steps,
        epochs_to_target=epochs,
        seconds_to_target=epochs * cost.seconds_per_epoch
        if epochs is not None and cost.seconds_per_epoch
        else None,
        final_train_loss=result.final_loss,
        val_accuracy=last["val_accuracy"] if last else None,
        generalization_gap=last["train_accuracy"] - last["val_accuracy"] if last else None,
        status=status,
        samples_to_target=crossing[1] if crossing else None,
    )


def _train_alone(sweep: _Sweep, b: int, epochs: float) -> list[torch.Tensor]:
    """The weights of one run of size `b` (seed 0's start and batches) after `epochs` epochs."""
    config = sweep.config
    spec = sweep.spec(b, sweep.lrs[b])
    alone = dataclasses.replace(config, runs=(spec,), measure=(), lr_scaling="none")
    stack = RunStack(
        [spec],
        alone,
        sweep.problem,
        [sweep.problem.initial_blocks(None, config.init)],
        sweep.device,
        [batch_seed(alone, spec)],
    )
    stack.measures_epochs = False
    stack.stop = sweep.bench.control.stop
    steps = math.ceil(epochs * stack.ipe)
    for i in range(steps):
        checkpoint(0.98 + 0.02 * i / steps)
        stack.step()
        if stack.pending >= 256:
            stack.flush()
    return [w.detach() for w in stack.groups[0]]
