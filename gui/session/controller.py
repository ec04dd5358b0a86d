"""The session model: what runs, what it has recorded, where the playhead is. No widgets.

There is always a session: a config change starts a new one, paused at iteration 0, so the
views show the new surface at once; Run resumes it, Step lets one tick through. Behind the
computed head the playhead replays the recording without recomputing; while it is there,
computing waits, and goes on when the replay reaches the head again.

The window listens: `started` (empty the views), `setup_ready`, `progressed` (each snapshot,
recorded), `frame` (draw now), `state_changed`, `failed`, `ended`, `working`, for "measure
here" `measuring` and `noise_measured`, and at closing `all_ended` (every job's work returned).
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from engine import (
    ExperimentConfig,
    GradientNoise,
    HistoryRows,
    Progress,
    Recorder,
    RunHistory,
    RunProgress,
    SessionControl,
    SessionSetup,
    gradient_noise_at,
)
from gui.logic.replay import at_playhead, head_tick
from gui.logic.run_state import Replay, RunState, can_resume, paused_state
from gui.logic.time_left import TimeLeft
from gui.session.background import Background, Job
from gui.session.playhead import Playhead
from gui.session.runner import SessionRunner

# While running, the two plots take turns: one redraws every FRAME_MS (each about 12 times a
# second), so no single pass of the event loop paints both (painting holds the GIL the worker
# needs, and a pass that paints both stalls the GUI twice as long).
FRAME_MS = 40


@dataclass(frozen=True)
class NoisePoint:
    """Where "measure here" measured: the first run's point after `iteration` iterations."""

    label: str
    iteration: int
    point: np.ndarray


