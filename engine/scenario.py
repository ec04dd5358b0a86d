"""Scenario files: a whole experiment (config, lesson text, view settings) as versioned JSON that
the CLI runs (`main.py run FILE.json`) and the window opens.

A scenario is a lesson preset plus `format_version` and `view`. Reading refuses, with one
sentence naming the file, anything that is not one: empty, cut short, not JSON, a newer format,
a config or a view setting out of range. Writing is atomic: the text goes to a temporary file
beside the target, flushed to disk, then renamed over it; a failed write leaves the previous
file as it was and no temporary behind.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from engine.atomic_file import write_text_atomically
from engine.config import ExperimentConfig
from engine.errors import shown, shown_path
from engine.presets import Preset, preset_from_data, read_json_object
from engine.resources import APP_NAME, __version__

FORMAT_VERSION = 1
X_AXES = ("iteration", "epoch", "samples_seen", "wall_time_s")


class ScenarioError(ValueError):
    """A scenario file that cannot be read or written; `reason` says which kind, for a
    translated sentence: "empty", "newer", "view", "unusable" (not JSON, a bad config, …),
    "folder" or "write"; a link (engine/scenario_link.py) also "not_link", "damaged" or
    "too_large"."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Scenario:
    preset: Preset
    # How the window showed it: "x_axis" (X_AXES), "log_x", "log_y" (bool), "smoothing"
    # (0 ≤ w < 1), "hidden_runs" (labels). Keys left out keep the window's defaults.
    view: dict[str, Any] = field(default_factory=dict)


def _check_view(where: str, view: Any, labels: set[str]) -> dict[str, Any]:
    if not isinstance(view, dict):
        raise ScenarioError(f"{where}: view must be an object of view settings", "view")
    out: dict[str, Any] = {}
    for key, value in view.items():
        if key == "x_axis":
            if value not in X_AXES:
                raise ScenarioError(
                    f"{where}: view.x_axis must be one of {', '.join(X_AXES)} (got {shown(value)})", "view"
                )
        elif key in ("log_x", "log_y"):
            if not isinstance(value, bool):
                raise ScenarioError(f"{where}: view.{key} must be true or false (got {shown(value)})", "view")
        elif key == "smoothing":
            ok = (
                isinstance(value, (int, float))
                and not isinstance(value, bool)
                and abs(value) < 1e308
                and math.isfinite(value)
            )
            if not (ok and 0 <= value < 1):
                raise ScenarioError(
                    f"{where}: view.smoothing must be a number from 0 to below 1 (got {shown(value)})", "view"
                )
        elif key == "hidden_runs":
            if not (isinstance(value, list) and all(isinstance(v, str) and v in labels for v in value)):
                raise ScenarioError(
                    f"{where}: view.hidden_runs must list labels of the scenario's runs "
                    f"({', '.join(sorted(labels))}) (got {shown(value)})",
                    "view",
                )
        else:
            raise ScenarioError(f"{where}: view has no setting called {shown(key)}", "view")
        out[key] = value
    return out


def load_scenario(path: Path) -> Scenario:
    """Read a scenario (or a lesson preset, or a bare config: format 0, no view settings);
    ScenarioError (a ValueError) with one sentence naming the file when it cannot be used."""
    where = shown_path(path)
    try:
        if path.is_file() and path.stat().st_size == 0:
            raise ScenarioError(f"{where} is empty", "empty")
    except OSError as exc:
        raise ScenarioError(f"cannot read {where}: {exc.strerror or exc}", "unusable") from exc
    try:
        data = read_json_object(path)  # a cut-short file: "… is not valid JSON: … (line, column)"
    except ValueError as exc:
        raise ScenarioError(str(exc), "unusable") from exc
    return scenario_from_data(path, data)


def scenario_from_data(source: Path, data: dict[str, Any], ident: str | None = None) -> Scenario:
    """The scenario in `data`, a JSON object read from `source` (a file, or a link named so),
    checked as a scenario file is; ScenarioError naming `source` when it cannot be used."""
    where = shown_path(source)
    try:
        preset = preset_from_data(source, data, ident)
    except ValueError as exc:
        raise ScenarioError(str(exc), "unusable") from exc
    version = data.get("format_version", 0)
    if isinstance(version, bool) or not isinstance(version, int) or version < 0:
        raise ScenarioError(
            f"{where}: format_version must be a whole number (got {shown(version)})", "unusable"
        )
    if version > FORMAT_VERSION:
        raise ScenarioError(
            f"{where} was saved by a newer {APP_NAME} (scenario format {version}; this version "
            f"{__version__} reads formats up to {FORMAT_VERSION}): update the app to open it",
            "newer",
        )
    labels = {r.label for r in preset.config.runs}
    view = _check_view(where, data.get("view", {}), labels)
    return Scenario(preset, view)


def scenario_dict(scenario: Scenario) -> dict[str, Any]:
    preset = scenario.preset
    return {
        "format_version": FORMAT_VERSION,
        "saved_by": f"{APP_NAME} {__version__}",
        "title": dict(preset.title),
        "explanation": dict(preset.explanation),
        "key_points": {lang: list(points) for lang, points in preset.key_points.items()},
        "speed": preset.speed,
        "view": dict(scenario.view),
        "config": preset.config.to_dict(),
    }


def save_scenario(path: Path, scenario: Scenario) -> None:
    """Write `scenario` to `path` atomically; ScenarioError with one sentence when it cannot."""
    where = shown_path(path)
    _check_view(where, scenario.view, {r.label for r in scenario.preset.config.runs})
    text = json.dumps(scenario_dict(scenario), ensure_ascii=False, indent=2) + "\n"
    try:
        write_text_atomically(path, text)
    except IsADirectoryError as exc:
        raise ScenarioError(f"cannot save to {where}: it is a folder", "folder") from exc
    except OSError as exc:
        raise ScenarioError(
            f"cannot save {where}: {exc.strerror or exc}; nothing was changed", "write"
        ) from exc


def scenario_of(preset: Preset, config: ExperimentConfig, view: dict[str, Any] | None = None) -> Scenario:
    """The window's current experiment: a lesson's texts with the config as it now stands."""
    lesson = Preset(preset.id, preset.title, preset.explanation, config, preset.speed, preset.key_points)
    return Scenario(lesson, view or {})
