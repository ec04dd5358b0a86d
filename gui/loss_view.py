"""Full-batch training loss of every run against iterations, epochs, samples seen or time."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from engine import HistoryRows, SessionSetup
from gui.plot_style import style_plot

# (HistoryRows column, label shown on the axis)
X_AXES = (
    ("epoch", QT_TRANSLATE_NOOP("LossView", "epoch")),
    ("iteration", QT_TRANSLATE_NOOP("LossView", "iteration")),
    ("samples_seen", QT_TRANSLATE_NOOP("LossView", "samples seen")),
    ("wall_time_s", QT_TRANSLATE_NOOP("LossView", "compute time (s)")),
)
LOSS_FLOOR = 1e-12  # log axis: a loss of exactly 0 is drawn at this floor


class LossView(QWidget):
    """A log-y plot of loss curves with a chooser for the x-axis."""

    axis_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget(background="w")
        self.plot.setObjectName("lossView")
        item = self.plot.getPlotItem()
        self._legend = style_plot(item, curves_are_functions=True)
        item.setLogMode(x=False, y=True)
        item.showGrid(x=True, y=True, alpha=0.25)
        self.axis_label = QLabel()
        self.axis_box = QComboBox()
        self.axis_box.setObjectName("lossAxisBox")
        for key, _ in X_AXES:
            self.axis_box.addItem("", key)
        self.axis_box.currentIndexChanged.connect(self._on_axis)
        bar = QHBoxLayout()
        bar.addStretch(1)
        bar.addWidget(self.axis_label)
        bar.addWidget(self.axis_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addLayout(bar)
        self._curves: dict[str, pg.PlotDataItem] = {}
        self._rows: dict[str, HistoryRows] = {}
        self.weight_name = ""  # set when the problem has a single parameter
        self.retranslate()

    @property
    def x_axis(self) -> str:
        return str(self.axis_box.currentData())

    def set_x_axis(self, key: str) -> None:
        index = self.axis_box.findData(key)
        if index < 0:
            raise ValueError(f"x-axis must be one of {', '.join(k for k, _ in X_AXES)}")
        self.axis_box.setCurrentIndex(index)

    def retranslate(self) -> None:
        item = self.plot.getPlotItem()
        if self.weight_name:  # a one-weight problem: the weight itself tells the story
            item.setTitle(self.tr("The weight {name}").format(name=self.weight_name), size="13pt")
            item.setLabel("left", self.weight_name)
        else:
            item.setTitle(self.tr("Training loss (full batch)"), size="13pt")
            item.setLabel("left", self.tr("loss (log scale)"))
        self.axis_label.setText(self.tr("x-axis:"))
        for i, (_, text) in enumerate(X_AXES):
            self.axis_box.setItemText(i, self.tr(text))
        self._label_x()

    def _label_x(self) -> None:
        text = dict(X_AXES)[self.x_axis]
        self.plot.getPlotItem().setLabel("bottom", self.tr(text))

    def set_setup(self, setup: SessionSetup) -> None:
        self.clear_runs()
        # With one parameter (Hinton's weight) the view plots that parameter, on a linear axis.
        self.weight_name = setup.param_names[0] if len(setup.param_names) == 1 else ""
        self.plot.getPlotItem().setLogMode(x=False, y=not self.weight_name)
        self.retranslate()
        order = sorted(setup.runs, key=lambda r: r.batch_size)  # noisiest underneath
        for run in setup.runs:
            long_curve = run.total_iterations > 2000  # wide, antialiased pens paint slowly
            pen = pg.mkPen(run.color, width=1 if long_curve else 2)
            curve = pg.PlotDataItem(pen=pen, name=run.label, antialias=not long_curve)
            curve.setZValue(order.index(run))
            self.plot.addItem(curve)
            self._curves[run.label] = curve

    def clear_runs(self) -> None:
        for curve in self._curves.values():
            self.plot.removeItem(curve)
        self._curves.clear()
        self._rows.clear()
        self._legend.clear()

    def update_curves(self, histories: dict[str, HistoryRows]) -> None:
        self._rows = dict(histories)
        self._redraw()

    def curve_data(self, label: str) -> tuple[np.ndarray, np.ndarray]:
        """The (x, loss) arrays the view holds for `label` (for tests and exports)."""
        rows = self._rows.get(label)
        if rows is None:
            return np.empty(0), np.empty(0)
        return self._xy(rows)

    def _xy(self, rows: HistoryRows) -> tuple[np.ndarray, np.ndarray]:
        x = np.asarray(getattr(rows, self.x_axis), dtype=np.float64)
        if self.weight_name:
            return x, rows.params[:, 0]
        return x, np.maximum(rows.loss, LOSS_FLOOR)

    def _redraw(self) -> None:
        for label, rows in self._rows.items():
            curve = self._curves.get(label)
            if curve is not None and len(rows):
                curve.setData(*self._xy(rows))

    def _on_axis(self) -> None:
        self._label_x()
        self._redraw()
        self.plot.getPlotItem().enableAutoRange()
        self.axis_changed.emit(self.x_axis)
