"""Fetching a dataset from the window: off the GUI thread, with progress, stoppable."""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Signal

from engine import Interrupted, SessionControl, download, working

log = logging.getLogger(__name__)


class DatasetDownloader(QObject):
    """Runs `engine.download(name)` in a thread. `progress(task, done)` and `finished(name,
    error or None)` arrive on the GUI thread (queued signals); a stop ends it within one read."""

    progress = Signal(str, float)
    finished = Signal(str, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._control: SessionControl | None = None
        self._thread: threading.Thread | None = None

    def start(self, name: str) -> None:
        self.stop()
        control = SessionControl(report=lambda task, done: self.progress.emit(task, done))
        self._control = control

        def work() -> None:
            try:
                with working(control, "download"):
                    download(name)
            except Interrupted:
                return  # stopped: nothing to report, nothing half-written
            except Exception as exc:  # a DataError, or anything else: the window says so
                log.warning("download of %s failed: %s", name, exc)
                self.finished.emit(name, exc)
                return
            self.finished.emit(name, None)

        self._thread = threading.Thread(target=work, name=f"download-{name}", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._control is not None:
            self._control.stop.set()
            self._control = None

    def is_running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def is_active(self) -> bool:
        """Started and neither finished nor stopped."""
        return self._control is not None and self.is_running()
