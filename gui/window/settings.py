"""What the window remembers between starts (QSettings, the platform's own place for them):
its geometry and columns, the language, the lesson or scenario last shown with its speed and
smoothing. The display scale is kept by gui/scale.py in the same store. Edit ▸ Restore lesson
defaults puts a lesson's own settings back."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QByteArray

from engine import preset_ids
from gui.window.scale import settings

if TYPE_CHECKING:
    from gui.window.main_window import MainWindow

GEOMETRY = "window/geometry"
STATE = "window/state"
LANGUAGE = "ui/language"
LESSON = "lesson/last"  # a preset id, or "file:" and a scenario's path
SPEED = "lesson/speed"
SMOOTHING = "lesson/smoothing"  # only when the user moved the slider


def saved_language(choices: tuple[str, ...]) -> str | None:
    value = settings().value(LANGUAGE)
    return value if isinstance(value, str) and value in choices else None


def saved_lesson() -> str | None:
    """The lesson last shown, if it can still be shown (a preset that exists, a file that does)."""
    value = settings().value(LESSON)
    if not isinstance(value, str):
        return None
    if value.startswith("file:"):
        return value if Path(value[len("file:") :]).is_file() else None
    return value if value in preset_ids() else None


def _number(key: str) -> float | None:
    value: Any = settings().value(key)
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def remember(window: MainWindow) -> None:
    """Keep the window's settings (at close). In presentation mode, the normal window's."""
    store = settings()
    geometry, state = window.normal_geometry()
    store.setValue(GEOMETRY, geometry)
    store.setValue(STATE, state)
    store.setValue(LANGUAGE, window.language)
    store.setValue(LESSON, window.lesson_item())
    store.setValue(SPEED, float(window.speed_box.currentData()))
    if window.loss.smoothing_chosen:
        store.setValue(SMOOTHING, window.loss.smoothing)
    else:
        store.remove(SMOOTHING)


def restore(window: MainWindow, geometry: bool = True) -> None:
    """Put back what `remember` kept: the geometry (unless a size was asked for), the last
    lesson's speed and smoothing (when that lesson is the one shown)."""
    store = settings()
    saved = store.value(GEOMETRY)
    if geometry and isinstance(saved, QByteArray) and not saved.isEmpty():
        window.restoreGeometry(saved)
        state = store.value(STATE)
        if isinstance(state, QByteArray):
            window.restoreState(state)
    if store.value(LESSON) != window.lesson_item():
        return
    speed = _number(SPEED)
    if speed is not None:
        window.set_speed(speed)
    smoothing = _number(SMOOTHING)
    if smoothing is not None and 0 <= smoothing < 1:
        window.loss.smooth_slider.setValue(round(smoothing * 1000))


def forget_lesson_settings() -> None:
    store = settings()
    store.remove(SPEED)
    store.remove(SMOOTHING)
