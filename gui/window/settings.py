"""What the window remembers between starts (QSettings, the platform's own place for them):
its geometry and columns, the language, the lesson or scenario last shown with its speed and
smoothing. The display scale is kept by gui/window/scale.py in the same store. Edit ▸ Restore lesson
defaults puts a lesson's own settings back."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QMainWindow

from engine import preset_ids
from gui.logic.lessons import LessonRef, OpenedLink, ScenarioFile, lesson_key, parse_lesson_key
from gui.window.scale import settings

GEOMETRY = "window/geometry"
STATE = "window/state"
LANGUAGE = "ui/language"
LESSON = "lesson/last"  # a preset id, "file:" and a scenario's path, or a link
SPEED = "lesson/speed"
SMOOTHING = "lesson/smoothing"  # only when the user moved the slider


def saved_language(choices: tuple[str, ...]) -> str | None:
    value = settings().value(LANGUAGE)
    return value if isinstance(value, str) and value in choices else None


def saved_lesson() -> LessonRef | None:
    """The lesson last shown, if it can still be shown (a preset that exists, a file that does,
    a link: it holds its experiment)."""
    value = settings().value(LESSON)
    if not isinstance(value, str):
        return None
    ref = parse_lesson_key(value)
    if isinstance(ref, ScenarioFile):
        return ref if ref.path.is_file() else None
    if isinstance(ref, OpenedLink):
        return ref
    return ref if ref.id in preset_ids() else None


def _number(key: str) -> float | None:
    value: Any = settings().value(key)
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Remembered:
    """What the window keeps at close."""

    geometry: QByteArray  # of the normal window, also while presenting
    state: QByteArray  # its docks
    language: str
    lesson: LessonRef
    speed: float
    smoothing: float | None  # only when the user moved the slider


def remember(what: Remembered) -> None:
    store = settings()
    store.setValue(GEOMETRY, what.geometry)
    store.setValue(STATE, what.state)
    store.setValue(LANGUAGE, what.language)
    store.setValue(LESSON, lesson_key(what.lesson))
    store.setValue(SPEED, what.speed)
    if what.smoothing is not None:
        store.setValue(SMOOTHING, what.smoothing)
    else:
        store.remove(SMOOTHING)


def restore_geometry(window: QMainWindow) -> bool:
    """Put back the window's geometry and docks as `remember` kept them; whether there were any."""
    store = settings()
    saved = store.value(GEOMETRY)
    if not isinstance(saved, QByteArray) or saved.isEmpty() or not window.restoreGeometry(saved):
        return False
    state = store.value(STATE)
    if isinstance(state, QByteArray):
        window.restoreState(state)
    return True


def lesson_settings(shown: LessonRef) -> tuple[float | None, float | None]:
    """(speed, smoothing) kept for the lesson last shown, if `shown` is that lesson."""
    if settings().value(LESSON) != lesson_key(shown):
        return None, None
    smoothing = _number(SMOOTHING)
    return _number(SPEED), smoothing if smoothing is not None and 0 <= smoothing < 1 else None


def forget_lesson_settings() -> None:
    store = settings()
    store.remove(SPEED)
    store.remove(SMOOTHING)
