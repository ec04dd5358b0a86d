"""Fetching a dataset from the window: in the background, with progress, stoppable."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from engine import DataError, SessionControl, download, working
from gui.session.background import Background, Job


class DatasetDownloader(QObject):
    """Runs `engine.download(name)` as a background job. `progress(task, done)` and
    `finished(name, error or None)` arrive on the GUI thread; a stop ends it within one read
    and reports nothing (nothing half-written stays)."""

    progress = Signal(str, float)
    finished = Signal(str, object)

    def __init__(self, background: Background, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._background = background
        self._job: Job | None = None
        self._name = ""

    def start(self, name: str) -> None:
        self.stop()

        def fetch(control: SessionControl) -> None:
            with working(control, "download"):
                download(name)

        self._name = name
        # A refused or failed download (offline, a bad checksum) is news, not a bug.
        job = self._background.job(fetch, SessionControl(), f"download-{name}", expected=(DataError,))
        job.working.connect(self._on_working)
        job.returned.connect(self._on_returned)
        job.failed.connect(self._on_failed)
        job.ended.connect(self._on_ended)
        self._job = job
        self._background.start(job)

    # Bound methods of this object (it lives in the GUI thread): the job's signals are queued here.
    def _current(self, number: int) -> bool:
        return self._job is not None and self._job.number == number

    def _on_working(self, number: int, task: str, done: float) -> None:
        if self._current(number):
            self.progress.emit(task, done)

    def _on_returned(self, number: int, _: object) -> None:
        if self._current(number):
            self._job = None
            self.finished.emit(self._name, None)

    def _on_failed(self, number: int, error: object) -> None:
        if self._current(number):
            self._job = None
            self.finished.emit(self._name, error)

    def _on_ended(self, number: int) -> None:
        if self._current(number):  # neither returned nor failed: it cannot have succeeded
            self._job = None
            self.finished.emit(self._name, RuntimeError("the download ended unexpectedly"))

    def stop(self) -> None:
        if self._job is not None:
            self._job.stop()
            self._job = None

    def is_active(self) -> bool:
        """Started and neither finished nor stopped."""
        return self._job is not None
