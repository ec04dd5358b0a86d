"""What the lesson box can show, without Qt: a built-in lesson (a preset id), a scenario
file or an opened link. Kept in settings as one string: the preset id, "file:" and the file's
path, or the link itself (it starts with "batchsizelab:")."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from engine.scenario_link import PREFIX as LINK_PREFIX

FILE_PREFIX = "file:"


@dataclass(frozen=True)
class PresetLesson:
    id: str


@dataclass(frozen=True)
class ScenarioFile:
    path: Path


@dataclass(frozen=True)
class OpenedLink:
    link: str  # as the app writes it: the same experiment pasted twice is one item


LessonRef = PresetLesson | ScenarioFile | OpenedLink


def lesson_key(ref: LessonRef) -> str:
    """The string settings keep for `ref`."""
    if isinstance(ref, OpenedLink):
        return ref.link
    return ref.id if isinstance(ref, PresetLesson) else FILE_PREFIX + str(ref.path)


def parse_lesson_key(key: str) -> LessonRef:
    if key.startswith(FILE_PREFIX):
        return ScenarioFile(Path(key[len(FILE_PREFIX) :]))
    if key.startswith(LINK_PREFIX):
        return OpenedLink(key)
    return PresetLesson(key)
