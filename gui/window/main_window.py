"""The main window: toolbar, controls dock, contour and loss views, concept panel, status bar.

There is always a session: a config change starts a new one, paused at iteration 0, so the
views show the new surface and start at once; Run resumes it, Step lets one tick through.
"""

from __future__ import annotations

import dataclasses
import logging
import re
import threading
import time
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence, QResizeEvent, QUndoStack
from PySide6.QtWidgets import (
    QAbstractSpinBox,
    QComboBox,
    QDockWidget,
    QLabel,
    QMainWindow,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from engine import (
    DATASETS,
    FLAT_PROBLEMS,
    ConfigError,
    DataError,
    ExperimentConfig,
    GradientNoise,
    Interrupted,
    Preset,
    Progress,
    Recorder,
    RunHistory,
    Scenario,
    SessionControl,
    SessionSetup,
    gradient_noise_at,
    load_preset,
    preset_ids,
)
from gui.files import export, scenario_files
from gui.i18n import LANGUAGES, set_language
from gui.logic.numbers import group_digits
from gui.panels.concept_panel import ConceptPanel
from gui.panels.config_messages import describe, describe_failure
from gui.panels.control_panel import ControlPanel
from gui.session.downloader import DatasetDownloader
from gui.session.worker import SessionRunner
from gui.views.accuracy_view import AccuracyView
from gui.views.batch_strip import BatchStrip
from gui.views.contour_view import ContourView
from gui.views.counter_bar import CounterBar
from gui.views.loss_view import LossView
from gui.views.noise_view import NoiseView
from gui.views.plot_style import set_plot_scale
from gui.views.predictions_view import PredictionsView
from gui.views.timeline import Playhead, Timeline, progress_at, rows_until
from gui.widgets.busy_bar import BusyBar
from gui.window import settings
from gui.window.menus import build_menus, retranslate_menus
from gui.window.presentation import Presentation
from gui.window.scale import apply_app_font, auto_scale, clear_scale, next_scale, save_scale, saved_scale
from gui.window.undo import ControlState, StateChange

# Lessons about counting (epochs, iterations, sampling) open with the batch strip shown; B
# shows or hides it anywhere else.
STRIP_LESSONS = ("epoch-iteration", "sampling-modes")
FILE_ITEM = "file:"  # the lesson box's item for an opened scenario: "file:" + its path
EDIT_DELAY_MS = 250  # dragging a slider restarts the session once it settles, not per pixel
SPEEDS = (0.0, 3000.0, 1000.0, 300.0, 100.0, 30.0, 10.0, 3.0, 1.0)  # iterations/s; 0 = full
# While running, the two plots take turns: one redraws every FRAME_MS (each about 12 times a
# second), so no single pass of the event loop paints both (painting holds the GIL the worker
# needs, and a pass that paints both stalls the GUI twice as long).
FRAME_MS = 40
ETA_AFTER_S = 5.0  # the time left is shown once computing has gone on this long (a steady rate)


log = logging.getLogger(__name__)


class MainWindow(QMainWindow):
    """Batch Size Lab's window. `session_finished` fires when a session ends (tests wait on it)."""

    session_finished = Signal()
    closed = Signal()  # the window has closed for good, every worker thread ended
    closing = Signal()  # a close began: settings written, every worker told to stop
    # GradientNoise (None if it failed), where, the config it belongs to, the error (or None)
    noise_measured = Signal(object, str, object, object)
    noise_working = Signal(str, float)  # progress of "measure at current point"

    def __init__(self, language: str = "en", preset_id: str = "gd-sgd-minibatch") -> None:
        super().__init__()
        self.language = language
        self.preset: Preset | None = None
        self.current_config: ExperimentConfig | None = None
        self.recorder = Recorder()  # the session's snapshots folded into one history per run
        self.last_progress: Progress | None = None
        self.setup: SessionSetup | None = None  # the current session's (export needs its data)
        self.finished = False
        self._contour_turn = False
        self._device = ""  # the engine's description of where the session computes
        self._closing = False  # set by the first close: no session starts after it
        self.undo_stack = QUndoStack(self)  # control changes (gui/undo.py)
        self._state: ControlState | None = None  # what the controls hold, as last applied
        self._restoring = False  # an undo or redo is applying a state: nothing to record
        self._refused = False  # the controls hold an edit that was refused (not applied)
        self._paused_for_replay = False  # the playhead's leaving the head paused computing
        # (monotonic time, session clock in epochs, setup) when computing last (re)started.
        self._eta_anchor: tuple[float, float, SessionSetup] | None = None
        self.timeline = Timeline()
        self.timeline.moved.connect(self.seek)
        self.playhead = Playhead(self._on_playback)
        self._ticks_per_epoch = 1  # the clock's ticks (finest run's iterations) per epoch
        self.presentation = Presentation(self)

        self.runner = SessionRunner(self)
        self.runner.progressed.connect(self._on_progress)
        self.runner.failed.connect(self._on_failed)
        self.runner.finished.connect(self._on_session_ended)
        self.runner.working.connect(self._on_working)
        self._measure_control: SessionControl | None = None  # "measure at current point"
        self._measure_thread: threading.Thread | None = None
        # Closing waits for the workers without blocking: the window hides at once and this
        # timer closes it for good once every thread has ended (each ends within ~0.1 s).
        self._close_poll = QTimer(self, interval=50)
        self._close_poll.timeout.connect(self.close)

        self.contour = ContourView()
        self.accuracy = AccuracyView()  # networks: in the contour's place
        self.predictions = PredictionsView()
        self.loss = LossView()
        self.loss.axis_changed.connect(self.accuracy.set_x_axis)
        self.noise = NoiseView()
        self.noise.batch_chosen.connect(self._show_cloud)
        self.noise.measure_requested.connect(self.measure_noise_here)
        self.noise_measured.connect(self._on_noise_measured)
        self.noise_working.connect(self._on_noise_working)
        self.concept = ConceptPanel()
        self.controls = ControlPanel()
        self.controls.changed.connect(self._on_edited)
        self.message = QLabel()
        self.message.setObjectName("messageBar")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(
            "background:#fde8e8; color:#8a1020; padding:8px; border:1px solid #e5a0a8; font-weight:bold;"
        )
        self.message.hide()
        # Under the message, when a network's images are missing: fetch them from here.
        self.downloader = DatasetDownloader(self)
        self.downloader.progress.connect(self._on_working)
        self.downloader.finished.connect(self._on_downloaded)
        self.download_button = QPushButton()
        self.download_button.setObjectName("downloadButton")
        self.download_button.clicked.connect(self.download_missing)
        self.download_button.hide()
        self._missing = ""  # the dataset the button fetches
        self.busy = BusyBar()
        self.counter = CounterBar()
        self.strip = BatchStrip()
        self._edit_timer = QTimer(self, singleShot=True, interval=EDIT_DELAY_MS)
        self._edit_timer.timeout.connect(self._apply_edit)
        self._frame_timer = QTimer(self, singleShot=True, interval=FRAME_MS)
        self._frame_timer.timeout.connect(lambda: self._redraw())

        self._build_layout()
        self._build_toolbar()
        # Enter or Esc ends an edit in a number field, so Space, →, R, [ and ] work again.
        self._watch_spins()
        self.controls.runs_editor.rows_built.connect(self._watch_spins)
        self.device_label = QLabel()
        self.rate_label = QLabel()
        self.state_label = QLabel()
        for w in (self.state_label, self.rate_label, self.device_label):
            w.setStyleSheet("QLabel { border-left: 1px solid #9a9a9a; padding: 0 6px; }")  # three fields
            self.statusBar().addPermanentWidget(w)
        self.scale = 1.0
        chosen = saved_scale()
        self.auto_scaled = chosen is None  # the scale follows the window's height until chosen
        self.set_scale(chosen or 1.0, remember=False)  # sets the fonts and every text
        # The first session (which imports torch, ~1–2 s) starts once the event loop runs, so
        # the window is laid out and painted first instead of waiting on that import's GIL.
        self._first_start = True
        self.load_preset(preset_id)
        self._first_start = False

    # ----- layout -----

    def _build_layout(self) -> None:
        views = QSplitter(Qt.Orientation.Horizontal)
        views.addWidget(self.contour)
        views.addWidget(self.accuracy)
        self.accuracy.hide()
        self.right_tabs = QTabWidget()
        self.right_tabs.setObjectName("rightTabs")
        self.right_tabs.addTab(self.loss, "")
        self.right_tabs.addTab(self.noise, "")
        self.right_tabs.addTab(self.predictions, "")
        self.right_tabs.setTabVisible(2, False)
        views.addWidget(self.right_tabs)
        views.setStretchFactor(0, 1)
        views.setStretchFactor(1, 1)
        views.setStretchFactor(2, 1)
        self.views = views
        central = QWidget()
        central.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # where focus goes after an edit ends
        column = QVBoxLayout(central)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(self.counter)
        column.addWidget(self.strip)
        column.addWidget(self.message)
        column.addWidget(self.download_button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addWidget(self.busy)
        column.addWidget(views, 1)
        column.addWidget(self.timeline)
        self.setCentralWidget(central)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # fits the width
        scroll.setWidget(self.controls)
        self.dock = QDockWidget()
        self.dock.setObjectName("controlsDock")
        self.dock.setWidget(scroll)
        self.dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.dock.setMinimumWidth(300)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.dock)
        # The lesson (live arithmetic and text) has the full height of a column beside the
        # plots, as a tab next to the controls: nothing of it sits below a fold.
        self.lesson_dock = QDockWidget()
        self.lesson_dock.setObjectName("lessonDock")
        self.lesson_dock.setWidget(self.concept)
        self.lesson_dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
        self.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, self.lesson_dock)
        self.tabifyDockWidget(self.dock, self.lesson_dock)
        self.lesson_dock.raise_()

    def _build_toolbar(self) -> None:
        bar = QToolBar()
        bar.setObjectName("mainToolbar")
        bar.setMovable(False)
        bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.run_action = QAction(self)
        self.run_action.setShortcut(QKeySequence(Qt.Key.Key_Space))
        self.run_action.triggered.connect(self.toggle_run)
        self.back_action = QAction(self)
        self.back_action.setShortcut(QKeySequence(Qt.Key.Key_Left))
        self.back_action.triggered.connect(self.back)
        self.step_action = QAction(self)
        self.step_action.setShortcut(QKeySequence(Qt.Key.Key_Right))
        self.step_action.triggered.connect(self.step)
        self.reset_action = QAction(self)
        self.reset_action.setShortcut(QKeySequence(Qt.Key.Key_R))
        self.reset_action.triggered.connect(self.reset)
        for action in (self.run_action, self.back_action, self.step_action, self.reset_action):
            bar.addAction(action)
        # Speed keys act wherever the focus is (like Space, → and R), except in a text field.
        self.slower_action = QAction(self)
        self.slower_action.setShortcut(QKeySequence(Qt.Key.Key_BracketLeft))
        self.slower_action.triggered.connect(lambda: self.change_speed(+1))
        self.faster_action = QAction(self)
        self.faster_action.setShortcut(QKeySequence(Qt.Key.Key_BracketRight))
        self.faster_action.triggered.connect(lambda: self.change_speed(-1))
        self.addActions([self.slower_action, self.faster_action])
        # Display scale: fonts of the window and the plots, remembered between starts.
        self.scale_actions = []
        for keys, steps in (
            ((QKeySequence.StandardKey.ZoomIn, QKeySequence("Ctrl+=")), +1),
            ((QKeySequence.StandardKey.ZoomOut,), -1),
            ((QKeySequence("Ctrl+0"),), 0),
        ):
            action = QAction(self)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.triggered.connect(lambda _=False, s=steps: self._scale_key(s))
            self.scale_actions.append(action)
        self.addActions(self.scale_actions)
        # Scenarios: the experiment as it stands to a JSON file and back (gui/scenario_files.py).
        self.save_action = QAction(self)
        self.save_action.setShortcut(QKeySequence.StandardKey.Save)
        self.save_action.triggered.connect(lambda: scenario_files.save_dialog(self))
        self.open_action = QAction(self)
        self.open_action.setShortcut(QKeySequence.StandardKey.Open)
        self.open_action.triggered.connect(lambda: scenario_files.open_dialog(self))
        self.export_action = QAction(self)
        self.export_action.setShortcut(QKeySequence("Ctrl+E"))
        self.export_action.triggered.connect(lambda: export.export_dialog(self))
        for action in (self.open_action, self.save_action, self.export_action):
            bar.addAction(action)
        self.toolbar = bar
        self._present_place = bar.addSeparator()
        self.preset_label = QLabel()
        self.preset_box = QComboBox()
        self.preset_box.setObjectName("presetBox")
        for ident in preset_ids():
            self.preset_box.addItem(ident, ident)
        self.preset_box.activated.connect(lambda i: self._choose_lesson(self.preset_box.itemData(i)))
        bar.addWidget(self.preset_label)
        bar.addWidget(self.preset_box)
        bar.addSeparator()
        self.speed_label = QLabel()
        self.speed_box = QComboBox()
        self.speed_box.setObjectName("speedBox")
        for pace in SPEEDS:
            self.speed_box.addItem("", pace)
        self.speed_box.currentIndexChanged.connect(
            lambda i: self._set_pace(float(self.speed_box.itemData(i)))
        )
        bar.addWidget(self.speed_label)
        bar.addWidget(self.speed_box)
        bar.addSeparator()
        self.language_box = QComboBox()
        self.language_box.setObjectName("languageBox")
        for code, (name, _) in LANGUAGES.items():
            self.language_box.addItem(name, code)
        self.language_box.setCurrentIndex(self.language_box.findData(self.language))
        self.language_box.activated.connect(lambda i: self.set_language(self.language_box.itemData(i)))
        bar.addWidget(self.language_box)
        self.addToolBar(bar)
        build_menus(self)
        bar.insertAction(self._present_place, self.presentation_action)

    def file_actions(self) -> list[QAction]:
        return [self.open_action, self.save_action, self.export_action]

    def present_place(self) -> QAction:
        """Where the file actions sit on the toolbar: before the Present button."""
        return self.presentation_action

    def retranslate(self) -> None:
        self.setWindowTitle(self.tr("Batch Size Lab"))
        self.dock.setWindowTitle(self.tr("Controls"))
        self.lesson_dock.setWindowTitle(self.tr("Lesson"))
        self.step_action.setText(self.tr("Step"))
        self.step_action.setToolTip(self.tr("One iteration of the finest run (→)"))
        self.back_action.setText(self.tr("Back"))
        self.back_action.setToolTip(self.tr("The playhead one iteration back, without recomputing (←)"))
        self.reset_action.setText(self.tr("Reset"))
        self.reset_action.setToolTip(self.tr("Back to iteration 0 (R)"))
        self.open_action.setText(self.tr("Open…"))
        self.open_action.setToolTip(self.tr("Open a saved scenario (Ctrl+O)"))
        self.export_action.setText(self.tr("Export…"))
        self.export_action.setToolTip(
            self.tr("Write the histories (CSV, JSON) and every plot (PNG, SVG) to a new folder (Ctrl+E)")
        )
        self.save_action.setText(self.tr("Save…"))
        self.save_action.setToolTip(
            self.tr("Save the experiment as it stands (settings, runs, lesson text, view) (Ctrl+S)")
        )
        self.preset_label.setText(self.tr("  Lesson: "))
        self.speed_label.setText(self.tr("  Speed: "))
        self.speed_box.setToolTip(
            self.tr("Iterations per second of the run with the most iterations per epoch") + " ([ ↓, ] ↑)"
        )
        for i, pace in enumerate(SPEEDS):
            text = (
                self.tr("full speed") if pace == 0 else self.tr("{n} it/s").format(n=group_digits(int(pace)))
            )
            self.speed_box.setItemText(i, text)
        for i in range(self.preset_box.count()):
            ident = self.preset_box.itemData(i)
            if ident.startswith(FILE_ITEM):  # an opened scenario: its file's name
                self.preset_box.setItemText(
                    i, self.tr("File: {name}").format(name=Path(ident[len(FILE_ITEM) :]).name)
                )
                continue
            try:
                title = load_preset(ident).text("title", self.language)
                self.preset_box.setItemText(i, f"{i + 1}. {title}")
            except ValueError:
                self.preset_box.setItemText(i, ident)
        self.controls.retranslate()
        self.accuracy.retranslate()
        self.predictions.retranslate()
        self.right_tabs.setTabText(2, self.tr("Predictions"))
        self.contour.retranslate()
        self.loss.retranslate()
        self.noise.retranslate()
        self.counter.set_scale(self.scale)  # re-renders in the new language
        self._name_loss_tab()
        self.device_label.setText(self._device_text())
        self.right_tabs.setTabText(1, self.tr("Gradient noise"))
        retranslate_menus(self)
        self.presentation_action.setToolTip(
            self.tr("Full screen, large plots, high contrast (F11; Esc leaves)")
        )
        self._show_timeline()
        self._update_run_action()

    # ----- commands -----

    def set_language(self, language: str) -> None:
        """Switch every visible string, the lesson text included, to `language`."""
        if not set_language(language):
            self.show_message(f"No translation for {language!r} was found.")
            return
        self.language = language
        self.language_box.setCurrentIndex(self.language_box.findData(language))
        self.retranslate()
        if self.controls.error_label.isVisible():
            self._apply_edit()  # the refusal again, in the new language
        self.concept.set_lesson(self.preset, language)
        self.concept.refresh()

    def load_preset(self, ident: str) -> None:
        """Show a lesson: its config in the controls, its text in the concept panel."""
        try:
            preset = load_preset(ident)
        except ValueError as exc:
            self.show_message(str(exc))
            return
        index = self.preset_box.findData(ident)
        if index >= 0:
            self.preset_box.setCurrentIndex(index)
        self.show_scenario(Scenario(preset))

    def _choose_lesson(self, ident: str) -> None:
        if ident.startswith(FILE_ITEM):
            scenario_files.open_from(self, Path(ident[len(FILE_ITEM) :]))
        else:
            self.load_preset(ident)

    def show_scenario(self, scenario: Scenario, path: Path | None = None) -> None:
        """Show a lesson or an opened scenario (from `path`): its config in the controls (the
        runs it hid unticked), its text in the concept panel, paused at iteration 0."""
        preset = scenario.preset
        hidden = list(scenario.view.get("hidden_runs", []))
        shown = tuple(r for r in preset.config.runs if r.label not in hidden)
        if not shown:  # every run hidden: show them all rather than nothing
            hidden, shown = [], preset.config.runs
        self.preset = preset
        if path is not None:
            ident = FILE_ITEM + str(path)
            if self.preset_box.findData(ident) < 0:
                self.preset_box.addItem("", ident)
            self.preset_box.setCurrentIndex(self.preset_box.findData(ident))
            self.retranslate()
        self.controls.set_config(preset.config)
        self.controls.runs_editor.set_hidden(hidden)
        self.concept.set_lesson(preset, self.language)
        self.strip_action.setChecked(preset.id in STRIP_LESSONS)
        self.lesson_dock.raise_()
        self.set_speed(preset.speed)  # the lesson's pace to teach at; full speed one key away
        config = dataclasses.replace(preset.config, runs=shown) if hidden else preset.config
        self.start_session(config, paused=True)
        self._record_state(preset.config)

    # ----- undo, lessons, runs shown -----

    def lesson_item(self) -> str:
        """The lesson box's current item: a preset id, or "file:" and a scenario's path."""
        data = self.preset_box.currentData()
        return str(data) if data else (self.preset.id if self.preset else "")

    def _record_state(self, listed: ExperimentConfig) -> None:
        """What the controls now hold; a change from the last state goes on the undo stack."""
        if self.preset is None or self._restoring:
            return
        hidden = tuple(self.controls.runs_editor.hidden())
        state = ControlState(self.lesson_item(), self.preset, listed, hidden)
        if self._state is not None and not state.same_as(self._state):
            self.undo_stack.push(StateChange(self, self._state, state))
        self._state = state

    def undo(self) -> None:
        """Ctrl+Z: an edit the controls refused is dropped first (back to what is applied);
        else the last applied change is undone."""
        if self._refused and self._state is not None:
            self._drop_refused_edit(self._state)
        else:
            self.undo_stack.undo()

    def _drop_refused_edit(self, state: ControlState) -> None:
        """The controls show `state` again; the session (still the applied one) goes on."""
        self._edit_timer.stop()
        self._refused = False
        self.controls.show_error("")
        self.show_message("")
        self.controls.set_config(state.config)
        self.controls.runs_editor.set_hidden(list(state.hidden))
        self.run_action.setEnabled(True)
        self.step_action.setEnabled(True)
        self.undo_action.setEnabled(self.undo_stack.canUndo())
        retranslate_menus(self)

    def restore_state(self, state: ControlState) -> None:
        """Show `state` (an undo or redo), paused at iteration 0; nothing is recorded."""
        self._restoring = True
        try:
            self._edit_timer.stop()
            self.preset = state.preset
            index = self.preset_box.findData(state.lesson)
            if index < 0:
                self.preset_box.addItem("", state.lesson)
                index = self.preset_box.count() - 1
                self.retranslate()
            self.preset_box.setCurrentIndex(index)
            self.controls.show_error("")
            self.controls.set_config(state.config)
            self.controls.runs_editor.set_hidden(list(state.hidden))
            self.concept.set_lesson(state.preset, self.language)
            shown = tuple(r for r in state.config.runs if r.label not in state.hidden)
            self._state = state
            self.start_session(
                dataclasses.replace(state.config, runs=shown or state.config.runs), paused=True
            )
        finally:
            self._restoring = False

    def show_strip(self, shown: bool) -> None:
        """B: the batch strip under the counter, for the 2-D problems up to 5 000 samples."""
        self.strip_action.setChecked(shown)
        self.strip.setVisible(shown and self.strip.has_runs)
        if self.strip.isVisible() and self.last_progress is not None:
            self._redraw(both=True)

    def toggle_run_shown(self, row: int) -> None:
        """Keys 1, 2, 3: hide the row-th run, or show it again (as its tick box does)."""
        boxes = self.controls.runs_editor.boxes
        if row < len(boxes):
            boxes[row].toggle()

    def step_lesson(self, steps: int) -> None:
        """PageUp / PageDown: the previous or next lesson (from an opened scenario: from its lesson,
        found by the file's name, else the first)."""
        ids = preset_ids()
        current = self.preset.id if self.preset is not None and self.preset.id in ids else None
        index = ids.index(current) + steps if current is not None else 0
        if 0 <= index < len(ids):
            self.load_preset(ids[index])

    def restore_lesson_defaults(self) -> None:
        """The lesson (or opened scenario) as it was given: its controls, speed and smoothing."""
        settings.forget_lesson_settings()
        self.loss.smoothing_chosen = False  # the lesson's own, from the run length
        item = self.lesson_item()
        if item.startswith(FILE_ITEM):
            scenario_files.open_from(self, Path(item[len(FILE_ITEM) :]))
        elif item:
            self.load_preset(item)

    def normal_geometry(self) -> tuple[object, object]:
        """(geometry, dock state) of the normal window, also while presenting."""
        if self.presentation.active:
            return self.presentation.saved_layout()
        return self.saveGeometry(), self.saveState()

    # ----- the timeline -----

    def _head_tick(self) -> int:
        progress = self.last_progress
        return round(progress.clock_epochs * self._ticks_per_epoch) if progress is not None else 0

    def _show_timeline(self) -> None:
        head = self._head_tick()
        self.playhead.head = head
        tick = head if self.playhead.live else round(self.playhead.tick or 0)
        self.timeline.show_position(tick, head, self.playhead.live)

    def _set_pace(self, pace: float) -> None:
        self.runner.set_pace(pace)
        self.playhead.pace = pace  # replay at the chosen speed too

    def _hold_for_replay(self) -> None:
        """The playhead leaves the head: computation pauses where it is (and resumes when the
        playhead comes back to the head by playing or dragging, not if the user had paused)."""
        self.playhead.stop()
        if self.runner.is_active() and not self.runner.is_paused() and not self.finished:
            self.runner.pause()
            self._paused_for_replay = True

    def _back_to_live(self) -> None:
        self.playhead.go_live()
        if (
            self._paused_for_replay
            and self.runner.is_active()
            and self.runner.is_paused()
            and not self.finished
        ):
            self.runner.resume()  # the replay caught up: computing goes on from there
        self._paused_for_replay = False

    def seek(self, tick: int) -> None:
        """Show every view as it was at `tick` (the timeline was dragged there)."""
        if self.last_progress is None:
            return
        self._hold_for_replay()
        self.playhead.head = self._head_tick()
        self.playhead.seek(tick)
        if (self.playhead.tick or 0) >= self.playhead.head:
            self._back_to_live()  # dragged to (or past) the head: live again
        self._redraw(both=True)
        self._update_run_action()

    def back(self) -> None:
        """←: the playhead one tick back (from the head, if live), without recomputing."""
        if self.last_progress is None:
            return
        head = self._head_tick()
        current = head if self.playhead.live else (self.playhead.tick or 0.0)
        self.seek(max(round(current) - 1, 0))

    def _on_playback(self, reached_head: bool) -> None:
        if reached_head:
            self._back_to_live()
        self._redraw(both=True)
        self._update_run_action()

    def set_scale(self, scale: float, remember: bool = True) -> None:
        """Scale every font (window and plots) by `scale`; remembered for the next start."""
        self.scale = scale
        apply_app_font(scale)
        set_plot_scale(scale)
        self.strip.set_scale(scale)
        self.retranslate()  # plot titles and the counter take their size there
        self.concept.refresh()
        if remember:
            save_scale(scale)
            self.auto_scaled = False

    def _scale_key(self, steps: int) -> None:
        """Ctrl + / Ctrl − choose a scale (remembered); Ctrl 0 hands it back to the window size.
        In presentation mode they change its size only, for as long as it lasts."""
        if self.presentation.active:
            self.set_scale(next_scale(self.scale, steps) if steps else self.scale, remember=False)
            return
        if steps == 0:
            clear_scale()
            self.auto_scaled = True
            self.set_scale(auto_scale(self.height()), remember=False)
        else:
            self.auto_scaled = False
            self.set_scale(next_scale(self.scale, steps))

    def _follow_height(self) -> None:
        if self.auto_scaled and auto_scale(self.height()) != self.scale:
            self.set_scale(auto_scale(self.height()), remember=False)

    def set_speed(self, pace: float) -> None:
        """Iterations per second of the finest run (0: full speed), the nearest offered."""
        index = min(range(len(SPEEDS)), key=lambda i: abs(SPEEDS[i] - pace))
        self.speed_box.setCurrentIndex(index)
        self.runner.set_pace(SPEEDS[index])

    def change_speed(self, steps: int) -> None:
        """[ (slower, +1) and ] (faster, −1) move along the speed list; full speed is the end."""
        index = min(max(self.speed_box.currentIndex() + steps, 0), len(SPEEDS) - 1)
        self.speed_box.setCurrentIndex(index)

    def set_config(self, config: ExperimentConfig) -> None:
        """Show `config` in the controls and get it ready at iteration 0 (paused)."""
        self.controls.set_config(config)
        self.start_session(config, paused=True)

    def start_session(self, config: ExperimentConfig, paused: bool) -> None:
        self._stop_measuring()
        self.current_config = config
        self.recorder = Recorder()
        self.setup = None
        self.last_progress = None
        self.playhead.go_live()
        self._paused_for_replay = False
        self.finished = False
        self.show_message("")
        # Nothing of the previous session stays under the new one's text while it prepares.
        self.contour.clear_view()
        self.loss.clear_runs()
        self.accuracy.clear_runs()
        self.predictions.clear()
        # The views the new session will fill: a surface for the 2-D problems, accuracy for
        # networks (so a network that cannot start shows no empty loss surface).
        network = config.problem == "network"
        self.contour.setVisible(config.problem not in FLAT_PROBLEMS)
        self.accuracy.setVisible(network)
        self.right_tabs.setTabVisible(2, network)
        QTimer.singleShot(0, self._balance_views)
        self._set_noise(None, "")
        self.busy.show_task("data", 0.0)
        self.concept.set_markers(self.controls.runs_editor.markers())
        self.concept.set_config(config)
        self.counter.set_config(config)
        editor = self.controls.runs_editor
        self.strip.set_runs(config, editor.colors(), editor.markers())
        self.show_strip(self.strip_action.isChecked())
        self.concept.set_lr_limit(None)  # known again once the new surface is ready
        self.timeline.set_span(1, 0)
        self._show_timeline()
        retranslate_menus(self)  # keys 1-3 name the runs
        self.run_action.setEnabled(True)
        self.step_action.setEnabled(True)
        if self._first_start:
            QTimer.singleShot(0, lambda: self._start_first(config, paused))
        else:
            self.runner.start(config, paused=paused)
        self._update_run_action()

    def _start_first(self, config: ExperimentConfig, paused: bool) -> None:
        if self._closing:
            return  # closed before the event loop ran: no session to start (or to wait for)
        if self.current_config is config and not self.runner.is_active():
            self.runner.start(config, paused=paused)
            self._update_run_action()

    def toggle_run(self) -> None:
        """Run from the start, pause, or resume, depending on where the session is; with the
        playhead behind the head: play the recording forward, or pause that replay."""
        if self.playhead.playing:
            self.playhead.stop()
            self._update_run_action()
            return
        if not self.playhead.live and self.last_progress is not None:
            self.playhead.head = self._head_tick()
            self.playhead.play()
            self._update_run_action()
            return
        if self.finished or not self.runner.is_active():
            if self.current_config is not None:
                self.start_session(self.current_config, paused=False)
        elif self.runner.is_paused():
            self.runner.resume()
        else:
            self.runner.pause()
        self._update_run_action()

    def step(self) -> None:
        """→: the playhead one tick forward while it is behind the head; else one more tick."""
        if not self.playhead.live:
            self.playhead.stop()
            tick = round(self.playhead.tick or 0) + 1
            if tick < self._head_tick():
                self.seek(tick)
                return
            self.playhead.go_live()  # stepped up to the head: live, still paused (the user steps)
            self._paused_for_replay = False
            self._redraw(both=True)
            self._update_run_action()
            return
        if self.finished or not self.runner.is_active():
            if self.current_config is None:
                return
            self.start_session(self.current_config, paused=True)
        self.runner.step()
        self._update_run_action()

    def reset(self) -> None:
        if self.current_config is not None:
            self.start_session(self.current_config, paused=True)

    def stop(self) -> None:
        """Stop the session where it is (its results so far stay on screen)."""
        was_active = self.runner.is_active()
        self.runner.stop()
        self.busy.hide()
        if was_active:
            self._on_session_ended()

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))
        if not text and not self.downloader.is_active():
            self.download_button.hide()

    # ----- edits -----

    def _on_edited(self) -> None:
        self._edit_timer.start()

    def _apply_edit(self) -> None:
        try:
            config = self.controls.config()
        except ValueError as exc:
            self.controls.show_error(describe(exc))  # in the user's language, naming the control
            if not self.dock.isVisible():  # the controls are out of sight (presentation mode)
                self.show_message(describe(exc))
            self.run_action.setEnabled(False)
            self.step_action.setEnabled(False)
            self._refused = True
            self.undo_action.setEnabled(True)  # Ctrl+Z drops the refused edit
            return
        self._refused = False
        self.controls.show_error("")
        self.run_action.setEnabled(True)
        self.step_action.setEnabled(True)
        running = self.runner.is_active() and not self.runner.is_paused() and not self.finished
        self.start_session(config, paused=not running)
        self._record_state(dataclasses.replace(config, runs=self.controls.runs_editor.listed_runs()))

    @property
    def histories(self) -> dict[str, RunHistory]:
        """Every run's recorded rows (empty until the session's setup has arrived)."""
        return self.recorder.histories

    # ----- session events -----

    def _on_progress(self, progress: Progress) -> None:
        self.recorder.add(progress)  # every run's rows, kept for the views, replay and export
        if progress.setup is not None:
            setup = self.setup = progress.setup
            markers = self.controls.runs_editor.markers()  # a hidden run keeps its marker free
            self.contour.set_setup(setup, markers)
            self.loss.set_setup(setup, markers)
            network = bool(setup.classes)
            self.accuracy.setVisible(network)
            QTimer.singleShot(0, self._balance_views)
            self.right_tabs.setTabVisible(2, network)
            if network:
                self.accuracy.set_setup(setup, markers)
                self.predictions.set_setup(setup, markers)
            self.concept.set_network(setup)
            finest = max(setup.runs, key=lambda r: r.iterations_per_epoch)
            self._ticks_per_epoch = finest.iterations_per_epoch
            self.timeline.set_span(finest.iterations_per_epoch, finest.total_iterations)
            self._name_loss_tab()
            self.busy.hide()
            self.concept.set_lr_limit(setup.lr_limit)
            self._device = setup.device
            self.device_label.setText(self._device_text())
            if self.current_config is not None and "gradient_noise" in self.current_config.measure:
                self.noise.set_pending()
                self.right_tabs.setTabVisible(1, True)
                self.right_tabs.setCurrentIndex(1)
        noise = progress.measurements.get("gradient_noise")
        if noise is not None and self.noise.noise is None:
            self.busy.hide()  # the measurement it was showing has arrived
            self._set_noise(noise, self._at_point_text(noise.point, None))
        for rp in progress.runs:
            if rp.new_epochs:
                self.accuracy.add_epochs(rp.label, rp.new_epochs)
                self.predictions.set_answers(rp.label, rp.predictions)
        self.concept.note(progress.runs)
        self.last_progress = progress
        if progress.setup is not None or progress.finished or self.runner.is_paused():
            self._redraw(both=True)  # first frame, last frame and single steps show at once
        elif not self._frame_timer.isActive():
            self._frame_timer.start()
        if progress.finished:
            self.finished = True
            self.busy.hide()
            basins = progress.measurements.get("basins")
            if basins:
                self.concept.set_basins(basins)
        self._update_run_action()

    def _on_working(self, task: str, done: float) -> None:
        """Long work that is not training (data, surface, instruments): say what and how far.

        The strip stays up between one task's end and the next one's start (data, then
        surface, then the setup); what it waits for hides it: the setup, a measurement, the
        end of the session.
        """
        self.busy.show_task(task, done)

    def _redraw(self, both: bool = False) -> None:
        """Push the recorded histories into the views (throttled by the frame timer)."""
        self._frame_timer.stop()
        progress = self.last_progress
        if progress is None:
            return
        rows = {label: h.rows() for label, h in self.histories.items()}
        runs = progress.runs
        self._show_timeline()
        if not self.playhead.live:  # every view as it was at the playhead
            epoch = (self.playhead.tick or 0.0) / self._ticks_per_epoch
            rows = {label: rows_until(r, epoch) for label, r in rows.items()}
            runs = tuple(progress_at(rp, rows[rp.label]) if rp.label in rows else rp for rp in runs)
        self._contour_turn = not self._contour_turn
        if both or self._contour_turn:
            self.contour.update_paths(rows)
        if both or not self._contour_turn:
            self.loss.update_curves(rows)
        if self.accuracy.isVisible():
            self.accuracy.update_curves(
                None if self.playhead.live else {rp.label: rp.iteration for rp in runs}
            )
        self.concept.update_progress(runs)
        self.counter.update_progress(runs)
        if self.strip.isVisible():
            self.strip.update_progress(runs)
        if progress.steps_per_second > 0:
            rate = group_digits(round(progress.steps_per_second))
            text = self.tr("{rate} steps/s").format(rate=rate)
            if self.accuracy.isVisible() and progress.samples_per_second > 0:  # a network
                samples = group_digits(round(progress.samples_per_second))
                text = self.tr("{rate} samples/s").format(rate=samples) + " · " + text
            left = self._time_left(progress)
            self.rate_label.setText(text + (" · " + left if left else ""))

    def _time_left(self, progress: Progress) -> str:
        """'about 12 min left' while computing, when the session at this speed needs over a
        minute more (a config that takes hours must not look like a hang). Measured on the
        session's clock since computing last (re)started, not from one snapshot's rate."""
        computing = not (progress.finished or self.runner.is_paused() or not self.playhead.live)
        if self.setup is None or self.current_config is None or not computing or progress.setup is not None:
            self._eta_anchor = None
            return ""
        now = time.monotonic()
        if self._eta_anchor is None or self._eta_anchor[2] is not self.setup:
            self._eta_anchor = (now, progress.clock_epochs, self.setup)
            return ""
        since, clock, _ = self._eta_anchor
        done = progress.clock_epochs - clock
        if now - since < ETA_AFTER_S or done <= 0:
            return ""
        seconds = (self.current_config.epochs - progress.clock_epochs) * (now - since) / done
        if seconds < 60:
            return ""
        if seconds < 5400:
            return self.tr("about {n} min left").format(n=round(seconds / 60))
        hours = seconds / 3600
        return self.tr("about {n} h left").format(
            n=f"{hours:.1f}" if hours < 10 else group_digits(round(hours))
        )

    def _device_text(self) -> str:
        """The engine's "CPU, 2 threads" or "CUDA: NVIDIA H100", in the user's language."""
        text = self._device
        cpu = re.fullmatch(r"CPU, (\d+) threads?", text)
        if cpu:
            n = int(cpu.group(1))
            return self.tr("CPU, 1 thread") if n == 1 else self.tr("CPU, {n} threads").format(n=n)
        if text.startswith("CUDA: "):
            return self.tr("GPU (CUDA): {name}").format(name=text[len("CUDA: ") :])
        return text

    def _name_loss_tab(self) -> None:
        weight = self.loss.weight_name
        text = self.tr("The weight {name}").format(name=weight) if weight else self.tr("Training loss")
        self.right_tabs.setTabText(0, text)

    # ----- gradient noise -----

    def _set_noise(self, noise: GradientNoise | None, where: str) -> None:
        self.noise.set_measurement(noise, where)
        self.right_tabs.setTabVisible(1, noise is not None)
        if noise is None:
            self.contour.set_cloud(None)
            self.right_tabs.setCurrentIndex(0)
        else:
            self.right_tabs.setCurrentIndex(1)
            self._show_cloud(self.noise.chosen_index())

    def _show_cloud(self, index: int) -> None:
        noise = self.noise.noise
        if noise is not None:
            self.contour.set_cloud(noise.point, noise.full_gradient, noise.cloud[index])

    def _at_point_text(self, point: np.ndarray | None, label: str | None, iteration: int = 0) -> str:
        if point is None:
            return ""
        where = f"(w, b) = ({point[0]:.3g}, {point[1]:.3g})"
        if label is None:
            return self.tr("at the start {where}").format(where=where)
        return self.tr("where {run} is after {i} iterations, {where}").format(
            run=label, i=group_digits(iteration), where=where
        )

    def measure_noise_here(self) -> None:
        """Measure the gradient noise at the first run's current point, off the GUI thread."""
        config = self.current_config
        if config is None or not self.histories:
            return
        label, history = next(iter(self.histories.items()))
        rows = history.rows()
        if not len(rows) or rows.params.shape[1] != 2:
            return
        self._stop_measuring()
        point = rows.params[-1].copy()
        where = self._at_point_text(point, label, int(rows.iteration[-1]))
        self.noise.measure_button.setEnabled(False)
        # Signals emitted from the measuring thread are queued to the GUI thread.
        control = SessionControl(report=lambda task, done: self.noise_working.emit(task, done))
        self._measure_control = control

        def work() -> None:
            error: BaseException | None = None
            try:
                result: GradientNoise | None = gradient_noise_at(config, point, control=control)
            except Interrupted:
                return
            except Exception as exc:  # whatever it was, the button must come back
                log.exception("gradient-noise measurement failed")
                result, error = None, exc
            self.noise_measured.emit(result, where, config, error)

        self._measure_thread = threading.Thread(target=work, name="noise-measure", daemon=True)
        self._measure_thread.start()

    def _stop_measuring(self) -> None:
        if self._measure_control is not None:
            self._measure_control.stop.set()
            self._measure_control = None
            self.noise.measure_button.setEnabled(True)

    def _on_noise_working(self, task: str, done: float) -> None:
        if self._measure_control is not None:
            self._on_working(task, done)

    def _on_noise_measured(
        self, noise: GradientNoise | None, where: str, config: ExperimentConfig, error: BaseException | None
    ) -> None:
        self._measure_control = None
        self.noise.measure_button.setEnabled(True)
        self.busy.hide()
        if config is not self.current_config:
            return  # the config changed while measuring: the result belongs to another surface
        if noise is None:
            text = self.tr("The gradient noise could not be measured at this point.")
            if isinstance(error, (ConfigError, MemoryError)) or "out of memory" in str(error).lower():
                text += " " + describe_failure(error)  # type: ignore[arg-type]
            self.show_message(text)
            return
        self._set_noise(noise, where)

    def _on_failed(self, error: BaseException) -> None:
        self.busy.hide()  # whatever was preparing has ended
        self.show_message(describe_failure(error))
        if isinstance(error, DataError) and error.reason == "missing" and DATASETS[error.dataset].files:
            self._missing = error.dataset
            self.download_button.setText(self.tr("Download {name} now").format(name=error.dataset))
            self.download_button.setEnabled(True)
            self.download_button.show()

    def download_missing(self) -> None:
        """Fetch the missing dataset (progress in the strip above the plots), then run again."""
        if not self._missing or self.downloader.is_active():
            return
        self.download_button.setEnabled(False)
        self.busy.show_task("download", 0.0)
        self.downloader.start(self._missing)

    def _on_downloaded(self, name: str, error: BaseException | None) -> None:
        self.busy.hide()
        if error is not None:
            self.show_message(describe_failure(error))
            self.download_button.setEnabled(True)  # try again
            return
        self._missing = ""
        self.download_button.hide()
        if self.current_config is not None and not self._closing:
            self.start_session(self.current_config, paused=True)

    def _on_session_ended(self) -> None:
        self.finished = True
        self._update_run_action()
        self.session_finished.emit()

    def _update_run_action(self) -> None:
        self.back_action.setEnabled(self.last_progress is not None)
        if self.playhead.playing:
            self.run_action.setText(self.tr("Pause"))
            state = self.tr("replaying")
        elif not self.playhead.live:
            self.run_action.setText(self.tr("Play"))
            state = self.tr("replay paused")
        elif self.runner.is_active() and not self.runner.is_paused() and not self.finished:
            self.run_action.setText(self.tr("Pause"))
            state = self.tr("running")
        elif self.runner.is_active() and not self.finished:
            at_start = self.last_progress is None or self.last_progress.clock_epochs == 0
            self.run_action.setText(self.tr("Run") if at_start else self.tr("Resume"))
            state = self.tr("ready") if at_start else self.tr("paused")
        else:
            self.run_action.setText(self.tr("Run again"))
            state = self.tr("finished")
        self.run_action.setToolTip(self.tr("Run or pause (Space)"))
        self.state_label.setText(state)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        # The side column takes about 30 % of the width (a lesson's text needs room to read).
        width = max(300, min(620, int(0.3 * event.size().width())))
        self.resizeDocks([self.dock], [width], Qt.Orientation.Horizontal)
        # The contour and the loss plot share the rest equally (the splitter would otherwise
        # follow their size hints and squeeze the contour at 1024 px); once laid out.
        QTimer.singleShot(0, self._balance_views)
        QTimer.singleShot(0, self._follow_height)

    def _balance_views(self) -> None:
        """The left view (the contour, or a network's accuracy) and the tabs share the width."""
        half = self.views.width() // 2
        left = [half if self.contour.isVisibleTo(self) else 0, half if self.accuracy.isVisibleTo(self) else 0]
        self.views.setSizes([*left, self.views.width() - half if any(left) else self.views.width()])

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if (
            isinstance(watched, QAbstractSpinBox)
            and event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_PageUp, Qt.Key.Key_PageDown)
        ):
            event.accept()  # typing in a number field: PageUp/Down step it, not the lesson
            return True
        if (
            isinstance(watched, QAbstractSpinBox)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Escape)
        ):
            if event.key() == Qt.Key.Key_Escape:
                watched.lineEdit().undo()  # Esc: back to the value before the edit
            else:
                watched.interpretText()  # Enter: take the typed value
            self.centralWidget().setFocus()
            return event.key() == Qt.Key.Key_Escape
        return super().eventFilter(watched, event)

    def _watch_spins(self) -> None:
        for spin in self.controls.findChildren(QAbstractSpinBox):
            spin.installEventFilter(self)  # once per object: Qt moves a repeated filter, not adds it

    def workers_running(self) -> bool:
        """Whether any thread of a session or a measurement has yet to end."""
        measuring = self._measure_thread is not None and self._measure_thread.is_alive()
        return self.runner.running_threads() > 0 or measuring or self.downloader.is_running()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt override
        first = not self._closing
        if first:
            settings.remember(self)  # geometry, language, lesson, speed, smoothing
        self._closing = True
        self.playhead.stop()
        self._edit_timer.stop()
        self._frame_timer.stop()
        self.runner.stop()
        self._stop_measuring()
        self.downloader.stop()
        if first:
            self.closing.emit()
        if self.workers_running():
            event.ignore()  # never destroy a running thread, never wait on the GUI thread
            self.hide()
            self._close_poll.start()
            return
        self._close_poll.stop()
        self.closed.emit()
        super().closeEvent(event)
