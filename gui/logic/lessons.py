"""What the lesson box can show, without Qt: a built-in lesson (a preset id) or a scenario
file. Kept in settings as one string: the preset id, or "file:" and the file's path."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

FILE_PREFIX = "file:"


@dataclass(frozen=True)
class PresetLesson:
    id: str


@dataclass(frozen=True)
class ScenarioFile:
    path: Path


LessonRef = PresetLesson | ScenarioFile


def lesson_key(ref: LessonRef) -> str:
    """The string settings keep for `ref`."""
    return ref.id if isinstance(ref, PresetLesson) else FILE_PREFIX + str(ref.path)


def parse_lesson_key(key: str) -> LessonRef:
    if key.startswith(FILE_PREFIX):
        return ScenarioFile(Path(key[len(FILE_PREFIX) :]))
    return PresetLesson(key)
