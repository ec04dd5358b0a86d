"""What an experiment is: a frozen, validated description that can be saved, sent and replayed.

`ExperimentConfig` is plain data (JSON-able through `to_dict` / `from_dict`), so the same object
drives the GUI, the headless CLI, the tests and, later, worker processes.
"""

from __future__ import annotations

import dataclasses
import json
import math
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.checks import check_bool, check_choice, check_float, check_int
from engine.data.catalog import DATASET_NAMES, DATASETS
from engine.errors import ConfigError, shown
from engine.optimizer_specs import OPTIMIZERS, check_optimizer
from engine.sweep_settings import SweepSettings

PROBLEMS = ("linear", "logistic", "two_lines", "network", "hinton")
FLAT_PROBLEMS = ("network", "hinton")  # no 2-D surface: no start point, no contour
MODELS = ("mlp", "lenet")  # the network problem's models (engine/problems/models.py)
INITS = ("default", "kaiming_uniform", "kaiming_normal", "xavier_uniform", "xavier_normal")
MEASUREMENTS = (
    "gradient_noise",
    "basins",
    "sweep",
    "landscape",
)  # instruments a session can run besides training
SAMPLING_MODES = ("shuffle", "replacement")
LANDSCAPE_DIRECTIONS = ("pca", "random")
LR_SCALINGS = ("none", "linear", "sqrt")  # how a run's learning rate follows its batch size
DEVICES = ("auto", "cpu", "cuda")
FULL = "full"  # batch_size value meaning "the whole data set" (full-batch GD)
MAX_SAMPLES = 1_000_000
MAX_EPOCHS = 100_000
MAX_MEASURE_SEEDS = 200
MAX_RUNS = 64  # runs compared in one session (more would not fit a legend or a lecture)
MAX_LABEL = 40  # characters of a run label (it has to fit a legend)
MAX_WORKERS = 16  # data-parallel processes of one run (each a torch import and a replica)
MAX_WORKER_PROCESSES = 16  # ... and of all the runs of a config, one group per K (~300 MB each)
MAX_LR = 1e6  # float32 holds far more, but a larger rate teaches nothing a 1e6 does not
# Data values stay well inside float32: x up to ~1e3·(1 + a few σ), so w·x and its square
# (the MSE) stay finite however far a start or a run goes before it is marked diverged.
MAX_DATA = 1e3
MIN_FEATURE_SCALE = 1e-3  # smaller σ of x would round the data to a single float32 value

# Okabe & Ito's colour-blind-safe palette (their yellow left out: too pale on white).
DEFAULT_COLORS = {"GD": "#0072b2", "Mini-batch": "#009e73", "SGD": "#d55e00"}
PALETTE = ("#e69f00", "#cc79a7", "#56b4e9", "#000000", "#0072b2", "#009e73", "#d55e00")


