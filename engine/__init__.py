"""Batch Size Lab's engine: configs, problems and training sessions. Never imports Qt.

The public API is what this module exports; the GUI, the CLI, the tests and the benchmarks use
nothing else. torch is imported lazily, inside the functions that need it, so importing
`engine` is cheap and the window can appear before torch has loaded.
"""

from engine.config import (
    FLAT_PROBLEMS,
    FULL,
    PROBLEMS,
    ExperimentConfig,
    RunSpec,
    epoch_position,
    iterations_per_epoch,
    run_colors,
)
from engine.control import TASKS, Interrupted, SessionControl
from engine.errors import ConfigError
from engine.history import HistoryRows, RunHistory
from engine.noise import GradientNoise
from engine.optimizers import OPTIMIZERS
from engine.presets import Preset, load_preset, preset_from_file, preset_ids
from engine.session import (
    BasinCount,
    Progress,
    RunInfo,
    RunProgress,
    RunResult,
    SessionSetup,
    derive_seed,
    gradient_noise_at,
    run_session,
)

__all__ = [
    "FLAT_PROBLEMS",
    "FULL",
    "OPTIMIZERS",
    "PROBLEMS",
    "TASKS",
    "BasinCount",
    "ConfigError",
    "ExperimentConfig",
    "GradientNoise",
    "HistoryRows",
    "Interrupted",
    "Preset",
    "Progress",
    "RunHistory",
    "RunInfo",
    "RunProgress",
    "RunResult",
    "RunSpec",
    "SessionControl",
    "SessionSetup",
    "derive_seed",
    "epoch_position",
    "gradient_noise_at",
    "iterations_per_epoch",
    "load_preset",
    "preset_from_file",
    "preset_ids",
    "run_colors",
    "run_session",
]
