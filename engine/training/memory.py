"""A session's peak memory, predicted before it starts, and the refusal when it will not fit.

Eight LeNet runs at full batch on Fashion-MNIST ask for ~40 GB; accepted, they failed minutes
later with a raw allocator traceback. `check_memory(config, device)` runs before the data are
loaded and refuses such a config with one sentence naming the predicted and the available size.

The prediction adds, for the runs that are stepped together (one stack, see
`stack_groups`): parameters, gradients and the optimizer's state (the number of state tensors
per parameter is read off the `torch.optim` class itself, stepped once on a probe tensor); the
activations autograd saves for a step, measured with `saved_tensors_hooks` on the network's own
forward pass per sample and multiplied by the stack's runs and batch, times BACKWARD_FACTOR for
the gradients that backward allocates beside them (LeNet at B = 4 000 and 16 000 peaked at
1.5–1.9× the saved bytes here); the data on the device; the bounded histories the caller keeps.
Stacks step one after another, so the largest stack's activations count, everyone's weights.
`estimate_memory` is public so that the coming sweep's memory view can use the same model.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from engine.config import ExperimentConfig
from engine.errors import ConfigError
from engine.training.history import DEFAULT_LIMIT
from engine.training.stack import stack_groups

if TYPE_CHECKING:
    import torch

# The peak of a step over the activations saved for its backward, as measured here (LeNet on
# 3 000-16 000 images): a run alone 0.9-1.5x, runs stacked under vmap 1.5-1.6x (vmap keeps
# batched copies beside them).
BACKWARD_FACTOR = 1.5
STACKED_FACTOR = 1.8
BUDGET_SHARE = 0.9  # refuse above this share of the memory available (the rest: the unforeseen)
EVAL_BYTES = 4 * (1 << 23) * 4  # a network's chunked evaluation (network.EVAL_ELEMENTS floats, ×4)
BATCH_ENTRY_BYTES = 40  # per sample drawn: 5 int64 (the draw, stacked, device copy, gathered)
HISTORY_ROW_BYTES = 40  # iteration, epoch, samples seen, wall time, loss (+ 8 per tracked parameter)


@dataclass(frozen=True)
class MemoryEstimate:
    """Bytes a session will hold at its peak, by part (on the training device)."""

    data: int  # the data set on the device, with the copies made while loading it
    weights: int  # every run's parameters, gradients and optimizer state
    step: int  # the largest stack's activations during one step
    history: int  # the recorded histories (bounded), kept by the caller
    batches: int = 0  # an epoch's batch indices (and labels) for every run, drawn at its start

    @property
    def total(self) -> int:
        return self.data + self.weights + self.step + self.history + self.batches


def estimate_memory(config: ExperimentConfig) -> MemoryEstimate:
    """The predicted peak of `config`'s session (float32 training, as the engine does)."""
    runs = len(config.runs)
    groups = stack_groups(config)
    slots = max((_state_slots(*config.optimizer_of(g[0])) for g in groups), default=0)
    history = 0
    for spec in config.runs:
        rows = min(config.iterations_per_epoch(spec) * config.epochs + 1, DEFAULT_LIMIT)
        history += rows * (HISTORY_ROW_BYTES + 8 * _tracked_params(config))
    # Each stack draws an epoch's batches at its start: indices (ipe, runs, widest batch) as
    # each run's draw, stacked, on the device, and what the problem gathers with them (labels,
    # or x and y), the previous epoch's still held while they are made.
    batches = sum(
        config.iterations_per_epoch(g[0])
        * len(g)
        * max(config.batch_size_of(s) for s in g)
        * BATCH_ENTRY_BYTES
        for g in groups
    )
    if config.problem != "network":
        # A few numbers per sample (x, y in float64 and float32), the loss surface and a chunk
        # of full-batch losses (line_data.CHUNK values).
        n = config.n_samples
        data = n * 32 + 200 * 200 * 24 + 1_000_000 * 8 * 3
        step = max(len(g) * max(config.batch_size_of(s) for s in g) for g in groups) * 64
        return MemoryEstimate(data, runs * 8 * 8 * (2 + slots), step, history, batches)
    from engine.data import DATASETS

    info = DATASETS[config.dataset]
    pixels = info.inputs * 4
    n = min(config.n_samples, info.train_size)
    evaluated = min(n, 10_000) if n > 10_000 else 0  # network.EVAL_TRAIN images copied once
    # The standardised float images (made in place), the decoded bytes they came from, and a
    # chunk of activations while evaluating.
    data = (n + info.val_size + evaluated) * pixels + (n + info.val_size) * info.inputs + EVAL_BYTES
    params, per_sample = _network_costs(config)
    weights = runs * params * 4 * (2 + slots)
    images = max(  # at once in a step, each counted with its stack's factor
        len(g) * max(config.batch_size_of(s) for s in g) * (STACKED_FACTOR if len(g) > 1 else BACKWARD_FACTOR)
        for g in groups
    )
    return MemoryEstimate(data, weights, int(images * per_sample), history, batches)