@dataclass(frozen=True)
class RunSpec:
    """One training run to compare: same data, same start, its own batch size."""

    label: str  # name in legends; also how `--set runs.LABEL.field=...` finds the run
    batch_size: int | str  # samples per iteration, 1..N, or "full" for the whole data set
    color: str = ""  # "#rrggbb"; empty picks a default from the label
    lr: float | None = None  # this run's own learning rate; None: the config's `lr`
    # This run's own optimizer (and its parameters); None: the config's. Lets one lesson set
    # Rprop beside RMSprop on the same batches.
    optimizer: str | None = None
    optimizer_params: Mapping[str, Any] | None = None
    sampling: str | None = None  # this run's own sampling mode; None: the config's
    init: str | None = None  # the network problem: this run's own initialisation; None: the config's
    # Data-parallel processes (torch.distributed), each taking `batch_size` samples of every
    # iteration's global batch of workers × batch_size (engine/training/parallel).
    workers: int = 1
    # This run's own learning-rate rule and warm-up; None: the config's (the data-parallel
    # lesson scales and warms up one run of three).
    lr_scaling: str | None = None
    warmup_epochs: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.label, str) or not self.label.strip() or len(self.label) > MAX_LABEL:
            raise ConfigError(
                f"run label must be a text of 1 to {MAX_LABEL} characters (got {shown(self.label)})",
                "runs.label",
                "label",
                got=self.label,
            )
        if not _encodable(self.label) or any(unicodedata.category(c) == "Cc" for c in self.label):
            # A lone surrogate cannot be written to a file; a line break or a NUL would break
            # the one line per run of the CLI and the legends.
            raise ConfigError(
                f"run label {shown(self.label)} holds a control character or one that cannot be "
                "written (a lone surrogate); use letters, digits and ordinary symbols",
                "runs.label",
                "label",
                got=self.label,
            )
        if "." in self.label or "=" in self.label:
            raise ConfigError(
                f"run label {self.label!r} must not contain '.' or '='", "runs.label", "label", got=self.label
            )
        where = f"runs.{self.label}."
        bs = self.batch_size
        if bs != FULL and (isinstance(bs, bool) or not isinstance(bs, int) or not 1 <= bs <= MAX_SAMPLES):
            raise ConfigError(
                f"batch_size of run {self.label!r} must be a whole number from 1 to N or "
                f'"full" (got {shown(bs)})',
                where + "batch_size",
                "type",
                got=bs,
            )
        if not isinstance(self.color, str) or (self.color and not _is_hex_color(self.color)):
            raise ConfigError(
                f"color of run {self.label!r} must look like #1f6fd1 (got {shown(self.color)})",
                where + "color",
                "color",
                got=self.color,
            )
        if self.lr is not None:
            check_float(
                where + "lr", self.lr, 0.0, low_open=True, high=MAX_LR, what=f"lr of run {self.label!r}"
            )
            object.__setattr__(self, "lr", float(self.lr))
        if self.sampling is not None:
            check_choice(where + "sampling", self.sampling, SAMPLING_MODES, f"sampling of run {self.label!r}")
        if self.init is not None:
            check_choice(where + "init", self.init, INITS, f"init of run {self.label!r}")
        check_int(where + "workers", self.workers, 1, MAX_WORKERS)
        if self.lr_scaling is not None:
            what = f"lr_scaling of run {self.label!r}"
            check_choice(where + "lr_scaling", self.lr_scaling, LR_SCALINGS, what)
        if self.warmup_epochs is not None:
            what = f"warmup_epochs of run {self.label!r}"
            check_float(where + "warmup_epochs", self.warmup_epochs, 0.0, high=MAX_EPOCHS, what=what)
            object.__setattr__(self, "warmup_epochs", float(self.warmup_epochs))
        if self.workers > 1 and bs == FULL:
            raise ConfigError(
                f"workers of run {self.label!r} need a whole-number batch_size "
                '(each worker\'s share), not "full"',
                where + "workers",
                "workers_full",
                label=self.label,
            )
        if self.optimizer_params is not None and self.optimizer is None:
            raise ConfigError(
                f"optimizer_params of run {self.label!r} need the run's own optimizer",
                where + "optimizer_params",
                "needs_optimizer",
            )
        if self.optimizer is not None:
            params = self.optimizer_params if self.optimizer_params is not None else {}
            check_optimizer(self.optimizer, params, where)
            object.__setattr__(self, "optimizer_params", _float_params(self.optimizer, params))


def _default_runs() -> tuple[RunSpec, ...]:
    return (RunSpec("GD", FULL), RunSpec("SGD", 1), RunSpec("Mini-batch", 32))


