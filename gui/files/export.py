"""Export from the window (Ctrl+E): into one folder, as a set (engine's ResultsFolder: all files
or, after a failure, the folder as it was), the histories as `run --out` writes them
(summary.json, history.csv, data.csv) and three pictures of each view in use: `NAME.png`, a
figure one column of a paper wide (1 000 × 750), `NAME-slide.png`, a 1 920 × 1 080 slide, and
`NAME.svg` (pictures.py draws them).

The window stays responsive: the pictures are drawn on the GUI thread (a scene is painted only
there), one per pass of the event loop; then a background job (gui/session/background.py, like
every other) writes the files, encodes the PNGs, finishes the SVGs and swaps the folder into
place. Measured on the lr-scaling lesson after its run (a 10 ms timer's longest gap, this
2-core machine shared with other work): one stall of 0.86-2.2 s before, 68-76 ms now (up to
~150 ms when the machine was loaded), the longest pass being the loss slide's drawing. A stop
(the window closing) ends the export between two files, and the folder stays as it was.
"""

from __future__ import annotations

import logging
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QObject, QStandardPaths, QTimer, Signal
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog, QWidget

from engine import (
    ExperimentConfig,
    Interrupted,
    Progress,
    ResultsFolder,
    RunHistory,
    SessionControl,
    results_summary,
    write_results,
)
from gui.files.feedback import Feedback
from gui.files.pictures import COLUMN, SIZES, paint_svg_at, render_png
from gui.files.svg_picture import SvgParts, finish_svg
from gui.i18n import tr
from gui.session.background import Background, Job

if TYPE_CHECKING:
    from gui.session.controller import SessionController

log = logging.getLogger(__name__)

Picture = QImage | SvgParts


@dataclass
class _Results:
    """What the files are written from: copies, so the session may go on meanwhile."""

    config: ExperimentConfig
    device: str
    progress: Progress  # a snapshot: never changed once made
    histories: dict[str, RunHistory]
    names: tuple[str, ...]
    data: dict[str, np.ndarray]


@dataclass
class _Export:
    target: Path
    folder: ResultsFolder
    results: _Results
    session: SessionController
    recorder: object  # the session's recorder when the export began: a new session has another
    steps: deque[tuple[str, Callable[[], Picture]]]
    pictures: list[tuple[str, Picture]] = field(default_factory=list)
    job: Job | None = None


def _copy(history: RunHistory) -> RunHistory:
    """A copy of `history` (the session may thin or grow it while the files are written)."""
    rows = history.rows()
    copy = RunHistory(history.n_params, capacity=max(len(rows), 1), limit=max(len(rows), 64))
    copy.append(rows)
    return copy


def _write_picture(picture: Picture) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        if isinstance(picture, QImage):
            if not picture.save(str(path)):  # PNG, by the name
                raise OSError(f"{path.name} could not be written")
        else:
            path.write_bytes(finish_svg(picture))

    return write


def _write(export: _Export, control: SessionControl) -> list[str]:
    """The export's files, written and swapped into place (the job's thread)."""
    folder, r = export.folder, export.results
    try:
        summary = results_summary(r.config, r.device, r.progress, r.histories)
        sweep = r.progress.measurements.get("sweep")  # a sweep still running: its rows so far
        write_results(folder, summary, r.histories, r.names, r.data, sweep)
        for name, picture in export.pictures:
            if control.stop.is_set():
                raise Interrupted
            folder.write_file(name, _write_picture(picture))
        if control.stop.is_set():
            raise Interrupted
        folder.commit()
        return list(folder.written)
    finally:
        folder.discard()


