"""Lesson presets: JSON files under resources/presets/, each a config plus its explanation."""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from engine.config import ExperimentConfig, json_int
from engine.errors import shown, shown_path
from engine.resources import RESOURCES

MAX_FILE_BYTES = 1_000_000  # a scenario is a few kB; anything this large is not one
PRESET_DIR = RESOURCES / "presets"
# The lessons in teaching order (the GUI numbers them so); presets not listed come after.
LESSON_ORDER = (
    "epoch-iteration",
    "gd-sgd-minibatch",
    "batch-one-is-noisy",
    "gradient-noise",
    "bigger-batch-more-epochs",
    "lr-scaling",
    "data-parallel",
    "sampling-modes",
    "rprop-vs-rmsprop",
    "hinton-rprop-example",
    "sgd-escapes-local-minimum",
    "mlp-digits",
    "init-schemes",
    "lenet-fashion",
    "choose-batch-size",
    "memory-vs-batch",
    "network-landscape",
    "lenet-time-to-accuracy",
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
        raise ValueError(f"no preset called {shown(ident)}; presets are: {', '.join(preset_ids(directory))}")
    return preset_from_file(path, ident)


def preset_from_file(path: Path, ident: str | None = None) -> Preset:
    """Read a preset or a plain config file (a JSON object of config fields).

    Anything that is not a readable UTF-8 JSON object of sensible size (a folder, a FIFO, a
    device, a 10 MB file, JSON nested thousands deep) is refused with a ValueError naming the
    file, without blocking on it.
    """
    return preset_from_data(path, read_json_object(path), ident)


def read_json_object(path: Path) -> dict[str, Any]:
    """The JSON object in `path`, read once and checked (see preset_from_file)."""
    where = shown_path(path)
    try:
        if not path.is_file():  # a FIFO would block the read forever; a folder cannot be read
            raise ValueError(f"{where} is not a regular file")
        with open(path, "rb") as f:
            raw = f.read(MAX_FILE_BYTES + 1)
        if len(raw) > MAX_FILE_BYTES:
            raise ValueError(f"{where} is larger than {MAX_FILE_BYTES:,} bytes; a scenario file is a few kB")
        # A number Python cannot read (over 4 300 digits) is left to the field to refuse by name.
        data: Any = json.loads(raw.decode("utf-8"), parse_int=json_int)
    except OSError as exc:
        raise ValueError(f"cannot read {where}: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise ValueError(f"{where} is not UTF-8 text") from exc
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"{where} is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from exc
    except RecursionError as exc:
        raise ValueError(f"{where} is nested too deeply to be a scenario file") from exc
    except ValueError as exc:  # json's own limits, such as a number of more than 4 300 digits
        if str(exc).startswith(where):
            raise
        raise ValueError(f"{where} is not a usable JSON file: {shown(str(exc), quote=False)}") from exc
    if not isinstance(data, dict):
        raise ValueError(f"{where} must hold a JSON object")
    return data


def preset_from_data(path: Path, data: dict[str, Any], ident: str | None = None) -> Preset:
    """A preset (or a bare config) from the JSON object read from `path`."""
    where = shown_path(path)
    ident = ident or path.stem
    if "config" not in data:  # a bare config file
        return Preset(ident, {"en": ident}, {}, _config(path, data))
    title, explanation = data.get("title", {}), data.get("explanation", {})
    if not all(
        isinstance(d, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in d.items())
        for d in (title, explanation)
    ):
        raise ValueError(f"{where}: title and explanation must be objects of texts keyed by language")
    speed = data.get("speed", 0.0)
    if isinstance(speed, bool) or not isinstance(speed, (int, float)) or not 0 <= speed <= 1e6:
        raise ValueError(f"{where}: speed must be iterations per second from 0 (full speed) to 1e6")
    points = data.get("key_points", {})
    if not isinstance(points, dict) or not all(
        isinstance(p, list) and all(isinstance(s, str) for s in p) for p in points.values()
    ):
        raise ValueError(f"{where}: key_points must be an object of lists of sentences, keyed by language")
    key_points = {lang: tuple(p) for lang, p in points.items()}
    return Preset(ident, title, explanation, _config(path, data["config"]), float(speed), key_points)


def _config(path: Path, data: Any) -> ExperimentConfig:
    try:
        return ExperimentConfig.from_dict(data)
    except ValueError as exc:
        raise ValueError(f"{shown_path(path.name)}: {exc}") from exc
