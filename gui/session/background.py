"""The one way the window runs work off the GUI thread: sessions, "measure here", downloads,
exports.

A `Job` is a QThread whose `run` calls one function with the job's `SessionControl`; a
generator's items come back one by one (`yielded`), its end as `returned` or `failed`, and
the engine's progress reports as `working`. All of them are queued to the GUI thread. Stopping
sets the control's stop event, which every long computation of the engine checks within
~0.1 s (`engine.checkpoint`); an `Interrupted` that follows is the stop, not a failure.

`Background` starts one window's jobs, says how many still run and stops them all. Each job
belongs to the application (not to the window, which may be deleted while a job ends) and
deletes itself once its thread has finished, as Qt's documentation of QThread advises
(`finished` → `deleteLater`): no running QThread is ever destroyed, and nothing keeps a list
of threads to sweep.

Why not superqt's `thread_worker`: its workers run in the global QThreadPool (a long download
or a paused session would hold one of a small machine's few pool threads, so a new session
could queue behind them), and every worker enters `warnings.catch_warnings()` in its own
thread, which swaps process-wide state: two overlapping workers (a replaced session ending
while its successor starts) restore each other's filters out of order.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, QThread, Signal

from engine import Interrupted, SessionControl

log = logging.getLogger(__name__)

Work = Callable[[SessionControl], Any]  # returns a value, or a generator of items
_unfinished = 0  # jobs of every window whose work has not returned yet (a count, for tests)
_count_lock = threading.Lock()


def unfinished_jobs() -> int:
    """How many jobs, of any window, have yet to return from their work."""
    return _unfinished


def _count(change: int) -> None:
    global _unfinished
    with _count_lock:
        _unfinished += change


class Job(QThread):
    """`work(control)` on its own thread; signals carry the job's number (see `Background`)."""

    yielded = Signal(int, object)
    returned = Signal(int, object)
    failed = Signal(int, object)  # the exception (never `Interrupted`: a stop is quiet)
    working = Signal(int, str, float)  # engine task (engine.TASKS), fraction done
    ended = Signal(int)  # last of all, whatever happened

    def __init__(
        self,
        work: Work,
        control: SessionControl,
        number: int,
        name: str,
        expected: tuple[type[Exception], ...] = (),
    ) -> None:
        super().__init__()
        self.setObjectName(name)
        self.work, self.control, self.number = work, control, number
        self.expected = expected  # failures that are news, not bugs: logged without a traceback
        # Emitting from the job's thread is safe: the signal is queued to the GUI thread.
        control.report = lambda task, done: self.working.emit(self.number, task, done)

    def run(self) -> None:
        try:
            result = self.work(self.control)
            if isinstance(result, Iterator):
                for item in result:
                    self.yielded.emit(self.number, item)
                result = None
            self.returned.emit(self.number, result)
        except Interrupted:
            pass  # stopped: nothing to report
        except Exception as exc:  # whatever it was, the window words it and carries on
            if isinstance(exc, self.expected):
                log.warning("%s failed: %s", self.objectName(), exc)
            else:
                log.exception("%s failed", self.objectName())
            self.failed.emit(self.number, exc)
        finally:
            # The report callback refers to this job: a cycle broken here, in its own thread.
            self.control.report = None
            _count(-1)
            self.ended.emit(self.number)

    def stop(self) -> None:
        """Ask the work to end (Python state only: safe on a job Qt has deleted since)."""
        self.control.stop.set()
        self.control.pause.clear()  # a paused session must wake up to see the stop


class Background(QObject):
    """The jobs of one window. `all_ended` fires when the last running one has ended."""

    all_ended = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._running: dict[int, Job] = {}
        self._numbers = 0

    def job(
        self, work: Work, control: SessionControl, name: str, expected: tuple[type[Exception], ...] = ()
    ) -> Job:
        """A job that will run `work(control)`: connect to its signals, then `start` it (a
        signal emitted before its connection is made would be lost)."""
        self._numbers += 1
        job = Job(work, control, self._numbers, name, expected)
        job.setParent(QCoreApplication.instance())  # outlives the window; deletes itself when done
        job.finished.connect(job.deleteLater)
        job.ended.connect(self._on_ended)
        return job

    def start(self, job: Job) -> None:
        self._running[job.number] = job
        _count(+1)
        job.start()

    def running(self) -> int:
        """Jobs that have not ended yet (stopped ones included)."""
        return len(self._running)

    def stop_all(self) -> None:
        for job in self._running.values():
            job.stop()

    def _on_ended(self, number: int) -> None:
        self._running.pop(number, None)
        if not self._running:
            self.all_ended.emit()
