"""A training session in the background (gui/session/background.py): the engine's generator
runs on its own thread and its snapshots come back to the GUI thread as signals."""

from __future__ import annotations

import gc
from collections.abc import Iterator

from PySide6.QtCore import QObject, Signal

from engine import ExperimentConfig, Progress, SessionControl, WorkerError, run_session
from gui.session.background import Background, Job


class SessionRunner(QObject):
    """Starts, pauses, steps and stops the current session.

    A replaced or stopped session is told to stop and left to end on its own (its job deletes
    itself once its thread has finished); whatever it still sends is dropped by its job
    number, so the window connects once, whatever session runs.
    """

    progressed = Signal(object)  # engine.Progress
    failed = Signal(object)  # the exception that ended the session
    working = Signal(str, float)  # engine task, fraction done
    finished = Signal()  # the current session ended

    def __init__(self, background: Background, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._background = background
        self._job: Job | None = None
        self.pace = 0.0  # iterations of the finest run per second; 0 = full speed
        self.control = SessionControl()

    @property
    def job(self) -> Job | None:
        """The current session's background job (None between sessions)."""
        return self._job

    def is_active(self) -> bool:
        return self._job is not None

    def is_paused(self) -> bool:
        return self.is_active() and self.control.pause.is_set()

    def start(self, config: ExperimentConfig, paused: bool = False) -> None:
        self.stop()
        self.control = SessionControl(pace=self.pace)
        if paused:
            self.control.pause.set()
        job = self._background.job(
            lambda control: _snapshots(config, control),
            self.control,
            "session",
            expected=(WorkerError,),  # news, not a bug: a worker killed from outside
        )
        job.yielded.connect(self._relay_progress)
        job.failed.connect(self._relay_failure)
        job.working.connect(self._relay_working)
        job.ended.connect(self._on_ended)  # last of all, however the work ended
        self._job = job
        self._background.start(job)

    def set_pace(self, pace: float) -> None:
        """Change the speed, also of the session running now."""
        self.pace = pace
        self.control.pace = pace

    def pause(self) -> None:
        self.control.pause.set()

    def resume(self) -> None:
        self.control.pause.clear()

    def step(self) -> None:
        self.control.pause.set()
        self.control.step.set()

    def stop(self) -> None:
        """Tell the current session to stop and forget it; returns at once, safe when idle."""
        if self._job is not None:
            self._job.stop()
            self._job = None

    def _current(self, number: int) -> bool:
        return self._job is not None and self._job.number == number

    def _relay_progress(self, number: int, progress: object) -> None:
        if self._current(number):
            self.progressed.emit(progress)

    def _relay_failure(self, number: int, error: object) -> None:
        if self._current(number):
            self.failed.emit(error)

    def _relay_working(self, number: int, task: str, done: float) -> None:
        if self._current(number):
            self.working.emit(task, done)

    def _on_ended(self, number: int) -> None:
        if self._current(number):
            self._job = None
            self.finished.emit()


def _snapshots(config: ExperimentConfig, control: SessionControl) -> Iterator[Progress]:
    try:
        if not _frozen:
            gc.disable()  # the first session imports torch: no full collections meanwhile
        for progress in run_session(config, control):
            if progress.setup is not None:
                _freeze_imports()
            yield progress
    finally:
        gc.enable()


_frozen = False


def _freeze_imports() -> None:
    """Move the objects of the imports so far (torch: hundreds of thousands) out of the GC's view.

    Measured: without this, full collections of those objects ran in the worker thread for
    50–190 ms each, during and after torch's import, holding the GIL and so freezing the GUI
    thread for as long. The collector is off while the first session imports torch and on
    again (with those objects frozen) from its first snapshot.
    """
    global _frozen
    if not _frozen:
        _frozen = True
        gc.freeze()
    gc.enable()
