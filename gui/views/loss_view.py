"""Full-batch training loss of every run against iterations, epochs, samples seen or time."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from engine import HistoryRows, SessionSetup
from gui.i18n import QT_TRANSLATE_NOOP
from gui.logic.readout import axis_text, index_at, value_text
from gui.logic.smoothing import DEFAULT_SMOOTHING, auto_smoothing, ema_from
from gui.views.cursor_readout import CursorReadout, ReadLine
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
from gui.views.symlog_axis import SymlogAxis, symlog

# (HistoryRows column, label shown on the axis)
X_AXES = (
    ("epoch", QT_TRANSLATE_NOOP("LossView", "epoch")),
    ("iteration", QT_TRANSLATE_NOOP("LossView", "iteration")),
    ("samples_seen", QT_TRANSLATE_NOOP("LossView", "samples seen")),
    ("wall_time_s", QT_TRANSLATE_NOOP("LossView", "compute time (s)")),
)
# SessionSetup.loss_name -> the y-axis label: what the loss is, stated on screen
LOSS_NAMES = {
    "mse": QT_TRANSLATE_NOOP("LossView", "mean squared residual (log scale)"),
    "cross_entropy": QT_TRANSLATE_NOOP("LossView", "mean cross-entropy (log scale)"),
    "welsch": QT_TRANSLATE_NOOP("LossView", "mean robust (Welsch) loss (log scale)"),
    "batch_cross_entropy": QT_TRANSLATE_NOOP("LossView", "mini-batch mean cross-entropy (log scale)"),
    "": QT_TRANSLATE_NOOP("LossView", "loss (log scale)"),
}
# The same on a linear y-axis.
LINEAR_LOSS_NAMES = {
    "mse": QT_TRANSLATE_NOOP("LossView", "mean squared residual"),
    "cross_entropy": QT_TRANSLATE_NOOP("LossView", "mean cross-entropy"),
    "welsch": QT_TRANSLATE_NOOP("LossView", "mean robust (Welsch) loss"),
    "batch_cross_entropy": QT_TRANSLATE_NOOP("LossView", "mini-batch mean cross-entropy"),
    "": QT_TRANSLATE_NOOP("LossView", "loss"),
}
LOSS_FLOOR = 1e-12  # log axis: a loss of exactly 0 is drawn at this floor
# The unsmoothed curve stays behind its smoothed one in a pale, opaque tint of the run's
# colour (this share white): thousands of B = 1 points then make a pale band, not a solid
# one, and the run's own colour is left to the smoothed line drawn over it.
RAW_TINT = 0.75
MARKS = 8  # markers along each curve (its shape tells the run apart without colour)


class LossView(QWidget):
    """A log-y plot of loss curves with a chooser for the x-axis."""

    axis_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, theme: PlotTheme | None = None) -> None:
        super().__init__(parent)
        self.theme = theme if theme is not None else PlotTheme()
        self.left_axis = SymlogAxis("left")  # symmetric log while it shows a weight
        self.plot = pg.PlotWidget(background="w", axisItems={"left": self.left_axis})
        self.plot.setObjectName("lossView")
        item = self.plot.getPlotItem()
        self._legend = style_plot(item, self.theme, curves_are_functions=True)
        item.setLogMode(x=False, y=True)
        item.showGrid(x=True, y=True, alpha=0.25)
        self.axis_label = QLabel()
        self.axis_box = QComboBox()
        self.axis_box.setObjectName("lossAxisBox")
        for key, _ in X_AXES:
            self.axis_box.addItem("", key)
        self.axis_box.currentIndexChanged.connect(self._on_axis)
        # The bar under the plot must not force the plot wider than half a 1024-px window.
        self.axis_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.axis_box.setMinimumContentsLength(6)
        self.smooth_label = QLabel()
        self.smooth_slider = QSlider(Qt.Orientation.Horizontal)
        self.smooth_slider.setObjectName("smoothingSlider")
        self.smooth_slider.setRange(0, 999)  # weight = value / 1000: 0 … 0.999
        self.smooth_slider.setValue(round(DEFAULT_SMOOTHING * 1000))
        self.smooth_slider.setMaximumWidth(220)
        self.smooth_slider.setMinimumWidth(70)
        self.smooth_slider.valueChanged.connect(self._on_smoothing)
        self.smoothing_chosen = False  # the user moved the slider: it stays where they put it
        self.smooth_value = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(self.smooth_label)
        bar.addWidget(self.smooth_slider)
        bar.addWidget(self.smooth_value)
        bar.addStretch(1)
        bar.addWidget(self.axis_label)
        bar.addWidget(self.axis_box)
        # Log or linear on either axis: a log x-axis spreads the first steps (where runs with
        # few iterations per epoch sit) over as much room as the last ones.
        self.log_x_box = QCheckBox()
        self.log_x_box.setObjectName("logX")
        self.log_y_box = QCheckBox()
        self.log_y_box.setObjectName("logY")
        self.log_y_box.setChecked(True)
        for box in (self.log_x_box, self.log_y_box):
            bar.addWidget(box)
            box.toggled.connect(self._on_log)
        # In a narrow window (1024 px) the log boxes move to a second row, so the bar never
        # makes the plot wider than its half of the window (see `resizeEvent`).
        self._bar, self._bar2 = bar, QHBoxLayout()
        self._bar2.addStretch(1)
        self.setMinimumWidth(260)  # explicit: the bar's one-row width does not bind
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addLayout(bar)
        layout.addLayout(self._bar2)
        self._curves: dict[str, pg.PlotDataItem] = {}
        self._raw: dict[str, pg.PlotDataItem] = {}  # faint, unsmoothed, behind each curve
        self._marks: dict[str, pg.PlotDataItem] = {}  # a few markers on each curve
        self._phase: dict[str, float] = {}  # where along the x-range each run's markers sit
        self._rows: dict[str, HistoryRows] = {}
        self._extent: dict[str, float] = {}  # x-axis key -> the run's known end on that axis
        self._first: dict[str, float] = {}  # x-axis key -> where the first step lands on it
        self._ipe: dict[str, int] = {}  # iterations per epoch of each run
        # label -> (weight, raw EMA state, smoothed curve so far, its last raw value)
        self._smoothed: dict[str, tuple[float, float, np.ndarray, float]] = {}
        self._finest = 1
        self.weight_name = ""  # set when the problem has a single parameter
        self.loss_name = ""  # engine's SessionSetup.loss_name
        self._looks: dict[str, tuple[str, str, str]] = {}  # label -> (symbol, glyph, colour)
        self.readout = CursorReadout(self.plot, self.theme, self._read)
        self.retranslate()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._arrange_bar(event.size().width())

    def _arrange_bar(self, width: int) -> None:
        widgets = (
            self.smooth_label,
            self.smooth_slider,
            self.smooth_value,
            self.axis_label,
            self.axis_box,
            self.log_x_box,
            self.log_y_box,
        )
        spacing = max(self._bar.spacing(), 6)
        one_row = sum(w.minimumSizeHint().width() + spacing for w in widgets) + 40
        narrow = width < one_row
        target = self._bar2 if narrow else self._bar
        for box in (self.log_x_box, self.log_y_box):
            if target.indexOf(box) < 0:
                (self._bar if narrow else self._bar2).removeWidget(box)
                target.addWidget(box)

    @property
    def x_axis(self) -> str:
        return str(self.axis_box.currentData())

    def view_state(self) -> dict[str, Any]:
        """What a scenario file keeps of this view: the x-axis, log scales and, if the user
        chose it, the smoothing (else the lesson's own, which follows the run length)."""
        state: dict[str, Any] = {
            "x_axis": self.x_axis,
            "log_x": self.log_x,
            "log_y": self.log_y_box.isChecked(),
        }
        if self.smoothing_chosen:
            state["smoothing"] = self.smoothing
        return state

    def apply_view_state(self, state: Mapping[str, Any]) -> None:
        """Show what `view_state` kept (missing keys leave the view as it is)."""
        if "x_axis" in state:
            self.set_x_axis(state["x_axis"])
        if "log_x" in state:
            self.log_x_box.setChecked(state["log_x"])
        if "log_y" in state:
            self.log_y_box.setChecked(state["log_y"])
        if "smoothing" in state:
            self.set_smoothing(state["smoothing"])

    def set_smoothing(self, weight: float) -> None:
        """The smoothing weight (0 … 0.999), as if the user had moved the slider."""
        self.smooth_slider.setValue(round(weight * 1000))

    def chosen_smoothing(self) -> float | None:
        """The smoothing the user chose, or None while the lesson's own is shown."""
        return self.smoothing if self.smoothing_chosen else None

    def forget_chosen_smoothing(self) -> None:
        """The lesson's own smoothing again, from the next session on."""
        self.smoothing_chosen = False

    def set_x_axis(self, key: str) -> None:
        index = self.axis_box.findData(key)
        if index < 0:
            raise ValueError(f"x-axis must be one of {', '.join(k for k, _ in X_AXES)}")
        self.axis_box.setCurrentIndex(index)

    def name_loss(self, loss_name: str) -> None:
        """Which loss the curves will show (engine's loss names): the title and y label say it."""
        self.loss_name = loss_name
        self.retranslate()

    def retranslate(self) -> None:
        item = self.plot.getPlotItem()
        if self.weight_name:  # a one-weight problem: the weight itself tells the story
            item.setTitle(
                self.tr("The weight {name}").format(name=self.weight_name), size=pt(15, self.theme), color=INK
            )
            item.setLabel("left", self.tr("{name} (symmetric log scale)").format(name=self.weight_name))
        else:
            if self.loss_name == "batch_cross_entropy":
                title = self.tr("Loss on each step's mini-batch")
            else:
                title = self.tr("Training loss on all N samples")
            item.setTitle(title, size=pt(15, self.theme), color=INK)
            names = LOSS_NAMES if self.log_y else LINEAR_LOSS_NAMES
            item.setLabel("left", self.tr(names.get(self.loss_name, names[""])))
        relabel_legend(self._legend)
        self.axis_label.setText(self.tr("x-axis:"))
        self.log_x_box.setText(self.tr("log x"))
        self.log_y_box.setText(self.tr("log y"))
        self.log_x_box.setToolTip(self.tr("Logarithmic x-axis: the first steps get as much room as the last"))
        self.smooth_label.setText(self.tr("Smoothing:"))
        self.smooth_slider.setToolTip(
            self.tr("Exponential moving average with bias correction (as in TensorBoard); 0 = off")
        )
        self.smooth_value.setText(f"{self.smoothing:.3f}".rstrip("0").rstrip(".") or "0")
        for i, (_, text) in enumerate(X_AXES):
            self.axis_box.setItemText(i, self.tr(text))
        self._label_x()

    def _label_x(self) -> None:
        text = dict(X_AXES)[self.x_axis]
        self.plot.getPlotItem().setLabel("bottom", self.tr(text))

    def set_setup(self, setup: SessionSetup, markers: dict[str, int] | None = None) -> None:
        """New runs; `markers` gives each label its marker (default: its place in the setup)."""
        self.clear_runs()
        markers = markers or {}
        # With one parameter (Hinton's weight) the view plots that parameter, on a linear axis.
        self.weight_name = setup.param_names[0] if len(setup.param_names) == 1 else ""
        self.loss_name = setup.loss_name
        self.left_axis.symlog = bool(self.weight_name)
        self.log_y_box.setEnabled(not self.weight_name)  # a weight has its symmetric-log axis
        self._apply_log_mode()
        self.retranslate()
        order = sorted(setup.runs, key=lambda r: r.batch_size)  # noisiest underneath
        self._phase = {r.label: (i + 0.5) / len(setup.runs) for i, r in enumerate(setup.runs)}
        for index, run in enumerate(setup.runs):
            long_curve = run.total_iterations > 2000  # wide, antialiased pens paint slowly
            color = pg.mkColor(run.color)
            faint = pg.mkColor(*(round(c + (255 - c) * RAW_TINT) for c in color.getRgb()[:3]))
            raw = pg.PlotDataItem(pen=pg.mkPen(faint, width=1), antialias=False)
            raw.setZValue(order.index(run))
            self.plot.addItem(raw)
            self._raw[run.label] = raw
            pen = pg.mkPen(run.color, width=1.5 if long_curve else 2.5)
            curve = pg.PlotDataItem(pen=pen, antialias=not long_curve)
            curve.setZValue(100 + order.index(run))
            self.plot.addItem(curve)
            self._curves[run.label] = curve
            symbol = run_symbol(markers.get(run.label, index))
            self._looks[run.label] = (symbol, run_glyph(markers.get(run.label, index)), run.color)
            marks = pg.PlotDataItem(
                pen=None, symbol=symbol, symbolSize=11, symbolBrush=run.color, symbolPen="w"
            )
            marks.setZValue(200 + order.index(run))
            self.plot.addItem(marks)
            self._marks[run.label] = marks
            legend_entry(self._legend, run.label, pen, symbol, run.color, (raw, curve, marks))
        fit_columns(self._legend, [r.label for r in setup.runs])
        self._ipe = {r.label: r.iterations_per_epoch for r in setup.runs}
        self._finest = max(self._ipe.values())
        if not self.smoothing_chosen:
            finest = max(setup.runs, key=lambda r: r.iterations_per_epoch)
            self.smooth_slider.blockSignals(True)
            self.smooth_slider.setValue(round(1000 * auto_smoothing(finest.total_iterations)))
            self.smooth_slider.blockSignals(False)
            self.retranslate()  # the value shown beside the slider
        # The runs' lengths are known in advance: the x-axis spans them from the start, so it
        # does not rescale under the audience's eyes (compute time alone grows as it goes).
        self._extent = {
            "epoch": max(r.total_iterations / r.iterations_per_epoch for r in setup.runs),
            "iteration": float(max(r.total_iterations for r in setup.runs)),
            "samples_seen": float(max(r.total_samples for r in setup.runs)),
        }
        # Where the first step lands on each axis: the left end of a log x-axis.
        self._first = {
            "epoch": 1.0 / self._finest,
            "iteration": 1.0,
            "samples_seen": float(min(r.batch_size for r in setup.runs)),
        }
        self._fix_x_range()

    def clear_runs(self) -> None:
        for curve in [*self._curves.values(), *self._raw.values(), *self._marks.values()]:
            self.plot.removeItem(curve)
        self._curves.clear()
        self._raw.clear()
        self._marks.clear()
        self._smoothed.clear()
        self._rows.clear()
        self._legend.clear()
        self._looks.clear()
        self.readout.hide()

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
        """The run's (x, y); a log x-axis leaves out the start (x = 0 has no logarithm)."""
        x = np.asarray(getattr(rows, self.x_axis), dtype=np.float64)
        y = rows.params[:, 0] if self.weight_name else np.maximum(rows.loss, LOSS_FLOOR)
        if self.log_x:
            keep = x > 0
            return x[keep], y[keep]
        return x, y

    @property
    def log_x(self) -> bool:
        return self.log_x_box.isChecked()

    @property
    def log_y(self) -> bool:
        return self.log_y_box.isChecked() and not self.weight_name

    def _apply_log_mode(self) -> None:
        self.plot.getPlotItem().setLogMode(x=self.log_x, y=self.log_y)

    def _on_log(self) -> None:
        self._smoothed.clear()  # the curves now start at another row
        self._apply_log_mode()
        self.retranslate()
        self._fix_x_range()
        self._redraw()

    @property
    def smoothing(self) -> float:
        return self.smooth_slider.value() / 1000

    def smoothed_data(self, label: str) -> tuple[np.ndarray, np.ndarray]:
        """The (x, smoothed y) the view draws boldly for `label` (for tests)."""
        x, y = self.curve_data(label)
        return x, self._smooth(y, label)

    def weight_of(self, label: str) -> float:
        """The EMA weight used for `label`: the slider's, scaled to the run's epoch length."""
        ratio = self._finest / max(self._ipe.get(label, self._finest), 1)
        return float(self.smoothing**ratio) if self.smoothing > 0 else 0.0

    def _smooth(self, y: np.ndarray, label: str, cache: bool = False) -> np.ndarray:
        """The smoothed curve; with `cache`, a curve that only grew is extended, not redone."""
        weight = self.weight_of(label)
        if self.weight_name or weight <= 1e-6:
            return y  # a weight's path is not noise to smooth away
        # On the log scale the axis shows (a geometric mean of nearby losses). Histories only
        # grow between frames, unless thinning rewrote their old rows (then they got shorter).
        state, done, last = 0.0, np.empty(0), np.nan
        cached = self._smoothed.get(label) if cache else None
        if cached is not None and cached[0] == weight:
            _, state, done, last = cached
            n = len(done)
            if n > len(y) or float(y[n - 1]) != last:
                state, done = 0.0, np.empty(0)
        n = len(done)
        new, state = ema_from(np.log10(y[n:]), weight, state, n)
        smoothed = np.concatenate([done, np.power(10.0, new)])
        if cache and len(y):
            self._smoothed[label] = (weight, state, smoothed, float(y[-1]))
        return smoothed

    def _ceiling(self) -> float:
        """Losses above this are not drawn: a decade above the highest start (1.5× if linear).

        A diverging run (the point of the lr-scaling lesson) then leaves through the top of
        the plot instead of stretching the axis to 10⁶ and flattening every other curve.
        """
        starts = [float(r.loss[0]) for r in self._rows.values() if len(r)]
        if self.weight_name or not starts or not np.isfinite(max(starts)):
            return np.inf
        return max(max(starts), LOSS_FLOOR) * (10.0 if self.log_y else 1.5)

    def _redraw(self) -> None:
        smoothing = self.smoothing > 0 and not self.weight_name
        ceiling = self._ceiling()
        for label, rows in self._rows.items():
            curve = self._curves.get(label)
            if curve is None or not len(rows):
                continue
            x, y = self._xy(rows)
            if self.weight_name:  # a weight: symmetric log, so ±0.01 and −34 000 both read
                y = symlog(y)
            shown = self._smooth(y, label, cache=True)
            self._place_marks(label, x, shown, ceiling)
            curve.setData(x, np.where(shown <= ceiling, shown, np.nan))
            if smoothing:
                self._raw[label].setData(x, np.where(y <= ceiling, y, np.nan))
            else:
                self._raw[label].setData([], [])
        if self.x_axis == "wall_time_s":
            self._fix_x_range()
        self.readout.refresh()

    def _read(self, at: float, _y: float) -> list[ReadLine]:
        """The readout at x = `at`: each shown run's bold curve at its last point at or before
        `at` (gui/logic/readout.py says why not interpolated); nothing for a run not there yet."""
        lines = []
        for label, (symbol, glyph, color) in self._looks.items():
            rows, curve = self._rows.get(label), self._curves.get(label)
            if rows is None or curve is None or not curve.isVisible() or not len(rows):
                continue
            x, y = self._xy(rows)
            shown = self._smooth(y, label, cache=True)  # the smoothed curve as drawn (or y itself)
            i = index_at(x, at)
            if i is None or i >= len(shown):
                continue
            value = float(shown[i])
            drawn = float(symlog(shown[i : i + 1])[0]) if self.weight_name else value
            point = (float(x[i]), drawn)
            lines.append(self.readout.run_line(glyph, label, value_text(value), color, point, symbol))
        if not lines:
            return []
        whole = self.x_axis in ("iteration", "samples_seen")
        return [self.readout.axis_line(self.tr(dict(X_AXES)[self.x_axis]), axis_text(at, whole)), *lines]

    def _place_marks(self, label: str, x: np.ndarray, y: np.ndarray, ceiling: float = np.inf) -> None:
        """`MARKS` markers spread over the x-range, each run's shifted so they do not overlap."""
        end = self._extent.get(self.x_axis) or (float(x[-1]) if len(x) else 0.0)
        steps = (np.arange(MARKS) + self._phase.get(label, 0.5)) / MARKS
        first = self._first.get(self.x_axis) or (float(x[0]) if len(x) else 0.0)
        if self.log_x and 0 < first < end:  # evenly spread on the log axis
            at = first * (end / first) ** steps
        else:
            at = steps * end
        at = at[at <= x[-1]] if len(x) else at[:0]
        if len(at) and len(x) > 1 and np.all(np.diff(x) >= 0):
            if not self.log_y:
                on = np.interp(at, x, y)
            else:  # log axis: interpolate the logarithm
                on = np.power(10.0, np.interp(at, x, np.log10(y)))
            keep = on <= ceiling  # none above the top of the plot
            self._marks[label].setData(at[keep], on[keep])
        else:
            self._marks[label].setData([], [])

    def _fix_x_range(self) -> None:
        item = self.plot.getPlotItem()
        end = self._extent.get(self.x_axis)
        if end is None:  # compute time: from 0 to the latest time, grown in steps of 1.5×
            latest = max((float(r.wall_time_s[-1]) for r in self._rows.values() if len(r)), default=0.0)
            (_, shown), _ = item.getViewBox().viewRange()
            shown = 10.0 ** min(shown, 12.0) if self.log_x else shown  # a log axis's range is log10
            end = shown if 0 < latest <= shown and shown < 1e9 else max(1.5 * latest, 1e-3)
        item.enableAutoRange(x=False)
        if not self.log_x:
            item.setXRange(0.0, max(end, 1e-9), padding=0.02)
            return
        first = self._first.get(self.x_axis)
        if first is None:  # compute time: the first step's time, once there is one
            times = [float(r.wall_time_s[1]) for r in self._rows.values() if len(r) > 1]
            first = min((t for t in times if t > 0), default=end / 1000)
        first = min(first, end / 10)
        item.setXRange(float(np.log10(first)), float(np.log10(end)), padding=0.02)

    def _on_smoothing(self) -> None:
        self.smoothing_chosen = True
        self.retranslate()
        self._redraw()

    def _on_axis(self) -> None:
        self._label_x()
        self._fix_x_range()
        self._redraw()
        self.axis_changed.emit(self.x_axis)
