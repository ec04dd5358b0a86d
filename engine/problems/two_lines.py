"""A non-convex surface: a robust line fit to data that follows two lines.

Most samples (70%) lie near the line y = true_w·x + true_b, the rest near y = −x + 1.5. The
loss of a sample is Welsch's robust loss ℓ(r) = 1 − exp(−r²/(2c²)) of its residual r, which
stops caring about samples far from the line. So the surface has two basins: fitting the
majority's line (the better minimum) and fitting the minority's (a worse, local one). From a
start in the minority's basin full-batch GD settles there; mini-batch noise can carry a run
over the ridge.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from engine.config import ExperimentConfig
from engine.control import checkpoint
from engine.errors import ConfigError
from engine.problems.line_data import SURFACE_EXACT, LineData

if TYPE_CHECKING:
    import torch


MINORITY = 0.3  # fraction of the samples on the second line
MINORITY_LINE = (-1.0, 1.5)  # its (w, b)
WIDTH = 0.5  # c: residuals much larger than this barely count


class TwoLines(LineData):
    loss_name = "welsch"  # mean of 1 − exp(−r²/2c²)
    view_margin = 0.7

    def __init__(self, config: ExperimentConfig, device: torch.device, seed: int) -> None:
        import torch

        g = torch.Generator().manual_seed(seed)
        n = config.n_samples
        x = torch.randn(n, generator=g, dtype=torch.float64) * config.feature_scale + config.feature_shift
        minority = torch.rand(n, generator=g, dtype=torch.float64) < MINORITY
        w = torch.where(minority, MINORITY_LINE[0], config.true_w)
        b = torch.where(minority, MINORITY_LINE[1], config.true_b)
        y = w * x + b + torch.randn(n, generator=g, dtype=torch.float64) * config.noise
        self.set_data(x, y, device)
        checkpoint()
        self._minima = _find_minima(self)
        if not self._minima:
            raise ConfigError(
                f"two_lines found no minimum in its view (w and b from −4 to 5) for these data: "
                f"lower the noise (got {config.noise:g}) or raise n_samples (got {n})",
                "noise",
                "no_minimum",
                got=config.noise,
            )

    def batch_losses(
        self, blocks: list[torch.Tensor], batch: tuple[torch.Tensor, ...], weights: torch.Tensor | None
    ) -> torch.Tensor:
        import torch

        r = self.residuals(blocks, batch)
        losses = 1 - torch.exp(-(r * r) / (2 * WIDTH**2))
        return losses.mean(1) if weights is None else (losses * weights).sum(1)

    def batch_gradients(
        self, blocks: list[torch.Tensor], batch: tuple[torch.Tensor, ...], weights: torch.Tensor | None
    ) -> list[torch.Tensor]:
        """∂ batch_losses / ∂ θ in closed form: Σⱼ wⱼ ℓ'(rⱼ) (xⱼ, 1), ℓ'(r) = r/c² · e^(−r²/2c²)."""
        import torch

        with torch.no_grad():
            r = self.residuals(blocks, batch)
            slope = r / WIDTH**2 * torch.exp(-(r * r) / (2 * WIDTH**2))
            return [self.weighted_sum(slope, batch, weights)]

    def sample_losses(self, w: np.ndarray, b: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Welsch's loss 1 − exp(−r²/2c²) of each sample's residual under each row."""
        r = w * x + b - y
        result: np.ndarray = 1 - np.exp(-(r * r) / (2 * WIDTH**2))
        return result

    def sample_gradients(self, params: np.ndarray) -> np.ndarray:
        w, b = np.asarray(params, dtype=np.float64)
        r = w * self.x64 + b - self.y64
        slope = r / WIDTH**2 * np.exp(-(r * r) / (2 * WIDTH**2))
        return np.stack([slope * self.x64, slope], axis=1)

    def surface_gradient(self, params: np.ndarray) -> np.ndarray:
        """∇ of `surface_loss` (exact up to SURFACE_EXACT samples, else over the summary)."""
        if len(self.x64) <= SURFACE_EXACT:
            return self.full_gradient(params)
        x, y, weight = self._summary()
        w, b = np.asarray(params, dtype=np.float64)
        r = w * x + b - y
        slope = r / WIDTH**2 * np.exp(-(r * r) / (2 * WIDTH**2)) * weight
        return np.array([float(slope @ x), float(slope.sum())])

    def minimum(self) -> np.ndarray:
        """The better (global) minimum."""
        return self._minima[0]

    def view_points(self, start: np.ndarray) -> list[np.ndarray]:
        return [start, *self._minima]

    def local_minima(self) -> list[np.ndarray]:
        """Every minimum found, best first (the global one, then the worse ones)."""
        return list(self._minima)


def _find_minima(problem: TwoLines) -> list[np.ndarray]:
    """Local minima of the full loss: grid cells lower than their neighbours, refined.

    The search runs on `surface_loss` (the data summarised when N is large) and gradient
    descent into each basin on the same summary; Newton's method on the exact data then
    lands on each minimum to machine precision. Checkpoints let a stop end it at once.
    """
    xs = np.linspace(-4, 5, 91)
    ys = np.linspace(-4, 5, 91)
    ww, bb = np.meshgrid(xs, ys)
    z = problem.surface_loss(np.stack([ww, bb], axis=-1))
    candidates = [
        np.array([xs[i], ys[j]])
        for j in range(1, len(ys) - 1)
        for i in range(1, len(xs) - 1)
        if z[j, i] < z[j - 1 : j + 2, i - 1 : i + 2].min() + 1e-15 and z[j, i] < 0.95
    ]
    found: list[np.ndarray] = []
    for k, theta in enumerate(candidates):
        checkpoint(k / max(len(candidates), 1))
        for _ in range(300):  # float64 gradient descent into the basin …
            theta = theta - 0.05 * problem.surface_gradient(theta)
        theta = _newton(problem, theta)  # … then Newton steps on the exact data
        if np.linalg.norm(problem.full_gradient(theta)) > 1e-9:
            continue  # a flat shelf far from the data, not a minimum
        if not any(np.linalg.norm(theta - f) < 1e-3 for f in found):
            found.append(theta)
    found.sort(key=lambda t: float(problem.full_loss(t)))
    return found


def _newton(problem: TwoLines, theta: np.ndarray, steps: int = 8, h: float = 1e-5) -> np.ndarray:
    """Newton's method with a central-difference Hessian; stops if it is not positive definite."""
    for _ in range(steps):
        checkpoint()
        g = problem.full_gradient(theta)
        hessian = np.empty((2, 2))
        for i in range(2):
            checkpoint()  # each gradient is a pass over all N samples
            e = np.zeros(2)
            e[i] = h
            hessian[:, i] = (problem.full_gradient(theta + e) - problem.full_gradient(theta - e)) / (2 * h)
        hessian = (hessian + hessian.T) / 2
        if not np.isfinite(hessian).all() or np.linalg.eigvalsh(hessian).min() <= 0:
            break
        try:
            step = np.linalg.solve(hessian, g)
        except np.linalg.LinAlgError:  # flat to machine precision: as good as it gets
            break
        theta = theta - step
    return theta
