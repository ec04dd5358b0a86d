"""What the two-parameter line-fitting problems share: data (x, y), batches, residuals."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from engine.control import checkpoint

if TYPE_CHECKING:
    import torch

    from engine.problems.protocol import Bounds

CHUNK = 1_000_000  # parameter rows × samples evaluated at once by `mean_over_samples`
SURFACE_EXACT = 4096  # samples up to which the contour is computed over the data itself
SUMMARY_BINS = 64  # above: (x, y) summarised in at most 64 × 64 cells (see `surface_loss`)


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

    def initial_blocks(self, start: np.ndarray | None, init: str | None = None) -> list[np.ndarray]:
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

    def sample_losses(self, w: np.ndarray, b: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """(rows, n) loss of every sample (x, y) under every (w, b) row ((rows, 1) columns)."""
        raise NotImplementedError

    def full_loss(self, params: np.ndarray) -> np.ndarray:
        """The exact mean loss over all N samples for each row (w, b) of `params` (any leading shape)."""
        return self.mean_over_samples(params, self.x64, self.y64)

    def surface_loss(self, params: np.ndarray) -> np.ndarray:
        """The full loss for drawing the contour and seeding the minima search.

        Exact up to SURFACE_EXACT samples. Above, over the data summarised as the weighted
        centroids of at most SUMMARY_BINS² cells of (x, y): a 200 × 200 grid over N = 100 000
        samples took 86–148 s exactly, and the picture does not change (each centroid stands
        for its cell to second order). Paths, curves and minima always use the exact loss.
        """
        if len(self.x64) <= SURFACE_EXACT:
            return self.full_loss(params)
        x, y, weight = self._summary()
        return self.mean_over_samples(params, x, y, weight)

    def _summary(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        cached: tuple[np.ndarray, np.ndarray, np.ndarray] | None = getattr(self, "_summary_cache", None)
        if cached is None:
            cells = [_bin(v, SUMMARY_BINS) for v in (self.x64, self.y64)]
            key = cells[0] * SUMMARY_BINS + cells[1]
            size = SUMMARY_BINS * SUMMARY_BINS
            counts = np.bincount(key, minlength=size).astype(np.float64)
            used = counts > 0  # one pass over the data (np.unique's sort took 0.17 s at N = 10⁶)
            weight = counts[used]
            cached = (
                np.bincount(key, self.x64, size)[used] / weight,
                np.bincount(key, self.y64, size)[used] / weight,
                weight / weight.sum(),
            )
            self._summary_cache = cached
        return cached

    def mean_over_samples(
        self, params: np.ndarray, x: np.ndarray, y: np.ndarray, weight: np.ndarray | None = None
    ) -> np.ndarray:
        """For each row (w, b) of `params` (any leading shape), the (weighted) mean sample loss.

        Rows go in chunks so that memory stays near CHUNK values whatever N is; each chunk is
        a checkpoint (stop requests and progress).
        """
        p = np.asarray(params, dtype=np.float64)
        flat = p.reshape(-1, 2)
        out = np.empty(len(flat))
        step = max(1, CHUNK // len(x))
        with np.errstate(over="ignore", invalid="ignore"):
            for i in range(0, len(flat), step):
                losses = self.sample_losses(flat[i : i + step, :1], flat[i : i + step, 1:], x, y)
                out[i : i + step] = losses.mean(axis=1) if weight is None else losses @ weight
                checkpoint(i / len(flat))
        result: np.ndarray = out.reshape(p.shape[:-1])
        return result

    # Each line problem supplies these (and `sample_losses`); the rest is shared.
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


def _bin(values: np.ndarray, bins: int) -> np.ndarray:
    lo, hi = float(values.min()), float(values.max())
    if hi <= lo:
        return np.zeros(len(values), dtype=np.int64)
    cell: np.ndarray = np.minimum(((values - lo) / (hi - lo) * bins).astype(np.int64), bins - 1)
    return cell
