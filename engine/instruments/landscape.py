"""A network's loss landscape: the loss on a plane through the weights, with the runs' paths.

A network has no 2-D surface of its own, so a plane is chosen through its weight space
(Li et al. 2018, "Visualizing the Loss Landscape of Neural Nets"):

- "pca": the top two principal directions of every run's recorded weights (about 200
  snapshots each, stack.py), centred on their mean: the plane that holds most of the paths'
  movement (`explained` says how much);
- "random": two random Gaussian directions, each filter (a row of a layer's weights, a bias
  as a whole) scaled to the norm of the same filter at the centre, the first run's end point,
  so that the plane's scale means the same in every layer; orthonormalised after.

The loss is evaluated on a GRID × GRID grid over the paths' extent (with a margin), over a
fixed subset of the training images, in the session's thread, checking the stop event. Each
run's path is projected onto the plane; its end point's `rise` is the mean loss increase at a
fixed distance from it on the plane: the number the view quotes as sharper or flatter.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import torch

from engine.control import checkpoint
from engine.instruments.landscape_result import Landscape
from engine.seeds import derive_seed

if TYPE_CHECKING:
    from engine.training.bench import Bench

GRID = 31
SUBSET = 1024
MARGIN = 0.25  # of the paths' extent, on each side
RADIUS_SHARE = 0.05  # the sharpness radius, as a share of the plane's larger side
CIRCLE = 8
CHUNK = 64  # grid points evaluated at once (a run axis of this length)


def measure_landscape(bench: Bench) -> Landscape:
    config, problem = bench.config, bench.problem
    subset_loss = getattr(problem, "subset_loss", None)
    if subset_loss is None or bench.trajectories is None:
        raise ValueError(f"the landscape needs a network problem (got {config.problem})")
    paths = {label: _finite(t) for label, t in bench.trajectories().items()}
    paths = {label: t for label, t in paths.items() if len(t)}
    if not paths:
        raise ValueError("no run has recorded weights to draw a landscape through")
    shapes = [shape for _, shape in problem.blocks]
    every = np.concatenate(list(paths.values())).astype(np.float64)
    rng = np.random.default_rng(derive_seed(config.seed, "landscape"))
    if config.landscape_directions == "pca":
        origin = every.mean(0)
        _, singular, vt = np.linalg.svd(every - origin, full_matrices=False)
        d1, d2 = vt[0], vt[1] if len(vt) > 1 else _orthogonal(vt[0], rng)
        total = float((singular**2).sum()) or 1.0
        explained = (
            float(singular[0] ** 2 / total),
            float(singular[1] ** 2 / total) if len(singular) > 1 else 0.0,
        )
    else:
        origin = next(iter(paths.values()))[-1].astype(np.float64)
        d1 = _filter_normalised(origin, shapes, rng)
        d2 = _filter_normalised(origin, shapes, rng)
        d1 /= np.linalg.norm(d1)
        d2 -= (d2 @ d1) * d1
        d2 /= np.linalg.norm(d2)
        explained = (math.nan, math.nan)
    basis = np.stack([d1, d2])  # (2, P), orthonormal
    projected = {label: (t - origin) @ basis.T for label, t in paths.items()}
    off_plane = {}
    for label, t in paths.items():
        rel = t[-1] - origin
        residual = rel - basis.T @ (basis @ rel)
        off_plane[label] = float(np.linalg.norm(residual)) / max(float(np.linalg.norm(rel)), 1e-12)
    points = np.concatenate(list(projected.values()))
    low, high = points.min(0), points.max(0)
    span = np.maximum(high - low, 1e-6)
    low, high = low - MARGIN * span, high + MARGIN * span
    grid_a = np.linspace(low[0], high[0], GRID)
    grid_b = np.linspace(low[1], high[1], GRID)
    aa, bb = np.meshgrid(grid_a, grid_b)  # [j, i]
    idx = _subset(config.n_samples, config.seed)
    radius = RADIUS_SHARE * float(np.max(high - low))
    angles = np.linspace(0, 2 * np.pi, CIRCLE, endpoint=False)
    ends = {label: p[-1] for label, p in projected.items()}
    circle = np.stack([np.cos(angles), np.sin(angles)], axis=1) * radius
    extra = np.concatenate([np.concatenate([e[None], e + circle]) for e in ends.values()])
    coords = np.concatenate([np.column_stack([aa.ravel(), bb.ravel()]), extra])
    values = _losses(problem, origin, basis, coords, shapes, idx)
    loss = values[: GRID * GRID].reshape(GRID, GRID)
    finite = np.isfinite(loss)
    if not finite.all():  # far out on the plane the loss can overflow: drawn as the highest seen
        loss = np.where(finite, loss, loss[finite].max() if finite.any() else 0.0)
    end_loss, rise = {}, {}
    for k, label in enumerate(ends):
        at = values[GRID * GRID + k * (CIRCLE + 1) : GRID * GRID + (k + 1) * (CIRCLE + 1)]
        end_loss[label] = float(at[0])
        rise[label] = float(at[1:].mean() - at[0])
    return Landscape(
        directions=config.landscape_directions,
        grid_a=grid_a,
        grid_b=grid_b,
        loss=loss,
        paths=projected,
        end_loss=end_loss,
        rise=rise,
        radius=radius,
        explained=explained,
        off_plane=off_plane,
        subset=len(idx),
        origin=origin,
        basis=basis,
    )


def _finite(trajectory: np.ndarray) -> np.ndarray:
    """The trajectory up to its first non-finite snapshot (a diverged run's sane part)."""
    if trajectory.size == 0:
        return trajectory
    bad = ~np.isfinite(trajectory).all(axis=1)
    return trajectory[: int(np.argmax(bad))] if bad.any() else trajectory


def _orthogonal(d: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    other = rng.standard_normal(d.shape)
    other -= (other @ d) * d
    return other / np.linalg.norm(other)


def _filter_normalised(
    centre: np.ndarray, shapes: list[tuple[int, ...]], rng: np.random.Generator
) -> np.ndarray:
    """A Gaussian direction whose every filter has the norm of the same filter at `centre`."""
    out = np.empty_like(centre)
    start = 0
    for shape in shapes:
        size = int(np.prod(shape))
        block = (
            centre[start : start + size].reshape(shape[0], -1)
            if len(shape) > 1
            else centre[start : start + size][None]
        )
        d = rng.standard_normal(block.shape)
        d *= np.linalg.norm(block, axis=1, keepdims=True) / np.maximum(
            np.linalg.norm(d, axis=1, keepdims=True), 1e-12
        )
        out[start : start + size] = d.ravel()
        start += size
    return out


def _subset(n_samples: int, seed: int) -> torch.Tensor:
    rng = np.random.default_rng([seed, SUBSET, 2])
    return torch.from_numpy(np.sort(rng.choice(n_samples, min(SUBSET, n_samples), replace=False)))


def _losses(
    problem: object,
    origin: np.ndarray,
    basis: np.ndarray,
    coords: np.ndarray,
    shapes: list[tuple[int, ...]],
    idx: torch.Tensor,
) -> np.ndarray:
    """The loss at origin + coords @ basis for every row of `coords`, CHUNK points at a time."""
    device: torch.device = problem.device  # type: ignore[attr-defined]
    subset_loss = problem.subset_loss  # type: ignore[attr-defined]
    idx = idx.to(device)
    origin_t = torch.tensor(origin, dtype=torch.float32, device=device)
    basis_t = torch.tensor(basis, dtype=torch.float32, device=device)
    out = np.empty(len(coords))
    for start in range(0, len(coords), CHUNK):
        checkpoint(start / len(coords))
        c = torch.tensor(coords[start : start + CHUNK], dtype=torch.float32, device=device)
        flat = origin_t + c @ basis_t  # (R, P)
        blocks, at = [], 0
        for shape in shapes:
            size = int(np.prod(shape))
            blocks.append(flat[:, at : at + size].reshape(len(c), *shape))
            at += size
        values = subset_loss(blocks, idx)
        out[start : start + len(c)] = values
    return out
