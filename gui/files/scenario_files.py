"""Saving and opening scenarios from the window (Ctrl+S, Ctrl+O): the experiment as it stands
(config with every listed run, the lesson's texts, the loss view's settings, the hidden runs)
to a versioned JSON file, and back. The files themselves are the engine's (engine/scenario.py);
here are the dialogs, the view settings and the sentences, in the user's language."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog

from engine import Scenario, ScenarioError, load_scenario, save_scenario, scenario_of
from gui.i18n import tr

if TYPE_CHECKING:
    from gui.window.main_window import MainWindow


def view_settings(window: MainWindow) -> dict[str, Any]:
    loss = window.loss
    view: dict[str, Any] = {"x_axis": loss.x_axis, "log_x": loss.log_x, "log_y": loss.log_y_box.isChecked()}
    if loss.smoothing_chosen:  # else the lesson's own (it follows the run length)
        view["smoothing"] = loss.smoothing
    hidden = window.controls.runs_editor.hidden()
    if hidden:
        view["hidden_runs"] = hidden
    return view


def apply_view(window: MainWindow, view: dict[str, Any]) -> None:
    loss = window.loss
    if "x_axis" in view:
        loss.set_x_axis(view["x_axis"])
    if "log_x" in view:
        loss.log_x_box.setChecked(view["log_x"])
    if "log_y" in view:
        loss.log_y_box.setChecked(view["log_y"])
    if "smoothing" in view:
        loss.smooth_slider.setValue(round(view["smoothing"] * 1000))


def current_scenario(window: MainWindow) -> Scenario | None:
    if window.preset is None or window.current_config is None:
        return None
    runs = window.controls.runs_editor.listed_runs()
    config = dataclasses.replace(window.current_config, runs=runs)
    return scenario_of(window.preset, config, view_settings(window))


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


def save_to(window: MainWindow, path: Path) -> bool:
    """Save the window's experiment to `path`; a sentence in the message bar when it cannot."""
    scenario = current_scenario(window)
    if scenario is None:
        return False
    try:
        save_scenario(path, scenario)
    except ScenarioError as error:
        window.show_message(_failure(error, path, saving=True))
        return False
    window.show_message("")
    window.statusBar().showMessage(tr("Saved {file}.").format(file=path.name), 5000)
    return True


def open_from(window: MainWindow, path: Path) -> bool:
    """Show the scenario in `path` (paused at iteration 0); a bad file changes nothing."""
    try:
        scenario = load_scenario(path)
    except ScenarioError as error:
        window.show_message(_failure(error, path, saving=False))
        return False
    window.show_message("")
    window.show_scenario(scenario, path)
    apply_view(window, scenario.view)
    window.statusBar().showMessage(tr("Opened {file}.").format(file=path.name), 5000)
    return True


def _folder() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)


def save_dialog(window: MainWindow) -> None:
    name = (window.preset.id if window.preset else "scenario") + ".json"
    path, _ = QFileDialog.getSaveFileName(
        window, tr("Save scenario"), str(Path(_folder()) / name), tr("Scenarios (*.json)")
    )
    if path:
        save_to(window, Path(path))


def open_dialog(window: MainWindow) -> None:
    path, _ = QFileDialog.getOpenFileName(window, tr("Open scenario"), _folder(), tr("Scenarios (*.json)"))
    if path:
        open_from(window, Path(path))
