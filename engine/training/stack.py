"""Runs that share a schedule, stepped as one.

Runs with the same number of iterations per epoch step at the same ticks of the session's
clock, so their parameters are stacked along a leading run axis R: one forward over all of
them, the per-run losses *summed* (so each run's gradient is its own), one backward, one
`torch.optim` step. The optimizers offered are elementwise, so one optimizer over an (R, …)
tensor behaves as R independent ones. Runs that need their own learning rate get their own
param group (a separate tensor), and runs with different batch sizes share a step through
padded index tensors with per-sample weights 1/bᵣ (0 on padding).

Each run keeps its own batch-order generator, so its batches are exactly the ones it would
draw alone; tests check that stacked runs equal runs made one at a time.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np

from engine.config import ExperimentConfig, RunSpec
from engine.control import Interrupted
from engine.problems.protocol import Classifier, ClosedFormGradients, SingleRunLoss
from engine.training.optimizers import build_optimizer
from engine.training.progress import EPOCH_METRICS
from engine.training.sampling import epoch_segments

if TYPE_CHECKING:
    import torch

    from engine.problems.protocol import Problem

CHUNK_ROWS = 8192  # steps buffered on the device before a forced snapshot
DIVERGENCE_FACTOR = 1e6  # a loss this many times above the start's (or non-finite) = diverged
SNAPSHOTS = 200  # weight snapshots kept per run when the landscape is measured
SHORT_RUN_EPOCHS = 4  # networks trained this many epochs or fewer are measured ...
CHECKS_PER_SHORT_EPOCH = 4  # ... this many times an epoch (else so in the first, then at its end)


def stack_groups(config: ExperimentConfig) -> list[list[RunSpec]]:
    """The runs of `config` grouped as they are stepped: one group per schedule (iterations
    per epoch, sampling, warm-up), optimizer and number of workers, in the order of their
    first run."""
    groups: dict[tuple[int, str, str, str, int, int], list[RunSpec]] = {}
    for spec in config.runs:
        name, params = config.optimizer_of(spec)
        key = (
            config.iterations_per_epoch(spec),
            config.sampling_of(spec),
            name,
            repr(sorted(params.items())),
            config.warmup_iterations(spec),  # one scheduler per stack
            spec.workers,  # one process group per stack (engine/training/parallel)
        )
        groups.setdefault(key, []).append(spec)
    return list(groups.values())


class Stack(Protocol):
    """What a session steps and reads: a `RunStack`, or a data-parallel stack of runs trained
    by several processes (engine/training/parallel) with the same interface."""

    ipe: int
    total: int
    runs: int
    members: list[Member]
    iteration: int
    samples: np.ndarray
    wall: float
    stop: threading.Event | None

    @property
    def pending(self) -> int: ...
    @property
    def active(self) -> bool: ...
    def advance(self, due: int) -> int: ...
    def record_start(self) -> None: ...
    def flush(self) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]: ...
    def final(self) -> tuple[np.ndarray, np.ndarray]: ...
    def trajectory(self, row: int) -> np.ndarray: ...
    def lr_of_row(self, row: int) -> float: ...
    def leave(self) -> None: ...
    def close(self) -> None: ...


@dataclass
class _Segment:
    """Consecutive iterations of an epoch whose batches have the same sizes in every run."""

    start: int  # first iteration (within the epoch) of the segment
    end: int
    data: tuple[torch.Tensor, ...]  # from problem.prepare, leading axis = iteration
    weights: torch.Tensor | None  # (R, b) when batch sizes differ between runs
    sizes: np.ndarray  # (R,) samples per run per iteration


@dataclass
class Member:
    """One run's bookkeeping inside a stack."""

    spec: RunSpec
    row: int  # its row in the stacked parameters
    batch: int
    initial_loss: float
    last_loss: float
    good_params: np.ndarray  # the last recorded parameters with a sane loss
    good_iteration: int = 0
    good_samples: int = 0
    diverged: bool = False
    per_epoch: list[dict[str, float]] = field(default_factory=list)  # networks' epoch metrics
    new_epochs: list[dict[str, float]] = field(default_factory=list)  # not yet in a snapshot
    predictions: np.ndarray | None = None  # networks: its classes for the problem's examples


