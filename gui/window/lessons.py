"""The lesson room: the lesson box on the toolbar, the lesson or scenario shown, the edits of
its controls, and the history of what the controls held (Ctrl+Z, Ctrl+Y).

The box lists the built-in lessons, then any scenario file opened this session; PageUp and
PageDown move along the lessons. An edit of the controls starts a new session once it settles
(or is refused, with a sentence naming the control). Every applied change is recorded as a
whole state (gui/window/undo.py); undoing shows the earlier one again, paused at iteration 0.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QLabel, QSizePolicy

from engine import (
    ExperimentConfig,
    Preset,
    Scenario,
    ScenarioError,
    load_preset,
    preset_ids,
    scenario_from_link,
)
from gui.files import scenario_files
from gui.files.feedback import Feedback
from gui.i18n import tr
from gui.logic.lessons import LessonRef, OpenedLink, PresetLesson, ScenarioFile, lesson_key
from gui.logic.run_state import RunState
from gui.panels.concept_panel import ConceptPanel
from gui.panels.config_messages import describe
from gui.panels.control_panel import ControlPanel
from gui.session.controller import SessionController
from gui.views.loss_view import LossView
from gui.widgets.elided_combo import ElidedComboBox
from gui.widgets.speed_box import SpeedBox
from gui.window import settings
from gui.window.undo import ControlState, StateChange

EDIT_DELAY_MS = 250  # dragging a slider restarts the session once it settles, not per pixel


class LessonNavigator(QObject):
    """`shown(preset, opened)` fires when a lesson or scenario is shown; `refusal_changed` when the
    controls come to hold a refused edit, or no longer do (`refused`)."""

    shown = Signal(object, bool)  # the preset; True: opened, False: brought back by undo or redo
    refusal_changed = Signal()

    def __init__(
        self,
        session: SessionController,
        controls: ControlPanel,
        concept: ConceptPanel,
        speed: SpeedBox,
        loss: LossView,
        feedback: Feedback,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.session, self.controls, self.concept, self.speed, self.loss = (
            session,
            controls,
            concept,
            speed,
            loss,
        )
        self.feedback = feedback
        self.label = QLabel()
        # Elided, and as wide as the toolbar leaves it: a box sized to its longest title would
        # push the speed and the language off a 1280-px toolbar (and keep the width it took
        # in presentation's larger font, as Qt caches a combo box's size hint).
        self.box = ElidedComboBox()
        self.box.setMinimumContentsLength(18)
        self.box.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.box.setObjectName("presetBox")
        self._refs: list[LessonRef] = []  # the box's items, in order
        for ident in preset_ids():
            self._add(PresetLesson(ident))
        self.box.activated.connect(lambda i: self.choose(self._refs[i]))
        self.preset: Preset | None = None  # the lesson or scenario shown
        self.language = "en"
        self.undo_stack = QUndoStack(self)
        self.state: ControlState | None = None  # what the controls hold, as last applied
        self.refused = False  # the controls hold an edit that was refused (not applied)
        self._restoring = False  # an undo or redo is applying a state: nothing to record
        self.open_file: Callable[[Path], bool] = lambda path: False  # File ▸ Open's, once made
        self.open_link: Callable[[str], bool] = lambda link: False  # the same for a link
        self.controls_shown: Callable[[], bool] = lambda: True  # else refusals go to the message bar
        self._edit_timer = QTimer(self, singleShot=True, interval=EDIT_DELAY_MS)
        self._edit_timer.timeout.connect(self.apply_edit)
        controls.changed.connect(self._edit_timer.start)

    def _add(self, ref: LessonRef) -> None:
        self._refs.append(ref)
        self.box.addItem("", lesson_key(ref))  # the data: what settings keep

    def current(self) -> LessonRef:
        index = self.box.currentIndex()
        return self._refs[index] if 0 <= index < len(self._refs) else PresetLesson(preset_ids()[0])

    def select(self, ref: LessonRef) -> None:
        """Show `ref` as the current item (an opened file is added once, at the end)."""
        if ref not in self._refs:
            self._add(ref)
            self.retranslate(self.language)
        self.box.setCurrentIndex(self._refs.index(ref))

    def retranslate(self, language: str) -> None:
        self.language = language
        self.label.setText(tr("  Lesson: "))
        for i, ref in enumerate(self._refs):
            if isinstance(ref, ScenarioFile):  # an opened scenario: its file's name
                self.box.setItemText(i, tr("File: {name}").format(name=ref.path.name))
                continue
            if isinstance(ref, OpenedLink):  # an opened link: its lesson's title
                self.box.setItemText(i, tr("Link: {title}").format(title=_link_title(ref, language)))
                continue
            self.box.setItemText(i, f"{i + 1}. {_title(ref.id, language)}")

    # ----- showing a lesson -----

    def choose(self, ref: LessonRef) -> None:
        if isinstance(ref, ScenarioFile):
            self.open_file(ref.path)
        elif isinstance(ref, OpenedLink):
            self.open_link(ref.link)
        else:
            self.load_preset(ref.id)

    def load_preset(self, ident: str, deferred: bool = False) -> None:
        """Show a lesson: its config in the controls, its text in the concept panel."""
        try:
            preset = load_preset(ident)
        except ValueError as exc:
            return self.feedback.show_message(str(exc))
        self.select(PresetLesson(ident))
        self.show_scenario(Scenario(preset), deferred=deferred)

    def show_file(self, scenario: Scenario, path: Path) -> None:
        """Show a scenario opened from `path`, with the view it was saved with."""
        self.show_scenario(scenario, ScenarioFile(path))
        self.loss.apply_view_state(scenario.view)

    def show_link(self, scenario: Scenario, link: str) -> None:
        """Show a scenario opened from `link` (as the app writes it), as a file is shown."""
        self.show_scenario(scenario, OpenedLink(link))
        self.loss.apply_view_state(scenario.view)

    def show_scenario(
        self, scenario: Scenario, opened: ScenarioFile | OpenedLink | None = None, deferred: bool = False
    ) -> None:
        """Show a lesson or an opened scenario (a file or a link): its config in the controls
        (the runs it hid unticked), its text in the concept panel, paused at iteration 0."""
        preset = scenario.preset
        hidden = list(scenario.view.get("hidden_runs", []))
        shown = tuple(r for r in preset.config.runs if r.label not in hidden)
        if not shown:  # every run hidden: show them all rather than nothing
            hidden, shown = [], preset.config.runs
        self.preset = preset
        if opened is not None:
            self.select(opened)
        self._edit_timer.stop()  # an edit still settling belonged to what was shown before
        self.controls.show_error("")
        self._set_refused(False)
        self.controls.set_config(preset.config)
        self.controls.runs_editor.set_hidden(hidden)
        self.concept.set_lesson(preset, self.language)
        self.speed.set_pace(preset.speed)  # the lesson's pace to teach at; full speed one key away
        self.shown.emit(preset, True)
        self.session.start(dataclasses.replace(preset.config, runs=shown), paused=True, deferred=deferred)
        self.record(preset.config)

    def step(self, steps: int) -> None:
        """PageUp / PageDown: the lesson `steps` away (from an opened scenario: from its lesson,
        found by its id, else the first)."""
        ids = preset_ids()
        index = ids.index(self.preset.id) + steps if self.preset is not None and self.preset.id in ids else 0
        if 0 <= index < len(ids):
            self.load_preset(ids[index])

    def restore_defaults(self) -> None:
        """The lesson (or opened scenario) as it was given: its controls, speed and smoothing."""
        settings.forget_lesson_settings()
        self.loss.forget_chosen_smoothing()  # the lesson's own, from the run length
        self.choose(self.current())

    def apply_saved_settings(self) -> None:
        """The speed and smoothing kept for the lesson shown, if it is the one last shown."""
        speed, smoothing = settings.lesson_settings(self.current())
        if speed is not None:
            self.speed.set_pace(speed)
        if smoothing is not None:
            self.loss.set_smoothing(smoothing)

    def scenario(self) -> Scenario | None:
        """The experiment as it stands: every listed run, the lesson's texts, the loss view."""
        if self.preset is None or self.session.config is None:
            return None
        hidden, runs = self.controls.runs_editor.hidden(), self.controls.runs_editor.listed_runs()
        view = scenario_files.view_settings(self.loss, hidden)
        return scenario_files.current_scenario(self.preset, self.session.config, runs, view)

    # ----- edits, undo and redo -----

    def apply_edit(self) -> None:
        """The controls' values as a new session (keeping it running if it was), or refused."""
        try:
            config = self.controls.config()
        except ValueError as exc:
            self.controls.show_error(describe(exc))  # in the user's language, naming the control
            if not self.controls_shown():  # out of sight (presentation mode)
                self.feedback.show_message(describe(exc))
            self._set_refused(True)
            return
        self._set_refused(False)
        self.controls.show_error("")
        self.session.start(config, paused=self.session.state != RunState.RUNNING)
        self.record(dataclasses.replace(config, runs=self.controls.runs_editor.listed_runs()))

    def stop_editing(self) -> None:
        self._edit_timer.stop()

    def _set_refused(self, refused: bool) -> None:
        self.refused = refused
        self.refusal_changed.emit()

    def record(self, listed: ExperimentConfig) -> None:
        """What the controls now hold (`listed`: every listed run, hidden ones too); a change
        from the last state goes on the undo stack."""
        if self._restoring or self.preset is None:
            return
        hidden = tuple(self.controls.runs_editor.hidden())
        state = ControlState(self.current(), self.preset, listed, hidden)
        if self.state is not None and not state.same_as(self.state):
            self.undo_stack.push(StateChange(self._show_state, self.state, state))
        self.state = state

    def undo(self) -> None:
        """Ctrl+Z: an edit the controls refused is dropped first (the controls show what is
        applied again; the session goes on); else the last applied change is undone."""
        state = self.state
        if not (self.refused and state is not None):
            return self.undo_stack.undo()
        self._edit_timer.stop()
        self.controls.show_error("")
        self.feedback.show_message("")
        self.controls.set_config(state.config)
        self.controls.runs_editor.set_hidden(list(state.hidden))
        self._set_refused(False)

    def _show_state(self, state: ControlState) -> None:
        """Show `state` (an undo or redo), paused at iteration 0; nothing is recorded."""
        self._restoring = True
        try:
            self._edit_timer.stop()
            another_lesson = state.lesson != self.current()
            self.select(state.lesson)
            self.state, self.preset = state, state.preset
            self.controls.show_error("")
            self.controls.set_config(state.config)
            self.controls.runs_editor.set_hidden(list(state.hidden))
            self.concept.set_lesson(state.preset, self.language)
            if another_lesson:
                self.shown.emit(state.preset, False)  # as the lesson opens (its batch strip)
            shown = tuple(r for r in state.config.runs if r.label not in state.hidden)
            self.session.start(
                dataclasses.replace(state.config, runs=shown or state.config.runs), paused=True
            )
            self._set_refused(False)
        finally:
            self._restoring = False


def _link_title(ref: OpenedLink, language: str) -> str:
    try:
        preset = scenario_from_link(ref.link).preset
    except ScenarioError:  # pragma: no cover - only links that opened are listed
        return ref.link[:20]
    return preset.text("title", language) or preset.id


@functools.cache
def _title(ident: str, language: str) -> str:
    """A built-in lesson's title (read once: the box names 17 of them at each language switch
    or text size, and reading them all took 8 ms)."""
    try:
        return load_preset(ident).text("title", language)
    except ValueError:
        return ident