@dataclass(frozen=True)
class ExperimentConfig:
    """Everything that determines an experiment's numbers. Change it with `dataclasses.replace`."""

    # "linear": regression y = w·x + b + noise, MSE loss, two parameters (w, b);
    # "logistic": logistic regression, labels 1 where true_w·x + true_b + noise·ε > 0;
    # "two_lines": a robust (Welsch) line fit to data from two lines, a non-convex surface with
    # a better and a worse minimum;
    # "hinton": one weight, ten samples whose gradients are nine × +0.1 and one × −0.9;
    # "network": a classifier network (`model`) trained with cross-entropy on `dataset`
    problem: str = "linear"
    n_samples: int = 1000  # N, training samples, 2..1 000 000 (networks: up to the dataset's)
    noise: float = 0.5  # standard deviation of the label noise, ≥ 0
    feature_scale: float = 1.0  # standard deviation of x; ≠ 1 stretches the contour
    feature_shift: float = 0.0  # mean of x; ≠ 0 tilts the contour (w and b interact)
    true_w: float = 2.0  # slope that generated the labels
    true_b: float = -1.0  # intercept that generated the labels
    start: tuple[float, float] | None = None  # (w, b) every run starts from; None: drawn from seed
    seed: int = 0  # the one seed behind data, start point and batch order, ≥ 0
    epochs: int = 20  # passes over the data for every run, 1..100 000
    lr: float = 0.05  # learning rate, finite and > 0
    optimizer: str = "sgd"  # sgd, adam, rmsprop, rprop, adagrad or adadelta (torch.optim)
    optimizer_params: Mapping[str, Any] = field(default_factory=dict)  # e.g. {"momentum": 0.9}
    sampling: str = "shuffle"  # "shuffle": reshuffle, then partition; "replacement": draw batches
    drop_last: bool = False  # shuffle mode: skip the last, short batch (⌊N/B⌋ iterations)
    batches_per_epoch: int | None = None  # replacement mode: batches per epoch; None: ⌈N/B⌉
    device: str = "auto"  # "auto" (CUDA when available), "cpu" or "cuda"
    runs: tuple[RunSpec, ...] = field(default_factory=_default_runs)  # the runs to compare
    # Learning rate against batch size: "linear" multiplies a run's lr by B / lr_reference_batch,
    # "sqrt" by √(B / lr_reference_batch) (Goyal et al. 2017; Krizhevsky 2014); "none" keeps it.
    lr_scaling: str = "none"
    lr_reference_batch: int = 32  # B_ref, the batch size the stated lr is meant for
    warmup_epochs: float = 0.0  # lr rises linearly from ~0 to its value over this many epochs
    # Instruments to run besides training, reported in the setup and in summary.json:
    # "gradient_noise" measures the mini-batch gradient variance against B at the start;
    # "basins" trains `measure_seeds` copies of each run afterwards and counts which minimum
    # each copy reached.
    measure: tuple[str, ...] = ()
    measure_seeds: int = 20  # "basins": copies of each run, each with its own batch order
    # True: every run draws its batches from one shared seed, so runs with the same batch size
    # and sampling see the very same batches in the same order (to compare optimizers on the
    # same batches); False: each run's batch order has its own seed.
    same_batches: bool = False
    # The network problem: which images, which network, and how its weights start.
    # "digits" (8×8, bundled), "fashion-mnist", "mnist" (28×28 IDX files), "synthetic" (random
    # images labelled by a random teacher, with `noise`); "mlp" (inputs → 128 → classes) or
    # "lenet" (28×28 only); "default" (PyTorch's) or a torch.nn.init scheme (INITS).
    dataset: str = "digits"
    model: str = "mlp"
    init: str = "default"
    # The batch-size sweep's settings (engine/sweep_settings.py), used when `measure` holds
    # "sweep": its sizes, seeds, learning-rate rule, target and memory budget.
    sweep: SweepSettings = field(default_factory=SweepSettings)
    # "landscape" (networks): the plane its loss is drawn on, through the runs' weights: "pca"
    # (the top two principal directions of the recorded trajectories) or "random" (two random
    # directions, filter-normalised as Li et al. 2018 do).
    landscape_directions: str = "pca"

    def __post_init__(self) -> None:
        check_choice("problem", self.problem, PROBLEMS)
        if self.problem in FLAT_PROBLEMS and self.start is not None:
            raise ConfigError(
                f"start applies to the two-parameter problems only; use null for {self.problem}",
                "start",
                "flat",
            )
        self._check_network()
        if self.problem == "network":
            check_int("n_samples", self.n_samples, 2, DATASETS[self.dataset].train_size)
        elif self.problem == "hinton" and self.n_samples != 10:
            raise ConfigError(
                f"n_samples must be 10 for the hinton problem: nine +0.1 gradients and one −0.9 "
                f"(got {shown(self.n_samples)})",
                "n_samples",
                "hinton_samples",
                got=self.n_samples,
            )
        else:
            check_int("n_samples", self.n_samples, 2, MAX_SAMPLES)
        check_float("noise", self.noise, 0.0, high=MAX_DATA)
        if self.problem == "logistic" and self.noise == 0:
            raise ConfigError(
                "noise must be > 0 for logistic: separable classes have no minimum", "noise", "logistic_noise"
            )
        check_float("feature_scale", self.feature_scale, MIN_FEATURE_SCALE, high=MAX_DATA)
        for name in ("feature_shift", "true_w", "true_b"):
            check_float(name, getattr(self, name), -MAX_DATA, high=MAX_DATA)
        if self.start is not None:
            if not isinstance(self.start, (tuple, list)) or len(self.start) != 2:
                raise ConfigError(
                    f"start must be two numbers [w, b] or null (got {shown(self.start)})", "start", "pair"
                )
            for v in self.start:
                check_float("start", v, -MAX_DATA, high=MAX_DATA)
            object.__setattr__(self, "start", (float(self.start[0]), float(self.start[1])))
        check_int("seed", self.seed, 0, 2**63 - 1)
        check_int("epochs", self.epochs, 1, MAX_EPOCHS)
        check_float("lr", self.lr, 0.0, low_open=True, high=MAX_LR)
        check_optimizer(self.optimizer, self.optimizer_params)
        object.__setattr__(self, "optimizer_params", _float_params(self.optimizer, self.optimizer_params))
        check_choice("sampling", self.sampling, SAMPLING_MODES)
        check_bool("drop_last", self.drop_last)
        if self.batches_per_epoch is not None:
            check_int("batches_per_epoch", self.batches_per_epoch, 1, MAX_SAMPLES)
        check_choice("device", self.device, DEVICES)
        check_choice("lr_scaling", self.lr_scaling, LR_SCALINGS)
        check_int("lr_reference_batch", self.lr_reference_batch, 1, MAX_SAMPLES)
        check_float("warmup_epochs", self.warmup_epochs, 0.0, high=MAX_EPOCHS)
        self._check_runs()
        if not isinstance(self.measure, (tuple, list)):
            raise ConfigError(
                f'measure must be a list such as ["gradient_noise"] (got {shown(self.measure)})',
                "measure",
                "list",
                got=self.measure,
            )
        object.__setattr__(self, "measure", tuple(self.measure))
        for name in self.measure:
            check_choice("measure", name, MEASUREMENTS)
        if len(set(self.measure)) != len(self.measure):
            raise ConfigError("measure must name each instrument once", "measure", "twice")
        if "gradient_noise" in self.measure and self.problem in FLAT_PROBLEMS:
            raise ConfigError(
                "measure gradient_noise applies to the two-parameter problems only", "measure", "applies"
            )
        if "basins" in self.measure and self.problem != "two_lines":
            raise ConfigError(
                "measure basins applies to the two_lines problem (it has two minima)", "measure", "applies"
            )
        for name in ("sweep", "landscape"):
            if name in self.measure and self.problem != "network":
                raise ConfigError(f"measure {name} applies to the network problem", "measure", "applies")
        parallel = [r.label for r in self.runs if r.workers > 1]
        for name in ("basins", "landscape"):
            if name in self.measure and parallel:
                raise ConfigError(
                    f"measure {name} needs every run on one process; run {parallel[0]!r} has workers > 1",
                    "measure",
                    "parallel",
                )
        check_choice("landscape_directions", self.landscape_directions, LANDSCAPE_DIRECTIONS)
        self._check_sweep()
        check_int("measure_seeds", self.measure_seeds, 1, MAX_MEASURE_SEEDS)
        check_bool("same_batches", self.same_batches)

    def _check_network(self) -> None:
        check_choice("dataset", self.dataset, DATASET_NAMES)
        check_choice("model", self.model, MODELS)
        check_choice("init", self.init, INITS)
        if self.problem != "network":
            for name, default in (("dataset", "digits"), ("model", "mlp"), ("init", "default")):
                if getattr(self, name) != default:
                    raise ConfigError(
                        f"{name} applies to the network problem only (got {shown(getattr(self, name))} "
                        f"for {self.problem})",
                        name,
                        "network_only",
                    )
            for r in self.runs if isinstance(self.runs, (tuple, list)) else ():
                if isinstance(r, RunSpec) and r.init is not None:
                    raise ConfigError(
                        f"init of run {r.label!r} applies to the network problem only",
                        f"runs.{r.label}.init",
                        "network_only",
                    )
        if self.model == "lenet" and DATASETS[self.dataset].image_shape != (28, 28):
            raise ConfigError(
                f"model lenet needs 28×28 images: dataset fashion-mnist, mnist or synthetic "
                f"(got {self.dataset})",
                "model",
                "lenet_images",
            )

    def _check_sweep(self) -> None:
        if not isinstance(self.sweep, SweepSettings):
            object.__setattr__(self, "sweep", SweepSettings.from_dict(self.sweep))
        measured = "sweep" in self.measure
        too_large = [b for b in self.sweep.batch_sizes if b > self.n_samples] if measured else []
        if too_large:
            raise ConfigError(
                f"sweep.batch_sizes must be from 1 to N = {self.n_samples} (got {too_large[0]})",
                "sweep.batch_sizes",
                "sweep_sizes",
                high=self.n_samples,
                got=too_large[0],
            )

    def init_of(self, run: RunSpec) -> str:
        """The run's own initialisation, or the config's."""
        return self.init if run.init is None else run.init

    def _check_runs(self) -> None:
        if not isinstance(self.runs, (tuple, list)):
            raise ConfigError(f"runs must be a list of runs (got {shown(self.runs)})", "runs", "list")
        runs = tuple(self.runs)
        object.__setattr__(self, "runs", runs)
        if not runs:
            raise ConfigError("runs must hold at least one run", "runs", "no_runs")
        if len(runs) > MAX_RUNS:
            raise ConfigError(
                f"runs may hold at most {MAX_RUNS} runs (got {len(runs)})", "runs", "too_many", high=MAX_RUNS
            )
        for r in runs:
            if not isinstance(r, RunSpec):
                raise ConfigError(f"runs must be RunSpec entries (got {shown(r)})", "runs", "list")
        # One group of K processes serves every run with K workers (engine/training/parallel).
        processes = sum({r.workers for r in runs if r.workers > 1})
        if processes > MAX_WORKER_PROCESSES:
            raise ConfigError(
                f"the runs' workers add up to {processes} processes (one group for each number "
                f"of workers); at most {MAX_WORKER_PROCESSES} may run at once (each imports torch "
                "and holds the data)",
                "runs",
                "workers_total",
                high=MAX_WORKER_PROCESSES,
                got=processes,
            )
        labels = [r.label for r in runs]
        for r in runs:
            if labels.count(r.label) > 1:
                raise ConfigError(
                    f"run label {r.label!r} is used twice in runs; labels must be unique",
                    "runs.label",
                    "twice",
                )
            if r.workers > 1 and r.workers * int(r.batch_size) > self.n_samples:
                raise ConfigError(
                    f"workers × batch_size of run {r.label!r} must be at most N = {self.n_samples} "
                    f"(got {r.workers} × {r.batch_size} = {r.workers * int(r.batch_size)})",
                    f"runs.{r.label}.workers",
                    "global_batch",
                    label=r.label,
                    high=self.n_samples,
                    got=r.workers * int(r.batch_size),
                )
            if r.batch_size != FULL and int(r.batch_size) > self.n_samples:
                raise ConfigError(
                    f"batch_size of run {r.label!r} must be from 1 to N = {self.n_samples} "
                    f'or "full" (got {r.batch_size})',
                    f"runs.{r.label}.batch_size",
                    "batch_size",
                    label=r.label,
                    high=self.n_samples,
                    got=r.batch_size,
                )

    # ----- derived quantities (pure arithmetic, no torch) -----

    def batch_size_of(self, run: RunSpec) -> int:
        """The run's batch size as a number (N for "full"): the global batch, every worker's
        share together (workers × batch_size), which sets its iterations per epoch."""
        return self.n_samples if run.batch_size == FULL else run.workers * int(run.batch_size)

    def worker_batch_of(self, run: RunSpec) -> int:
        """Samples each of the run's workers takes per iteration (its batch_size; N for "full")."""
        return self.n_samples if run.batch_size == FULL else int(run.batch_size)

    def iterations_per_epoch(self, run: RunSpec) -> int:
        """⌈N/B⌉ (⌊N/B⌋ with drop_last) when shuffling; the set count when drawing with replacement."""
        return iterations_per_epoch(
            self.n_samples,
            self.batch_size_of(run),
            self.sampling_of(run),
            self.drop_last,
            self.batches_per_epoch,
        )

    def total_iterations(self, run: RunSpec) -> int:
        """Iterations the run takes in all (epochs × iterations per epoch), known before its
        session has prepared anything (SessionSetup.runs says the same once it is ready)."""
        return self.epochs * self.iterations_per_epoch(run)

    def samples_per_epoch(self, run: RunSpec) -> int:
        """Samples a run sees in one epoch (N, or ⌊N/B⌋·B with drop_last, or batches × B)."""
        b, ipe = self.batch_size_of(run), self.iterations_per_epoch(run)
        if self.sampling_of(run) == "replacement" or self.drop_last:
            return ipe * b
        return self.n_samples

    def lr_of(self, run: RunSpec) -> float:
        """The run's own learning rate, or the config's."""
        return self.lr if run.lr is None else run.lr

    def scaled_lr_of(self, run: RunSpec) -> float:
        """The run's learning rate after batch-size scaling (before any warm-up)."""
        ratio = self.batch_size_of(run) / self.lr_reference_batch
        factor = {"none": 1.0, "linear": ratio, "sqrt": math.sqrt(ratio)}[self.lr_scaling_of(run)]
        return self.lr_of(run) * factor

    def warmup_iterations(self, run: RunSpec) -> int:
        """Steps of the run's linear warm-up (0: none)."""
        warmup = self.warmup_epochs if run.warmup_epochs is None else run.warmup_epochs
        return math.ceil(warmup * self.iterations_per_epoch(run))

    def lr_scaling_of(self, run: RunSpec) -> str:
        """The run's own learning-rate rule, or the config's."""
        return self.lr_scaling if run.lr_scaling is None else run.lr_scaling

    def sampling_of(self, run: RunSpec) -> str:
        """The run's own sampling mode, or the config's."""
        return self.sampling if run.sampling is None else run.sampling

    def optimizer_of(self, run: RunSpec) -> tuple[str, dict[str, Any]]:
        """(name, parameters) of the run's own optimizer, or the config's."""
        if run.optimizer is None:
            return self.optimizer, dict(self.optimizer_params)
        return run.optimizer, dict(run.optimizer_params or {})

    def color_of(self, run: RunSpec) -> str:
        return run_colors(self.runs).get(run.label) or run_colors((run,))[run.label]

    def run_by_label(self, label: str) -> RunSpec:
        for r in self.runs:
            if r.label == label:
                return r
        raise ValueError(f"no run labelled {label!r}; runs are {', '.join(r.label for r in self.runs)}")

    # ----- serialisation -----

    def to_dict(self) -> dict[str, Any]:
        d = dataclasses.asdict(self)
        d["optimizer_params"] = dict(self.optimizer_params)
        d["start"] = list(self.start) if self.start is not None else None
        d["runs"] = [_run_to_dict(r) for r in self.runs]
        d["measure"] = list(self.measure)
        d["sweep"] = self.sweep.to_dict()
        return d

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ExperimentConfig:
        """Build and validate a config; unknown keys are refused by name."""
        if not isinstance(data, Mapping):
            raise ConfigError(f"a config must be a JSON object (got {shown(data)})", "config", "mapping")
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted((k for k in data if k not in known), key=str)
        if unknown:
            raise ConfigError(
                f"unknown config field {shown(unknown[0])}; known fields: {', '.join(sorted(known))}",
                "config",
                "unknown",
            )
        kwargs = dict(data)
        if "runs" in kwargs:
            kwargs["runs"] = tuple(_run_from_dict(r) for r in _as_list("runs", kwargs["runs"]))
        if kwargs.get("start") is not None:
            kwargs["start"] = tuple(_as_list("start", kwargs["start"]))
        if "measure" in kwargs:
            kwargs["measure"] = tuple(_as_list("measure", kwargs["measure"]))
        if "optimizer_params" in kwargs and kwargs["optimizer_params"] is not None:
            if isinstance(kwargs["optimizer_params"], Mapping):
                kwargs["optimizer_params"] = dict(kwargs["optimizer_params"])
        for f in dataclasses.fields(cls):
            if f.name in kwargs and f.type in ("float", "float | None"):
                v = kwargs[f.name]
                if isinstance(v, int) and not isinstance(v, bool) and abs(v) < 1e308:
                    kwargs[f.name] = float(v)
        return cls(**kwargs)

    def with_overrides(self, assignments: Iterable[str]) -> ExperimentConfig:
        """Apply `key=value` strings: `epochs=5`, `runs.SGD.batch_size=2`, `optimizer_params.momentum=0.9`."""
        d = self.to_dict()
        for text in assignments:
            key, sep, raw = text.partition("=")
            key = key.strip()
            if not sep or not key:
                raise ConfigError(f"--set expects key=value (got {shown(text)})", "--set", "syntax")
            _assign(d, key, _parse_value(raw.strip()))
        return ExperimentConfig.from_dict(d)