class ResultsExport(QObject):
    """One window's exports, one at a time. `finished(written)` comes at the end of each
    started export: True once its files are in place, False after a failure or a stop."""

    finished = Signal(bool)

    def __init__(self, background: Background, feedback: Feedback, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._background, self._feedback = background, feedback
        self._export: _Export | None = None

    def start(self, target: Path, session: SessionController, plots: dict[str, pg.PlotItem]) -> bool:
        """Begin exporting the session's results and a picture of each of `plots` (by the name
        its files take: engine's VIEW_NAMES) into `target`. False, with a sentence for the
        user, when it cannot begin; otherwise `finished` follows."""
        progress = session.last_progress
        if session.config is None or progress is None:
            return False
        if self._export is not None:
            self._feedback.note(
                tr("Still exporting to {folder}: try again once it is written.").format(
                    folder=self._export.target.name
                ),
                5000,
            )
            return False
        try:
            folder = ResultsFolder(target)
        except ValueError as exc:
            self._feedback.show_message(
                tr("Could not export to {folder}: {reason}.").format(folder=target.name, reason=exc)
            )
            return False
        setup = session.setup
        results = _Results(
            session.config,
            setup.device if setup is not None else "",
            progress,
            {label: _copy(history) for label, history in session.histories.items()},
            tuple(setup.param_names) if setup is not None else (),
            dict(setup.data) if setup is not None else {},
        )
        steps: deque[tuple[str, Callable[[], Picture]]] = deque()
        for name, item in plots.items():
            for size in SIZES:
                steps.append((f"{name}{size.suffix}.png", partial(render_png, item, size)))
            steps.append((f"{name}.svg", partial(paint_svg_at, item, COLUMN)))
        self._export = _Export(target, folder, results, session, session.recorder, steps)
        self._feedback.note(tr("Exporting to {folder}…").format(folder=target), 0)
        QTimer.singleShot(0, self._draw_next)
        return True

    def _draw_next(self) -> None:
        """Draw one picture (GUI thread), then let the event loop run before the next."""
        export = self._export
        if export is None or export.job is not None:
            return  # stopped meanwhile
        if export.session.recorder is not export.recorder:
            self._fail(tr("the experiment changed while it was being exported"))
            return
        name, draw = export.steps.popleft()
        try:
            export.pictures.append((name, draw()))
        except Exception as exc:  # a picture that cannot be drawn: the export is refused whole
            log.exception("drawing %s failed", name)
            self._fail(str(exc))
            return
        if export.steps:
            QTimer.singleShot(0, self._draw_next)
        else:
            self._start_writing(export)

    def _start_writing(self, export: _Export) -> None:
        job = self._background.job(
            lambda control: _write(export, control),
            SessionControl(),
            "export",
            expected=(OSError, ValueError),
        )
        job.returned.connect(self._on_returned)
        job.failed.connect(self._on_failed)
        job.ended.connect(self._on_ended)
        export.job = job
        self._background.start(job)

    def _current(self, number: int) -> _Export | None:
        export = self._export
        return (
            export if export is not None and export.job is not None and export.job.number == number else None
        )

    def _on_returned(self, number: int, written: object) -> None:
        export = self._current(number)
        if export is None:
            return
        self._export = None
        self._feedback.show_message("")
        files = ", ".join(written) if isinstance(written, list) else ""
        self._feedback.note(
            tr("Exported {files} to {folder}.").format(files=files, folder=export.target), 8000
        )
        self.finished.emit(True)

    def _on_failed(self, number: int, error: object) -> None:
        if self._current(number) is not None:
            self._fail(str(error))

    def _on_ended(self, number: int) -> None:
        if self._current(number) is not None:  # neither returned nor failed: stopped
            self._export = None
            self.finished.emit(False)

    def _fail(self, reason: str) -> None:
        export = self._export
        if export is None:
            return
        self._export = None
        export.folder.discard()  # (the job's own `finally` has done so when it ran)
        self._feedback.note("", 1)
        self._feedback.show_message(
            tr("Could not export to {folder}; nothing was changed ({reason}).").format(
                folder=export.target.name, reason=reason
            )
        )
        self.finished.emit(False)

    def stop(self) -> None:
        """The window closes: an export still drawing ends here, one writing at its next file
        (its job is told to stop); either way the folder stays as it was."""
        export, self._export = self._export, None
        if export is None:
            return
        if export.job is None:
            export.folder.discard()
        else:
            export.job.stop()
        self.finished.emit(False)


def choose_folder(parent: QWidget, name: str) -> Path | None:
    """Ask where to export (a new folder named after `name`, in Documents, suggested)."""
    start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    path, _ = QFileDialog.getSaveFileName(
        parent, tr("Export to a new folder"), str(Path(start) / f"{name}-export")
    )
    return Path(path) if path else None
