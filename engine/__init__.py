"""Batch Size Lab's engine: configs, problems and training sessions. Never imports Qt.

Its rooms: `problems/` (the loss surfaces and networks, a protocol and a registry),
`training/` (sessions, stacks of runs, sampling, optimizers, history), `instruments/`
(measurements beside training) and, at the top, the config, presets, seeds, errors and the
control of long work.

The public API is what this module exports; the GUI and the CLI use nothing else (tests and
benchmarks also reach into the rooms, to check them one by one). torch is imported lazily,
inside the functions that need it, so importing `engine` is cheap and the window can appear
before torch has loaded.
"""

from engine.config import (
    FLAT_PROBLEMS,
    FULL,
    INITS,
    MAX_WORKERS,
    MODELS,
    PROBLEMS,
    ExperimentConfig,
    RunSpec,
    epoch_position,
    iterations_per_epoch,
    run_colors,
)
from engine.control import TASKS, Interrupted, SessionControl, working
from engine.data import DATASETS, DatasetInfo, availability, cache_dir, download, load_images
from engine.errors import ConfigError, DataError, WorkerError
from engine.experiment import run_session
from engine.instruments import BasinCount, GradientNoise, Landscape, SweepResult, SweepRow, gradient_noise_at
from engine.lesson_script import SCRIPT_PROBLEMS, ScriptError, lesson_script, write_script
from engine.optimizer_specs import OPTIMIZERS
from engine.presets import Preset, load_preset, preset_from_file, preset_ids
from engine.problems import LOSS_NAMES
from engine.results_folder import ResultsFolder, results_summary, write_results
from engine.scenario import FORMAT_VERSION, Scenario, ScenarioError, load_scenario, save_scenario, scenario_of
from engine.scenario_link import scenario_from_link, scenario_to_link
from engine.seeds import derive_seed
from engine.training.device import usable_cpus
from engine.training.history import HistoryRows, RunHistory
from engine.training.memory import MemoryEstimate, estimate_memory, format_bytes, is_out_of_memory
from engine.training.progress import EPOCH_METRICS, Progress, RunInfo, RunProgress, RunResult, SessionSetup
from engine.training.recorder import Recorder
from engine.training.sampling import BatchOrder, batch_order

__all__ = [
    "DATASETS",
    "EPOCH_METRICS",
    "FLAT_PROBLEMS",
    "FORMAT_VERSION",
    "FULL",
    "INITS",
    "LOSS_NAMES",
    "MAX_WORKERS",
    "MODELS",
    "OPTIMIZERS",
    "PROBLEMS",
    "SCRIPT_PROBLEMS",
    "TASKS",
    "BasinCount",
    "BatchOrder",
    "ConfigError",
    "DataError",
    "DatasetInfo",
    "ExperimentConfig",
    "GradientNoise",
    "HistoryRows",
    "Interrupted",
    "Landscape",
    "MemoryEstimate",
    "Preset",
    "Progress",
    "Recorder",
    "ResultsFolder",
    "RunHistory",
    "RunInfo",
    "RunProgress",
    "RunResult",
    "RunSpec",
    "Scenario",
    "ScenarioError",
    "ScriptError",
    "SessionControl",
    "SessionSetup",
    "SweepResult",
    "SweepRow",
    "WorkerError",
    "availability",
    "batch_order",
    "cache_dir",
    "derive_seed",
    "download",
    "epoch_position",
    "estimate_memory",
    "format_bytes",
    "gradient_noise_at",
    "is_out_of_memory",
    "iterations_per_epoch",
    "lesson_script",
    "load_images",
    "load_preset",
    "load_scenario",
    "preset_from_file",
    "preset_ids",
    "results_summary",
    "run_colors",
    "run_session",
    "save_scenario",
    "scenario_from_link",
    "scenario_of",
    "scenario_to_link",
    "usable_cpus",
    "working",
    "write_results",
    "write_script",
]
