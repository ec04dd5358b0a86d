"""Tick marks for a log axis that a back row can read: 1-2-5 steps (or powers of two for batch
sizes), a handful of them, labelled with real values (pyqtgraph's own log ticks crowd minor
labels such as "2·10³ 4 5 6 7 8 9 10²" into each other when the span is under a decade or two).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from gui.logic.numbers import group_digits, tick_text

MAX_TICKS = 8


def value_ticks(low: float, high: float) -> list[tuple[float, str]]:
    """(log10 position, label) ticks between two positive values: 1-2-5 steps, thinned to at
    most MAX_TICKS (to 1-10 steps, then to every k-th decade)."""
    if not (low > 0 and high > 0 and math.isfinite(low) and math.isfinite(high)):
        return []
    low, high = min(low, high), max(low, high)
    first, last = math.floor(math.log10(low)), math.ceil(math.log10(high))
    for mantissas in ((1, 2, 5), (1, 3), (1,)):
        values = [m * 10.0**k for k in range(first, last + 1) for m in mantissas]
        inside = [v for v in values if low * (1 - 1e-9) <= v <= high * (1 + 1e-9)]
        if len(inside) <= MAX_TICKS:
            break
    else:
        step = math.ceil(len(inside) / MAX_TICKS)
        inside = inside[::step]
    if len(inside) < 2:  # a narrow span: its ends
        inside = sorted({low, high})
    return [(math.log10(v), label(v)) for v in inside]


def batch_ticks(sizes: Iterable[int]) -> list[tuple[float, str]]:
    """(log10 position, label) at each batch size, every other one when there are many."""
    ordered = sorted(set(sizes))
    step = max(1, math.ceil(len(ordered) / 10))
    return [(math.log10(b), group_digits(b)) for b in ordered[::step]]


def label(v: float) -> str:
    if v >= 1e4 and v < 1e7 and float(v).is_integer():
        return group_digits(int(v))
    return tick_text(v)
