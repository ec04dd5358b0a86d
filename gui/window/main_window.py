"""The main window: it composes the rooms and wires them together.

The session model (gui/session/controller.py) runs and records, and session_views.py shows it
in the plots area (plots_area.py), the lesson panel and the status bar; the lesson room
(lessons.py) chooses lessons, applies edits of the controls and keeps their history; the
declared actions (actions.py) make the menus, the toolbar and the keys; presentation mode, the
display scale and the file commands each keep their own.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QResizeEvent
from PySide6.QtWidgets import QMainWindow

from engine import ExperimentConfig, Preset
from gui.i18n import LANGUAGES, set_language
from gui.logic.run_state import RunState
from gui.panels.concept_panel import ConceptPanel
from gui.panels.control_panel import ControlPanel
from gui.session.controller import SessionController
from gui.views.plot_style import PlotTheme
from gui.widgets.help_dialogs import CheatSheet, show_about
from gui.widgets.language_box import LanguageBox
from gui.widgets.run_names import shown_label
from gui.widgets.speed_box import SpeedBox
from gui.widgets.spin_keys import SpinKeys
from gui.window import settings
from gui.window.actions import RUN_KEYS, Actions, Commands
from gui.window.file_commands import FileCommands
from gui.window.layout import add_dock, add_toolbar
from gui.window.lessons import LessonNavigator
from gui.window.paint_hold import LESSON_MS, PaintHold
from gui.window.plots_area import PlotsArea
from gui.window.presentation import Presentation, Stage
from gui.window.scale import DisplayScale, own_fonts, release_fonts
from gui.window.session_views import SessionViews
from gui.window.status import StatusFields, run_texts

# Lessons about counting (epochs, iterations, sampling) open with the batch strip shown; B
# shows or hides it anywhere else.
STRIP_LESSONS = ("epoch-iteration", "sampling-modes")


class MainWindow(QMainWindow):
    """Batch Size Lab's window. `session_finished` fires when a session ends (tests wait on it)."""

    session_finished = Signal()
    closed = Signal()  # the window has closed for good: the work of every job has returned
    closing = Signal()  # a close began: settings written, every worker told to stop

    def __init__(self, language: str = "en", preset_id: str = "gd-sgd-minibatch") -> None:
        super().__init__()
        self.language = language
        self._closing = False  # set by the first close: no session starts after it
        self.session = s = SessionController(self)
        self.theme = PlotTheme()  # this window's plots: their scale and contrast
        self.plots, self.concept, self.controls = PlotsArea(self.theme), ConceptPanel(), ControlPanel()
        self.speed, self.language_box = SpeedBox(), LanguageBox(language)
        self.status = StatusFields(self.statusBar())
        self.views = SessionViews(s, self.plots, self.concept, self.status, self.controls.runs_editor, self)
        self.lessons = n = LessonNavigator(
            s, self.controls, self.concept, self.speed, self.plots.loss, self, self
        )
        self.files = FileCommands(
            self, s, self.plots, self, n.scenario, n.show_file, n.show_link, lambda: self.paint_hold.release()
        )
        n.open_file, n.open_link = self.files.open_from, self.files.open_link
        self.setCentralWidget(self.plots)
        self.paint_hold = PaintHold(self.plots)  # changes that lay the plots out anew paint them once
        self.dock = add_dock(self, "controlsDock", self.controls, scroll=True)
        self.lesson_dock = add_dock(self, "lessonDock", self.concept, scroll=False)
        n.controls_shown = self.dock.isVisible
        self.tabifyDockWidget(self.dock, self.lesson_dock)
        self.lesson_dock.raise_()
        self.commands = c = Actions(self, self._commands())
        self.toolbar = add_toolbar(
            self,
            c,
            ((n.label, n.box), (self.speed.label, self.speed, self.speed.achieved), (self.language_box,)),
        )
        files, scale = (c["open"], c["save"], c["export"]), DisplayScale(self._apply_scale)
        docks = (self.dock, self.lesson_dock)
        present = (c["present"], c["leave_present"])
        stage = Stage(self, *docks, self.toolbar, files, *present, scale, self.theme, c["readout"])
        self.presentation, self.scale = Presentation(stage), stage.scale
        n.undo_stack.canUndoChanged.connect(lambda can: c["undo"].setEnabled(can or n.refused))
        n.undo_stack.canRedoChanged.connect(c["redo"].setEnabled)
        c["undo"].setEnabled(False)
        c["column"].setChecked(True)
        c["readout"].setChecked(True)
        c["redo"].setEnabled(False)
        n.shown.connect(self._on_lesson_shown)
        # A new lesson's plots are drawn once, with its surface and runs (paint_hold.py); the
        # set-up's own slot (SessionViews, connected before) has drawn them by then.
        n.shown.connect(lambda: self.paint_hold.hold(LESSON_MS))
        s.setup_ready.connect(lambda: self.paint_hold.settle())
        s.failed.connect(lambda: self.paint_hold.release())
        n.refusal_changed.connect(self._on_state_changed)
        self.language_box.chosen.connect(self.set_language)
        self.speed.pace_chosen.connect(s.set_pace)
        s.started.connect(self._on_started)
        s.state_changed.connect(self._on_state_changed)
        s.frame.connect(self._follow_pace)
        s.state_changed.connect(self._follow_pace)
        s.ended.connect(self.session_finished)
        self.spin_keys = SpinKeys(self.plots, self)  # Enter or Esc ends an edit in a number field
        self.spin_keys.watch(self.controls)
        self.controls.runs_editor.rows_built.connect(lambda: self.spin_keys.watch(self.controls))
        self.scale.set(self.scale.value, remember=False)  # sets the fonts and every text
        n.load_preset(preset_id, deferred=True)  # the first session starts once the loop runs

    def _commands(self) -> Commands:
        s, n, f = self.session, self.lessons, self.files
        return Commands(
            toggle_run=s.toggle_run,
            back=s.back,
            step=s.step,
            reset=s.restart,
            change_speed=self.speed.change,
            scale_key=lambda steps: self.scale.key(steps, self.height(), self.presentation.active),
            open_scenario=f.open_dialog,
            save_scenario=f.save_dialog,
            copy_link=f.copy_link,
            paste_link=f.paste_link,
            export=f.export_dialog,
            write_script=f.script_dialog,
            close=self.close,
            undo=n.undo,
            redo=n.undo_stack.redo,
            restore_lesson_defaults=n.restore_defaults,
            toggle_presentation=lambda: self._present(not self.presentation.active),
            leave_presentation=lambda: self._present(False),
            show_strip=self.show_strip,
            show_column=self.show_column,
            show_readout=self.show_readout,
            next_language=self.next_language,
            toggle_run_shown=self.controls.runs_editor.toggle_row,
            step_lesson=n.step,
            show_shortcuts=self.show_cheat_sheet,
            show_about=lambda: show_about(self, self.status.device_label.text()),
        )

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Batch Size Lab"))
        self.dock.setWindowTitle(self.tr("Controls"))
        self.lesson_dock.setWindowTitle(self.tr("Lesson"))
        self.commands.retranslate()
        self._name_run_keys()
        self.lessons.retranslate(self.language)
        self.speed.retranslate()
        self.controls.retranslate()
        self.plots.retranslate()
        self.plots.counter.set_scale(self.scale.value)  # re-renders in the new language
        self.status.set_device(self.status.device)
        self.views.show_timeline()
        self._on_state_changed()

    def _name_run_keys(self) -> None:
        """Keys 1-3 name the runs they show or hide."""
        labels = [r.label for r in self.controls.runs_editor.listed_runs()]
        for i in range(RUN_KEYS):
            ident = f"show_run_{i + 1}"
            name = shown_label(labels[i]) if i < len(labels) else "—"
            self.commands[ident].setText(self.commands.text_of(ident).format(n=i + 1, name=name))
            self.commands[ident].setEnabled(i < len(labels))

    def set_language(self, language: str) -> None:
        """Switch every visible string, the lesson text included, to `language`."""
        if not set_language(language):
            return self.show_message(f"No translation for {language!r} was found.")
        self.language = language
        self.language_box.show_language(language)
        self.retranslate()
        if self.controls.error_label.isVisible():
            self.lessons.apply_edit()  # the refusal again, in the new language
        self.concept.set_lesson(self.lessons.preset, language)
        self.concept.refresh()

    def load_preset(self, ident: str) -> None:
        """Show a lesson: its config in the controls, its text in the concept panel."""
        self.lessons.load_preset(ident)

    def set_config(self, config: ExperimentConfig) -> None:
        """Show `config` in the controls and get it ready at iteration 0 (paused)."""
        self.controls.set_config(config)
        self.session.start(config, paused=True)

    @property
    def preset(self) -> Preset | None:
        return self.lessons.preset

    def show_strip(self, shown: bool) -> None:
        """B: the batch strip under the counter, for the 2-D problems up to 5 000 samples."""
        self.commands["strip"].setChecked(shown)
        strip = self.plots.strip
        strip.setVisible(shown and strip.has_runs)
        if strip.isVisible() and self.session.last_progress is not None:
            self.views.draw(True)

    def show_column(self, shown: bool) -> None:
        """L: the side column, to give the plots the whole width (presentation: the lesson)."""
        self.commands["column"].setChecked(shown)
        docks = (self.lesson_dock,) if self.presentation.active else (self.dock, self.lesson_dock)
        for dock in docks:
            dock.setVisible(shown)
        if shown:
            self.lesson_dock.raise_()
            self._fit_column(self.width())

    def show_readout(self, shown: bool) -> None:
        """H: the readout under the cursor on every plot (off in presentation mode until pressed)."""
        self.commands["readout"].setChecked(shown)
        self.plots.show_readout(shown)

    def _present(self, on: bool) -> None:
        if on:
            self.presentation.enter()
        else:
            self.presentation.leave()
        self.commands["column"].setChecked(not (self.dock.isHidden() and self.lesson_dock.isHidden()))

    def next_language(self) -> None:
        """Ctrl+L: the next language of the box (a key, as presentation's strip may not show it)."""
        codes = list(LANGUAGES)
        now = self.language[:2]
        self.set_language(codes[(codes.index(now) + 1) % len(codes)] if now in codes else codes[0])

    def show_cheat_sheet(self) -> CheatSheet:
        sheet = CheatSheet(self, self.commands.in_menus())
        sheet.open()
        return sheet

    def _on_lesson_shown(self, preset: Preset, opened: bool) -> None:
        self.commands["strip"].setChecked(preset.id in STRIP_LESSONS)
        if opened:  # not on an undo: the user stays on the tab they were on
            self.lesson_dock.raise_()

    def _on_started(self) -> None:
        self.show_strip(self.commands["strip"].isChecked())
        self._name_run_keys()

    def _follow_pace(self) -> None:
        s = self.session
        self.speed.follow(s.head_tick(), s.state == RunState.RUNNING and s.playhead.live)

    def _on_state_changed(self) -> None:
        """The Run button's text, the state field, and what may be pressed now."""
        run_text, state_text = run_texts(self.session.state, self.session.replay)
        refused = self.lessons.refused
        self.commands["run"].setText(run_text)
        self.commands["run"].setEnabled(not refused)
        self.commands["step"].setEnabled(not refused)
        self.commands["back"].setEnabled(self.session.last_progress is not None)
        self.commands["undo"].setEnabled(refused or self.lessons.undo_stack.canUndo())  # drops it
        self.status.show_state(state_text)

    def show_message(self, text: str) -> None:
        """The message bar above the plots (Feedback): why something failed; "" hides it."""
        self.plots.show_message(text)

    def note(self, text: str, ms: int) -> None:
        self.statusBar().showMessage(text, ms)

    def _apply_scale(self, scale: float) -> None:
        self.paint_hold.hold()  # one repaint once the new sizes have settled: paint_hold.py
        # Widgets with a style sheet of their own (status fields, run rows) and presentation's
        # sheet fix fonts against the application font's changes: they follow it again here.
        release_fonts(self, own_fonts(self))
        self.theme.scale = scale
        self.plots.strip.set_scale(scale)
        self.retranslate()  # plot titles and the counter take their size there
        self.concept.refresh()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit_column(event.size().width())
        QTimer.singleShot(0, self.plots.balance)  # once laid out
        QTimer.singleShot(0, lambda: self.scale.follow(self.height()))

    def _fit_column(self, window_width: int) -> None:
        """The side column takes about 30 % of the width (a lesson's text needs room to read);
        in presentation mode 24 %, the plots being what the hall looks at."""
        share = 0.24 if self.presentation.active else 0.3
        width = max(300, min(620, int(share * window_width)))
        shown = [d for d in (self.dock, self.lesson_dock) if not d.isHidden()]
        if shown:
            self.resizeDocks(shown[:1], [width], Qt.Orientation.Horizontal)

    def remember_settings(self) -> None:
        """Keep the window's settings (at close): in presentation mode, the normal window's."""
        geometry, state = self.presentation.saved_layout()
        smoothing, lesson = self.plots.loss.chosen_smoothing(), self.lessons.current()
        settings.remember(
            settings.Remembered(geometry, state, self.language, lesson, self.speed.pace(), smoothing)
        )

    def workers_running(self) -> bool:
        """Whether any thread of a session, a measurement, a download or an export has yet to end."""
        return self.session.workers_running()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        if not self._closing:
            self._closing = True
            self.remember_settings()
            self.lessons.stop_editing()
            self.views.stop_download()
            self.files.stop_export()
            self.session.shutdown()
            self.session.all_ended.connect(self.close)  # closes for good then
            self.closing.emit()
        if self.workers_running():
            event.ignore()  # never destroy a running thread, never wait on the GUI thread
            self.hide()
            return
        self.closed.emit()
        super().closeEvent(event)
