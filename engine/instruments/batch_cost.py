"""What one batch size costs on this machine: a step's memory, and its time measured alone.

Time is measured with the engine's own training step (a `RunStack` of exactly one run, so
nothing is padded or shared with another size), after a short warm-up that is not counted
(the first steps allocate and pick kernels), as the fastest of a few short timed blocks. An
epoch's time is a step's times the epoch's iterations. Memory is counted on one step from the
same start (step_memory.measure_loss_step).

A size whose step does not fit (an allocation that fails, CUDA's OutOfMemoryError) is marked
`out_of_memory`, the allocator's cache is emptied, and the caller goes on with the next size.
"""

from __future__ import annotations

import dataclasses
import time
from typing import TYPE_CHECKING

import torch

from engine.config import ExperimentConfig, RunSpec
from engine.control import SessionControl, checkpoint
from engine.instruments.sweep_result import BatchCost
from engine.seeds import batch_seed
from engine.training.memory import is_out_of_memory
from engine.training.optimizers import build_optimizer
from engine.training.stack import RunStack
from engine.training.step_memory import StepMemory, measure_loss_step

if TYPE_CHECKING:
    from engine.problems.protocol import Problem

WARMUP_STEPS = 3
BLOCKS = 5
BLOCK_S = 0.05
MAX_TIMED_S = 3.0  # a slow size is timed over fewer blocks (three at least)
WHOLE_EPOCHS_BELOW = 50  # iterations per epoch ...
WHOLE_EPOCH_S = 0.25  # ... and seconds an epoch takes, below which sizes are timed by epochs


def step_memory(
    config: ExperimentConfig, problem: Problem, spec: RunSpec, device: torch.device
) -> StepMemory:
    """One step of `spec`'s run from the config's start, counted part by part (no run axis:
    the network problem's `single_loss`, as a run alone trains)."""
    b = config.batch_size_of(spec)
    weights = [
        torch.tensor(block, dtype=torch.float32, device=device).requires_grad_()
        for block in problem.initial_blocks(None, config.init_of(spec))
    ]
    name, options = config.optimizer_of(spec)
    optimizer = build_optimizer(
        name, [{"params": weights, "lr": config.scaled_lr_of(spec)}], config.lr, options
    )
    g = torch.Generator().manual_seed(batch_seed(config, spec))
    n = config.n_samples
    idx = (
        torch.randperm(n, generator=g)[:b].unsqueeze(0).to(device) if b < n else torch.arange(n).unsqueeze(0)
    )
    idx = idx.to(device)
    labels = problem.prepare(idx)[1]
    single = problem.single_loss  # type: ignore[attr-defined]  # networks only (see sweep.py)
    return measure_loss_step(
        weights, lambda: single(weights, (idx, labels), None), optimizer, [idx[0], labels[0]]
    )


def time_alone(
    config: ExperimentConfig, problem: Problem, spec: RunSpec, device: torch.device, control: SessionControl
) -> tuple[float, int]:
    """(seconds per step, steps timed) of `spec` trained alone, warm-up excluded: the fastest
    of BLOCKS timed blocks (a block a few hundredths of a second, or one epoch when an epoch is
    a few steps). The fastest, as `timeit` advises: another program (or the window redrawing)
    only ever slows a block down, so the quickest block is the one it disturbed least (seen
    here: with the tests running beside it, the median of blocks put B = 16 at 300 samples/s
    and B = 64 at 30 000)."""
    alone = dataclasses.replace(config, runs=(spec,), measure=())
    stack = RunStack(
        [spec],
        alone,
        problem,
        [problem.initial_blocks(None, alone.init_of(spec))],
        device,
        [batch_seed(alone, spec)],
    )
    assert stack.runs == 1  # timed alone: never padded or shared (tests check this too)
    stack.measures_epochs = False  # the epoch metrics are not part of a step's cost
    stack.stop = control.stop
    # Timed on the process's intra-op threads, as the sessions train (engine/training/device.py
    # settles them once per process, away from the busy cores; trying other counts here would
    # change them while other sessions' threads compute).
    return _timed(stack, device)


def _timed(stack: RunStack, device: torch.device) -> tuple[float, int]:
    # An epoch of a few steps ends with a short batch: such sizes are timed over whole epochs
    # when an epoch is quick (a slow one is timed by its steps: its short batch counts less).
    warmed = time.perf_counter()
    for _ in range(WARMUP_STEPS):
        checkpoint()
        _step(stack)
    _sync(device)
    estimate = (time.perf_counter() - warmed) / WARMUP_STEPS * stack.ipe
    whole = stack.ipe <= WHOLE_EPOCHS_BELOW and estimate <= WHOLE_EPOCH_S
    while whole and stack.iteration % stack.ipe:  # to the epoch's end
        checkpoint()
        _step(stack)
    per_step, total = [], 0
    started = time.perf_counter()
    for _ in range(BLOCKS):
        _sync(device)
        steps, start = 0, time.perf_counter()
        while True:
            checkpoint()
            _step(stack)
            steps += 1
            elapsed = time.perf_counter() - start
            if (elapsed >= BLOCK_S or steps >= stack.ipe) and not (whole and steps % stack.ipe):
                break
        _sync(device)
        per_step.append((time.perf_counter() - start) / steps)
        total += steps
        if time.perf_counter() - started >= MAX_TIMED_S and len(per_step) >= 3:
            break  # a slow size: three blocks will do
    return float(min(per_step)), total


def _step(stack: RunStack) -> None:
    if stack.iteration >= stack.total:  # a short budget: go on past it, the cost is the same
        stack.total = stack.iteration + stack.ipe
    stack.step()
    if stack.pending >= 256:
        stack.flush()


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def measure_cost(
    config: ExperimentConfig, problem: Problem, spec: RunSpec, device: torch.device, control: SessionControl
) -> BatchCost:
    """Memory and time of `spec`'s batch size, alone; `out_of_memory` when its step does not fit."""
    b = config.batch_size_of(spec)
    ipe = config.iterations_per_epoch(spec)
    try:
        memory = step_memory(config, problem, spec, device)
        seconds, steps = time_alone(config, problem, spec, device, control)
    except (RuntimeError, MemoryError) as exc:
        if not is_out_of_memory(exc):
            raise
        if device.type == "cuda":
            torch.cuda.empty_cache()
        return BatchCost(
            b, "out_of_memory", float("nan"), ipe, samples_per_epoch=config.samples_per_epoch(spec)
        )
    return BatchCost(
        b, "ok", float(memory.total), ipe, seconds, steps, memory, config.samples_per_epoch(spec)
    )
