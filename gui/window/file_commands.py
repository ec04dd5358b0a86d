"""File ▸ Open, Save, the link to the experiment, Export and Lesson as PyTorch script, for one
window: the dialogs of gui/files/ with the session's results, the plots in use and the
experiment as it stands."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import QWidget

from engine import Scenario
from gui.files import export, lesson_code, scenario_files, scenario_links
from gui.files.feedback import Feedback
from gui.i18n import tr
from gui.session.controller import SessionController
from gui.window.plots_area import PlotsArea


class FileCommands:
    """`scenario()` is the experiment as it stands (None before a lesson is shown); `show`
    shows an opened one, `show_link` one opened from a link (as the app writes it)."""

    def __init__(
        self,
        parent: QWidget,
        session: SessionController,
        plots: PlotsArea,
        feedback: Feedback,
        scenario: Callable[[], Scenario | None],
        show: Callable[[Scenario, Path], None],
        show_link: Callable[[Scenario, str], None],
        drawn: Callable[[], object] = lambda: None,
    ) -> None:
        self.parent, self.session, self.plots, self.feedback = parent, session, plots, feedback
        self.scenario, self.show, self.show_link = scenario, show, show_link
        self.drawn = drawn  # the plots painted as they stand (a paint hold ends): paint_hold.py
        self.exports = export.ResultsExport(session.background, feedback, parent)

    def _name(self, fallback: str) -> str:
        scenario = self.scenario()
        return scenario.preset.id if scenario is not None else fallback

    def open_from(self, path: Path) -> bool:
        """Show the scenario in `path` (paused at iteration 0); a bad file changes nothing."""
        scenario = scenario_files.load_from(path, self.feedback)
        if scenario is None:
            return False
        self.show(scenario, path)  # with the view it was saved with
        return True

    def open_dialog(self) -> None:
        path = scenario_files.choose_open(self.parent)
        if path is not None:
            self.open_from(path)

    def copy_link(self) -> str | None:
        """Ctrl+Shift+C: the link to the experiment as it stands, on the clipboard."""
        scenario = self.scenario()
        if scenario is None:
            self.feedback.note(tr("Nothing to link to yet: the lesson is still being prepared."), 5000)
            return None
        return scenario_links.copy_link(scenario, self.feedback)

    def open_link(self, text: str) -> bool:
        """Show the experiment in the link `text` as File ▸ Open shows a file (paused at
        iteration 0, undoable); a text that is not a usable link changes nothing."""
        opened = scenario_links.read_link(text, self.feedback)
        if opened is None:
            return False
        self.show_link(*opened)
        return True

    def paste_link(self) -> None:
        """Ctrl+Shift+V: open the link on the clipboard."""
        self.open_link(scenario_links.clipboard_text())

    def save_to(self, path: Path) -> bool:
        scenario = self.scenario()
        return scenario is not None and scenario_files.save_to(path, scenario, self.feedback)

    def save_dialog(self) -> None:
        path = scenario_files.choose_save(self.parent, self._name("scenario"))
        if path is not None:
            self.save_to(path)

    def export_to(self, target: Path) -> bool:
        """Begin exporting into `target` (`exports.finished` follows); False when refused."""
        self.drawn()  # the pictures are taken from the plots as they are drawn
        return self.exports.start(target, self.session, self.plots.exported_plots())

    def stop_export(self) -> None:
        """The window closes: an export under way ends, and leaves its folder as it was."""
        self.exports.stop()

    def export_dialog(self) -> None:
        if self.session.config is None or self.session.last_progress is None:
            # The data or the surface are still being prepared: nothing is drawn yet.
            self.feedback.note(tr("Nothing to export yet: the lesson is still being prepared."), 5000)
            return
        path = export.choose_folder(self.parent, self._name("results"))
        if path is not None:
            self.export_to(path)

    def script_to(self, path: Path) -> bool:
        scenario = self.scenario()
        return scenario is not None and lesson_code.script_to(
            path, scenario, self.session.setup, self.feedback
        )

    def script_dialog(self) -> None:
        path = lesson_code.choose_file(self.parent, self._name("lesson"))
        if path is not None:
            self.script_to(path)
