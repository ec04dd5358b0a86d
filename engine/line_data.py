"""What the two-parameter line-fitting problems share: data (x, y), batches, residuals."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from collections.abc import Callable

    import torch

    from engine.problems import Bounds

CHUNK = 2_000_000  # parameter rows × samples evaluated at once by `mean_over_samples`


class LineData:
    """Samples (xᵢ, yᵢ) for a model ŷ = w·x + b with parameters θ = (w, b).

    Keeps float64 numpy copies for exact references and float32 rows (x, 1) on the device, so
    that the predictions of every stacked run for a whole batch are one bmm.
    """

    tracked = True
    view_margin = 0.75  # the view's half-width, as a fraction of the span it must show
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
        per_sample: torch.Tensor,
        batch: tuple[torch.Tensor, ...],
        weights: torch.Tensor | None,
        factor: float = 1.0,
    ) -> torch.Tensor:
        """factor · Σⱼ wⱼ · per_sample[j] · (xⱼ, 1) for each run: (R, 2). Unweighted: the mean.

        (One elementwise op on the unweighted path: at B = 1 every op is ~10% of a step.)
        """
        xa, y = batch
        scaled = per_sample * (factor / y.shape[1]) if weights is None else per_sample * weights * factor
        return (scaled.unsqueeze(1) @ xa).squeeze(1)

    def data_columns(self) -> dict[str, np.ndarray]:
        return {"x": self.x64, "y": self.y64}

    def mean_over_samples(
        self, params: np.ndarray, loss: Callable[[np.ndarray, np.ndarray], np.ndarray]
    ) -> np.ndarray:
        """For each row (w, b) of `params` (any leading shape), the mean of the per-sample loss.

        `loss(w, b)` gets (rows, 1) columns and returns the (rows, N) losses of every sample;
        rows go in chunks so that memory stays near CHUNK values whatever N is.
        """
        p = np.asarray(params, dtype=np.float64)
        flat = p.reshape(-1, 2)
        out = np.empty(len(flat))
        step = max(1, CHUNK // len(self.x64))
        with np.errstate(over="ignore", invalid="ignore"):
            for i in range(0, len(flat), step):
                out[i : i + step] = np.mean(loss(flat[i : i + step, :1], flat[i : i + step, 1:]), axis=1)
        result: np.ndarray = out.reshape(p.shape[:-1])
        return result

    # Each line problem supplies these two; the rest below is shared.
    def full_loss(self, params: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def sample_gradients(self, params: np.ndarray) -> np.ndarray:
        raise NotImplementedError

    def minimum(self) -> np.ndarray:
        raise NotImplementedError

    def evaluate(self, blocks: list[torch.Tensor]) -> np.ndarray:
        return self.full_loss(blocks[0].detach().double().cpu().numpy())

    def full_gradient(self, params: np.ndarray) -> np.ndarray:
        """∇ of the full-batch loss at one point (float64): the mean per-sample gradient."""
        g: np.ndarray = self.sample_gradients(params).mean(axis=0)
        return g

    def view_points(self, start: np.ndarray) -> list[np.ndarray]:
        """The points the contour must show: the start and the minimum."""
        return [start, self.minimum()]

    def view_bounds(self, start: np.ndarray) -> Bounds:
        """A square window around `view_points`, with room for noisy paths to wander."""
        points = np.array(self.view_points(start))
        lo, hi = points.min(axis=0), points.max(axis=0)
        span = max(float(np.max(hi - lo)), 1.0)
        centre = (lo + hi) / 2
        half = self.view_margin * span
        return (
            (float(centre[0] - half), float(centre[0] + half)),
            (float(centre[1] - half), float(centre[1] + half)),
        )
