"""The loops the engine is measured against: what a user would write with plain PyTorch.

`dataloader_*` follow the seed articles: `DataLoader(TensorDataset(...), batch_size=B,
shuffle=True)`, an `nn.Module`, a `torch.optim` optimizer and `loss.item()` every step.
`bare_*` are the leanest eager loops: pre-made batches, no recording at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset


def dataloader_linear(
    x: np.ndarray, y: np.ndarray, start: tuple[float, float], lr: float, batch: int, epochs: int
) -> tuple[float, list[float]]:
    """Seconds for `epochs` of y ≈ w·x + b with MSE; returns (seconds, per-step losses)."""
    xt = torch.tensor(x, dtype=torch.float32).unsqueeze(1)
    yt = torch.tensor(y, dtype=torch.float32).unsqueeze(1)
    model = nn.Linear(1, 1)
    with torch.no_grad():
        model.weight.fill_(start[0])
        model.bias.fill_(start[1])
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    loader = DataLoader(TensorDataset(xt, yt), batch_size=batch, shuffle=True)
    losses = []
    t0 = time.perf_counter()
    for _ in range(epochs):
        for xb, yb in loader:
            opt.zero_grad()
            loss = nn.functional.mse_loss(model(xb), yb)
            loss.backward()  # type: ignore[no-untyped-call]  # torch leaves Tensor.backward unannotated
            opt.step()
            losses.append(loss.item())
    return time.perf_counter() - t0, losses


def bare_linear(x: np.ndarray, y: np.ndarray, lr: float, batch: int, steps: int) -> float:
    """Seconds for `steps` eager steps of the same model on pre-made batches, nothing recorded."""
    xt = torch.tensor(x, dtype=torch.float32)
    yt = torch.tensor(y, dtype=torch.float32)
    theta = torch.tensor([-1.0, 2.5], requires_grad=True)
    opt = torch.optim.SGD([theta], lr=lr)
    order = torch.randperm(len(xt))
    batches = [(xt[i], yt[i]) for i in torch.split(order, batch)]
    t0 = time.perf_counter()
    for s in range(steps):
        xb, yb = batches[s % len(batches)]
        opt.zero_grad()
        loss = ((theta[0] * xb + theta[1] - yb) ** 2).mean()
        loss.backward()  # type: ignore[no-untyped-call]  # torch leaves Tensor.backward unannotated
        opt.step()
    return time.perf_counter() - t0


def mlp_module() -> nn.Module:
    return nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))


def lenet_module() -> nn.Module:
    """LeNet-5 on 28×28 images as a user writes it (the engine's `LeNet5` in nn.Sequential form)."""
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
    )  # fmt: skip


def dataloader_mlp(
    x: torch.Tensor,
    y: torch.Tensor,
    batch: int,
    steps: int,
    lr: float = 0.01,
    module: Callable[[], nn.Module] = mlp_module,
) -> float:
    """Seconds for `steps` DataLoader steps of the 784-128-10 MLP (or `module()`)."""
    model = module()
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    loader = DataLoader(TensorDataset(x, y), batch_size=batch, shuffle=True)
    done = 0
    losses = []
    t0 = time.perf_counter()
    while done < steps:
        for xb, yb in loader:
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(xb), yb)
            loss.backward()  # type: ignore[no-untyped-call]  # torch leaves Tensor.backward unannotated
            opt.step()
            losses.append(loss.item())
            done += 1
            if done == steps:
                break
    return time.perf_counter() - t0


def bare_mlp(
    x: torch.Tensor,
    y: torch.Tensor,
    batch: int,
    steps: int,
    lr: float = 0.01,
    module: Callable[[], nn.Module] = mlp_module,
    channels_last: bool = False,
) -> float:
    """Seconds for `steps` eager MLP (or `module()`) steps on pre-made batches, nothing recorded
    (`channels_last`: the convolutions' weights in that layout, as the engine keeps them)."""
    model = module()
    if channels_last:
        # torch's stubs for Module.to list no memory_format, which it accepts (and documents).
        model = model.to(memory_format=torch.channels_last)  # type: ignore[call-overload]
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    order = torch.randperm(len(x))[: batch * min(steps, 64)]
    batches = [(x[i], y[i]) for i in torch.split(order, batch)]
    t0 = time.perf_counter()
    for s in range(steps):
        xb, yb = batches[s % len(batches)]
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(xb), yb)
        loss.backward()  # type: ignore[no-untyped-call]  # torch leaves Tensor.backward unannotated
        opt.step()
    return time.perf_counter() - t0
