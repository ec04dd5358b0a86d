"""Choosing the device once, at the start of a session, and describing it in words."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import torch


def resolve_device(choice: str) -> torch.device:
    """Map "auto" / "cpu" / "cuda" to a torch device; "cuda" without a GPU is a clear error."""
    import torch

    if choice == "cpu":
        return torch.device("cpu")
    available = torch.cuda.is_available()
    if choice == "cuda" and not available:
        raise RuntimeError(
            "device is set to cuda, but this machine has no usable CUDA GPU "
            "(or this torch build has no CUDA); choose auto or cpu"
        )
    return torch.device("cuda" if available else "cpu")


def describe_device(device: torch.device) -> str:
    """'CUDA: NVIDIA H100' or 'CPU, 1 thread'."""
    import torch

    if device.type == "cuda":
        return f"CUDA: {torch.cuda.get_device_name(device)}"
    threads = torch.get_num_threads()
    return f"CPU, {threads} thread" + ("s" if threads != 1 else "")
