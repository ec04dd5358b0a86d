"""A network's accuracy per epoch: validation solid, train dashed, for every run."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt

from engine import SessionSetup
from gui.logic.readout import axis_text, index_at, value_text
from gui.views.cursor_readout import CursorReadout, ReadLine
from gui.views.loss_view import X_AXES
from gui.views.plot_style import (
    INK,
    PlotTheme,
    fit_columns,
    legend_entry,
    pt,
    relabel_legend,
    run_glyph,
    run_symbol,
    style_plot,
)


class AccuracyView(pg.PlotWidget):
    """Accuracy (%) against the loss view's x-axis; one point per measured epoch."""

    def __init__(self, parent: object = None, *, theme: PlotTheme | None = None) -> None:
        super().__init__(parent=parent, background="w")
        self.theme = theme if theme is not None else PlotTheme()
        self.setObjectName("accuracyView")
        item = self.getPlotItem()
        self._legend = style_plot(item, self.theme, curves_are_functions=True)
        item.showGrid(x=True, y=True, alpha=0.25)
        item.setYRange(0, 100, padding=0.02)
        item.getViewBox().setLimits(yMin=-2, yMax=102)
        self._val: dict[str, pg.PlotDataItem] = {}
        self._train: dict[str, pg.PlotDataItem] = {}
        self._epochs: dict[str, list[dict[str, float]]] = {}
        self._until: dict[str, int] | None = None  # replaying: each run's iteration at the playhead
        self._key = "epoch"
        self._ends: dict[str, float] = {}  # x-axis key -> where the runs end on it
        # Two entries that say which line is which (the runs' entries show the solid one).
        self._solid = pg.PlotDataItem(pen=pg.mkPen(INK, width=2.5))
        self._dashed = pg.PlotDataItem(pen=pg.mkPen(INK, width=1.5, style=Qt.PenStyle.DashLine))
        self._looks: dict[str, tuple[str, str, str]] = {}  # label -> (symbol, glyph, colour)
        self.readout = CursorReadout(self, self.theme, self._read)
        self.retranslate()

    def retranslate(self) -> None:
        item = self.getPlotItem()
        item.setTitle(self.tr("Accuracy during training"), size=pt(15, self.theme), color=INK)
        item.setLabel("left", self.tr("accuracy (% of images right)"))
        item.setLabel("bottom", QCoreApplication.translate("LossView", dict(X_AXES)[self._key]))
        relabel_legend(self._legend)
        for sample, text in self._legend.items:
            if sample.item is self._solid:
                text.setText(self.tr("validation"))
            elif sample.item is self._dashed:
                text.setText(self.tr("train"))

    def set_x_axis(self, key: str) -> None:
        self._key = key
        self.getPlotItem().setLabel("bottom", QCoreApplication.translate("LossView", dict(X_AXES)[key]))
        self._fix_x_range()
        self._redraw()

    def _fix_x_range(self) -> None:
        """The whole run from the start (its epochs, iterations and samples are known), so the
        axis does not rescale as epochs arrive; compute time grows as it goes."""
        end = self._ends.get(self._key)
        view = self.getPlotItem().getViewBox()
        if end:
            view.enableAutoRange(x=False)
            self.getPlotItem().setXRange(0, end, padding=0.02)
        else:
            view.enableAutoRange(x=True)

    def set_setup(self, setup: SessionSetup, markers: dict[str, int] | None = None) -> None:
        self.clear_runs()
        markers = markers or {}
        for index, run in enumerate(setup.runs):
            symbol = run_symbol(markers.get(run.label, index))
            self._looks[run.label] = (symbol, run_glyph(markers.get(run.label, index)), run.color)
            val = pg.PlotDataItem(
                pen=pg.mkPen(run.color, width=2.5),
                symbol=symbol,
                symbolSize=10,
                symbolBrush=run.color,
                symbolPen="w",
            )
            train = pg.PlotDataItem(pen=pg.mkPen(run.color, width=1.5, style=Qt.PenStyle.DashLine))
            for curve in (train, val):
                self.addItem(curve)
            self._val[run.label], self._train[run.label] = val, train
            self._epochs[run.label] = []
            legend_entry(self._legend, run.label, val.opts["pen"], symbol, run.color, (val, train))
        fit_columns(self._legend, [r.label for r in setup.runs])
        self._ends = {
            "epoch": max(r.total_iterations / r.iterations_per_epoch for r in setup.runs),
            "iteration": max(r.total_iterations for r in setup.runs),
            "samples_seen": max(r.total_samples for r in setup.runs),
        }
        self._fix_x_range()
        self._legend.addItem(self._solid, self.tr("validation"))
        self._legend.addItem(self._dashed, self.tr("train"))

    def clear_runs(self) -> None:
        for curve in [*self._val.values(), *self._train.values()]:
            self.removeItem(curve)
        self._val.clear()
        self._train.clear()
        self._epochs.clear()
        self._legend.clear()
        self._looks.clear()
        self.readout.hide()

    def add_epochs(self, label: str, entries: tuple[dict[str, float], ...]) -> None:
        if label in self._epochs and entries:
            self._epochs[label].extend(entries)

    def curve_data(self, label: str, which: str = "val") -> tuple[np.ndarray, np.ndarray]:
        entries = self._epochs.get(label, [])
        until = self._until.get(label) if self._until is not None else None
        if until is not None:  # the timeline's playhead: the measurements made by then
            entries = [e for e in entries if e["iteration"] <= until]
        x = np.array([e[self._key] for e in entries], dtype=np.float64)
        y = np.array([100.0 * e[f"{which}_accuracy"] for e in entries], dtype=np.float64)
        return x, y

    def _redraw(self) -> None:
        for label in self._val:
            self._val[label].setData(*self.curve_data(label, "val"))
            self._train[label].setData(*self.curve_data(label, "train"))
        self.readout.refresh()

    def _read(self, at: float, _y: float) -> list[ReadLine]:
        """The readout at x = `at`: each shown run's last measured epoch at or before it."""
        lines = []
        for label, (symbol, glyph, color) in self._looks.items():
            if not self._val[label].isVisible():
                continue
            x, val = self.curve_data(label, "val")
            _, train = self.curve_data(label, "train")
            i = index_at(x, at)
            if i is None or i >= min(len(val), len(train)):
                continue
            text = self.tr("{val} % (train {train} %)").format(
                val=value_text(float(val[i])), train=value_text(float(train[i]))
            )
            point = (float(x[i]), float(val[i]))
            lines.append(self.readout.run_line(glyph, label, text, color, point, symbol))
        if not lines:
            return []
        axis = QCoreApplication.translate("LossView", dict(X_AXES)[self._key])
        whole = self._key in ("iteration", "samples_seen")
        return [self.readout.axis_line(axis, axis_text(at, whole)), *lines]

    def update_curves(self, until: dict[str, int] | None = None) -> None:
        """Draw every measurement, or (replaying) each run's up to its iteration in `until`."""
        self._until = until
        self._redraw()
