"""Lesson presets: JSON files under resources/presets/, each a config plus its explanation."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.config import ExperimentConfig

PRESET_DIR = Path(__file__).resolve().parent.parent / "resources" / "presets"
# The lessons in teaching order (the GUI numbers them so); presets not listed come after.
LESSON_ORDER = (
    "epoch-iteration",
    "gd-sgd-minibatch",
    "batch-one-is-noisy",
    "gradient-noise",
    "bigger-batch-more-epochs",
    "lr-scaling",
    "sampling-modes",
    "rprop-vs-rmsprop",
    "hinton-rprop-example",
    "sgd-escapes-local-minimum",
)


@dataclass(frozen=True)
class Preset:
    """A named lesson: a config and a title and explanation in each language."""

    id: str  # file name without .json; what `main.py run ID` takes
    title: dict[str, str]  # language code ("en", "zh") -> title
    explanation: dict[str, str]  # language code -> a few sentences for the concept panel
    config: ExperimentConfig
    speed: float = 0.0  # the pace to teach at: iterations of the finest run per second; 0 = full
    # language code -> the lesson's point in two to four short sentences, shown first so that
    # it is read without scrolling; the explanation is one click away
    key_points: dict[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)

    def text(self, field: str, language: str) -> str:
        texts: dict[str, str] = getattr(self, field)
        return texts.get(language) or texts.get("en", "")

    def points(self, language: str) -> tuple[str, ...]:
        """The key points in `language` (English where it has none; empty if the preset has none)."""
        return self.key_points.get(language) or self.key_points.get("en", ())


def preset_ids(directory: Path = PRESET_DIR) -> list[str]:
    """Every preset's id, lessons in teaching order first, then the rest by name."""
    ids = sorted(p.stem for p in directory.glob("*.json"))
    rank = {ident: i for i, ident in enumerate(LESSON_ORDER)}
    return sorted(ids, key=lambda i: (rank.get(i, len(rank)), i))


def load_preset(ident: str, directory: Path = PRESET_DIR) -> Preset:
    """Load a preset by id; ValueError with a plain sentence when it is missing or invalid."""
    path = directory / f"{ident}.json"
    if not path.is_file():
        raise ValueError(f"no preset called {ident!r}; presets are: {', '.join(preset_ids(directory))}")
    return preset_from_file(path, ident)


def preset_from_file(path: Path, ident: str | None = None) -> Preset:
    """Read a preset or a plain config file (a JSON object of config fields)."""
    try:
        data: Any = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise ValueError(f"cannot read {path}: {exc}") from exc
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path} is not valid JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{path} must hold a JSON object")
    ident = ident or path.stem
    if "config" not in data:  # a bare config file
        return Preset(ident, {"en": ident}, {}, _config(path, data))
    title, explanation = data.get("title", {}), data.get("explanation", {})
    if not isinstance(title, dict) or not isinstance(explanation, dict):
        raise ValueError(f"{path}: title and explanation must be objects keyed by language")
    speed = data.get("speed", 0.0)
    if isinstance(speed, bool) or not isinstance(speed, (int, float)) or not 0 <= speed <= 1e6:
        raise ValueError(f"{path}: speed must be iterations per second from 0 (full speed) to 1e6")
    points = data.get("key_points", {})
    if not isinstance(points, dict) or not all(
        isinstance(p, list) and all(isinstance(s, str) for s in p) for p in points.values()
    ):
        raise ValueError(f"{path}: key_points must be an object of lists of sentences, keyed by language")
    key_points = {lang: tuple(p) for lang, p in points.items()}
    return Preset(ident, title, explanation, _config(path, data["config"]), float(speed), key_points)


def _config(path: Path, data: Any) -> ExperimentConfig:
    try:
        return ExperimentConfig.from_dict(data)
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{path.name}: {exc}") from exc
