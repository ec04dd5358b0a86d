"""Linear regression with two parameters (w, b): the contour lessons' loss surface."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from engine.config import ExperimentConfig
from engine.problems.line_data import LineData

if TYPE_CHECKING:
    import torch


class LinearRegression(LineData):
    loss_name = "mse"  # mean of (w·x + b − y)², no ½
    """y = w·x + b + ε with ε ~ N(0, noise²); loss = mean squared error over the batch.

    The full-batch MSE is a quadratic in (w, b) determined by five data moments, so the loss of
    any number of parameter pairs (the history, a 200×200 contour) costs a few numpy ops.
    """

    def __init__(self, config: ExperimentConfig, device: torch.device, seed: int) -> None:
        import torch

        g = torch.Generator().manual_seed(seed)
        n = config.n_samples
        x = torch.randn(n, generator=g, dtype=torch.float64) * config.feature_scale
        x += config.feature_shift
        eps = torch.randn(n, generator=g, dtype=torch.float64) * config.noise
        y = config.true_w * x + config.true_b + eps
        self.set_data(x, y, device)
        xs, ys = self.x64, self.y64
        self._m = {
            "x": xs.mean(),
            "y": ys.mean(),
            "xx": (xs * xs).mean(),
            "xy": (xs * ys).mean(),
            "yy": (ys * ys).mean(),
        }

    def batch_losses(
        self, blocks: list[torch.Tensor], batch: tuple[torch.Tensor, ...], weights: torch.Tensor | None
    ) -> torch.Tensor:
        residual = self.residuals(blocks, batch)
        squared = residual * residual
        return squared.mean(1) if weights is None else (squared * weights).sum(1)

    def batch_gradients(
        self, blocks: list[torch.Tensor], batch: tuple[torch.Tensor, ...], weights: torch.Tensor | None
    ) -> list[torch.Tensor]:
        """∂ batch_losses / ∂ θ in closed form: 2 · Σⱼ wⱼ rⱼ (xⱼ, 1).

        Why not autograd: one autograd forward + backward of this model costs ~37 µs here, the
        closed form ~12 µs, and at B = 1 that is most of a step (tests check they agree).
        """
        import torch

        with torch.no_grad():
            return [self.weighted_sum(self.residuals(blocks, batch), batch, weights, factor=2.0)]

    def full_loss(self, params: np.ndarray) -> np.ndarray:
        """Exact MSE over all N samples for each row (w, b) of `params` (any leading shape)."""
        p = np.asarray(params, dtype=np.float64)
        w, b = p[..., 0], p[..., 1]
        m = self._m
        with np.errstate(over="ignore", invalid="ignore"):
            loss: np.ndarray = (
                w * w * m["xx"] + 2 * w * b * m["x"] + b * b - 2 * w * m["xy"] - 2 * b * m["y"] + m["yy"]
            )
        return loss

    def surface_loss(self, params: np.ndarray) -> np.ndarray:
        return self.full_loss(params)  # exact and cheap at any N (five data moments)

    def full_gradient(self, params: np.ndarray) -> np.ndarray:
        """∇ of the full-batch MSE (float64), for references and arrows."""
        p = np.asarray(params, dtype=np.float64)
        w, b = p[..., 0], p[..., 1]
        m = self._m
        gw = 2 * (w * m["xx"] + b * m["x"] - m["xy"])
        gb = 2 * (w * m["x"] + b - m["y"])
        return np.stack([gw, gb], axis=-1)

    def sample_gradients(self, params: np.ndarray) -> np.ndarray:
        """(N, 2) float64: ∇ of each sample's squared error, 2 rᵢ (xᵢ, 1), at (w, b) = params."""
        w, b = np.asarray(params, dtype=np.float64)
        r = w * self.x64 + b - self.y64
        return np.stack([2 * r * self.x64, 2 * r], axis=1)

    def hessian(self) -> np.ndarray:
        """The full-batch MSE's Hessian, 2·E[(x, 1)(x, 1)ᵀ] (the same at every point)."""
        m = self._m
        return 2 * np.array([[m["xx"], m["x"]], [m["x"], 1.0]])

    def lr_limit(self) -> float:
        """2/λ_max: full-batch GD with a larger learning rate overshoots further every step."""
        return float(2 / np.linalg.eigvalsh(self.hessian()).max())

    def minimum(self) -> np.ndarray:
        """Least-squares (w, b): the normal equations in the data moments."""
        m = self._m
        a = np.array([[m["xx"], m["x"]], [m["x"], 1.0]])
        return np.linalg.solve(a, np.array([m["xy"], m["y"]]))
