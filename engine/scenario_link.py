"""A link to an experiment: a scenario as one line of text a lecturer can put on a slide and a
student can paste back into the app.

    batchsizelab:eJyrVkrLz1eyUkpKLFKqBQA...

After the prefix comes the urlsafe base64 (no `=` padding) of the zlib-compressed canonical
JSON of the scenario, kept short: the lesson's id, the config fields that differ from the
config's defaults (as a preset file lists them), the speed and view settings if any, and the
lesson's texts only where they differ from the built-in lesson of that id (a link made from a
lesson carries none; it is opened with the texts of the lesson of that id).

Reading is tolerant of what pasting does to a line: whitespace around it or inside it (a slide
wraps it), and a missing prefix. It refuses, with one sentence saying which: text that is not
a link, a damaged link (bad base64, a cut or altered compressed stream), one that unpacks to
more than a scenario file may hold (a zip bomb stops there, unread), a newer link format, and
any experiment a scenario file could not carry (the very checks of engine/scenario.py).
"""

from __future__ import annotations

import base64
import dataclasses
import json
import re
import zlib
from functools import cache
from pathlib import Path
from typing import Any

from engine.config import ExperimentConfig, RunSpec, json_int
from engine.errors import shown
from engine.presets import MAX_FILE_BYTES, Preset, load_preset, preset_ids
from engine.resources import APP_NAME, __version__
from engine.scenario import FORMAT_VERSION, Scenario, ScenarioError, scenario_from_data

PREFIX = "batchsizelab:"
# A link unpacks to at most what a scenario file may hold; base64 of that, with room for the
# whitespace a slide adds, is the most text that is read at all.
MAX_UNPACKED_BYTES = MAX_FILE_BYTES
MAX_LINK_CHARS = 2 * MAX_FILE_BYTES
SOURCE = Path("the link")  # how the config's and view's checks name where the value came from
LINK_KEYS = ("format_version", "id", "config", "speed", "view", "title", "explanation", "key_points")
TEXT_KEYS = ("title", "explanation", "key_points")
_BASE64 = re.compile(r"[A-Za-z0-9_-]*")
# An id is a file's name for the Save dialog: no folders, no control characters.
_SAFE_ID = re.compile(r"[^\x00-\x1f\x7f/\\]{1,100}")


def scenario_to_link(scenario: Scenario) -> str:
    """`scenario` as one line: `batchsizelab:` and urlsafe base64 without padding.

    Any scenario the window shows can be written; `scenario_from_link` gives it back equal
    (the same config, texts, speed and view).
    """
    preset = scenario.preset
    ident = preset.id if _id_ok(preset.id) else "link"
    data: dict[str, Any] = {
        "format_version": FORMAT_VERSION,
        "id": ident,
        "config": _config_fields(preset.config),
    }
    if preset.speed:
        data["speed"] = preset.speed
    if scenario.view:
        data["view"] = dict(scenario.view)
    if _texts(preset) != _shipped_texts(ident):
        data.update(_texts(preset))
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    packed = base64.urlsafe_b64encode(zlib.compress(text.encode("utf-8"), 9))
    return PREFIX + packed.decode("ascii").rstrip("=")


def scenario_from_link(text: str) -> Scenario:
    """The scenario in a link (with or without its prefix; whitespace anywhere is ignored).

    Raises
    ------
    ScenarioError
        One sentence; `reason` is "not_link" (no link at all), "damaged", "too_large",
        "newer" (a newer link format), "unusable" or "view" (an experiment a scenario file
        could not hold either).
    """
    raw = _unpack(text)
    try:
        data: Any = json.loads(raw.decode("utf-8"), parse_int=json_int)
    except (UnicodeDecodeError, RecursionError, ValueError) as exc:  # JSONDecodeError included
        raise ScenarioError("the link is damaged: its contents are not an experiment", "damaged") from exc
    if not isinstance(data, dict):
        raise ScenarioError("the link is damaged: its contents are not an experiment", "damaged")
    return _scenario(data)


