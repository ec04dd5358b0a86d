"""What the landscape instrument found (engine/instruments/landscape.py computes it): plain data,
no torch, for the views, the CLI and summary.json."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Landscape:
    """The loss on a plane through the weights, and each run's path projected onto it.

    The plane is origin + a·d₁ + b·d₂ with d₁, d₂ orthonormal; `loss[j, i]` is the mean
    cross-entropy over `subset` training images at (grid_a[i], grid_b[j]). `rise[label]` is
    how much the loss on the plane rises, on average, at distance `radius` from the run's end
    point (eight points on a circle): larger means a sharper minimum there, on this plane.
    """

    directions: str  # "pca" or "random"
    grid_a: np.ndarray
    grid_b: np.ndarray
    loss: np.ndarray
    paths: dict[str, np.ndarray]  # label -> (T, 2) projected weights, start to end
    end_loss: dict[str, float]  # the plane's loss at each run's projected end point
    rise: dict[str, float]
    radius: float
    explained: tuple[float, float]  # pca: the share of the trajectories' variance along d₁, d₂
    off_plane: dict[str, float]  # each end point's distance from the plane ÷ its distance from the origin
    subset: int
    origin: np.ndarray  # (P,) the plane's centre in weight space
    basis: np.ndarray  # (2, P) d₁ and d₂, orthonormal

    def to_dict(self) -> dict[str, object]:
        return {
            "directions": self.directions,
            "radius": self.radius,
            "explained_variance": list(self.explained),
            "subset": self.subset,
            "grid_points": int(self.loss.size),
            "runs": {
                label: {
                    "end": [float(v) for v in self.paths[label][-1]],
                    "end_loss": _num(self.end_loss[label]),
                    "rise": _num(self.rise[label]),
                    "off_plane": _num(self.off_plane[label]),
                }
                for label in self.paths
            },
        }


def _num(v: float) -> float | None:
    return float(v) if np.isfinite(v) else None
