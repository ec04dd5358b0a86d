"""Gradient noise against batch size: measured variances and both theory lines, log-log.

Fed a `GradientNoise` measurement (taken by the engine at the start, or at a run's current
point on request). Picking a batch size here shows that size's cloud of mini-batch gradients
on the contour (`batch_chosen`).
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSlider, QVBoxLayout, QWidget

from engine import GradientNoise
from gui.logic.numbers import group_digits, typeset
from gui.views.plot_style import INK, PlotTheme, pt, style_plot

MEASURED_WITHOUT = "#0072b2"  # subsets (one batch of a shuffle)
MEASURED_WITH = "#d55e00"  # draws with replacement


class NoiseView(QWidget):
    """Log-log plot of E|g_B − G|² against B, a batch-size picker and the B_simple readout."""

    batch_chosen = Signal(int)  # index into the measurement's batch sizes
    measure_requested = Signal()  # "measure at the current point"

    def __init__(self, parent: QWidget | None = None, *, theme: PlotTheme | None = None) -> None:
        super().__init__(parent)
        self.theme = theme if theme is not None else PlotTheme()
        self.plot = pg.PlotWidget(background="w")
        self.plot.setObjectName("noiseView")
        item = self.plot.getPlotItem()
        # Variance falls from top left to bottom right: the bottom-left corner stays empty.
        self._legend = style_plot(item, self.theme, curves_are_functions=False, inside=(10, -10))
        item.setLogMode(x=True, y=True)
        item.showGrid(x=True, y=True, alpha=0.25)
        self._theory_without = pg.PlotDataItem(pen=pg.mkPen(MEASURED_WITHOUT, width=2.5))
        self._theory_with = pg.PlotDataItem(
            pen=pg.mkPen(MEASURED_WITH, width=2.5, style=Qt.PenStyle.DashLine)
        )
        self._measured_without = pg.PlotDataItem(
            pen=None, symbol="o", symbolSize=10, symbolBrush=MEASURED_WITHOUT, symbolPen="k"
        )
        self._measured_with = pg.PlotDataItem(
            pen=None, symbol="t", symbolSize=10, symbolBrush=MEASURED_WITH, symbolPen="k"
        )
        for curve in (self._theory_without, self._theory_with, self._measured_without, self._measured_with):
            item.addItem(curve)
        self._chosen = pg.InfiniteLine(angle=90, pen=pg.mkPen("#444", width=1.5, style=Qt.PenStyle.DotLine))
        item.addItem(self._chosen)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("noiseBatchSlider")
        self.slider.valueChanged.connect(self._on_slider)
        self.batch_label = QLabel()
        self.measure_button = QPushButton()
        self.measure_button.setObjectName("measureHereButton")
        self.measure_button.clicked.connect(self.measure_requested)
        self.readout = QLabel()
        self.readout.setWordWrap(True)
        self.readout.setTextFormat(Qt.TextFormat.RichText)
        bar = QHBoxLayout()
        bar.addWidget(self.batch_label)
        bar.addWidget(self.slider, 1)
        bar.addWidget(self.measure_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addLayout(bar)
        layout.addWidget(self.readout)
        self.noise: GradientNoise | None = None
        self.where = ""
        self.retranslate()

    def retranslate(self) -> None:
        item = self.plot.getPlotItem()
        item.setTitle(self.tr("Gradient noise against batch size"), size=pt(15, self.theme), color=INK)
        item.setLabel("bottom", self.tr("batch size B (log scale)"))
        item.setLabel("left", typeset(self.tr("E|g_B − G|² (log scale)")))
        self._legend.clear()
        self._legend.addItem(self._measured_without, self.tr("measured, no repeats (shuffle)"))
        self._legend.addItem(self._theory_without, self.tr("(N − B)/(N − 1) · tr Σ / B"))
        self._legend.addItem(self._measured_with, self.tr("measured, with replacement"))
        self._legend.addItem(self._theory_with, self.tr("tr Σ / B"))
        self.measure_button.setText(self.tr("Measure at current point"))
        self.measure_button.setToolTip(self.tr("Measure the gradient noise where the first run is now"))
        self._update_texts()

    def set_measurement(self, noise: GradientNoise | None, where: str = "") -> None:
        """Show `noise` (None: nothing measured); `where` says at which point it was taken."""
        self.noise, self.where = noise, where
        if noise is None:
            for curve in (
                self._theory_without,
                self._theory_with,
                self._measured_without,
                self._measured_with,
            ):
                curve.setData([], [])
            self._update_texts()
            return
        b = noise.batch_sizes.astype(np.float64)
        # A log axis cannot show 0: the without-replacement value at B = N is left out (the
        # readout says it is zero); the theory line runs to the last size where it is > 0.
        keep = noise.theory_without > 0
        dense = np.geomspace(1, b[-1], 200)
        n = noise.n_samples
        theory_without = noise.trace_sigma / dense * (n - dense) / max(n - 1, 1)
        positive = theory_without > 0
        self._theory_without.setData(dense[positive], theory_without[positive])
        self._theory_with.setData(dense, noise.trace_sigma / dense)
        shown = keep & (noise.without_replacement > 0)
        self._measured_without.setData(b[shown], noise.without_replacement[shown])
        self._measured_with.setData(b, noise.with_replacement)
        self.slider.blockSignals(True)
        self.slider.setRange(0, len(b) - 1)
        self.slider.setValue(min(self.slider.value(), len(b) - 1))
        self.slider.blockSignals(False)
        self.plot.getPlotItem().enableAutoRange()
        self._on_slider(self.slider.value())

    def set_pending(self) -> None:
        """The measurement is being taken: say so instead of showing an old one."""
        self.set_measurement(None)
        self.readout.setText(self.tr("Measuring… (the bar above the plots shows how far)"))

    def chosen_index(self) -> int:
        return int(self.slider.value())

    def _on_slider(self, index: int) -> None:
        if self.noise is None:
            return
        self._chosen.setValue(np.log10(float(self.noise.batch_sizes[index])))
        self._update_texts()
        self.batch_chosen.emit(index)

    def _update_texts(self) -> None:
        noise = self.noise
        if noise is None:
            self.batch_label.setText(self.tr("B = –"))
            self.readout.setText(self.tr("No measurement: this lesson does not measure gradient noise."))
            return
        k = self.chosen_index()
        b = int(noise.batch_sizes[k])
        self.batch_label.setText(self.tr("cloud for B = {b}").format(b=group_digits(b)))
        grad_sq = float(noise.full_gradient @ noise.full_gradient)
        lines = [
            self.tr("Measured {where}, {draws} batches of B = {b} each way.").format(
                where=self.where, draws=group_digits(int(noise.draws[k])), b=group_digits(b)
            ),
            self.tr(
                "B = {b}: measured {m:.4g} (no repeats) and {w:.4g} (with replacement); "
                "theory {t:.4g} and {u:.4g}."
            ).format(
                b=group_digits(b),
                m=noise.without_replacement[k],
                w=noise.with_replacement[k],
                t=noise.theory_without[k],
                u=noise.theory_with[k],
            ),
            self.tr(
                "tr Σ = {trace:.4g}, |G|² = {grad:.4g}: <b>B_simple = tr Σ / |G|² = {bs:.3g}</b> "
                "(estimated from batches of {small} and {big} alone: {est:.3g})."
            ).format(
                trace=noise.trace_sigma,
                grad=grad_sq,
                bs=noise.b_simple,
                small=noise.estimate_batches[0],
                big=noise.estimate_batches[1],
                est=noise.b_simple_estimate,
            ),
        ]
        self.readout.setText(typeset("<br>".join(lines)))
