"""The large-batch theory the sweep is read against (McCandlish et al. 2018, "An Empirical Model
of Large-Batch Training"): to reach a target, training at batch size B takes

    S(B) = S_min · (1 + B_crit / B)   steps, and   E(B) = E_min · (1 + B / B_crit)   samples,

where S_min is the fewest steps (at a huge batch), E_min the fewest samples (at a tiny one),
and B_crit the batch size where the trade turns: below it a bigger batch saves steps almost
for free, above it a bigger batch mostly wastes samples.

Both laws are linear in their parameters once written as S = a + b / B (a = S_min,
b = S_min · B_crit) and E = c + d · B (c = E_min, d = E_min / B_crit), so ordinary least squares
fits them exactly, with the standard errors of a linear fit; B_crit's standard error follows by
the delta method. Written here (a few lines of numpy) rather than with scipy's curve_fit: the
fit is linear, and scipy is not a dependency of the app.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike


@dataclass(frozen=True)
class TheoryFit:
    """One law fitted to (batch size, cost) points: `scale` is S_min (steps) or E_min
    (samples); both with standard errors (nan when the points cannot give one)."""

    scale: float
    b_crit: float
    scale_se: float
    b_crit_se: float
    points: int

    def predict(self, batch_sizes: ArrayLike, law: str) -> np.ndarray:
        """The fitted cost at `batch_sizes` ("steps" or "samples")."""
        b = np.asarray(batch_sizes, dtype=np.float64)
        if law == "steps":
            return self.scale * (1.0 + self.b_crit / b)
        if law == "samples":
            return self.scale * (1.0 + b / self.b_crit)
        raise ValueError(f"law must be 'steps' or 'samples' (got {law!r})")


def fit_steps(batch_sizes: ArrayLike, steps: ArrayLike) -> TheoryFit:
    """S_min and B_crit from steps to target at each batch size: S = S_min + S_min·B_crit / B."""
    b, s = _points(batch_sizes, steps)
    (a, slope), cov = _line(1.0 / b, s)
    return _fit(scale=a, b_crit=slope / a, grad=(-slope / a**2, 1.0 / a), cov=cov, points=len(b))


def fit_samples(batch_sizes: ArrayLike, samples: ArrayLike) -> TheoryFit:
    """E_min and B_crit from samples to target at each batch size: E = E_min + (E_min/B_crit)·B."""
    b, e = _points(batch_sizes, samples)
    (c, slope), cov = _line(b, e)
    return _fit(scale=c, b_crit=c / slope, grad=(1.0 / slope, -c / slope**2), cov=cov, points=len(b))


def _points(batch_sizes: ArrayLike, costs: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    b = np.asarray(batch_sizes, dtype=np.float64).ravel()
    y = np.asarray(costs, dtype=np.float64).ravel()
    if b.shape != y.shape:
        raise ValueError(f"batch sizes and costs must pair up ({b.size} sizes, {y.size} costs)")
    keep = np.isfinite(b) & np.isfinite(y)  # rows that never reached the target carry no point
    b, y = b[keep], y[keep]
    if np.any(b <= 0):
        raise ValueError("batch sizes must be positive")
    if np.unique(b).size < 2:
        raise ValueError("the fit needs points at two batch sizes at least")
    return b, y


def _line(x: np.ndarray, y: np.ndarray) -> tuple[tuple[float, float], np.ndarray]:
    """Least squares y = p0 + p1·x: the parameters and their covariance (nan with no residual
    degrees of freedom)."""
    design = np.column_stack([np.ones_like(x), x])
    params, _, _, _ = np.linalg.lstsq(design, y, rcond=None)
    dof = len(x) - 2
    if dof <= 0:
        return (float(params[0]), float(params[1])), np.full((2, 2), np.nan)
    residual = y - design @ params
    sigma2 = float(residual @ residual) / dof
    cov = sigma2 * np.linalg.inv(design.T @ design)
    return (float(params[0]), float(params[1])), cov


def _fit(scale: float, b_crit: float, grad: tuple[float, float], cov: np.ndarray, points: int) -> TheoryFit:
    g = np.asarray(grad)
    b_crit_var = float(g @ cov @ g)  # the delta method: B_crit is a ratio of the two parameters
    return TheoryFit(
        scale=scale,
        b_crit=b_crit,
        scale_se=math.sqrt(cov[0, 0]) if np.isfinite(cov[0, 0]) else math.nan,
        b_crit_se=math.sqrt(b_crit_var) if np.isfinite(b_crit_var) and b_crit_var >= 0 else math.nan,
        points=points,
    )