def iterations_per_epoch(
    n: int,
    batch: int,
    sampling: str = "shuffle",
    drop_last: bool = False,
    batches_per_epoch: int | None = None,
) -> int:
    """Number of optimizer steps in one epoch."""
    if sampling == "replacement":
        return batches_per_epoch if batches_per_epoch is not None else -(-n // batch)
    return n // batch if drop_last else -(-n // batch)


def epoch_position(iteration: int, iterations_per_epoch: int) -> tuple[int, int]:
    """(current epoch, 1-based; iterations done in it) after `iteration` steps.

    At an epoch boundary the finished epoch is reported as complete: with 100 iterations per
    epoch, step 300 is "epoch 3, iteration 100 of 100" and step 241 is "epoch 3, iteration 41".
    """
    if iteration > 0 and iteration % iterations_per_epoch == 0:
        return iteration // iterations_per_epoch, iterations_per_epoch
    return iteration // iterations_per_epoch + 1, iteration % iterations_per_epoch


def _assign(d: dict[str, Any], key: str, value: Any) -> None:
    parts = key.split(".")
    if parts[0] == "runs" and len(parts) > 1:
        if len(parts) != 3:
            raise ConfigError(f"runs are set as runs.LABEL.field (got {shown(key)})", "runs", "syntax")
        runs = _as_list("runs", d["runs"])
        # An earlier `--set runs=[...]` may hold entries without a label (refused by name
        # when the config is built); here they are just not the run asked for.
        listed = [r for r in runs if isinstance(r, dict) and isinstance(r.get("label"), str)]
        for run in listed:
            if run["label"] == parts[1]:
                if parts[2] not in RUN_FIELDS:
                    raise ConfigError(
                        f"unknown run field {shown(parts[2])} in runs; known: {', '.join(RUN_FIELDS)}",
                        "runs",
                        "unknown",
                    )
                run[parts[2]] = value
                return
        # Labels not checked yet: quoted (a newline or a lone surrogate shows escaped), cut short.
        labels = shown(", ".join(shown(r["label"]) for r in listed), quote=False) or "none with a label"
        raise ConfigError(f"no run labelled {shown(parts[1])} in runs; runs are {labels}", "runs", "unknown")
    if parts[0] == "sweep" and len(parts) == 2:
        if not isinstance(d["sweep"], dict):
            raise ConfigError(f"sweep must be an object (got {shown(d['sweep'])})", "sweep", "mapping")
        d["sweep"][parts[1]] = value
        return
    if parts[0] == "optimizer_params" and len(parts) == 2:
        if not isinstance(d["optimizer_params"], dict):
            raise ConfigError(
                f"optimizer_params must be an object (got {shown(d['optimizer_params'])})",
                "optimizer_params",
                "mapping",
            )
        d["optimizer_params"][parts[1]] = value
        return
    if len(parts) != 1 or parts[0] not in d:
        raise ConfigError(
            f"unknown config field {shown(key)}; known fields: {', '.join(sorted(d))}", "config", "unknown"
        )
    d[key] = value


def _parse_value(raw: str) -> Any:
    """JSON when it parses (numbers, true/false, null, lists), else the plain text.

    A value json cannot hold in Python (a whole number of more than 4 300 digits, lists nested
    past the recursion limit) comes back as an `Unreadable`, which every field refuses by its
    own name and range (Python's sentence, "Exceeds the limit (4300 digits) for integer string
    conversion", names no field).
    """
    try:
        return json.loads(raw, parse_int=json_int)
    except json.JSONDecodeError:
        return raw
    except RecursionError:
        return Unreadable("a value nested too deeply to read")


class Unreadable:
    """A JSON value too big for Python to read, standing in the field it was written for, so
    that the field's own check refuses it (it is no number, text, list or mapping)."""

    def __init__(self, what: str) -> None:
        self.what = what

    def __repr__(self) -> str:
        return f"<{self.what}>"


def json_int(text: str) -> int | Unreadable:
    """`parse_int` for json.loads: the number, or an Unreadable where Python refuses the digits."""
    try:
        return int(text)
    except ValueError:
        return Unreadable(f"a number of {len(text.lstrip('-')):,} digits")


def _float_params(name: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """Checked optimizer parameters, their numbers as floats: torch refuses some whole numbers
    (Adam's betas (0, 0.999): "betas must be either both floats or both Tensors")."""
    ranges = OPTIMIZERS[name][1]
    return {k: float(v) if ranges[k].kind == "float" else v for k, v in params.items()}


RUN_FIELDS = (
    "label",
    "batch_size",
    "color",
    "lr",
    "optimizer",
    "optimizer_params",
    "sampling",
    "init",
    "workers",
    "lr_scaling",
    "warmup_epochs",
)


def _run_to_dict(run: RunSpec) -> dict[str, Any]:
    d = dataclasses.asdict(run)
    # Fields newer than the format's first runs are written only when set, so a config
    # without them reads and writes as it did before they were added.
    for name, default in (("workers", 1), ("lr_scaling", None), ("warmup_epochs", None)):
        if d[name] == default:
            del d[name]
    if run.optimizer_params is not None:
        d["optimizer_params"] = dict(run.optimizer_params)
    return d


def _run_from_dict(data: Any) -> RunSpec:
    if not isinstance(data, Mapping):
        raise ConfigError(
            f"each of runs must be an object with label and batch_size (got {shown(data)})", "runs", "mapping"
        )
    unknown = sorted((k for k in data if k not in RUN_FIELDS), key=str)
    if unknown:
        raise ConfigError(
            f"unknown run field {shown(unknown[0])} in runs; known: {', '.join(RUN_FIELDS)}",
            "runs",
            "unknown",
        )
    if "label" not in data or "batch_size" not in data:
        raise ConfigError(
            f"each of runs needs a label and a batch_size (got {shown(dict(data))})", "runs", "missing"
        )
    return RunSpec(**data)


def _encodable(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _as_list(name: str, value: Any) -> list[Any]:
    if not isinstance(value, (list, tuple)):
        raise ConfigError(f"{name} must be a list (got {shown(value)})", name, "list", got=value)
    return list(value)


def _is_hex_color(text: str) -> bool:
    return (
        isinstance(text, str)
        and len(text) == 7
        and text[0] == "#"
        and all(c in "0123456789abcdefABCDEF" for c in text[1:])
    )


def run_colors(runs: Iterable[RunSpec]) -> dict[str, str]:
    """Each run's colour: its own, the default of its label, or the palette's next one."""
    colors = {}
    others = 0
    for run in runs:
        if run.color:
            colors[run.label] = run.color
        elif run.label in DEFAULT_COLORS:
            colors[run.label] = DEFAULT_COLORS[run.label]
        else:
            colors[run.label] = PALETTE[others % len(PALETTE)]
            others += 1
    return colors
