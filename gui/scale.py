"""The display scale (Ctrl + / Ctrl − / Ctrl 0): fonts and markers, remembered between starts.

One number, 1.0 by default, from 0.7 to 2.5, kept with QSettings. The application font and
every plot's fonts follow it; a lecturer raises it for the back of a hall.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

BASE_PT = 11.0  # the application font at scale 1
STEPS = (0.7, 0.8, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.5)
KEY = "display/scale"


def settings() -> QSettings:
    return QSettings("BatchSizeLab", "BatchSizeLab")


def saved_scale() -> float:
    try:
        value = float(settings().value(KEY, 1.0))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return 1.0
    return min(max(value, STEPS[0]), STEPS[-1])


def save_scale(scale: float) -> None:
    settings().setValue(KEY, scale)


def next_scale(scale: float, steps: int) -> float:
    """The scale `steps` places up (or down) the list from the one nearest `scale`; 0: 1.0."""
    if steps == 0:
        return 1.0
    i = min(range(len(STEPS)), key=lambda k: abs(STEPS[k] - scale))
    return STEPS[min(max(i + steps, 0), len(STEPS) - 1)]


def apply_app_font(scale: float) -> None:
    app = QApplication.instance()
    if isinstance(app, QApplication):
        font = app.font()
        font.setPointSizeF(BASE_PT * scale)
        app.setFont(font)
