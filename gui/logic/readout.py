"""The readout under the cursor (TensorBoard's): each run's value at the cursor's x, the loss
surface's value at (w, b), and where the box goes so that it never covers the cursor.

A curve is read at its last drawn point at or before the cursor, not interpolated between two
points: that is a value the run really had (a loss measured after a step, an accuracy measured
at an epoch's end), and it is the one it kept until its next step. Interpolating a noisy B = 1
curve would invent a loss no step ever had, and would depend on whether the axes are log.
The marker that shows which point was read sits on that point, so nothing is hidden.
"""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np

from gui.logic.numbers import SUPERSCRIPT, group_digits

DIGITS = 4  # significant digits of a value read off a curve


def index_at(x: np.ndarray, at: float) -> int | None:
    """The index of the last point with x ≤ `at` (x growing along the curve).

    None when there is none: the curve is empty, starts after `at`, or has not reached `at`
    yet (its last point lies before it), or `at` is not a number.
    """
    x = np.asarray(x, dtype=np.float64)
    if not len(x) or not math.isfinite(at) or at < x[0] or at > x[-1]:
        return None
    i = int(np.searchsorted(x, at, side="right")) - 1
    return i if i >= 0 else None


def value_at(x: np.ndarray, y: np.ndarray, at: float) -> float | None:
    """The curve's y at its last point at or before `at` (see `index_at`); None if none."""
    i = index_at(x, at)
    return None if i is None or i >= len(y) else float(y[i])


def value_text(value: float) -> str:
    """A value read off a plot: 4 significant digits, as `tick_text` writes numbers.

    0.1234, 12.35, 1 234; a power of ten beyond 0.001 … 10 000 (1.235·10⁻⁵), never 1e-05;
    a real minus sign; ∞ for an infinite value and — for NaN (a run that diverged).
    """
    if math.isnan(value):
        return "—"
    sign = "−" if value < 0 else ""
    size = abs(value)
    if math.isinf(size):
        return sign + "∞"
    if size == 0:
        return "0"
    plain = f"{size:.{DIGITS}g}"
    if 1e-3 <= size < 1e4 and "e" not in plain:
        if "." not in plain and size >= 1000:
            return sign + group_digits(int(plain))
        return sign + plain
    k = math.floor(math.log10(size))
    # 10.0**k is 0 below 1e-323 (subnormal sizes): scale those exactly, as `tick_text` does
    mantissa = f"{size / 10.0**k if k > -300 else float(Decimal(size).scaleb(-k)):.{DIGITS}g}"
    if float(mantissa) >= 10:  # 9.9999·10ᵏ rounds up to the next power
        k, mantissa = k + 1, f"{float(mantissa) / 10:.{DIGITS}g}"
    power = "10" + str(k).translate(SUPERSCRIPT)
    return sign + (power if mantissa == "1" else f"{mantissa}·{power}")


def axis_text(at: float, whole: bool) -> str:
    """The cursor's x as the box's first line writes it: a whole count (iterations, samples)
    as the last whole number reached (the row read there), anything else as `value_text`."""
    if whole and math.isfinite(at) and abs(at) < 1e15:
        return group_digits(math.floor(at))
    return value_text(at)


def _lerp(a: float, b: float, t: float) -> float:
    """a + t·(b − a), exact at the ends (an infinite neighbour does not spoil a grid point)."""
    return a if t == 0 else b if t == 1 else (1 - t) * a + t * b


def grid_value(grid_x: np.ndarray, grid_y: np.ndarray, z: np.ndarray, w: float, b: float) -> float | None:
    """Bilinear interpolation of the grid `z` (rows along y, as the engine's grid_loss) at (w, b).

    Exact at the grid's points; None outside the grid (or for a grid of fewer than 2 × 2).
    """
    gx, gy = np.asarray(grid_x, dtype=np.float64), np.asarray(grid_y, dtype=np.float64)
    nx, ny = len(gx), len(gy)
    if nx < 2 or ny < 2 or np.shape(z) != (ny, nx) or not (math.isfinite(w) and math.isfinite(b)):
        return None
    if not (gx[0] <= w <= gx[-1] and gy[0] <= b <= gy[-1]):
        return None
    i = min(max(int(np.searchsorted(gx, w, side="right")) - 1, 0), nx - 2)
    j = min(max(int(np.searchsorted(gy, b, side="right")) - 1, 0), ny - 2)
    tx = (w - gx[i]) / (gx[i + 1] - gx[i])
    ty = (b - gy[j]) / (gy[j + 1] - gy[j])
    below = _lerp(float(z[j, i]), float(z[j, i + 1]), tx)
    above = _lerp(float(z[j + 1, i]), float(z[j + 1, i + 1]), tx)
    return _lerp(below, above, ty)


def place_box(
    cursor: tuple[float, float], box: tuple[float, float], area: tuple[float, float], gap: float
) -> tuple[float, float]:
    """The top-left corner of a box of size `box` (w, h) beside the cursor, inside `area` (w, h).

    The box goes `gap` to the right of the cursor, or to its left where it has more room,
    and `gap` below it (above if it does not fit below), then is kept inside the area; the
    cursor stays uncovered unless the box is too wide for either side of it, when it goes
    above or below the cursor instead. Coordinates in pixels, y growing downwards.
    """
    (cx, cy), (bw, bh), (aw, ah) = cursor, box, area
    right, left = aw - cx - gap, cx - gap  # the room on each side
    if bw <= max(right, left):
        x = cx + gap if bw <= right else cx - gap - bw
        y = cy + gap if cy + gap + bh <= ah else cy - gap - bh
    else:  # too wide beside the cursor: over or under it, across
        x = cx - bw / 2
        y = cy + gap if ah - cy - gap >= cy - gap else cy - gap - bh
    return min(max(x, 0.0), max(aw - bw, 0.0)), min(max(y, 0.0), max(ah - bh, 0.0))
