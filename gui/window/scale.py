"""The display scale (Ctrl + / Ctrl − / Ctrl 0): fonts and markers, remembered between starts.

One number from 0.7 to 2.5, kept with QSettings once a lecturer chooses it (Ctrl + or Ctrl −).
Until then, and again after Ctrl 0, it follows the window's height (`auto_scale`): 1.0 up to
about 800 px, 1.3 for a full-screen 1080-px window, so text read from the back of a hall
grows with the projector. The application font and every plot's fonts follow it.
"""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

BASE_PT = 11.0  # the application font at scale 1
STEPS = (0.7, 0.8, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.5)
KEY = "display/scale"


def settings() -> QSettings:
    return QSettings("BatchSizeLab", "BatchSizeLab")


AUTO_HEIGHT = 830  # window height (px) per unit of automatic scale
AUTO_RANGE = (1.0, 1.5)


def auto_scale(height: int) -> float:
    """The step nearest height / AUTO_HEIGHT, within AUTO_RANGE."""
    wanted = min(max(height / AUTO_HEIGHT, AUTO_RANGE[0]), AUTO_RANGE[1])
    return min(STEPS, key=lambda step: abs(step - wanted))


def saved_scale() -> float | None:
    """The scale the user chose, or None (then the window's height decides)."""
    value = settings().value(KEY)
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return min(max(number, STEPS[0]), STEPS[-1])


def clear_scale() -> None:
    settings().remove(KEY)


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
