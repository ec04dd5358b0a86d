"""What the two-parameter line-fitting problems share: data (x, y), batches, residuals."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    import torch


class LineData:
    """Samples (xᵢ, yᵢ) for a model ŷ = w·x + b with parameters θ = (w, b).

    Keeps float64 numpy copies for exact references and float32 rows (x, 1) on the device, so
    that the predictions of every stacked run for a whole batch are one bmm.
    """

    tracked = True
    param_names: tuple[str, ...] = ("w", "b")
    blocks: tuple[tuple[str, tuple[int, ...]], ...] = (("theta", (2,)),)
    n_params = 2

    def set_data(self, x: torch.Tensor, y: torch.Tensor, device: torch.device) -> None:
        """x, y: float64 tensors of the N samples."""
        import torch

        self.x64, self.y64 = x.numpy(), y.numpy()
        self.xa = torch.stack([x, torch.ones_like(x)], dim=1).to(device=device, dtype=torch.float32)
        self.y = y.to(device=device, dtype=torch.float32)

    def initial_blocks(self, start: np.ndarray | None) -> list[np.ndarray]:
        assert start is not None
        return [np.asarray(start, dtype=np.float64)]

    def prepare(self, idx: torch.Tensor) -> tuple[torch.Tensor, ...]:
        return self.xa[idx], self.y[idx]

    @staticmethod
    def residuals(blocks: list[torch.Tensor], batch: tuple[torch.Tensor, ...]) -> torch.Tensor:
        """(R, b): w·x + b − y of every run on its batch."""
        xa, y = batch
        return (xa @ blocks[0].unsqueeze(2)).squeeze(2) - y

    @staticmethod
    def weighted_sum(
        per_sample: torch.Tensor, batch: tuple[torch.Tensor, ...], weights: torch.Tensor | None
    ) -> torch.Tensor:
        """Σⱼ wⱼ · per_sample[j] · (xⱼ, 1) for each run: (R, 2). Unweighted: the batch mean."""
        xa, y = batch
        scaled = per_sample / y.shape[1] if weights is None else per_sample * weights
        return (scaled.unsqueeze(1) @ xa).squeeze(1)

    def data_columns(self) -> dict[str, np.ndarray]:
        return {"x": self.x64, "y": self.y64}
