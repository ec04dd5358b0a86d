"""Hinton's Rprop example: one weight, ten mini-batches, nine say +0.1 and one says −0.9.

From Hinton's Coursera lecture 6e: "consider a weight that gets a gradient of +0.1 on nine
mini-batches and a gradient of −0.9 on the tenth mini-batch. We want this weight to stay
roughly where it is", since the gradients average to zero. Each of the N = 10 samples has the
loss gᵢ · w, so with B = 1 every epoch is one such cycle of ten gradients (in shuffled order)
and the full-batch gradient is exactly zero. Rprop sees nine signs against one and moves the
weight further every cycle; SGD, RMSprop and Adam weigh the gradients by their size and stay.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from engine.config import ExperimentConfig

if TYPE_CHECKING:
    import torch

    from engine.problems.protocol import Bounds

SAMPLES = 10
SMALL, LARGE = 0.1, -0.9  # nine samples of the first gradient, one of the second


class HintonWeight:
    tracked = True
    loss_name = "hinton"  # mean gᵢ·w: zero everywhere; the view plots w
    param_names: tuple[str, ...] = ("w",)
    blocks: tuple[tuple[str, tuple[int, ...]], ...] = (("theta", (1,)),)
    n_params = 1

    def __init__(self, config: ExperimentConfig, device: torch.device, seed: int) -> None:
        import torch

        self.g64 = np.array([SMALL] * (SAMPLES - 1) + [LARGE])
        self.g = torch.tensor(self.g64, dtype=torch.float32, device=device)
        self.mean = 0.0  # 9 × 0.1 − 0.9: the gradients cancel over a cycle (exactly, not in float)

    def initial_blocks(self, start: np.ndarray | None, init: str | None = None) -> list[np.ndarray]:
        return [np.zeros(1) if start is None else np.asarray(start, dtype=np.float64)]

    def prepare(self, idx: torch.Tensor) -> tuple[torch.Tensor, ...]:
        return (self.g[idx],)

    def batch_losses(
        self, blocks: list[torch.Tensor], batch: tuple[torch.Tensor, ...], weights: torch.Tensor | None
    ) -> torch.Tensor:
        (g,) = batch
        losses = g * blocks[0]  # (R, b) · (R, 1)
        return losses.mean(1) if weights is None else (losses * weights).sum(1)

    def batch_gradients(
        self, blocks: list[torch.Tensor], batch: tuple[torch.Tensor, ...], weights: torch.Tensor | None
    ) -> list[torch.Tensor]:
        """The batch's mean gradient gᵢ, whatever w is."""
        (g,) = batch
        mean = g.mean(1) if weights is None else (g * weights).sum(1)
        return [mean.unsqueeze(1)]

    def full_loss(self, params: np.ndarray) -> np.ndarray:
        """mean gᵢ · w: zero everywhere (the gradients cancel over a cycle)."""
        result: np.ndarray = np.asarray(params, dtype=np.float64)[..., 0] * self.mean + 0.0  # no −0
        return result

    def evaluate(self, blocks: list[torch.Tensor]) -> np.ndarray:
        return self.full_loss(blocks[0].detach().double().cpu().numpy())

    def sample_gradients(self, params: np.ndarray) -> np.ndarray:
        return self.g64[:, None].copy()

    def data_columns(self) -> dict[str, np.ndarray]:
        return {"gradient": self.g64.copy()}

    def minimum(self) -> None:
        return None  # flat: no minimum to mark, no surface to draw

    def view_bounds(self, start: np.ndarray) -> Bounds | None:
        return None
