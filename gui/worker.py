"""The one place where Qt meets the engine: a training session on its own QThread."""

from __future__ import annotations

import gc
import logging

from PySide6.QtCore import QObject, QThread, Signal, Slot

from engine import ExperimentConfig, SessionControl, run_session

log = logging.getLogger(__name__)


class TrainingWorker(QObject):
    """Iterates `run_session` and forwards each `Progress` to the GUI thread."""

    progressed = Signal(int, object)  # session number, engine.Progress
    failed = Signal(int, str)  # session number, a sentence for the user
    finished = Signal()

    def __init__(self, config: ExperimentConfig, control: SessionControl, session: int) -> None:
        super().__init__()
        self._config = config
        self._control = control
        self._session = session

    @Slot()
    def run(self) -> None:
        try:
            if not _frozen:
                gc.disable()  # the first session imports torch: no full collections meanwhile
            for progress in run_session(self._config, self._control):
                if progress.setup is not None:
                    _freeze_imports()
                self.progressed.emit(self._session, progress)
        except Exception as exc:
            log.exception("training session failed")
            self.failed.emit(self._session, _plain_message(exc))
        finally:
            gc.enable()
            self.finished.emit()


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


def _plain_message(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    if "out of memory" in text.lower():
        return "The device ran out of memory. Try a smaller batch size or fewer samples."
    return text[0].upper() + text[1:] if text else text


class SessionRunner(QObject):
    """Owns at most one worker thread at a time; start, pause, step and stop it.

    Signals are re-emitted from here so the window connects once, whatever session runs.
    """

    progressed = Signal(object)
    failed = Signal(str)
    finished = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._thread: QThread | None = None
        self._worker: TrainingWorker | None = None
        self.pace = 0.0  # iterations of the finest run per second; 0 = full speed
        self._session = 0  # numbers sessions, so a replaced one's queued signals are dropped
        self.control = SessionControl()

    def is_active(self) -> bool:
        return self._thread is not None

    def is_paused(self) -> bool:
        return self.is_active() and self.control.pause.is_set()

    def start(self, config: ExperimentConfig, paused: bool = False) -> None:
        self.stop()
        self.control = SessionControl(pace=self.pace)
        if paused:
            self.control.pause.set()
        self._session += 1
        thread = QThread()
        worker = TrainingWorker(config, self.control, self._session)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        # Through slots that check the session number: a stopped session's queued snapshots
        # must not reach the views of the session that replaced it. (Not `sender()`: the
        # worker may already be deleted when its last queued signal is delivered.)
        worker.progressed.connect(self._relay_progress)
        worker.failed.connect(self._relay_failure)
        worker.finished.connect(thread.quit)
        worker.finished.connect(worker.deleteLater)
        thread.finished.connect(self._on_thread_finished)  # before deleteLater: runs first
        thread.finished.connect(thread.deleteLater)
        self._thread, self._worker = thread, worker
        thread.start()

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

    def stop(self, timeout_ms: int = 10_000) -> None:
        """Ask the session to stop and wait for its thread; safe to call when idle."""
        thread = self._thread
        if thread is None:
            return
        self.control.stop.set()
        thread.quit()
        if not thread.wait(timeout_ms):
            log.error("training thread did not stop within %d ms", timeout_ms)
        self._clear(thread)

    @Slot(int, object)
    def _relay_progress(self, session: int, progress: object) -> None:
        if session == self._session and self._thread is not None:
            self.progressed.emit(progress)

    @Slot(int, str)
    def _relay_failure(self, session: int, message: str) -> None:
        if session == self._session and self._thread is not None:
            self.failed.emit(message)

    @Slot()
    def _on_thread_finished(self) -> None:
        # A replaced session's thread also ends here; only the current one counts.
        thread = self._thread
        if thread is not None and thread.isFinished():
            self._clear(thread)
            self.finished.emit()

    def _clear(self, thread: QThread | None) -> None:
        if thread is self._thread:
            self._thread, self._worker = None, None
