"""Choosing the device once, at the start of a session, and describing it in words."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch

    from engine.config import ExperimentConfig
    from engine.problems.protocol import Problem


def resolve_device(choice: str) -> torch.device:
    """Map "auto" / "cpu" / "cuda" to a torch device; "cuda" without a GPU is a ConfigError."""
    import torch

    if choice == "cpu":
        return torch.device("cpu")
    available = torch.cuda.is_available()
    if choice == "cuda" and not available:
        from engine.errors import ConfigError

        raise ConfigError(
            "device is set to cuda, but this machine has no usable CUDA GPU "
            "(or this torch build has no CUDA); choose auto or cpu",
            "device",
            "no_cuda",
        )
    return torch.device("cuda" if available else "cpu")


def describe_device(device: torch.device) -> str:
    """'CUDA: NVIDIA H100' or 'CPU, 1 thread'."""
    import torch

    if device.type == "cuda":
        return f"CUDA: {torch.cuda.get_device_name(device)}"
    threads = torch.get_num_threads()
    return f"CPU, {threads} thread" + ("s" if threads != 1 else "")


# Below this many floating-point operations per step, a second intra-op thread costs more in
# hand-offs than it saves; above it the matrix products split well. Measured on the 2-core
# machines: the 2-parameter problems ran no faster on two threads (and 2–13× slower when the
# other core was busy, e.g. with the GUI thread); the MLP ran 1.2× faster on two at B = 32
# and up to 1.8× at B = 1024 with the other core free (benchmarks/run.py prints `threads_*`,
# measured with the other core busy).
PARALLEL_FLOPS = 1e7
_default_threads: int | None = None


def choose_threads(config: ExperimentConfig, problem: Problem) -> int:
    """Intra-op threads for a session: 1 for small steps, torch's default for big ones."""
    import torch

    global _default_threads
    if _default_threads is None:
        _default_threads = torch.get_num_threads()
    biggest = max(config.batch_size_of(r) for r in config.runs)
    flops = 6.0 * problem.n_params * biggest
    return 1 if flops < PARALLEL_FLOPS else _default_threads