class RunStack:
    """The runs of one schedule: stacked parameters, one optimizer, unflushed rows."""

    def __init__(
        self,
        specs: list[RunSpec],
        config: ExperimentConfig,
        problem: Problem,
        starts: list[list[np.ndarray]],
        device: torch.device,
        seeds: list[int],
    ) -> None:
        import torch

        self.config, self.problem, self.device = config, problem, device
        self.ipe = config.iterations_per_epoch(specs[0])
        self.sampling = config.sampling_of(specs[0])  # the same for every run of a stack
        self.total = config.total_iterations(specs[0])
        # Rows grouped by learning rate: one tensor (and param group) per distinct rate.
        rates = sorted({config.scaled_lr_of(s) for s in specs})
        order = sorted(range(len(specs)), key=lambda i: rates.index(config.scaled_lr_of(specs[i])))
        self.group_sizes = [sum(1 for s in specs if config.scaled_lr_of(s) == lr) for lr in rates]
        self.generators = [torch.Generator().manual_seed(seeds[i]) for i in order]
        # The problem's optional abilities, checked once here (not in the step: an isinstance
        # against a Protocol costs microseconds, a step ~100).
        self.gradients = problem if isinstance(problem, ClosedFormGradients) else None  # else autograd
        # A stack of one run keeps its parameters without the run axis when the problem can
        # take them so (a network alone: no view nodes in its graph); blocks() adds the axis.
        self.single_loss = problem if isinstance(problem, SingleRunLoss) and self.gradients is None else None
        self.single = len(specs) == 1 and self.single_loss is not None
        self.groups: list[list[torch.Tensor]] = []
        first = 0
        for size in self.group_sizes:
            rows = [starts[i] for i in order[first : first + size]]  # each run's blocks
            first += size
            self.groups.append(
                [
                    _layout(
                        torch.tensor(
                            rows[0][k] if self.single else np.stack([r[k] for r in rows]),
                            dtype=torch.float32,
                            device=device,
                        )
                    ).requires_grad_()
                    for k in range(len(rows[0]))
                ]
            )
        param_groups: list[dict[str, Any]] = [
            {"params": g, "lr": lr} for g, lr in zip(self.groups, rates, strict=True)
        ]
        # Several tensors per run on a GPU (a network's layers): the foreach kernels launch
        # one kernel for all of them. On the CPU the per-tensor path is faster (measured: a
        # B = 32 MLP step 10-15 µs quicker), as it is for a single small tensor anywhere.
        foreach = len(starts[0]) > 1 and device.type == "cuda"
        name, options = config.optimizer_of(specs[0])  # the same for every run of a stack
        self.optimizer = build_optimizer(name, param_groups, config.lr, options, foreach=foreach)
        # Warm-up: torch's LinearLR raises every group's lr from 1/w of its value to all of it
        # over the first w steps (the runs of a stack share their schedule, so one will do).
        self.warmup = config.warmup_iterations(specs[0])
        self.scheduler = None
        if self.warmup > 1:
            from torch.optim.lr_scheduler import LinearLR

            self.scheduler = LinearLR(
                self.optimizer, start_factor=1.0 / self.warmup, total_iters=self.warmup - 1
            )
        self.batches = np.array([config.batch_size_of(specs[i]) for i in order])
        blocks = self.blocks()
        initial = self.initial_losses(blocks)
        tracked = self._tracked_rows(blocks)
        self.members = [
            Member(
                spec=specs[i],
                row=row,
                batch=int(self.batches[row]),
                initial_loss=float(initial[row]),
                last_loss=float(initial[row]),
                good_params=tracked[row],
            )
            for row, i in enumerate(order)
        ]
        for m in self.members:
            if not (np.isfinite(m.initial_loss) and np.isfinite(m.good_params).all()):
                # Diverged before its first step: nothing of it is plotted or stepped on.
                m.diverged, m.initial_loss, m.last_loss = True, math.nan, math.nan
        self.runs = len(specs)
        self.iteration = 0
        self.samples = np.zeros(self.runs, dtype=np.int64)
        self.wall = 0.0
        self.segments: list[_Segment] = []
        self.segment: _Segment | None = None
        self.segment_pos = 0
        # Unflushed rows, one entry per recorded iteration: the values stay on the device
        # (parameters (R, P), or batch losses (R,)) until a flush stacks them in one copy.
        self.rows: list[torch.Tensor] = []
        self.row_meta: list[tuple[int, float]] = []  # iteration, wall time
        self.row_samples: list[np.ndarray] = []  # (R,) samples seen
        # Networks measure every run at each epoch's end; a set stop event cuts that short.
        # A run of a few epochs also at each quarter epoch, or its accuracy curve would be two
        # or three points (LeNet's 2-epoch lesson); a longer one so in its first epoch, where
        # different starts (the initialisation lesson) part and then meet.
        self.classifier = problem if isinstance(problem, Classifier) else None
        self.measures_epochs = self.classifier is not None
        checks = min(CHECKS_PER_SHORT_EPOCH, self.ipe)
        self.check_points = {self.ipe * c // checks for c in range(1, checks)}
        self.checks_every_epoch = config.epochs <= SHORT_RUN_EPOCHS
        self.stop: threading.Event | None = None
        # The landscape's trajectories: every run's weights every `snap_every` steps (and at the
        # start), about SNAPSHOTS of them, on the host (a copy every few steps, not every step).
        self.snap_every = max(1, self.total // SNAPSHOTS) if "landscape" in config.measure else 0
        self.snapshots: list[np.ndarray] = []  # (R, P) each
        self.snapped_at = -1  # the iteration of the last snapshot

    def initial_losses(self, blocks: list[torch.Tensor]) -> np.ndarray:
        """Each run's exact loss at its start (a network's: a pass over all N)."""
        with np.errstate(all="ignore"):  # a start whose loss is not finite is marked by the caller
            return self.problem.evaluate(blocks)

    # ----- stepping -----

    @property
    def active(self) -> bool:
        return self.iteration < self.total and not all(m.diverged for m in self.members)

    def blocks(self) -> list[torch.Tensor]:
        """Every parameter block with all runs stacked (rows in group order)."""
        import torch

        if self.single:
            return [p.unsqueeze(0) for p in self.groups[0]]
        if len(self.groups) == 1:
            return self.groups[0]
        return [torch.cat(parts) for parts in zip(*self.groups, strict=True)]

    def advance(self, due: int) -> int:
        """Step until iteration `due` (or the end, or every run diverged); the steps taken."""
        start = self.iteration
        while self.active and self.iteration < due:
            self.step()
        return self.iteration - start

    def leave(self) -> None:
        """Ask what the stack holds outside this process to end, without waiting (nothing
        here: a data-parallel stack's workers, engine/training/parallel)."""

    def close(self) -> None:
        """Release what the stack holds outside this process, waiting for it (nothing here)."""

    def reduce(self, losses: torch.Tensor | None) -> torch.Tensor | None:
        """Between the gradients and the optimizer's step: the batch losses to record. One
        process has the whole batch; a data-parallel worker sums its shard's (parallel/shard.py)."""
        return losses

    def step(self) -> None:
        t0 = time.perf_counter()
        k = self.iteration % self.ipe
        if k == 0:
            self._new_epoch()
        segment = self.segment
        assert segment is not None
        if k >= segment.end:
            self.segment_pos += 1
            segment = self.segment = self.segments[self.segment_pos]
        j = k - segment.start
        batch = tuple(t[j] for t in segment.data)
        losses = None
        if self.gradients is not None:
            self._assign(self.gradients.batch_gradients(self.blocks(), batch, segment.weights))
        else:
            for group in self.groups:
                for p in group:
                    p.grad = None
            if self.single and self.single_loss is not None:
                losses = self.single_loss.single_loss(self.groups[0], batch, segment.weights)
            else:
                losses = self.problem.batch_losses(self.blocks(), batch, segment.weights)
            # Summed, not averaged: each run's gradient is its own. One run: no sum node.
            loss = losses if self.runs == 1 else losses.sum()
            loss.backward()  # type: ignore[no-untyped-call]  # torch leaves Tensor.backward unannotated
        losses = self.reduce(losses)
        self.optimizer.step()
        if self.scheduler is not None and self.iteration < self.warmup:
            self.scheduler.step()
        self.iteration += 1
        self.samples += segment.sizes
        if self.snap_every and self.iteration % self.snap_every == 0:
            self.snapshot()
        stepped = time.perf_counter()
        self.wall += stepped - t0
        self.record(None if losses is None or self.problem.tracked else losses.detach())
        self.wall += time.perf_counter() - stepped  # recording is part of a step's cost
        checking = self.checks_every_epoch or self.iteration < self.ipe
        if self.measures_epochs and (
            self.iteration % self.ipe == 0 or (checking and self.iteration % self.ipe in self.check_points)
        ):
            self.measure_epoch()  # not part of a step's cost: a bare training loop has none

    def measure_epoch(self) -> None:
        """Each sane run's metrics (networks) now, kept for its next snapshot; at an epoch's end
        also for its result (`per_epoch`). Within an epoch (a check), "epoch" is a fraction."""
        assert self.classifier is not None  # only networks measure epochs
        blocks = self.blocks()
        values = self.classifier.metrics(blocks, self.stop)
        if values is None:  # stopped meanwhile
            return
        predictions = self.classifier.predict(blocks)
        for m in self.members:
            row = values[m.row]
            if m.diverged or not np.isfinite(row).all():
                continue  # a non-finite run is marked diverged by the next flush
            whole = self.iteration % self.ipe == 0
            entry: dict[str, float] = {
                "epoch": self.iteration // self.ipe if whole else self.iteration / self.ipe,
                "iteration": self.iteration,
                "samples_seen": int(self.samples[m.row]),
                "wall_time_s": self.wall,
            }
            entry.update((name, float(v)) for name, v in zip(EPOCH_METRICS, row, strict=True))
            if whole:
                m.per_epoch.append(entry)
            m.new_epochs.append(entry)
            m.predictions = predictions[m.row]

    def snapshot(self) -> None:
        """Keep every run's weights now, flattened (the landscape's trajectories)."""
        import torch

        with torch.no_grad():
            flat = torch.cat([b.detach().reshape(len(b), -1) for b in self.blocks()], dim=1)
        self.snapshots.append(flat.float().cpu().numpy())
        self.snapped_at = self.iteration

    def trajectory(self, row: int) -> np.ndarray:
        """(T, P): the run in `row`'s recorded weights, the last one its weights now (empty
        unless the landscape is measured)."""
        if not self.snapshots:
            return np.empty((0, 0), dtype=np.float32)
        if self.snapped_at != self.iteration:
            self.snapshot()
        return np.stack([s[row] for s in self.snapshots])

    def lr_of_row(self, row: int) -> float:
        """The learning rate the run in `row` uses at its next step (warm-up included)."""
        start = 0
        for size, group in zip(self.group_sizes, self.optimizer.param_groups, strict=True):
            if row < start + size:
                return float(group["lr"])
            start += size
        raise IndexError(row)

    def _assign(self, grads: list[torch.Tensor]) -> None:
        if len(self.groups) == 1:
            for p, g in zip(self.groups[0], grads, strict=True):
                p.grad = g
            return
        start = 0
        for size, group in zip(self.group_sizes, self.groups, strict=True):
            for p, g in zip(group, grads, strict=True):
                p.grad = g[start : start + size]
            start += size

    def _new_epoch(self) -> None:
        """Draw every run's batches for the epoch and cut them into uniform segments."""
        import torch

        c = self.config
        per_run = [
            epoch_segments(c.n_samples, int(b), self.ipe, self.sampling, c.drop_last, g)
            for b, g in zip(self.batches, self.generators, strict=True)
        ]
        shapes = [[s.shape for s in segs] for segs in per_run]
        if all(s == shapes[0] for s in shapes):  # same sizes everywhere: no padding needed
            self.segments = []
            start = 0
            for parts in zip(*per_run, strict=True):
                idx = torch.stack(parts, dim=1).to(self.device, non_blocking=True)  # (K, R, b)
                k, b = parts[0].shape
                sizes = np.full(self.runs, b, dtype=np.int64)
                self.segments.append(_Segment(start, start + k, self.problem.prepare(idx), None, sizes))
                start += k
        else:
            self.segments = self._padded_segments(per_run)
        self.segment = self.segments[0]
        self.segment_pos = 0

    def _padded_segments(self, per_run: list[list[torch.Tensor]]) -> list[_Segment]:
        import torch

        sizes = np.zeros((self.ipe, self.runs), dtype=np.int64)
        width = max(s.shape[1] for segs in per_run for s in segs)
        idx = torch.zeros((self.ipe, self.runs, width), dtype=torch.int64)
        for r, segs in enumerate(per_run):
            k = 0
            for s in segs:
                idx[k : k + len(s), r, : s.shape[1]] = s
                sizes[k : k + len(s), r] = s.shape[1]
                k += len(s)
        segments = []
        k = 0
        while k < self.ipe:
            end = k + 1
            while end < self.ipe and (sizes[end] == sizes[k]).all():
                end += 1
            b = int(sizes[k].max())
            cols = torch.arange(b)
            counts = torch.as_tensor(sizes[k])
            weights = (cols[None, :] < counts[:, None]).float() / counts[:, None].float()
            data = self.problem.prepare(idx[k:end, :, :b].to(self.device))
            segments.append(_Segment(k, end, data, weights.to(self.device), sizes[k].copy()))
            k = end
        return segments

    # ----- recording -----

    def _tracked_rows(self, blocks: list[torch.Tensor]) -> np.ndarray:
        if not self.problem.tracked:
            return np.empty((len(blocks[0]), 0))
        rows: np.ndarray = blocks[0].detach().double().cpu().numpy()
        return rows

    @property
    def pending(self) -> int:
        return len(self.rows)

    def record(self, losses: torch.Tensor | None = None) -> None:
        """Keep this iteration's row on the device (parameters, or the batch losses)."""
        if losses is None:
            params = self.blocks()[0].detach()
            # One group's block is the live leaf, which the next step changes in place.
            self.rows.append(params.clone() if len(self.groups) == 1 else params)
        else:
            self.rows.append(losses)
        self.row_meta.append((self.iteration, self.wall))
        self.row_samples.append(self.samples.copy())

    def record_start(self) -> None:
        if self.snap_every:
            self.snapshot()
        if self.problem.tracked:
            self.record()
        else:
            import torch

            initial = [m.initial_loss for m in self.members]
            self.record(torch.tensor(initial, dtype=torch.float32, device=self.device))
        if self.measures_epochs:
            self.measure_epoch()  # epoch 0: the start

    def flush(self) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Per member: (meta (n, 3): iteration, samples, wall; loss (n,); params (n, P)).

        Moves the unflushed rows to numpy (the only device sync), computes the exact full-batch
        loss of tracked parameters, and marks runs whose loss turned non-finite or exploded.
        """
        import torch

        n = self.pending
        if n:
            values = torch.stack(self.rows).double().cpu().numpy().reshape(n, self.runs, -1)
        else:
            values = np.empty((0, self.runs, self.problem.n_params if self.problem.tracked else 1))
        meta = np.array(self.row_meta, dtype=np.float64).reshape(n, 2)
        samples = np.array(self.row_samples, dtype=np.int64).reshape(n, self.runs)
        self.rows, self.row_meta, self.row_samples = [], [], []
        if self.problem.tracked:
            with np.errstate(all="ignore"):  # a diverged row's inf/NaN is found just below
                losses = self.problem.full_loss(values) if n else np.empty((0, self.runs))
        else:
            losses = values[:, :, 0]
        out = []
        for m in self.members:
            rows_meta = np.column_stack([meta[:, 0], samples[:, m.row], meta[:, 1]])
            loss = losses[:, m.row]
            params = values[:, m.row, :] if self.problem.tracked else np.empty((n, 0))
            if m.diverged:
                out.append((rows_meta[:0], loss[:0], params[:0]))
                continue
            limit = DIVERGENCE_FACTOR * max(m.initial_loss, 1e-3)
            bad = ~np.isfinite(loss) | (loss > limit) | ~np.isfinite(params).all(axis=1)
            if bad.any():
                cut = int(np.argmax(bad))  # keep only the rows before the first bad one
                m.diverged = True
                m.good_iteration = max(int(rows_meta[cut, 0]) - 1, 0)
                rows_meta, loss, params = rows_meta[:cut], loss[:cut], params[:cut]
            if len(loss):
                m.last_loss = float(loss[-1])
                m.good_samples = int(rows_meta[-1, 1])
                m.good_params = params[-1].copy()
            out.append((rows_meta, loss, params))
        return out

    def final(self) -> tuple[np.ndarray, np.ndarray]:
        """(params (R, P) as tracked, exact full-data loss (R,)) at the current parameters.

        Raises Interrupted when the stop event ends a network's evaluation early.

        A run whose final loss or parameters are not finite, or whose loss exploded, is marked
        diverged here: a network records only the batch loss *before* each step, so its last
        step's damage shows only now.
        """
        blocks = self.blocks()
        with np.errstate(all="ignore"):  # non-finite values are marked just below
            params = self._tracked_rows(blocks)
            if self.classifier is not None:  # a network: a pass over all N, cut short by a stop
                until = self.classifier.evaluate_until(blocks, self.stop)
                if until is None:
                    raise Interrupted
                losses = until
            else:
                losses = self.problem.evaluate(blocks)
        for m in self.members:
            row_ok = np.isfinite(params[m.row]).all() if params.shape[1] else True
            limit = DIVERGENCE_FACTOR * max(m.initial_loss, 1e-3)
            if not m.diverged and not (row_ok and np.isfinite(losses[m.row]) and losses[m.row] <= limit):
                # Its rows (recorded before each step) are all sane: it took `iteration`
                # steps and the last one broke it, so it reports the last row it has.
                m.diverged = True
                m.good_iteration = self.iteration
                m.good_samples = int(self.samples[m.row])
        return params, losses


def _layout(block: torch.Tensor) -> torch.Tensor:
    """A convolution's weights (the only 4-D blocks: a run alone) kept channels-last on the CPU,
    where oneDNN's convolutions run faster so: LeNet steps 1.4-1.6x quicker at B = 32 and 256
    (benchmarks/RESULTS.md). Every op keeps the format, so the optimizer's updates do too."""
    import torch

    if block.dim() == 4 and block.device.type == "cpu":
        # `to`, not `contiguous`: a one-channel kernel (6, 1, 5, 5) counts as contiguous in
        # both layouts and `contiguous` would leave it, and so the first convolution, as it was.
        return block.to(memory_format=torch.channels_last)
    return block