class SessionController(QObject):
    started = Signal(object)  # ExperimentConfig: a new session begins (nothing recorded yet)
    setup_ready = Signal(object)  # SessionSetup, with the first snapshot
    progressed = Signal(object)  # Progress, once recorded
    frame = Signal(bool)  # draw: True = every view now, False = the next view in turn
    state_changed = Signal()
    failed = Signal(object)  # the exception that ended the session
    ended = Signal()  # the session ended: finished, failed or stopped
    working = Signal(str, float)  # long work that is not training: engine task, done 0..1
    noise_measured = Signal(object, object, object)  # GradientNoise | None, NoisePoint, error
    measuring = Signal(bool)  # "measure here" began (True) or ended
    all_ended = Signal()  # no job of this session model is left running

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.background = Background(self)
        self.background.all_ended.connect(self.all_ended)
        self.runner = SessionRunner(self.background, self)
        self.runner.progressed.connect(self._on_progress)
        self.runner.failed.connect(self._on_failed)
        self.runner.finished.connect(self._on_ended)
        self.runner.working.connect(self.working)
        self.playhead = Playhead(self)
        self.playhead.moved_on.connect(self._on_playback)
        self.config: ExperimentConfig | None = None
        self.recorder = Recorder()  # the session's snapshots folded into one history per run
        self.setup: SessionSetup | None = None
        self.last_progress: Progress | None = None
        self.state = RunState.IDLE
        self.ticks_per_epoch = 1  # the clock's ticks (finest run's iterations) per epoch
        self.time_left = TimeLeft()
        self._paused_for_replay = False  # the playhead's leaving the head paused computing
        self._closed = False
        self._measure: Job | None = None
        self._measured_at: tuple[ExperimentConfig, NoisePoint] | None = None
        self._frame_timer = QTimer(self, singleShot=True, interval=FRAME_MS)
        self._frame_timer.timeout.connect(lambda: self.frame.emit(False))

    @property
    def histories(self) -> dict[str, RunHistory]:
        """Every run's recorded rows (empty until the session's setup has arrived)."""
        return self.recorder.histories

    @property
    def finished(self) -> bool:
        """The session has ended (every run done, stopped, or failed)."""
        return self.state in (RunState.FINISHED, RunState.FAILED)

    @property
    def replay(self) -> Replay:
        return self.playhead.replay

    # ----- a session's life -----

    def start(self, config: ExperimentConfig, paused: bool, deferred: bool = False) -> None:
        """A new session of `config` (paused at iteration 0, or computing at once). Deferred:
        its thread starts once the event loop runs (the first one imports torch, ~1–2 s, and the
        window is painted first)."""
        self.stop_measuring()
        self.config = config
        self.recorder = Recorder()
        self.setup = None
        self.last_progress = None
        self.playhead.go_live()
        self._paused_for_replay = False
        self.time_left.reset()
        self.state = RunState.PREPARING if paused else RunState.RUNNING
        self.started.emit(config)
        if deferred:
            QTimer.singleShot(0, lambda: self._start_deferred(config, paused))
        elif not self._closed:
            self.runner.start(config, paused=paused)
        self.state_changed.emit()

    def _start_deferred(self, config: ExperimentConfig, paused: bool) -> None:
        if self._closed:
            return  # closed before the event loop ran: no session to start (or to wait for)
        if self.config is config and not self.runner.is_active():
            self.runner.start(config, paused=paused)

    def restart(self, paused: bool = True) -> None:
        if self.config is not None:
            self.start(self.config, paused=paused)

    def stop(self) -> None:
        """Stop the session where it is (its results so far stay)."""
        was_active = self.runner.is_active()
        self.runner.stop()
        if was_active:
            self._on_ended()

    def shutdown(self) -> None:
        """The window closes: every job is told to stop and nothing new starts."""
        self._closed = True
        self.playhead.stop()
        self._frame_timer.stop()
        self.runner.stop()
        self.stop_measuring()
        self.background.stop_all()

    def workers_running(self) -> bool:
        return self.background.running() > 0

    def set_pace(self, pace: float) -> None:
        self.runner.set_pace(pace)
        self.playhead.pace = pace  # replay at the chosen speed too
        self.time_left.reset()

    # ----- the run / pause / step / reset keys -----

    def toggle_run(self) -> None:
        """Run from the start, pause, or resume, depending on where the session is; with the
        playhead behind the head: play the recording forward, or pause that replay."""
        if self.playhead.playing:
            self.playhead.stop()
        elif not self.playhead.live and self.last_progress is not None:
            self.playhead.head = self.head_tick()
            self.playhead.play()
        elif not can_resume(self.state) or not self.runner.is_active():
            self.restart(paused=False)
            return
        elif self.runner.is_paused():
            self.runner.resume()
            self.state = RunState.RUNNING
        else:
            self.runner.pause()
            self.state = self._paused_state()
        self.time_left.reset()
        self.state_changed.emit()

    def step(self) -> None:
        """→: the playhead one tick forward while it is behind the head; else one more tick."""
        if not self.playhead.live:
            self.playhead.stop()
            tick = round(self.playhead.tick or 0) + 1
            if tick < self.head_tick():
                self.seek(tick)
                return
            self.playhead.go_live()  # stepped up to the head: live, still paused (the user steps)
            self._paused_for_replay = False
            self.frame.emit(True)
            self.state_changed.emit()
            return
        if not can_resume(self.state) or not self.runner.is_active():
            if self.config is None:
                return
            self.start(self.config, paused=True)
        self.runner.step()
        self.state = self._paused_state() if self.state == RunState.RUNNING else self.state
        self.state_changed.emit()

    def _paused_state(self) -> RunState:
        progress = self.last_progress
        return paused_state(progress is not None, progress.clock_epochs if progress else 0.0)

    # ----- the timeline -----

    def head_tick(self) -> int:
        progress = self.last_progress
        return head_tick(progress.clock_epochs, self.ticks_per_epoch) if progress is not None else 0

    def seek(self, tick: int) -> None:
        """Show every view as it was at `tick` (the timeline was dragged there)."""
        if self.last_progress is None:
            return
        self._hold_for_replay()
        self.playhead.head = self.head_tick()
        self.playhead.seek(tick)
        if (self.playhead.tick or 0) >= self.playhead.head:
            self._back_to_live()  # dragged to (or past) the head: live again
        self.frame.emit(True)
        self.state_changed.emit()

    def back(self) -> None:
        """←: the playhead one tick back (from the head, if live), without recomputing."""
        if self.last_progress is None:
            return
        current = self.head_tick() if self.playhead.live else (self.playhead.tick or 0.0)
        self.seek(max(round(current) - 1, 0))

    def _hold_for_replay(self) -> None:
        """The playhead leaves the head: computation pauses where it is (and resumes when the
        playhead comes back to the head by playing or dragging, not if the user had paused)."""
        self.playhead.stop()
        if self.state == RunState.RUNNING and self.runner.is_active() and not self.runner.is_paused():
            self.runner.pause()
            self.state = self._paused_state()
            self._paused_for_replay = True

    def _back_to_live(self) -> None:
        self.playhead.go_live()
        if self._paused_for_replay and self.runner.is_active() and self.runner.is_paused():
            self.runner.resume()  # the replay caught up: computing goes on from there
            self.state = RunState.RUNNING
        self._paused_for_replay = False

    def _on_playback(self, reached_head: bool) -> None:
        if reached_head:
            self._back_to_live()
        self.frame.emit(True)
        self.state_changed.emit()

    def frame_rows(self) -> tuple[dict[str, HistoryRows], tuple[RunProgress, ...]]:
        """Every run's rows and progress at the playhead (all of them, when live)."""
        progress = self.last_progress
        rows = {label: h.rows() for label, h in self.histories.items()}
        runs = progress.runs if progress is not None else ()
        if self.playhead.live:
            return rows, runs
        return at_playhead(rows, runs, self.playhead.tick or 0.0, self.ticks_per_epoch)

    def seconds_left(self) -> float | None:
        """At this speed, the seconds the session still needs (None while not computing, or
        until the rate is steady)."""
        progress = self.last_progress
        computing = self.state == RunState.RUNNING and self.playhead.live
        if progress is None or self.config is None or self.setup is None or not computing:
            self.time_left.reset()
            return None
        return self.time_left.seconds(time.monotonic(), progress.clock_epochs, self.config.epochs, self.setup)

    # ----- the runner's signals -----

    def _on_progress(self, progress: Progress) -> None:
        self.recorder.add(progress)  # every run's rows, kept for the views, replay and export
        if progress.setup is not None:
            self.setup = progress.setup
            finest = max(progress.setup.runs, key=lambda r: r.iterations_per_epoch)
            self.ticks_per_epoch = finest.iterations_per_epoch
            self.setup_ready.emit(progress.setup)
        self.last_progress = progress
        self.playhead.head = self.head_tick()  # how far the replay may go
        if progress.finished:
            self.state = RunState.FINISHED
        elif self.runner.is_paused():
            self.state = self._paused_state()
        self.progressed.emit(progress)
        if progress.setup is not None or progress.finished or self.runner.is_paused():
            self._frame_timer.stop()
            self.frame.emit(True)  # first frame, last frame and single steps show at once
        elif not self._frame_timer.isActive():
            self._frame_timer.start()
        self.state_changed.emit()

    def _on_failed(self, error: BaseException) -> None:
        self.state = RunState.FAILED
        self.failed.emit(error)
        self.state_changed.emit()

    def _on_ended(self) -> None:
        if self.state != RunState.FAILED:
            self.state = RunState.FINISHED
        self.ended.emit()
        self.state_changed.emit()

    # ----- "measure here": the gradient noise at the first run's current point -----

    def measure_noise_here(self) -> bool:
        """Measure the gradient noise where the first run is now, in the background; False if
        there is nothing to measure (no run yet, or not a problem of two parameters)."""
        config = self.config
        if config is None or not self.histories or self._closed:
            return False
        label, history = next(iter(self.histories.items()))
        rows = history.rows()
        if not len(rows) or rows.params.shape[1] != 2:
            return False
        self.stop_measuring()
        where = NoisePoint(label, int(rows.iteration[-1]), rows.params[-1].copy())

        def measure(control: SessionControl) -> GradientNoise:
            return gradient_noise_at(config, where.point, control=control)

        job = self.background.job(measure, SessionControl(), "noise-measure")
        job.working.connect(self._on_measure_working)
        job.returned.connect(self._on_noise_returned)
        job.failed.connect(self._on_noise_failed)
        job.ended.connect(self._on_measure_ended)
        self._measure, self._measured_at = job, (config, where)
        self.background.start(job)
        self.measuring.emit(True)
        return True

    def stop_measuring(self) -> None:
        if self._measure is not None:
            self._measure.stop()
            self._measure = None
            self.measuring.emit(False)

    def _on_measure_working(self, number: int, task: str, done: float) -> None:
        if self._measure is not None and self._measure.number == number:
            self.working.emit(task, done)

    # Bound methods of this object (it lives in the GUI thread): the job's signals are queued here.
    def _on_noise_returned(self, number: int, noise: GradientNoise) -> None:
        self._on_measured(number, noise, None)

    def _on_noise_failed(self, number: int, error: BaseException) -> None:
        self._on_measured(number, None, error)

    def _on_measure_ended(self, number: int) -> None:
        if self._measure is not None and self._measure.number == number:  # neither returned nor failed
            self._measure = None
            self.measuring.emit(False)

    def _on_measured(self, number: int, noise: GradientNoise | None, error: BaseException | None) -> None:
        if self._measure is None or self._measure.number != number:
            return  # stopped, or replaced by another measurement
        self._measure = None
        assert self._measured_at is not None
        config, where = self._measured_at
        self.measuring.emit(False)
        if config is self.config:  # else the result belongs to another surface
            self.noise_measured.emit(noise, where, error)
