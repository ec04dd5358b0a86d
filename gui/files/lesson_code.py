"""File ▸ Lesson as PyTorch script…: the experiment as it stands, as a standalone script
(the engine writes it: engine/lesson_script.py; `main.py script` writes the same file)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog

from engine import ScriptError, lesson_script, write_script
from gui.files.scenario_files import current_scenario
from gui.i18n import tr
from gui.panels.config_messages import describe_failure

if TYPE_CHECKING:
    from gui.window.main_window import MainWindow


def script_to(window: MainWindow, path: Path) -> bool:
    """Write the window's experiment (every listed run) to `path`; a sentence when it cannot."""
    scenario = current_scenario(window)
    if scenario is None:
        return False
    preset = scenario.preset
    setup = window.setup  # the session's start: drawn already, when the config draws one
    drawn = (
        (float(setup.start[0]), float(setup.start[1]))
        if setup is not None and setup.start is not None
        else None
    )
    try:
        text = lesson_script(preset, preset.config, drawn)
    except ScriptError:
        window.show_message(
            tr(
                "This experiment cannot be written as a script yet: the export covers the line "
                "problems (linear regression, logistic regression, two lines), not networks or "
                "Hinton's example."
            )
        )
        return False
    except ValueError as error:  # data that admit no start: the session says the same
        window.show_message(describe_failure(error))
        return False
    try:
        write_script(path, text)
    except ScriptError as error:
        window.show_message(
            tr("Could not write {file}; nothing was changed ({detail}).").format(file=path.name, detail=error)
        )
        return False
    window.show_message("")
    window.statusBar().showMessage(tr("Wrote {file}: run it with python {file}").format(file=path.name), 8000)
    return True


def script_dialog(window: MainWindow) -> None:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    name = ((window.preset.id if window.preset else "lesson") + ".py").replace("-", "_")
    path, _ = QFileDialog.getSaveFileName(
        window, tr("Lesson as PyTorch script"), str(Path(folder) / name), tr("Python scripts (*.py)")
    )
    if path:
        script_to(window, Path(path))
