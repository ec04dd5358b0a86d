"""The one place where Qt meets the engine: a training session on its own QThread."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, QThread, Signal, Slot

from engine import ExperimentConfig, SessionControl, run_session

log = logging.getLogger(__name__)


class TrainingWorker(QObject):
    """Iterates `run_session` and forwards each `Progress` to the GUI thread."""

    progressed = Signal(object)  # engine.Progress
    failed = Signal(str)  # a sentence for the user
    finished = Signal()

    def __init__(self, config: ExperimentConfig, control: SessionControl) -> None:
        super().__init__()
        self._config = config
        self._control = control

    @Slot()
    def run(self) -> None:
        try:
            for progress in run_session(self._config, self._control):
                self.progressed.emit(progress)
        except Exception as exc:  # noqa: BLE001 - every failure must reach the user, not crash
            log.exception("training session failed")
            self.failed.emit(_plain_message(exc))
        finally:
            self.finished.emit()


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
        self.control = SessionControl()

    def is_active(self) -> bool:
        return self._thread is not None

    def is_paused(self) -> bool:
        return self.is_active() and self.control.pause.is_set()

    def start(self, config: ExperimentConfig, paused: bool = False) -> None:
        self.stop()
        self.control = SessionControl()
        if paused:
            self.control.pause.set()
        thread = QThread()
        worker = TrainingWorker(config, self.control)
        worker.moveToThread(thread)
        thread.started.connect(worker.run)
        # Through slots that check the sender: a stopped session's queued snapshots must not
        # reach the views of the session that replaced it.
        worker.progressed.connect(self._relay_progress)
        worker.failed.connect(self._relay_failure)
        worker.finished.connect(thread.quit)
        worker.finished.connect(worker.deleteLater)
        thread.finished.connect(thread.deleteLater)
        thread.finished.connect(self._on_thread_finished)
        self._thread, self._worker = thread, worker
        thread.start()

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

    @Slot(object)
    def _relay_progress(self, progress: object) -> None:
        if self._worker is not None and self.sender() is self._worker:
            self.progressed.emit(progress)

    @Slot(str)
    def _relay_failure(self, message: str) -> None:
        if self._worker is not None and self.sender() is self._worker:
            self.failed.emit(message)

    @Slot()
    def _on_thread_finished(self) -> None:
        sender = self.sender()
        if sender is self._thread:
            self._clear(self._thread)
            self.finished.emit()

    def _clear(self, thread: QThread | None) -> None:
        if thread is self._thread:
            self._thread, self._worker = None, None