def _unpack(text: str) -> bytes:
    """The JSON bytes a link packs, or ScenarioError (not_link, damaged, too_large)."""
    if len(text) > MAX_LINK_CHARS:
        raise ScenarioError(
            f"the text is too large to be a link ({len(text):,} characters; a link has a few hundred)",
            "too_large",
        )
    body = text.strip()
    linked = body[: len(PREFIX)].lower() == PREFIX
    if linked:
        body = body[len(PREFIX) :].removeprefix("//")
    body = "".join(body.split()).rstrip("=")

    def refused(why: str) -> ScenarioError:
        """Damaged, if it said it was a link; else not a link at all."""
        if linked:
            return ScenarioError(f"the link is damaged: {why}", "damaged")
        return ScenarioError(f"the text is not a {APP_NAME} link (one starts with {PREFIX})", "not_link")

    if not body:
        raise refused(f"nothing follows {PREFIX}")
    bad = next((c for c in body if not _BASE64.fullmatch(c)), None)
    if bad is not None:
        raise refused(f"it holds {shown(bad)}, which no link has")
    if len(body) % 4 == 1:  # no whole byte in the last character: base64 cut or lengthened
        raise refused("it was cut short or has text added")
    packed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
    unpacker = zlib.decompressobj()
    try:
        raw = unpacker.decompress(packed, MAX_UNPACKED_BYTES + 1)
    except zlib.error as exc:
        raise refused("its contents do not unpack (was it cut short or changed?)") from exc
    if len(raw) > MAX_UNPACKED_BYTES or unpacker.unconsumed_tail:
        raise ScenarioError(
            f"the link is too large: it unpacks to more than {MAX_UNPACKED_BYTES:,} bytes, and an "
            "experiment takes a few kB",
            "too_large",
        )
    if not unpacker.eof or unpacker.unused_data:
        raise refused("it was cut short or has text added")
    return raw


def _scenario(data: dict[str, Any]) -> Scenario:
    """A link's JSON object as a scenario, checked as a scenario file is."""
    version = data.get("format_version", 0)
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        raise ScenarioError(
            f"the link was made by a newer {APP_NAME} (scenario format {version}; this version "
            f"{__version__} reads formats up to {FORMAT_VERSION}): update the app to open it",
            "newer",
        )
    unknown = sorted((k for k in data if k not in LINK_KEYS), key=str)
    if unknown:
        raise ScenarioError(f"the link holds {shown(unknown[0])}, which no link has", "unusable")
    ident = data.get("id")
    if not (isinstance(ident, str) and _id_ok(ident)):
        raise ScenarioError(f"the link's lesson id must be a short name (got {shown(ident)})", "unusable")
    if "config" not in data:
        raise ScenarioError("the link holds no experiment: its config is missing", "unusable")
    full = dict(data)
    if not any(key in data for key in TEXT_KEYS):  # made from a lesson: its texts are the lesson's
        full.update(_shipped_texts(ident) or {"title": {"en": ident}})
    return scenario_from_data(SOURCE, full, ident)


def _id_ok(ident: str) -> bool:
    return bool(_SAFE_ID.fullmatch(ident)) and ident not in (".", "..")


def _texts(preset: Preset) -> dict[str, Any]:
    return {
        "title": dict(preset.title),
        "explanation": dict(preset.explanation),
        "key_points": {lang: list(points) for lang, points in preset.key_points.items()},
    }


def _shipped_texts(ident: str) -> dict[str, Any] | None:
    """The texts of the built-in lesson `ident` (None if there is none)."""
    if ident not in preset_ids():
        return None
    try:
        return _texts(load_preset(ident))
    except ValueError:
        return None


@cache
def _defaults() -> tuple[dict[str, Any], dict[str, Any]]:
    """The default config's fields and a run's default fields."""
    run = {f.name: f.default for f in dataclasses.fields(RunSpec) if f.default is not dataclasses.MISSING}
    return ExperimentConfig().to_dict(), run


def _config_fields(config: ExperimentConfig) -> dict[str, Any]:
    """The fields of `config` that differ from the defaults (every field, should those give
    back another config: a default that follows another field)."""
    full = config.to_dict()
    defaults, run_defaults = _defaults()
    fields = {k: v for k, v in full.items() if k not in defaults or defaults[k] != v}
    if "runs" in fields:
        fields["runs"] = [
            {k: v for k, v in run.items() if k in ("label", "batch_size") or run_defaults.get(k, v) != v}
            for run in full["runs"]
        ]
    try:
        same = ExperimentConfig.from_dict(fields) == config
    except ValueError:
        same = False
    return fields if same else full