def check_memory(config: ExperimentConfig, device: torch.device) -> MemoryEstimate:
    """The estimate, or ConfigError (rule "memory") when it exceeds BUDGET_SHARE of what is
    available on `device` now. Where the available memory cannot be read, nothing is refused."""
    estimate = estimate_memory(config)
    available = available_memory(device)
    if available is not None and estimate.total > BUDGET_SHARE * available:
        where = "GPU memory" if device.type == "cuda" else "memory"
        raise ConfigError(
            f"this session needs about {format_bytes(estimate.total)} of {where} "
            f"({_largest_part(estimate)}), more than the {format_bytes(available)} available; "
            "use smaller batches, fewer runs or fewer samples",
            "runs",
            "gpu_memory" if device.type == "cuda" else "memory",
            needed=estimate.total,
            available=available,
        )
    return estimate


def format_bytes(n: float) -> str:
    """1 536 → '1.5 kB'; 9.4e9 → '9.4 GB' (decimal units, two significant figures at least)."""
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            value = n / size
            return f"{value:.1f} {unit}" if value < 100 else f"{value:.0f} {unit}"
    return f"{int(n)} bytes"


def _largest_part(e: MemoryEstimate) -> str:
    parts = {
        "the activations of one training step": e.step,
        "the images": e.data,
        "the weights and the optimizer's state": e.weights,
        "the recorded histories": e.history,
        "an epoch's batches": e.batches,
    }
    name = max(parts, key=lambda k: parts[k])
    return f"{format_bytes(parts[name])} of it for {name}"


def _tracked_params(config: ExperimentConfig) -> int:
    return 0 if config.problem == "network" else 2


def _state_slots(name: str, options: dict[str, object]) -> int:
    """Tensors of a parameter's size that optimizer `name` keeps per parameter (Adam: 2)."""
    import torch

    from engine.training.optimizers import build_optimizer

    probe = torch.zeros(3, requires_grad=True)
    optimizer = build_optimizer(name, [probe], 0.01, options)
    probe.grad = torch.ones(3)
    optimizer.step()
    state = optimizer.state[probe]
    return sum(1 for v in state.values() if isinstance(v, torch.Tensor) and v.numel() == 3)


def _network_costs(config: ExperimentConfig) -> tuple[int, float]:
    """(parameters of the network, bytes autograd saves per image in a training step)."""
    import torch
    from torch.nn import functional

    from engine.data import DATASETS
    from engine.problems.models import build_model
    from engine.training.step_memory import SavedBytes

    info = DATASETS[config.dataset]
    model = build_model(config.model, info.image_shape, len(info.classes), "default", 0)

    def saved(batch: int) -> int:
        x = torch.zeros(batch, 1, *info.image_shape)
        with SavedBytes(exclude=list(model.parameters())) as counted:
            logits = model(torch.index_select(x, 0, torch.arange(batch)))
            functional.cross_entropy(logits, torch.zeros(batch, dtype=torch.int64))
        return counted.total

    per_sample = (saved(6) - saved(2)) / 4
    return sum(p.numel() for p in model.parameters()), per_sample


def available_memory(device: torch.device) -> int | None:
    """Bytes this process can still allocate on `device`, or None where that cannot be read.

    CUDA: the driver's free memory. Linux: the least of MemAvailable, the cgroup's limit less
    its use, and this process's address-space and data limits (`ulimit -v`, `-d`) less what it
    uses. Windows: the free physical memory. Elsewhere None (nothing is refused in advance)."""
    if device.type == "cuda":
        import torch

        free, _ = torch.cuda.mem_get_info(device)
        # What torch's caching allocator holds but no tensor uses (an earlier session's) is free
        # to this process too.
        return int(free) + int(torch.cuda.memory_reserved(device) - torch.cuda.memory_allocated(device))
    if sys.platform.startswith("linux"):
        return _linux_available()
    if sys.platform == "win32":
        return _windows_available()
    return None


