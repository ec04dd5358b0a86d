"""What a session reports: the runs it will train, its snapshots and its results.

Plain frozen dataclasses of numbers and numpy arrays (never live tensors), so a snapshot can be
handed to another thread or pickled to another process.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from engine.training.history import HistoryRows

# A network's measures at each epoch's end (and at the start, epoch 0): over all validation
# images, and over the training images (a fixed sample of 10 000 of them when N is larger).
# Each epoch entry also says where the run was: "epoch", "iteration", "samples_seen",
# "wall_time_s" (its stack's stepping time so far).
EPOCH_METRICS = ("train_loss", "val_loss", "train_accuracy", "val_accuracy")


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
    # Networks: parameters per run, the class names, and one validation image of each class
    # (examples (k, H, W), as the network sees them) with its label, for a grid of predictions.
    n_params: int = 0
    classes: tuple[str, ...] = ()
    examples: np.ndarray | None = None
    example_labels: np.ndarray | None = None


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
    # Networks: the measurements since the previous snapshot, each {"epoch", "iteration",
    # "samples_seen", "wall_time_s" and EPOCH_METRICS}: every epoch's end, and in a run of at
    # most 4 epochs every quarter epoch too ("epoch" then a fraction); empty for 2-D problems.
    new_epochs: tuple[dict[str, float], ...] = ()
    # Networks: its current class for each of SessionSetup.examples (from the last measured
    # epoch); None for the 2-D problems.
    predictions: np.ndarray | None = None


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
    per_epoch: tuple[dict[str, float], ...] = ()  # networks: every epoch's end (as in RunProgress)


@dataclass(frozen=True)
class Progress:
    """One snapshot of a session."""

    clock_epochs: float  # the shared clock, in epochs
    runs: tuple[RunProgress, ...]
    # Optimizer steps, all runs together, since the previous snapshot (the last: since the start).
    steps_per_second: float
    # Training samples, all runs together, per second of the session, over the same span.
    samples_per_second: float = 0.0
    setup: SessionSetup | None = None  # only on the first snapshot
    finished: bool = False  # the last snapshot: every run done, or stopped
    stopped: bool = False  # ended early by the stop event
    results: tuple[
        RunResult, ...
    ] = ()  # only on the last snapshot (none if stopped during a network's final pass)
    # What the config's `measure` instruments found, on the snapshot after each one finished
    # and, all together, on the last one: "gradient_noise" -> GradientNoise (at the start,
    # before training), "basins" -> {run label: BasinCount} (after training, unless stopped).
    measurements: dict[str, Any] = field(default_factory=dict)
