"""What the session shows: its signals (gui/session/controller.py) into the plots area, the
lesson panel and the status bar; a failure in the message bar, with a download button when a
network's images are missing."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QObject

from engine import DATASETS, ConfigError, DataError, ExperimentConfig, GradientNoise, Progress, SessionSetup
from gui.files.feedback import Feedback
from gui.i18n import tr
from gui.logic.numbers import group_digits
from gui.logic.run_state import Replay
from gui.panels.concept_panel import ConceptPanel
from gui.panels.config_messages import describe_failure
from gui.panels.runs_editor import RunsEditor
from gui.session.controller import NoisePoint, SessionController
from gui.session.downloader import DatasetDownloader
from gui.window.plots_area import PlotsArea
from gui.window.status import StatusFields


class SessionViews(QObject):
    def __init__(
        self,
        session: SessionController,
        plots: PlotsArea,
        concept: ConceptPanel,
        status: StatusFields,
        editor: RunsEditor,
        feedback: Feedback,
    ) -> None:
        super().__init__(session)
        self.session, self.plots, self.concept, self.status = session, plots, concept, status
        self.editor, self.feedback = editor, feedback
        self.downloader = DatasetDownloader(session.background, self)
        self.downloader.progress.connect(plots.busy.show_task)
        self.downloader.finished.connect(self._on_downloaded)
        self._missing = ""  # the dataset the message bar's button fetches
        plots.download_requested.connect(self.download_missing)
        plots.timeline.moved.connect(session.seek)
        plots.noise.measure_requested.connect(session.measure_noise_here)
        session.started.connect(self._on_started)
        session.setup_ready.connect(self._on_setup)
        session.progressed.connect(self._on_progress)
        session.frame.connect(self.draw)
        session.failed.connect(self._on_failed)
        session.ended.connect(plots.busy.hide)
        session.working.connect(plots.busy.show_task)
        session.measuring.connect(self._on_measuring)
        session.noise_measured.connect(self._on_noise_measured)

    def _on_started(self, config: ExperimentConfig) -> None:
        self.plots.prepare(config, self.editor.colors(), self.editor.markers())
        self.show_timeline()
        self.concept.set_markers(self.editor.markers())
        self.concept.set_config(config)
        self.concept.set_lr_limit(None)  # known again once the new surface is ready

    def _on_setup(self, setup: SessionSetup) -> None:
        config = self.session.config
        noise_pending = config is not None and "gradient_noise" in config.measure
        self.plots.set_setup(setup, self.editor.markers(), noise_pending)  # a hidden run keeps its marker
        self.concept.set_network(setup)
        self.concept.set_lr_limit(setup.lr_limit)
        self.status.set_device(setup.device)

    def _on_progress(self, progress: Progress) -> None:
        noise = progress.measurements.get("gradient_noise")
        if noise is not None and self.plots.noise.noise is None:
            self.plots.busy.hide()  # the measurement it was showing has arrived
            self.plots.set_noise(noise, where_text(noise.point))
        self.plots.add_progress(progress)
        self.concept.note(progress.runs)
        sweep = progress.measurements.get("sweep")
        if sweep is not None:
            config = self.session.config
            self.plots.set_sweep(sweep, config.epochs if config is not None else 0)
        landscape = progress.measurements.get("landscape")
        if landscape is not None and landscape is not self.plots.landscape.landscape:
            setup = self.session.setup
            self.plots.set_landscape(landscape, setup.runs if setup else (), self.editor.markers())
        basins = progress.measurements.get("basins") if progress.finished else None
        if basins:
            self.concept.set_basins(basins)

    def draw(self, both: bool) -> None:
        """Every view as the session stands at the playhead (`both`: all of them now)."""
        progress = self.session.last_progress
        if progress is None:
            return
        rows, runs = self.session.frame_rows()
        self.show_timeline()
        self.plots.draw(rows, runs, self.session.replay == Replay.LIVE, both)
        self.concept.update_progress(runs)
        self.status.show_rate(progress, self.plots.accuracy.isVisible(), self.session.seconds_left())

    def show_timeline(self) -> None:
        head, playhead = self.session.head_tick(), self.session.playhead
        tick = head if playhead.live else round(playhead.tick or 0)
        self.plots.timeline.show_position(tick, head, playhead.live)

    def _on_failed(self, error: BaseException) -> None:
        self.plots.busy.hide()  # whatever was preparing has ended
        self.feedback.show_message(describe_failure(error))
        if isinstance(error, DataError) and error.reason == "missing" and DATASETS[error.dataset].files:
            self._missing = error.dataset
            self.plots.offer_download(error.dataset)

    def download_missing(self) -> None:
        """Fetch the missing dataset (progress in the strip above the plots), then run again."""
        if not self._missing or self.downloader.is_active():
            return
        self.plots.download_started()
        self.downloader.start(self._missing)

    def downloading(self) -> bool:
        return self.downloader.is_active()

    def stop_download(self) -> None:
        self.downloader.stop()

    def _on_downloaded(self, name: str, error: BaseException | None) -> None:
        self.plots.download_ended(ok=error is None)
        if error is not None:
            self.feedback.show_message(describe_failure(error))
            return
        self._missing = ""
        self.session.restart(paused=True)

    def _on_measuring(self, on: bool) -> None:
        self.plots.noise.measure_button.setEnabled(not on)
        if not on:
            self.plots.busy.hide()

    def _on_noise_measured(
        self, noise: GradientNoise | None, where: NoisePoint, error: BaseException | None
    ) -> None:
        if noise is not None:
            self.plots.set_noise(noise, where_text(where.point, where))
            return
        text = tr("The gradient noise could not be measured at this point.")
        if isinstance(error, (ConfigError, MemoryError)) or "out of memory" in str(error).lower():
            text += " " + describe_failure(error)  # type: ignore[arg-type]
        self.feedback.show_message(text)


def where_text(point: np.ndarray, run: NoisePoint | None = None) -> str:
    """Where gradient noise was measured: at the start, or where a run had got to."""
    at = f"(w, b) = ({point[0]:.3g}, {point[1]:.3g})"
    if run is None:
        return tr("at the start {where}").format(where=at)
    return tr("where {run} is after {i} iterations, {where}").format(
        run=run.label, i=group_digits(run.iteration), where=at
    )
