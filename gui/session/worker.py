"""A training session on its own QThread: the engine's generator runs there and its snapshots
come back to the GUI thread as signals (downloads and measurements have their own threads)."""

from __future__ import annotations

import gc
import logging

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, QTimer, Signal, Slot

from engine import ExperimentConfig, SessionControl, run_session

log = logging.getLogger(__name__)


class TrainingWorker(QObject):
    """Iterates `run_session` and forwards each `Progress` to the GUI thread."""

    progressed = Signal(int, object)  # session number, engine.Progress
    failed = Signal(int, object)  # session number, the exception (the window words it)
    working = Signal(int, str, float)  # session number, engine task (see engine.TASKS), done 0..1
    finished = Signal()
    ended = Signal(int)  # session number; emitted last, just before `finished`

    def __init__(self, config: ExperimentConfig, control: SessionControl, session: int) -> None:
        super().__init__()
        self._config = config
        self._control = control
        self._session = session
        # Emitting from the session's thread is safe: the signal is queued to the GUI thread.
        control.report = lambda task, done: self.working.emit(self._session, task, done)

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
            self.failed.emit(self._session, exc)
        finally:
            gc.enable()
            # The control's report callback refers to this worker: a reference cycle that the
            # garbage collector could free from any thread. Broken here, the worker's last
            # reference is the runner's, dropped in the GUI thread once this thread finished.
            self._control.report = None
            self.ended.emit(self._session)
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


class SessionRunner(QObject):
    """Owns the current session's worker thread; start, pause, step and stop it.

    The GUI thread never waits for a worker: a replaced or stopped session is told to stop and
    its thread is kept (in a module-level list that outlives any window) until it has finished
    on its own, then deleted, so no running QThread is ever destroyed; its late signals are
    dropped by their session number.
    Signals are re-emitted from here so the window connects once, whatever session runs.
    """

    progressed = Signal(object)
    failed = Signal(object)  # the exception that ended the session
    working = Signal(str, float)  # engine task, fraction done
    finished = Signal()  # the current session ended

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

    def running_threads(self) -> int:
        """Threads of any session (current or stopped) that have not finished yet."""
        return retired_threads() + (self._thread is not None)

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
        worker.working.connect(self._relay_working)
        worker.ended.connect(self._on_ended)
        # Directly, from the worker's thread (QThread.quit is thread-safe): the thread's event
        # loop then ends even when the GUI thread no longer runs one (at exit, waiting for it).
        worker.finished.connect(thread.quit, Qt.ConnectionType.DirectConnection)
        # No deleteLater: the worker is deleted by dropping the last Python reference to it, in
        # the GUI thread, once its thread has finished (see `_sweep`). With deleteLater as well,
        # a replaced session's worker could be deleted twice at once, by its own thread's event
        # loop and by the GUI thread dropping the wrapper: a crash in ~QObject (seen ~1 in 10
        # test runs that switched lesson while the first session imported torch).
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

    def stop(self) -> None:
        """Tell the current session to stop and forget it; returns at once, safe when idle.

        Its thread ends by itself (every long computation checks the stop event within
        ~0.1 s) and is deleted once finished.
        """
        if self._thread is None:
            return
        self.control.stop.set()
        self.control.pause.clear()
        self._retire()
        self._session += 1  # whatever it still sends belongs to no session

    def _retire(self) -> None:
        assert self._thread is not None and self._worker is not None
        _retire(self._thread, self._worker)
        self._thread, self._worker = None, None

    @Slot(int, object)
    def _relay_progress(self, session: int, progress: object) -> None:
        if session == self._session and self._thread is not None:
            self.progressed.emit(progress)

    @Slot(int, object)
    def _relay_failure(self, session: int, error: object) -> None:
        if session == self._session and self._thread is not None:
            self.failed.emit(error)

    @Slot(int, str, float)
    def _relay_working(self, session: int, task: str, done: float) -> None:
        if session == self._session and self._thread is not None:
            self.working.emit(task, done)

    @Slot(int)
    def _on_ended(self, session: int) -> None:
        if session == self._session and self._thread is not None:
            self._retire()  # its run() has returned; the thread follows within moments
            self.finished.emit()


# Threads of ended or stopped sessions, with their workers, kept referenced until the thread
# has finished. Module-level so that closing (and deleting) a window never drops the last
# reference to a running thread or to a worker its thread still uses.
_retired: list[tuple[QThread, TrainingWorker]] = []
_sweeper: QTimer | None = None


def _retire(thread: QThread, worker: TrainingWorker) -> None:
    global _sweeper
    _retired.append((thread, worker))
    if _sweeper is None:
        _sweeper = QTimer(QCoreApplication.instance(), interval=50)
        _sweeper.timeout.connect(_sweep)
    _sweeper.start()


def _sweep() -> None:
    """Forget the retired threads that have finished, and their workers (never a running one).

    Dropping the last references here, in the GUI thread, deletes both (each exactly once):
    their thread has finished, so nothing else can touch them any more.
    """
    _retired[:] = [pair for pair in _retired if not pair[0].isFinished()]
    if not _retired and _sweeper is not None:
        _sweeper.stop()


def retired_threads() -> int:
    """Threads of stopped or ended sessions that have not finished yet."""
    _sweep()
    return len(_retired)


def wait_for_retired(timeout_ms: int = 5_000) -> bool:
    """Block until every retired thread has finished (only once no window is shown: at exit)."""
    for thread, _ in list(_retired):
        if not thread.wait(timeout_ms):
            return False
    _sweep()
    return True
