"""The display scale (Ctrl + / Ctrl − / Ctrl 0): fonts and markers, remembered between starts.

One number from 0.7 to 2.5, kept with QSettings once a lecturer chooses it (Ctrl + or Ctrl −).
Until then, and again after Ctrl 0, it follows the window's height (`auto_scale`): 1.0 up to
about 800 px, 1.3 for a full-screen 1080-px window, so text read from the back of a hall
grows with the projector. The application font and every plot's fonts follow it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QWidget

from gui.fonts import BASE_PT

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
    value: object = settings().value(KEY)
    if not isinstance(value, (str, int, float)):
        return None
    try:
        number = float(value)
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


def own_fonts(window: QWidget) -> dict[QWidget, QFont]:
    """The widgets of `window` (itself included) that were given a font of their own."""
    every = [window, *window.findChildren(QWidget)]
    return {w: QFont(w.font()) for w in every if w.testAttribute(Qt.WidgetAttribute.WA_SetFont)}


def release_fonts(window: QWidget, own: dict[QWidget, QFont]) -> None:
    """Every widget's font follows the application's again, but those in `own` (theirs).

    Two things fix a widget's font against later changes of the application font: a style
    sheet (Qt saves the font each widget had when the sheet polished it and sets it back,
    explicitly, when the sheet goes) and Qt's per-class fonts (the status bar's smaller one,
    which the display scale would never reach). `QFont()` resolves nothing: `setFont` with it
    clears WA_SetFont and inherits again. Call it after the application font is set.
    """
    for widget in [window, *window.findChildren(QWidget)]:
        widget.setFont(own.get(widget, QFont()))


class DisplayScale:
    """The window's scale: chosen with the keys (and remembered) or following its height.

    `apply(scale)` shows a new scale: the window's fonts and plots and every text sized there.
    """

    def __init__(self, apply: Callable[[float], None]) -> None:
        chosen = saved_scale()
        self.value = chosen or 1.0
        self.auto = chosen is None  # follows the window's height until chosen
        self._apply = apply

    def set(self, scale: float, remember: bool = True) -> None:
        self.value = scale
        apply_app_font(scale)
        self._apply(scale)
        if remember:
            save_scale(scale)
            self.auto = False

    def key(self, steps: int, height: int, presenting: bool) -> None:
        """Ctrl + / Ctrl − choose a scale (remembered); Ctrl 0 hands it back to the window size.
        In presentation mode they change its size only, for as long as it lasts."""
        if presenting:
            self.set(next_scale(self.value, steps) if steps else self.value, remember=False)
        elif steps == 0:
            clear_scale()
            self.auto = True
            self.set(auto_scale(height), remember=False)
        else:
            self.auto = False
            self.set(next_scale(self.value, steps))

    def follow(self, height: int) -> None:
        """The window was resized: a scale that follows its height follows."""
        if self.auto and auto_scale(height) != self.value:
            self.set(auto_scale(height), remember=False)
