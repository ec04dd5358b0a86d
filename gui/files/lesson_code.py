"""File ▸ Lesson as PyTorch script…: the experiment as it stands, as a standalone script
(the engine writes it: engine/lesson_script.py; `main.py script` writes the same file)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from engine import Scenario, ScriptError, SessionSetup, lesson_script, write_script
from gui.files.feedback import Feedback
from gui.i18n import tr
from gui.panels.config_messages import describe_failure


def script_to(path: Path, scenario: Scenario, setup: SessionSetup | None, feedback: Feedback) -> bool:
    """Write the experiment (every listed run) to `path`; a sentence when it cannot. `setup`
    is the session's: its start is drawn already, when the config draws one."""
    preset = scenario.preset
    drawn = (
        (float(setup.start[0]), float(setup.start[1]))
        if setup is not None and setup.start is not None
        else None
    )
    try:
        text = lesson_script(preset, preset.config, drawn)
    except ScriptError:
        feedback.show_message(
            tr(
                "This experiment cannot be written as a script yet: the export covers the line "
                "problems (linear regression, logistic regression, two lines), not networks or "
                "Hinton's example."
            )
        )
        return False
    except ValueError as error:  # data that admit no start: the session says the same
        feedback.show_message(describe_failure(error))
        return False
    try:
        write_script(path, text)
    except ScriptError as error:
        feedback.show_message(
            tr("Could not write {file}; nothing was changed ({detail}).").format(file=path.name, detail=error)
        )
        return False
    feedback.show_message("")
    feedback.note(tr("Wrote {file}: run it with python {file}").format(file=path.name), 8000)
    return True


def choose_file(parent: QWidget, name: str) -> Path | None:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    path, _ = QFileDialog.getSaveFileName(
        parent,
        tr("Lesson as PyTorch script"),
        str(Path(folder) / (name.replace("-", "_") + ".py")),
        tr("Python scripts (*.py)"),
    )
    return Path(path) if path else None
