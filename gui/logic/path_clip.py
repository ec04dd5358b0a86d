"""Where a path over the loss surface left it for good (a diverging run): cut it there.

A run with too large a learning rate swings out of the surface's rectangle further at every
step; drawn whole, its last segments are long lines across the surface, between points far
outside it. The view draws such a path up to the point where it crossed the rectangle's edge
for the last time, and marks that point.
"""

from __future__ import annotations

import numpy as np

Box = tuple[float, float, float, float]  # x0, x1, y0, y1


def cut_where_it_left(
    x: np.ndarray, y: np.ndarray, box: Box
) -> tuple[np.ndarray, np.ndarray, tuple[float, float] | None]:
    """The path up to where it left `box` for good, and that point on the box's edge.

    A path whose last point lies inside the box (or on its edge) is returned whole, with None:
    excursions that come back are part of the story. A non-finite point counts as outside; if
    the path leaves through one, it ends at the last finite point.
    """
    x0, x1, y0, y1 = box
    with np.errstate(invalid="ignore"):
        inside = np.isfinite(x) & np.isfinite(y) & (x >= x0) & (x <= x1) & (y >= y0) & (y <= y1)
    if not len(x) or inside[-1]:
        return x, y, None
    kept = np.flatnonzero(inside)
    if not len(kept):
        return x[:0], y[:0], None
    k = int(kept[-1])
    px, py, qx, qy = float(x[k]), float(y[k]), float(x[k + 1]), float(y[k + 1])
    ex, ey = px, py  # a step to a non-finite point: the path ends where it was
    if np.isfinite(qx) and np.isfinite(qy):
        t = 1.0
        for p, q, lo, hi in ((px, qx, x0, x1), (py, qy, y0, y1)):
            if q > hi:
                t = min(t, (hi - p) / (q - p))
            elif q < lo:
                t = min(t, (lo - p) / (q - p))
        ex, ey = px + t * (qx - px), py + t * (qy - py)
    return np.append(x[: k + 1], ex), np.append(y[: k + 1], ey), (ex, ey)
