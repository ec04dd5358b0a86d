"""Saving and opening scenarios from the window (Ctrl+S, Ctrl+O): the experiment as it stands
(config with every listed run, the lesson's texts, the loss view's settings, the hidden runs)
to a versioned JSON file, and back. The files themselves are the engine's (engine/scenario.py);
here are the dialogs, the view settings and the sentences, in the user's language."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from engine import (
    ExperimentConfig,
    Preset,
    RunSpec,
    Scenario,
    ScenarioError,
    load_scenario,
    save_scenario,
    scenario_of,
)
from gui.files.feedback import Feedback
from gui.i18n import tr
from gui.views.loss_view import LossView


def view_settings(loss: LossView, hidden: list[str]) -> dict[str, Any]:
    """The view a scenario keeps: the loss view's settings and the runs hidden from view."""
    view = loss.view_state()
    if hidden:
        view["hidden_runs"] = hidden
    return view


def current_scenario(
    preset: Preset, config: ExperimentConfig, runs: tuple[RunSpec, ...], view: dict[str, Any]
) -> Scenario:
    """The experiment as it stands: `config` with every listed run (hidden ones too)."""
    return scenario_of(preset, dataclasses.replace(config, runs=runs), view)


def _failure(error: ScenarioError, path: Path, saving: bool) -> str:
    name = path.name
    if error.reason == "empty":
        return tr("Could not open {file}: the file is empty.").format(file=name)
    if error.reason == "newer":
        return tr(
            "Could not open {file}: it was saved by a newer version of Batch Size Lab. "
            "Update the app to open it."
        ).format(file=name)
    if error.reason == "folder":
        return tr("Could not save to {file}: it is a folder.").format(file=name)
    if saving:
        return tr("Could not save {file}; nothing was changed ({detail}).").format(file=name, detail=error)
    return tr("Could not open {file}: it is not a usable scenario file ({detail}).").format(
        file=name, detail=error
    )


def save_to(path: Path, scenario: Scenario, feedback: Feedback) -> bool:
    """Save `scenario` to `path`; a sentence in the message bar when it cannot."""
    try:
        save_scenario(path, scenario)
    except ScenarioError as error:
        feedback.show_message(_failure(error, path, saving=True))
        return False
    feedback.show_message("")
    feedback.note(tr("Saved {file}.").format(file=path.name), 5000)
    return True


def load_from(path: Path, feedback: Feedback) -> Scenario | None:
    """The scenario in `path`, or None with a sentence in the message bar (nothing changes)."""
    try:
        scenario = load_scenario(path)
    except ScenarioError as error:
        feedback.show_message(_failure(error, path, saving=False))
        return None
    feedback.show_message("")
    feedback.note(tr("Opened {file}.").format(file=path.name), 5000)
    return scenario


def _folder() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)


def choose_save(parent: QWidget, name: str) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(
        parent, tr("Save scenario"), str(Path(_folder()) / f"{name}.json"), tr("Scenarios (*.json)")
    )
    return Path(path) if path else None


def choose_open(parent: QWidget) -> Path | None:
    path, _ = QFileDialog.getOpenFileName(parent, tr("Open scenario"), _folder(), tr("Scenarios (*.json)"))
    return Path(path) if path else None