def _linux_available() -> int | None:
    found: list[int] = []
    meminfo = _read_kb_table(Path("/proc/meminfo"))
    if "MemAvailable" in meminfo:
        found.append(meminfo["MemAvailable"])
    for folder, limit_name, use_name in _cgroup_folders():
        limit, used = _read_int(str(folder / limit_name)), _read_int(str(folder / use_name))
        if limit is not None and used is not None and limit < 1 << 60:
            found.append(max(limit - used, 0))
    try:
        import resource

        status = _read_kb_table(Path("/proc/self/status"))
        for which, key in ((resource.RLIMIT_AS, "VmSize"), (resource.RLIMIT_DATA, "VmData")):
            soft, _ = resource.getrlimit(which)
            if soft != resource.RLIM_INFINITY and key in status:
                found.append(max(soft - status[key], 0))
    except (ImportError, OSError, ValueError):
        pass
    return min(found) if found else None


def _cgroup_folders() -> list[tuple[Path, str, str]]:
    """The memory cgroups this process is in, its own and every one above it (a limit on a
    parent counts too): (folder, limit file, usage file), cgroup v2 and v1."""
    try:
        lines = Path("/proc/self/cgroup").read_text().splitlines()
    except OSError:
        return []
    found = []
    for line in lines:
        _, controllers, path = line.split(":", 2) if line.count(":") >= 2 else ("", "", "")
        if controllers == "":  # v2: one unified hierarchy
            root, limit_name, use_name = Path("/sys/fs/cgroup"), "memory.max", "memory.current"
        elif "memory" in controllers.split(","):
            root, limit_name, use_name = (
                Path("/sys/fs/cgroup/memory"),
                "memory.limit_in_bytes",
                "memory.usage_in_bytes",
            )
        else:
            continue
        folder = root / path.strip("/")
        while True:
            found.append((folder, limit_name, use_name))
            if folder == root:
                break
            folder = folder.parent
    return found


def _read_kb_table(path: Path) -> dict[str, int]:
    """'Key:   123 kB' lines as bytes (/proc/meminfo, /proc/self/status)."""
    out: dict[str, int] = {}
    try:
        for line in path.read_text().splitlines():
            key, _, rest = line.partition(":")
            fields = rest.split()
            if len(fields) == 2 and fields[1] == "kB" and fields[0].isdigit():
                out[key] = int(fields[0]) * 1024
    except OSError:
        pass
    return out


def _read_int(path: str) -> int | None:
    try:
        text = Path(path).read_text().strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def _windows_available() -> int | None:
    import ctypes

    class MemoryStatus(ctypes.Structure):
        _fields_ = [
            ("length", ctypes.c_ulong),
            ("load", ctypes.c_ulong),
            ("total_physical", ctypes.c_ulonglong),
            ("available_physical", ctypes.c_ulonglong),
            ("total_page_file", ctypes.c_ulonglong),
            ("available_page_file", ctypes.c_ulonglong),
            ("total_virtual", ctypes.c_ulonglong),
            ("available_virtual", ctypes.c_ulonglong),
            ("extended", ctypes.c_ulonglong),
        ]

    status = MemoryStatus()
    status.length = ctypes.sizeof(MemoryStatus)
    try:
        ok = ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(status))  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return None
    return int(status.available_physical) if ok else None


def is_out_of_memory(error: BaseException) -> bool:
    """Whether `error` is an allocation that failed (numpy's MemoryError, torch's CPU
    allocator, CUDA's OutOfMemoryError)."""
    if isinstance(error, MemoryError):
        return True
    text = str(error).lower()
    return isinstance(error, RuntimeError) and (
        "out of memory" in text or "can't allocate memory" in text or "cannot allocate memory" in text
    )


__all__ = [
    "MemoryEstimate",
    "available_memory",
    "check_memory",
    "estimate_memory",
    "format_bytes",
    "is_out_of_memory",
]
