"""A symmetric-log axis: values spanning 0.01 to 10⁵ of either sign, all readable on one plot.

Hinton's example puts Rprop's weight at −34 000 beside RMSprop's −0.2 and SGD's ~0: on a
linear axis only Rprop leaves the zero line. y' = sign(y)·log₁₀(1 + |y|/c) is linear near 0
(|y| ≪ c) and logarithmic beyond; ticks sit at 0, ±c·10ᵏ and are labelled with real values.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from gui.logic.numbers import decade_text, tick_text

LINEAR_WIDTH = 0.01  # c: below this size values are shown on a linear scale
# pyqtgraph's ticks: one (spacing, values) pair per level of ticks, major first.
TickLevels = list[tuple[float, list[float]]]


def symlog(y: np.ndarray, c: float = LINEAR_WIDTH) -> np.ndarray:
    y = np.asarray(y, dtype=np.float64)
    result: np.ndarray = np.sign(y) * np.log10(1 + np.abs(y) / c)
    return result


def symexp(v: float, c: float = LINEAR_WIDTH) -> float:
    return float(np.sign(v) * c * (10 ** abs(v) - 1))


class SymlogAxis(pg.AxisItem):
    """An AxisItem that, while `symlog` is on, puts ticks at 0 and ±10ᵏ in real units."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.symlog = False

    def tickValues(self, minVal: float, maxVal: float, size: float) -> TickLevels:  # noqa: N802, N803
        if self.logMode and not self.symlog:
            return _log_ticks(minVal, maxVal, size)
        if not self.symlog:
            linear: TickLevels = super().tickValues(minVal, maxVal, size)
            return linear
        low = round(np.log10(LINEAR_WIDTH)) + 1  # ±c itself sits too close to 0 to label
        top = int(np.ceil(np.log10(max(abs(symexp(minVal)), abs(symexp(maxVal)), LINEAR_WIDTH))))
        ticks = [(low - 1, 0.0)] + [(k, s * 10.0**k) for k in range(low, top + 1) for s in (1, -1)]
        shown = [(k, float(symlog(np.array(r)))) for k, r in ticks]
        shown = [(k, p) for k, p in shown if minVal <= p <= maxVal]
        # Every decade when the labels fit (about 22 px each), else every 2nd or 3rd.
        step = next((s for s in (1, 2, 3, 5) if len(shown) * 22 <= size * s), 8)
        return [(1.0, [p for k, p in shown if p == 0 or (k - low) % step == 0])]

    def tickStrings(self, values: list[float], scale: float, spacing: float) -> list[str]:  # noqa: N802
        if self.logMode and not self.symlog:
            return [tick_text(10.0**v) for v in values]
        if not self.symlog:
            linear: list[str] = super().tickStrings(values, scale, spacing)
            return linear
        return [decade_text(symexp(v)) for v in values]


LABEL_PX = 24  # vertical room one tick label needs at the default scale


def _log_ticks(low: float, high: float, size: float) -> TickLevels:
    """Ticks for a log axis given in decades: 1·10ᵏ, then 2 and 5, then 1–9, as room allows.

    Labels never crowd: the densest set whose labels fit `size` pixels is used, and a range of
    under one decade still gets numbers (2, 3, 5 … between the powers of ten).
    """
    if not (np.isfinite(low) and np.isfinite(high)) or high <= low:
        return [(1.0, [])]
    decades = range(int(np.floor(low)), int(np.ceil(high)) + 1)
    for mantissas in ((1, 2, 3, 4, 5, 6, 7, 8, 9), (1, 2, 3, 5), (1, 2, 5), (1,)):  # densest first
        ticks = [k + np.log10(m) for k in decades for m in mantissas]
        shown = [t for t in ticks if low <= t <= high]
        # Labels are unevenly spaced on a log axis (0.8 and 0.9 sit close): the closest pair
        # must be a label's height apart.
        gap = float(np.min(np.diff(shown))) * size / (high - low) if len(shown) > 1 else size
        if gap >= LABEL_PX or mantissas == (1,):
            break
    if len(shown) < 2:  # a narrow range inside one decade: evenly spaced round values
        a, b = 10.0**low, 10.0**high
        room = max(2, min(6, int(size // LABEL_PX)))
        raw = (b - a) / room
        step = min((m * 10.0 ** np.floor(np.log10(raw)) for m in (1, 2, 5, 10)), key=lambda s: abs(s - raw))
        values = np.arange(np.ceil(a / step) * step, b + step * 1e-9, step)
        return [(1.0, [float(np.log10(v)) for v in values if v > 0])]
    if len(shown) * LABEL_PX > size:  # many decades: every 2nd, 3rd … power of ten
        step = int(np.ceil(len(shown) * LABEL_PX / max(size, 1)))
        shown = [t for t in shown if round(t) % step == 0]
    return [(1.0, shown)]
