"""A 784-128-10 ReLU network with softmax cross-entropy: the throughput problem.

The inputs are Gaussian noise images (784 = 28 × 28 values) labelled by a random linear
teacher, so the network has something to learn; real digits arrive with the sweep issue.
Parameters follow `torch.nn.Linear`'s layout (weight: out × in) and default initialisation
(uniform in ±1/√fan_in), so a plain `nn.Module` loop can start from the very same point.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from engine.config import ExperimentConfig

if TYPE_CHECKING:
    import torch

INPUTS, HIDDEN, CLASSES = 784, 128, 10
EVAL_CHUNK = 8192  # samples per forward pass when evaluating the full-data loss


class MLPClassifier:
    tracked = False
    loss_name = "batch_cross_entropy"  # recorded per step: the mini-batch mean cross-entropy
    param_names: tuple[str, ...] = ()
    blocks: tuple[tuple[str, tuple[int, ...]], ...] = (
        ("W1", (HIDDEN, INPUTS)),
        ("b1", (HIDDEN,)),
        ("W2", (CLASSES, HIDDEN)),
        ("b2", (CLASSES,)),
    )
    n_params = HIDDEN * INPUTS + HIDDEN + CLASSES * HIDDEN + CLASSES

    def __init__(self, config: ExperimentConfig, device: torch.device, seed: int) -> None:
        import torch

        g = torch.Generator().manual_seed(seed)
        x = torch.randn(config.n_samples, INPUTS, generator=g)
        teacher = torch.randn(INPUTS, CLASSES, generator=g) / INPUTS**0.5
        logits = x @ teacher + config.noise * torch.randn(config.n_samples, CLASSES, generator=g)
        self.x = x.to(device)
        self.y = logits.argmax(dim=1).to(device)
        self.device = device
        self.init_seed = seed + 1

    def initial_blocks(self, start: np.ndarray | None) -> list[np.ndarray]:
        """nn.Linear's default initialisation, drawn from this problem's seed."""
        import torch

        g = torch.Generator().manual_seed(self.init_seed)
        out = []
        for name, shape in self.blocks:
            fan_in = INPUTS if name in ("W1", "b1") else HIDDEN
            bound = 1.0 / fan_in**0.5
            out.append(((torch.rand(shape, generator=g, dtype=torch.float64) * 2 - 1) * bound).numpy())
        return out

    def prepare(self, idx: torch.Tensor) -> tuple[torch.Tensor, ...]:
        # The labels of the whole segment are gathered at once (a few bytes a sample); the
        # images are gathered at their step, as copying a whole epoch of them would copy the
        # data set each epoch.
        return idx, self.y[idx]

    def single_loss(
        self, blocks: list[torch.Tensor], batch: tuple[torch.Tensor, ...], weights: torch.Tensor | None
    ) -> torch.Tensor:
        """One run's batch loss, shape (1,), from blocks in nn.Linear's own layout (no run axis)."""
        import torch
        from torch.nn import functional

        idx, y = batch
        w1, b1, w2, b2 = blocks
        # index_select, not self.x[idx]: advanced indexing costs twice as long at B = 32.
        x = torch.index_select(self.x, 0, idx[0])
        hidden = torch.relu(functional.linear(x, w1, b1))
        logits = functional.linear(hidden, w2, b2)
        if weights is None:
            return functional.cross_entropy(logits, y[0]).unsqueeze(0)
        losses = functional.cross_entropy(logits, y[0], reduction="none")
        return (losses * weights[0]).sum().unsqueeze(0)

    def batch_losses(
        self, blocks: list[torch.Tensor], batch: tuple[torch.Tensor, ...], weights: torch.Tensor | None
    ) -> torch.Tensor:
        import torch
        from torch.nn import functional

        idx, y = batch
        w1, b1, w2, b2 = blocks
        runs, size = idx.shape
        x = torch.index_select(self.x, 0, idx.reshape(-1)).view(runs, size, INPUTS)
        hidden = torch.relu(torch.baddbmm(b1.unsqueeze(1), x, w1.transpose(1, 2)))
        logits = torch.baddbmm(b2.unsqueeze(1), hidden, w2.transpose(1, 2))
        losses = functional.cross_entropy(logits.reshape(-1, CLASSES), y.reshape(-1), reduction="none").view(
            runs, size
        )
        return losses.mean(1) if weights is None else (losses * weights).sum(1)

    def evaluate(self, blocks: list[torch.Tensor]) -> np.ndarray:
        """Mean cross-entropy over all samples, for each run (float64 numpy, shape (R,))."""
        import torch
        from torch.nn import functional

        w1, b1, w2, b2 = (b.detach() for b in blocks)
        total = torch.zeros(len(w1), dtype=torch.float64, device=self.device)
        with torch.no_grad():
            for start in range(0, len(self.x), EVAL_CHUNK):
                x = self.x[start : start + EVAL_CHUNK]
                y = self.y[start : start + EVAL_CHUNK]
                hidden = torch.relu(torch.einsum("ni,rhi->rnh", x, w1) + b1.unsqueeze(1))
                logits = torch.einsum("rnh,rch->rnc", hidden, w2) + b2.unsqueeze(1)
                ce = functional.cross_entropy(
                    logits.reshape(-1, CLASSES), y.repeat(len(w1)), reduction="none"
                )
                total += ce.view(len(w1), -1).double().sum(1)
        result: np.ndarray = (total / len(self.x)).cpu().numpy()
        return result

    def full_loss(self, params: np.ndarray) -> np.ndarray:
        raise NotImplementedError("the mlp problem records batch losses, not parameter rows")

    def data_columns(self) -> dict[str, np.ndarray]:
        return {}

    def minimum(self) -> None:
        return None

    def view_bounds(self, start: np.ndarray) -> None:
        return None
