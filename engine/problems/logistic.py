"""Logistic regression with two parameters (w, b): a convex surface that is not a quadratic.

A sample's label is 1 when true_w·x + true_b + noise·ε > 0 (ε standard normal), else 0, and
the model predicts P(y = 1) = σ(w·x + b) with the cross-entropy loss softplus(z) − y·z,
z = w·x + b. With noise = 0 the classes are separable and the loss keeps falling as |w| grows:
there is no minimum, so the problem asks for noise > 0.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from engine.config import ExperimentConfig
from engine.control import checkpoint
from engine.errors import ConfigError
from engine.problems.line_data import LineData

if TYPE_CHECKING:
    import torch


class LogisticRegression(LineData):
    loss_name = "cross_entropy"  # mean binary cross-entropy

    def __init__(self, config: ExperimentConfig, device: torch.device, seed: int) -> None:
        import torch

        g = torch.Generator().manual_seed(seed)
        n = config.n_samples
        x = torch.randn(n, generator=g, dtype=torch.float64) * config.feature_scale + config.feature_shift
        eps = torch.randn(n, generator=g, dtype=torch.float64) * config.noise
        y = (config.true_w * x + config.true_b + eps > 0).to(torch.float64)
        self.set_data(x, y, device)
        separable = ConfigError(
            "logistic needs the two classes to overlap, but the drawn samples are separable, so the "
            f"loss has no minimum: raise the noise (got {config.noise:g}) or n_samples (got {n}), "
            f"or bring true_b (got {config.true_b:g}) nearer to 0",
            "noise",
            "separable",
            got=config.noise,
        )
        if _separable(self.x64, self.y64):
            raise separable
        try:
            self._minimum = self._newton(np.zeros(2))
        except (np.linalg.LinAlgError, ArithmeticError):
            raise separable from None

    def batch_losses(
        self, blocks: list[torch.Tensor], batch: tuple[torch.Tensor, ...], weights: torch.Tensor | None
    ) -> torch.Tensor:
        from torch.nn import functional

        z = self.residuals(blocks, batch) + batch[1]  # w·x + b
        losses = functional.binary_cross_entropy_with_logits(z, batch[1], reduction="none")
        return losses.mean(1) if weights is None else (losses * weights).sum(1)

    def batch_gradients(
        self, blocks: list[torch.Tensor], batch: tuple[torch.Tensor, ...], weights: torch.Tensor | None
    ) -> list[torch.Tensor]:
        """∂ batch_losses / ∂ θ in closed form: Σⱼ wⱼ (σ(zⱼ) − yⱼ) (xⱼ, 1)."""
        import torch

        with torch.no_grad():
            z = self.residuals(blocks, batch) + batch[1]
            return [self.weighted_sum(torch.sigmoid(z) - batch[1], batch, weights)]

    def sample_losses(self, w: np.ndarray, b: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Cross-entropy softplus(z) − y·z, z = w·x + b, of each sample under each row."""
        z = w * x + b
        result: np.ndarray = np.logaddexp(0.0, z) - y * z
        return result

    def sample_gradients(self, params: np.ndarray) -> np.ndarray:
        w, b = np.asarray(params, dtype=np.float64)
        error = _sigmoid(w * self.x64 + b) - self.y64
        return np.stack([error * self.x64, error], axis=1)

    def minimum(self) -> np.ndarray:
        return self._minimum

    def _newton(self, theta: np.ndarray) -> np.ndarray:
        """The exact minimiser: Newton's method on the (convex) mean cross-entropy, float64."""
        xa = np.stack([self.x64, np.ones_like(self.x64)], axis=1)
        for _ in range(100):
            checkpoint()
            p = _sigmoid(xa @ theta)
            gradient = xa.T @ (p - self.y64) / len(xa)
            hessian = (xa * (p * (1 - p))[:, None]).T @ xa / len(xa)
            step = np.linalg.solve(hessian, gradient)
            theta = theta - step
            if not np.isfinite(theta).all():
                raise ArithmeticError("Newton's method left the finite numbers")
            if np.linalg.norm(step) < 1e-13 * max(1.0, float(np.linalg.norm(theta))):
                return theta
        # Nearly separable classes: the minimum lies so far out that Newton's steps crawl.
        raise ArithmeticError("Newton's method did not converge")


def _separable(x: np.ndarray, y: np.ndarray) -> bool:
    """True when a threshold on x splits the labels (a 1-D logistic loss then has no minimum)."""
    ones, zeros = x[y == 1], x[y == 0]
    if not len(ones) or not len(zeros):
        return True
    return bool(ones.max() <= zeros.min() or zeros.max() <= ones.min())


def _sigmoid(z: np.ndarray) -> np.ndarray:
    result: np.ndarray = 0.5 * (1 + np.tanh(0.5 * z))  # no overflow for large |z|
    return result
