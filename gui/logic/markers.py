"""Which marker shape each run gets: the same role, the same shape in every lesson.

Colour-blind students tell runs apart by shape. GD (and Full-batch) is always the square,
SGD the up-triangle, Mini-batch the diamond, as their colours are fixed by label in the
engine (`run_colors`); every other run takes the next of the remaining shapes, in the
config's order, so ■ ▲ ◆ never mean anything else. Indices are into plot_style's RUN_SYMBOLS.
"""

from __future__ import annotations

from collections.abc import Iterable

ROLE_MARKERS = {"GD": 0, "Full-batch": 0, "SGD": 1, "Mini-batch": 2}
SHAPES = 8  # len(RUN_SYMBOLS)
OTHER_MARKERS = (3, 4, 5, 6, 7)  # ▼ ● ◀ ▶ ✚


def run_markers(labels: Iterable[str]) -> dict[str, int]:
    """Each label's marker index: its role's, or the next shape no other run here has."""
    labels = list(labels)
    taken = {ROLE_MARKERS[label] for label in labels if label in ROLE_MARKERS}
    free = [m for m in OTHER_MARKERS if m not in taken] + [m for m in range(3) if m not in taken]
    markers: dict[str, int] = {}
    others = 0
    for label in labels:
        if label in ROLE_MARKERS:
            markers[label] = ROLE_MARKERS[label]
        else:
            markers[label] = free[others % len(free)] if free else others % SHAPES
            others += 1
    return markers
