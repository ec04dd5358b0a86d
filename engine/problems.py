"""Loss surfaces that runs train on.

Every problem offers the same interface, so that later problems (logistic regression, a
non-convex surface, real networks) flow through the same session, snapshots and views:

- `n_params`, `param_names`: the parameter vector θ and what its entries mean;
- `batch_loss(theta, idx)`: the mini-batch loss as a differentiable torch scalar;
- `full_loss(params)`: the exact full-batch loss of many parameter vectors at once (numpy,
  float64), used for the recorded history and the contour;
- `minimum()`, `data_columns()`, `view_bounds(start)`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

import numpy as np

from engine.config import ExperimentConfig

if TYPE_CHECKING:
    import torch


class Problem(Protocol):
    n_params: int
    param_names: tuple[str, ...]

    def batch_loss(self, theta: torch.Tensor, idx: torch.Tensor) -> torch.Tensor: ...
    def full_loss(self, params: np.ndarray) -> np.ndarray: ...
    def minimum(self) -> np.ndarray: ...
    def data_columns(self) -> dict[str, np.ndarray]: ...
    def view_bounds(self, start: np.ndarray) -> tuple[tuple[float, float], tuple[float, float]]: ...


class LinearRegression:
    """y = w·x + b + ε with ε ~ N(0, noise²); loss = mean squared error over the batch.

    The full-batch MSE is a quadratic in (w, b) determined by five data moments, so the loss of
    any number of parameter pairs (the history, a 200×200 contour) costs a few numpy ops.
    """

    n_params = 2
    param_names = ("w", "b")

    def __init__(self, config: ExperimentConfig, device: torch.device, seed: int) -> None:
        import torch

        g = torch.Generator().manual_seed(seed)
        n = config.n_samples
        x = torch.randn(n, generator=g, dtype=torch.float64) * config.feature_scale
        x += config.feature_shift
        eps = torch.randn(n, generator=g, dtype=torch.float64) * config.noise
        y = config.true_w * x + config.true_b + eps
        self.x64 = x.numpy()
        self.y64 = y.numpy()
        # Training data: float32 on the device, indexed by batch.
        self.x = x.to(device=device, dtype=torch.float32)
        self.y = y.to(device=device, dtype=torch.float32)
        xs, ys = self.x64, self.y64
        self._m = {
            "x": xs.mean(),
            "y": ys.mean(),
            "xx": (xs * xs).mean(),
            "xy": (xs * ys).mean(),
            "yy": (ys * ys).mean(),
        }

    def batch_loss(self, theta: torch.Tensor, idx: torch.Tensor) -> torch.Tensor:
        pred = theta[0] * self.x[idx] + theta[1]
        return ((pred - self.y[idx]) ** 2).mean()

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

    def full_gradient(self, params: np.ndarray) -> np.ndarray:
        """∇ of the full-batch MSE (float64), for references and arrows."""
        p = np.asarray(params, dtype=np.float64)
        w, b = p[..., 0], p[..., 1]
        m = self._m
        gw = 2 * (w * m["xx"] + b * m["x"] - m["xy"])
        gb = 2 * (w * m["x"] + b - m["y"])
        return np.stack([gw, gb], axis=-1)

    def minimum(self) -> np.ndarray:
        """Least-squares (w, b): the normal equations in the data moments."""
        m = self._m
        a = np.array([[m["xx"], m["x"]], [m["x"], 1.0]])
        return np.linalg.solve(a, np.array([m["xy"], m["y"]]))

    def data_columns(self) -> dict[str, np.ndarray]:
        return {"x": self.x64, "y": self.y64}

    def view_bounds(self, start: np.ndarray) -> tuple[tuple[float, float], tuple[float, float]]:
        """A window around the start and the minimum, with room for noisy paths to wander."""
        lo = np.minimum(start, self.minimum())
        hi = np.maximum(start, self.minimum())
        span = max(float(np.max(hi - lo)), 1.0)
        centre = (lo + hi) / 2
        half = 0.5 * span * 1.5
        return (
            (float(centre[0] - half), float(centre[0] + half)),
            (float(centre[1] - half), float(centre[1] + half)),
        )


def make_problem(config: ExperimentConfig, device: torch.device, seed: int) -> LinearRegression:
    """The problem named by `config.problem`, its data drawn from `seed`."""
    if config.problem == "linear":
        return LinearRegression(config, device, seed)
    raise ValueError(f"problem must be one of linear (got {config.problem!r})")


def loss_grid(
    problem: LinearRegression,
    bounds: tuple[tuple[float, float], tuple[float, float]],
    resolution: int = 200,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(xs, ys, Z) with Z[j, i] = full-batch loss at (xs[i], ys[j]), float32, in one call."""
    xs = np.linspace(*bounds[0], resolution)
    ys = np.linspace(*bounds[1], resolution)
    ww, bb = np.meshgrid(xs, ys)
    z = problem.full_loss(np.stack([ww, bb], axis=-1))
    return xs, ys, np.ascontiguousarray(z, dtype=np.float32)
