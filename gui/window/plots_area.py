"""The window's centre: the live counter and the batch strip, the message bar (with its download
button), the busy strip, the views (the contour or a network's accuracy, beside the tabs of the
loss, the gradient noise and the predictions) and the timeline under them."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QPushButton, QSplitter, QTabWidget, QVBoxLayout, QWidget

from engine import (
    FLAT_PROBLEMS,
    LOSS_NAMES,
    ExperimentConfig,
    GradientNoise,
    HistoryRows,
    Landscape,
    Progress,
    RunInfo,
    RunProgress,
    SessionSetup,
    SweepResult,
)
from gui.i18n import tr
from gui.views.accuracy_view import AccuracyView
from gui.views.batch_strip import BatchStrip
from gui.views.contour_view import ContourView
from gui.views.counter_bar import CounterBar
from gui.views.landscape_view import LandscapeView
from gui.views.loss_view import LossView
from gui.views.memory_view import MemoryView
from gui.views.noise_view import NoiseView
from gui.views.plot_style import PlotTheme
from gui.views.predictions_view import PredictionsView
from gui.views.sweep_view import SweepView
from gui.views.timeline import Timeline
from gui.widgets.busy_bar import BusyBar

RetranslatedView = (
    ContourView
    | AccuracyView
    | PredictionsView
    | LossView
    | NoiseView
    | SweepView
    | MemoryView
    | LandscapeView
)

LOSS_TAB, NOISE_TAB, PREDICTIONS_TAB, SWEEP_TAB, MEMORY_TAB, LANDSCAPE_TAB = 0, 1, 2, 3, 4, 5
WIDE_TABS = (
    SWEEP_TAB,
    MEMORY_TAB,
    LANDSCAPE_TAB,
)  # instruments that take the whole width (the left view hides)
MESSAGE_STYLE = "background:#fde8e8; color:#8a1020; padding:8px; border:1px solid #e5a0a8; font-weight:bold;"


class PlotsArea(QWidget):
    """`download_requested` fires when the message bar's download button is pressed."""

    download_requested = Signal()

    def __init__(self, theme: PlotTheme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFocusPolicy(Qt.FocusPolicy.ClickFocus)  # where focus goes after an edit ends
        self.counter = CounterBar()
        self.strip = BatchStrip()
        self.message = QLabel()
        self.message.setObjectName("messageBar")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(MESSAGE_STYLE)
        self.message.hide()
        # Under the message, when a network's images are missing: fetch them from here.
        self.download_button = QPushButton()
        self.download_button.setObjectName("downloadButton")
        self.download_button.clicked.connect(self.download_requested)
        self.download_button.hide()
        self.busy = BusyBar()
        self.contour = ContourView(theme=theme)
        self.accuracy = AccuracyView(theme=theme)  # networks: in the contour's place
        self.predictions = PredictionsView()
        self.loss = LossView(theme=theme)
        self.loss.axis_changed.connect(self.accuracy.set_x_axis)
        self.noise = NoiseView(theme=theme)
        self.noise.batch_chosen.connect(self.show_cloud)
        self.sweep = SweepView(theme=theme)
        self.memory = MemoryView(theme=theme)
        self.landscape = LandscapeView(theme=theme)
        self.timeline = Timeline()
        self.right_tabs = QTabWidget()
        self.right_tabs.setObjectName("rightTabs")
        for tab in (self.loss, self.noise, self.predictions, self.sweep, self.memory, self.landscape):
            self.right_tabs.addTab(tab, "")
        for index in (PREDICTIONS_TAB, *WIDE_TABS):
            self.right_tabs.setTabVisible(index, False)
        self.right_tabs.currentChanged.connect(self._on_tab)
        self._left: QWidget | None = None  # the left view a wide tab hid
        self.views = QSplitter(Qt.Orientation.Horizontal)
        columns: tuple[QWidget, ...] = (self.contour, self.accuracy, self.right_tabs)
        for i, view in enumerate(columns):
            self.views.addWidget(view)
            self.views.setStretchFactor(i, 1)
        self.accuracy.hide()
        column = QVBoxLayout(self)
        column.setContentsMargins(4, 4, 4, 4)
        column.addWidget(self.counter)
        column.addWidget(self.strip)
        column.addWidget(self.message)
        column.addWidget(self.download_button, 0, Qt.AlignmentFlag.AlignLeft)
        column.addWidget(self.busy)
        column.addWidget(self.views, 1)
        column.addWidget(self.timeline)
        self._contour_turn = False
        self._downloading = False
        self._sweeping = False
        self._stale: set[RetranslatedView] = set()  # views whose texts wait until they show
        for view in self._views():
            view.installEventFilter(self)

    def retranslate(self) -> None:
        """Every view's texts in the current language and size: those in sight now, the others
        when they come into sight (a hidden tab's legends and titles cost ~10 ms each to
        rebuild, and a language switch or a scale step must answer within 100 ms)."""
        for view in self._views():
            if view.isVisible():
                view.retranslate()
                self._stale.discard(view)
            else:
                self._stale.add(view)
        self.right_tabs.setTabText(NOISE_TAB, tr("Gradient noise"))
        self.right_tabs.setTabText(PREDICTIONS_TAB, tr("Predictions"))
        self.right_tabs.setTabText(SWEEP_TAB, tr("Batch-size sweep"))
        self.right_tabs.setTabText(MEMORY_TAB, tr("Memory"))
        self.right_tabs.setTabText(LANDSCAPE_TAB, tr("Landscape"))
        self.name_loss_tab()

    def _views(self) -> tuple[RetranslatedView, ...]:
        return (
            self.contour,
            self.accuracy,
            self.predictions,
            self.loss,
            self.noise,
            self.sweep,
            self.memory,
            self.landscape,
        )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.Show:
            for view in self._stale:
                if view is watched:
                    self._stale.discard(view)
                    view.retranslate()
                    break
        return False

    def name_loss_tab(self) -> None:
        weight = self.loss.weight_name
        text = tr("The weight {name}").format(name=weight) if weight else tr("Training loss")
        self.right_tabs.setTabText(LOSS_TAB, text)

    def show_message(self, text: str) -> None:
        """A sentence above the plots ("" hides it, and the download button unless a download
        is under way: its button comes back if it fails)."""
        self.message.setText(text)
        self.message.setVisible(bool(text))
        if not text and not self._downloading:
            self.download_button.hide()

    def offer_download(self, dataset: str) -> None:
        self.download_button.setText(tr("Download {name} now").format(name=dataset))
        self.download_button.setEnabled(True)
        self.download_button.show()

    def download_started(self) -> None:
        self._downloading = True
        self.download_button.setEnabled(False)
        self.busy.show_task("download", 0.0)

    def download_ended(self, ok: bool) -> None:
        """Done: the button goes; failed: it is offered again (to try again)."""
        self._downloading = False
        self.busy.hide()
        self.download_button.setEnabled(not ok)
        self.download_button.setVisible(not ok)

    def show_readout(self, on: bool) -> None:
        """The readout under the cursor on the plots that have one (H)."""
        for view in (self.contour, self.loss, self.accuracy):
            view.readout.enabled = on

    def balance(self) -> None:
        """The left view (the contour, or a network's accuracy) and the tabs share the width
        equally (the splitter would otherwise follow their size hints and squeeze the contour)."""
        half = self.views.width() // 2
        shown = [self.contour.isVisibleTo(self), self.accuracy.isVisibleTo(self)]
        left = [half if visible else 0 for visible in shown]
        self.views.setSizes([*left, self.views.width() - half if any(left) else self.views.width()])

    # ----- a session's life -----

    def prepare(self, config: ExperimentConfig, colors: dict[str, str], markers: dict[str, int]) -> None:
        """A new session of `config`: nothing of the previous one stays under its text while it
        prepares; the views it will fill are shown (a surface for the 2-D problems, accuracy
        for networks, so a network that cannot start shows no empty loss surface)."""
        self.show_message("")
        self.contour.clear_view()
        self.loss.clear_runs()
        self.accuracy.clear_runs()
        self.predictions.clear()
        network = config.problem == "network"
        self.contour.setVisible(config.problem not in FLAT_PROBLEMS)
        self.accuracy.setVisible(network)
        self.right_tabs.setTabVisible(PREDICTIONS_TAB, network)
        self.right_tabs.setCurrentIndex(LOSS_TAB)
        swept = "sweep" in config.measure
        for index in (SWEEP_TAB, MEMORY_TAB):
            self.right_tabs.setTabVisible(index, swept)
        self.right_tabs.setTabVisible(LANDSCAPE_TAB, "landscape" in config.measure)
        self.landscape.set_landscape(None)
        self._sweeping = False
        self.set_sweep(None, config.epochs)
        QTimer.singleShot(0, self.balance)
        self.set_noise(None, "")
        self.busy.show_task("data", 0.0)
        self.counter.set_config(config)
        self.strip.set_runs(config, colors, markers)
        # What the run will be is known now: the loss's name and the run's length, so the
        # plot's title and the timeline are right while the data is prepared.
        self.loss.name_loss(LOSS_NAMES.get(config.problem, ""))
        finest = max(config.runs, key=config.iterations_per_epoch)
        self.timeline.set_span(config.iterations_per_epoch(finest), config.total_iterations(finest))

    def set_setup(self, setup: SessionSetup, markers: dict[str, int], noise_pending: bool) -> None:
        self.contour.set_setup(setup, markers)
        self.loss.set_setup(setup, markers)
        network = bool(setup.classes)
        self.accuracy.setVisible(network)
        QTimer.singleShot(0, self.balance)
        self.right_tabs.setTabVisible(PREDICTIONS_TAB, network)
        if network:
            self.accuracy.set_setup(setup, markers)
            self.predictions.set_setup(setup, markers)
        finest = max(setup.runs, key=lambda r: r.iterations_per_epoch)
        self.timeline.set_span(finest.iterations_per_epoch, finest.total_iterations)
        self.name_loss_tab()
        self.busy.hide()
        if noise_pending:
            self.noise.set_pending()
            self.right_tabs.setTabVisible(NOISE_TAB, True)
            self.right_tabs.setCurrentIndex(NOISE_TAB)

    def add_progress(self, progress: Progress) -> None:
        """What a snapshot adds beyond the histories: a network's epochs and answers."""
        for rp in progress.runs:
            if rp.new_epochs:
                self.accuracy.add_epochs(rp.label, rp.new_epochs)
                self.predictions.set_answers(rp.label, rp.predictions)
        if progress.finished:
            self.busy.hide()

    def draw(
        self, rows: dict[str, HistoryRows], runs: tuple[RunProgress, ...], live: bool, both: bool
    ) -> None:
        """The recorded rows (cut at the playhead) into the views; while running, the contour
        and the loss take turns (see gui/session/controller.py's FRAME_MS)."""
        self._contour_turn = not self._contour_turn
        if both or self._contour_turn:
            self.contour.diverged = {rp.label for rp in runs if rp.diverged}
            self.contour.update_paths(rows)
        if both or not self._contour_turn:
            self.loss.update_curves(rows)
        if self.accuracy.isVisible():
            self.accuracy.update_curves(None if live else {rp.label: rp.iteration for rp in runs})
        self.counter.update_progress(runs)
        if self.strip.isVisible():
            self.strip.update_progress(runs)

    # ----- the gradient noise -----

    def set_noise(self, noise: GradientNoise | None, where: str) -> None:
        self.noise.set_measurement(noise, where)
        self.right_tabs.setTabVisible(NOISE_TAB, noise is not None)
        if noise is None:
            self.contour.set_cloud(None)
            self.right_tabs.setCurrentIndex(LOSS_TAB)
        else:
            self.right_tabs.setCurrentIndex(NOISE_TAB)
            self.show_cloud(self.noise.chosen_index())

    def show_cloud(self, index: int) -> None:
        noise = self.noise.noise
        if noise is not None:
            self.contour.set_cloud(noise.point, noise.full_gradient, noise.cloud[index])

    # ----- the batch-size sweep -----

    def set_sweep(self, sweep: SweepResult | None, epochs: int) -> None:
        """The sweep so far (None: none yet). Its first result turns to its tab, once."""
        self.sweep.set_result(sweep, epochs)
        self.memory.set_result(sweep)
        self.busy.detail = self.sweep.phase_text() if sweep is not None and not sweep.finished else ""
        if sweep is not None and not self._sweeping:
            self._sweeping = True
            self.right_tabs.setCurrentIndex(SWEEP_TAB)

    def set_landscape(self, landscape: Landscape, runs: tuple[RunInfo, ...], markers: dict[str, int]) -> None:
        """The runs' landscape, once computed: its tab comes to the front."""
        self.landscape.set_landscape(landscape, runs, markers)
        self.right_tabs.setCurrentIndex(LANDSCAPE_TAB)

    def _on_tab(self, index: int) -> None:
        """A wide tab (the sweep, memory) takes the whole width: the left view steps aside."""
        wide = index in WIDE_TABS
        if wide and self._left is None:
            left = next((v for v in (self.contour, self.accuracy) if v.isVisibleTo(self)), None)
            if left is not None:
                self._left = left
                left.hide()
        elif not wide and self._left is not None:
            self._left.show()
            self._left = None
            QTimer.singleShot(0, self.balance)

    def exported_plots(self) -> dict[str, pg.PlotItem]:
        """The plots in use now, by the name their pictures take (engine's VIEW_NAMES)."""
        shown: dict[str, pg.PlotItem] = {"loss": self.loss.plot.getPlotItem()}
        if self.accuracy.isVisibleTo(self):
            shown["accuracy"] = self.accuracy.getPlotItem()
        else:
            shown["paths"] = self.contour.getPlotItem()
        if self.right_tabs.isTabVisible(NOISE_TAB):  # the gradient-noise lesson
            shown["noise"] = self.noise.plot.getPlotItem()
        if self.right_tabs.isTabVisible(SWEEP_TAB):
            shown["sweep"] = self.sweep.steps_plot.getPlotItem()
            shown["memory"] = self.memory.plot.getPlotItem()
        if self.right_tabs.isTabVisible(LANDSCAPE_TAB):
            shown["landscape"] = self.landscape.plane.getPlotItem()
        return shown
