"""Memory of one training step against B (log-log): the sizes measured, the line through the
two smallest that predicts every other, the budget, and the sizes refused beyond it."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from engine import SweepResult, format_bytes
from gui.logic.log_ticks import batch_ticks, value_ticks
from gui.logic.numbers import group_digits
from gui.views.plot_style import INK, PlotTheme, font_of, pt, style_plot

MEASURED = "#0072b2"
PREDICTED = "#555555"
BUDGET = "#d55e00"


class MemoryView(QWidget):
    def __init__(self, parent: QWidget | None = None, *, theme: PlotTheme | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("memoryView")
        self.theme = theme if theme is not None else PlotTheme()
        self.plot = pg.PlotWidget(background="w")
        item = self.plot.getPlotItem()
        self._legend = style_plot(item, self.theme, curves_are_functions=False, inside=(0, 0))
        # Memory rises to the right: the bottom right is free for the legend.
        self._legend.anchor(itemPos=(1, 1), parentPos=(1, 1), offset=(-10, -10))
        item.setLogMode(x=True, y=True)
        item.showGrid(x=True, y=True, alpha=0.25)
        self.line = pg.PlotDataItem(pen=pg.mkPen(PREDICTED, width=2, style=Qt.PenStyle.DashLine))
        self.measured = pg.PlotDataItem(
            pen=None, symbol="o", symbolSize=12, symbolBrush=MEASURED, symbolPen="w"
        )
        self.refused = pg.PlotDataItem(
            pen=None, symbol="x", symbolSize=16, symbolBrush=BUDGET, symbolPen=pg.mkPen(BUDGET, width=2)
        )
        for curve in (self.line, self.measured, self.refused):
            item.addItem(curve)
        self.budget = pg.InfiniteLine(
            angle=0,
            pen=pg.mkPen(BUDGET, width=2.5, style=Qt.PenStyle.DashLine),
            label="",
            labelOpts={
                "position": 0.08,
                "color": BUDGET,
                "fill": (255, 255, 255, 220),
                "anchors": [(0, 1), (0, 1)],
            },
        )
        self.budget.hide()
        item.addItem(self.budget)  # in the range: the budget is the point of this view
        self.readout = QLabel()
        self.readout.setObjectName("memoryReadout")
        self.readout.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.readout)
        self.sweep: SweepResult | None = None
        self.retranslate()

    def retranslate(self) -> None:
        item = self.plot.getPlotItem()
        item.setTitle(
            self.tr("Memory of one training step against batch size"), size=pt(15, self.theme), color=INK
        )
        item.setLabel("bottom", self.tr("batch size B (log scale)"))
        item.setLabel("left", self.tr("bytes (log scale)"))
        self._legend.clear()
        self._legend.addItem(self.measured, self.tr("measured"))
        self._legend.addItem(self.line, self.tr("predicted: fixed part + per sample × B"))
        self._legend.addItem(self.refused, self.tr("predicted, not run: over the budget"))
        self.set_result(self.sweep)

    def set_result(self, sweep: SweepResult | None) -> None:
        self.sweep = sweep
        if sweep is None or sweep.memory_line is None:
            for curve in (self.line, self.measured, self.refused):
                curve.setData([], [])
            self.budget.hide()
            self.readout.setText(self.tr("Memory is measured when the sweep starts."))
            return
        line = sweep.memory_line
        sizes = np.array(sweep.batch_sizes, dtype=np.float64)
        dense = np.geomspace(sizes.min(), sizes.max(), 100)
        self.line.setData(dense, line.fixed + line.per_sample * dense)
        ok = [c for c in sweep.costs if c.status == "ok"]
        refused = [c for c in sweep.costs if c.status == "out_of_memory" and math.isfinite(c.memory_bytes)]
        self.measured.setData([c.batch_size for c in ok], [c.memory_bytes for c in ok])
        self.refused.setData([c.batch_size for c in refused], [c.memory_bytes for c in refused])
        item = self.plot.getPlotItem()
        item.getAxis("bottom").setTicks([batch_ticks(sweep.batch_sizes), []])
        shown = [c.memory_bytes for c in sweep.costs if math.isfinite(c.memory_bytes) and c.memory_bytes > 0]
        shown += [sweep.budget_bytes] if math.isfinite(sweep.budget_bytes) else []
        ticks = (
            [(pos, _size(10**pos)) for pos, _ in value_ticks(min(shown) / 2, max(shown) * 2)] if shown else []
        )
        item.getAxis("left").setTicks([ticks, []] if ticks else None)
        if math.isfinite(sweep.budget_bytes):
            self.budget.setValue(math.log10(sweep.budget_bytes))
            self.budget.label.setFont(font_of(self.theme, 12, bold=True))  # read from the back row
            self.budget.label.setFormat(
                self.tr("budget {size}").format(size=format_bytes(sweep.budget_bytes))
            )
            self.budget.show()
        else:
            self.budget.hide()
        lines = [
            self.tr(
                "One step needs {fixed} plus {per} per sample (the line through B = {a} and {b}); "
                "every other size is measured where it was run."
            ).format(
                fixed=format_bytes(max(line.fixed, 0.0)),
                per=format_bytes(line.per_sample),
                a=group_digits(sweep.line_sizes[0]),
                b=group_digits(sweep.line_sizes[1]),
            )
        ]
        if math.isfinite(sweep.budget_bytes) and line.per_sample > 0:
            lines.append(
                self.tr("Budget {budget}: the largest batch that fits is about B = {b}.").format(
                    budget=format_bytes(sweep.budget_bytes),
                    b=group_digits(_about(line.largest_within(sweep.budget_bytes))),
                )
            )
        if refused:
            lines.append(
                self.tr("Not run (predicted): {sizes}.").format(
                    sizes=", ".join(
                        f"B = {group_digits(c.batch_size)}: {format_bytes(c.memory_bytes)}" for c in refused
                    )
                )
            )
        self.readout.setText(" ".join(lines))


def _size(n: float) -> str:
    """A tick's size: "3 MB", "30 MB", "1 GB" (format_bytes's trailing ".0" dropped)."""
    return format_bytes(n).replace(".0 ", " ")


def _about(b: int) -> int:
    """A size quoted as "about": three significant figures (20 764 → 20 800)."""
    digits = max(len(str(b)) - 3, 0)
    return int(round(b, -digits))
