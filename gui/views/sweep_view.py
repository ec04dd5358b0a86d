"""The batch-size sweep against B (log scale): steps to the target with the large-batch law's
fit, B_crit and B_simple marked; time and epochs to the target relative to their least; the
final validation accuracy; any other measure, chosen; and the rows as a sortable table.

Fed `SweepResult`s as the sweep goes (partial ones fill it in live). Every figure is a mean
over seeds, the spread (least to most) drawn as a bar through it.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QSplitter, QVBoxLayout, QWidget

from engine import SweepResult, SweepRow
from gui.i18n import QT_TRANSLATE_NOOP
from gui.logic.log_ticks import batch_ticks, value_ticks
from gui.logic.numbers import group_digits, typeset
from gui.views.plot_style import INK, PlotTheme, pt, style_plot
from gui.views.sweep_table import SweepTable

MEAN = "#0072b2"  # Okabe & Ito blue: means over seeds
SEEDS = "#7a7a7a"  # each seed's own point
FIT = "#d55e00"  # vermillion: the fitted law, B_crit
NOISE = "#009e73"  # bluish green: B_simple
EPOCHS = "#cc79a7"  # reddish purple: epochs to target

# Measures the fourth plot may show: (SweepRow field, its name, log y)
MEASURES = (
    ("samples_per_s", QT_TRANSLATE_NOOP("SweepView", "samples per second (timed alone)"), True),
    ("seconds_per_epoch", QT_TRANSLATE_NOOP("SweepView", "seconds per epoch (timed alone)"), True),
    ("peak_memory_mb", QT_TRANSLATE_NOOP("SweepView", "memory of one step (MB)"), True),
    ("epochs_to_target", QT_TRANSLATE_NOOP("SweepView", "epochs to the target"), True),
    ("seconds_to_target", QT_TRANSLATE_NOOP("SweepView", "seconds to the target"), True),
    ("final_train_loss", QT_TRANSLATE_NOOP("SweepView", "final training loss"), True),
    ("generalization_gap", QT_TRANSLATE_NOOP("SweepView", "train − validation accuracy"), False),
    ("lr", QT_TRANSLATE_NOOP("SweepView", "learning rate used"), True),
)


COST_COLUMNS = ("samples_per_s", "seconds_per_epoch", "peak_memory_mb")


def _cost_rows(sweep: SweepResult) -> tuple[SweepRow, ...]:
    """One row per size timed so far, holding only its cost (for the cost measures' plot)."""
    return tuple(SweepRow.of_cost(c, 0, 0.0) for c in sweep.costs if c.status == "ok")


def spread(rows: tuple[SweepRow, ...], column: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Per batch size with values: (B, mean, least, most) of `column`."""
    values: dict[int, list[float]] = {}
    for r in rows:
        v = getattr(r, column)
        if v is not None and math.isfinite(v):
            values.setdefault(r.batch_size, []).append(float(v))
    b = np.array(sorted(values), dtype=np.float64)
    mean = np.array([np.mean(values[int(k)]) for k in b])
    low = np.array([min(values[int(k)]) for k in b])
    high = np.array([max(values[int(k)]) for k in b])
    return b, mean, low, high


class _Measure:
    """One measure's drawing on a plot: each seed's points, the means joined, the spreads."""

    def __init__(self, item: pg.PlotItem, color: str, symbol: str) -> None:
        self.seeds = pg.PlotDataItem(pen=None, symbol="o", symbolSize=6, symbolBrush=SEEDS, symbolPen=None)
        self.bars = pg.PlotDataItem(pen=pg.mkPen(color, width=2), connect="pairs")
        self.mean = pg.PlotDataItem(
            pen=pg.mkPen(color, width=2.5), symbol=symbol, symbolSize=11, symbolBrush=color, symbolPen="w"
        )
        for curve in (self.seeds, self.bars, self.mean):
            item.addItem(curve)

    def show(self, rows: tuple[SweepRow, ...], column: str, scale: float = 1.0) -> np.ndarray:
        b, mean, low, high = spread(rows, column)
        points = [(r.batch_size, getattr(r, column)) for r in rows if getattr(r, column) is not None]
        xs = np.array([p[0] for p in points], dtype=np.float64)
        ys = np.array([p[1] for p in points], dtype=np.float64) * scale
        keep = np.isfinite(ys)
        self.seeds.setData(xs[keep], ys[keep])
        self.mean.setData(b, mean * scale)
        self.bars.setData(np.repeat(b, 2), np.column_stack([low, high]).ravel() * scale)
        return b

    def clear(self) -> None:
        for curve in (self.seeds, self.bars, self.mean):
            curve.setData([], [])


class SweepView(QWidget):
    def __init__(self, parent: QWidget | None = None, *, theme: PlotTheme | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sweepView")
        self.theme = theme if theme is not None else PlotTheme()
        self.readout = QLabel()
        self.readout.setObjectName("sweepReadout")
        self.readout.setWordWrap(True)
        self.readout.setTextFormat(Qt.TextFormat.RichText)
        # Legends below the two plots with marker lines (their labels sit at the top).
        self.steps_plot = self._plot(True, None)
        self.time_plot = self._plot(True, None)  # both ends high: the legend goes below
        self.accuracy_plot = self._plot(False)
        self.other_plot = self._plot(True)
        steps, time_, accuracy, other = (p.getPlotItem() for p in self._plots())
        self.steps = _Measure(steps, MEAN, "s")
        self.fit = pg.PlotDataItem(pen=pg.mkPen(FIT, width=2.5, style=Qt.PenStyle.DashLine))
        steps.addItem(self.fit)
        self.b_crit = self._marker(steps, FIT, Qt.PenStyle.DashLine)
        self.b_simple = (
            self._marker(steps, NOISE, Qt.PenStyle.DotLine),
            self._marker(steps, NOISE, Qt.PenStyle.DotLine),
        )
        self.time = _Measure(time_, MEAN, "s")
        self.epochs = _Measure(time_, EPOCHS, "t")
        self.best = self._marker(time_, MEAN, Qt.PenStyle.DashLine)
        self.accuracy = _Measure(accuracy, MEAN, "s")
        self.other = _Measure(other, MEAN, "s")
        self.chooser = QComboBox()
        self.chooser.setObjectName("sweepMeasure")
        self.chooser.currentIndexChanged.connect(self._on_chosen)
        self.table = SweepTable()
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        for i, plot in enumerate(self._plots()):
            grid.addWidget(plot, i // 2, i % 2)
        plots = QWidget()
        plots.setLayout(grid)
        chooser_row = QHBoxLayout()
        self.chooser_label = QLabel()
        chooser_row.addStretch(1)
        chooser_row.addWidget(self.chooser_label)
        chooser_row.addWidget(self.chooser)
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(self.readout)
        top_layout.addWidget(plots, 1)
        top_layout.addLayout(chooser_row)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(top)
        split.addWidget(self.table)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 1)
        split.setSizes([800, 120])  # the table: a few rows (drag the handle for more)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self.sweep: SweepResult | None = None
        self.epochs_total = 0
        self.retranslate()

    def _plots(self) -> tuple[pg.PlotWidget, ...]:
        return (self.steps_plot, self.time_plot, self.accuracy_plot, self.other_plot)

    def _plot(self, log_y: bool, corner: tuple[float, float] | None = (1.0, 0.0)) -> pg.PlotWidget:
        """A plot with its legend inside, at `corner` of the data area (x, y: 0 left/top, 1
        right/bottom), or below it (None: where every corner holds data). Legends below took a
        third of the height at 1280×720: one row of short entries."""
        plot = pg.PlotWidget(background="w")
        item = plot.getPlotItem()
        legend = style_plot(
            item, self.theme, curves_are_functions=False, inside=None if corner is None else (0, 0)
        )
        if corner is not None:
            offset = (10 if corner[0] < 0.5 else -10 if corner[0] > 0.5 else 0, 6 if corner[1] < 0.5 else -6)
            legend.anchor(itemPos=corner, parentPos=corner, offset=offset)
        legend.setColumnCount(3)
        item.setLogMode(x=True, y=log_y)
        item.showGrid(x=True, y=True, alpha=0.25)
        return plot

    @staticmethod
    def _marker(item: pg.PlotItem, color: str, style: Qt.PenStyle) -> pg.InfiniteLine:
        line = pg.InfiniteLine(
            angle=90,
            pen=pg.mkPen(color, width=2, style=style),
            label="",
            labelOpts={
                "position": 0.92,
                "color": color,
                "fill": (255, 255, 255, 220),
                "anchors": [(0, 0), (0, 0)],
            },
        )
        line.hide()
        item.addItem(line, ignoreBounds=True)
        return line

    # ----- texts -----

    def retranslate(self) -> None:
        titles = (
            self.tr("Steps to the target"),
            self.tr("Time and epochs to the target ÷ their least"),
            self.tr("Validation accuracy at the end (%)"),
            "",
        )
        for plot, title in zip(self._plots(), titles, strict=True):
            item = plot.getPlotItem()
            if title:  # the fourth plot is titled by the measure it shows
                item.setTitle(title, size=pt(14, self.theme), color=INK)
            item.setLabel("bottom", self.tr("batch size B (log scale)"))
        self.steps_plot.getPlotItem().setLabel("left", self.tr("steps"))
        legend = self.steps_plot.getPlotItem().legend
        legend.clear()
        legend.addItem(self.steps.mean, self.tr("mean"))
        legend.addItem(self.steps.seeds, self.tr("each seed"))
        legend.addItem(self.fit, self.tr("fitted law"))
        legend = self.time_plot.getPlotItem().legend
        legend.clear()
        legend.addItem(self.time.mean, self.tr("time"))
        legend.addItem(self.epochs.mean, self.tr("epochs"))
        self.chooser_label.setText(self.tr("Fourth plot:"))
        chosen = max(self.chooser.currentIndex(), 0)
        self.chooser.blockSignals(True)
        self.chooser.clear()
        for _, name, _ in MEASURES:
            self.chooser.addItem(QCoreApplication.translate("SweepView", name))
        self.chooser.setCurrentIndex(chosen)
        self.chooser.blockSignals(False)
        self.set_result(self.sweep, self.epochs_total)

    def _on_chosen(self, _index: int) -> None:
        self.set_result(self.sweep, self.epochs_total)

    # ----- data -----

    def set_result(self, sweep: SweepResult | None, epochs: int = 0) -> None:
        """Show `sweep` (None: nothing yet); `epochs` is the budget each size trains for."""
        self.sweep, self.epochs_total = sweep, epochs
        self.table.set_result(sweep)
        if sweep is None:
            for m in (self.steps, self.time, self.epochs, self.accuracy, self.other):
                m.clear()
            self.fit.setData([], [])
            for line in (self.b_crit, self.best, *self.b_simple):
                line.hide()
            self.readout.setText(self.tr("No sweep yet: it runs after the lesson's own runs."))
            return
        rows = sweep.rows
        self.steps.show(rows, "steps_to_target")
        self._show_fit(sweep)
        self._show_time(sweep)
        self.accuracy.show(rows, "val_accuracy", 100.0)
        column, name, log_y = MEASURES[max(self.chooser.currentIndex(), 0)]
        other = self.other_plot.getPlotItem()
        other.setLogMode(x=True, y=log_y)
        other.setLabel("left", QCoreApplication.translate("SweepView", name))
        other.setTitle(QCoreApplication.translate("SweepView", name), size=pt(14, self.theme), color=INK)
        other.setLabel("left", "")
        # The cost measures are known once each size is timed, before any seed has trained.
        shown = _cost_rows(sweep) if column in COST_COLUMNS else rows
        self.other.show(shown, column, 100.0 if column == "generalization_gap" else 1.0)
        self._set_ticks(sweep)
        self.readout.setText(typeset("<br>".join(self._lines(sweep))))

    def _set_ticks(self, sweep: SweepResult) -> None:
        """Batch sizes as themselves on every x axis; readable 1-2-5 ticks on the log y axes."""
        low, high = math.log10(min(sweep.batch_sizes)), math.log10(max(sweep.batch_sizes))
        for plot in self._plots():
            item = plot.getPlotItem()
            # The whole grid from the start (a live sweep fills it in, the axis stays put).
            item.setXRange(low, high, padding=0.1)
            # pyqtgraph's format: a list of levels, each a list of (position, label). A level
            # that is not such a list (a tuple of two lists) crashed the second paint.
            item.getAxis("bottom").setTicks([batch_ticks(sweep.batch_sizes), []])
            log_y = item.ctrl.logYCheck.isChecked()
            values = [
                y
                for curve in item.listDataItems()
                for y in (curve.yData if curve.yData is not None else [])
                if np.isfinite(y) and y > 0
            ]
            if not values:  # nothing yet: no made-up ticks (a log axis crowds "2 3 4 … 9")
                item.getAxis("left").setTicks([[], []])
                continue
            ticks = value_ticks(min(values), max(values)) if log_y else None
            item.getAxis("left").setTicks([ticks, []] if ticks else None)

    def _show_fit(self, sweep: SweepResult) -> None:
        fit = sweep.steps_fit
        valid = fit is not None and fit.scale > 0 and fit.b_crit > 0
        if fit is not None and valid:
            dense = np.geomspace(min(sweep.batch_sizes), max(sweep.batch_sizes), 100)
            self.fit.setData(dense, fit.predict(dense, "steps"))
            self.b_crit.setValue(math.log10(fit.b_crit))
            _mark(self.b_crit, typeset(f"B_crit ≈ {fit.b_crit:.3g}"), 0.97, pt(11, self.theme))
            self.b_crit.show()
        else:
            self.fit.setData([], [])
            self.b_crit.hide()
        for line, noise, where in zip(
            self.b_simple,
            (sweep.noise_start, sweep.noise_midway),
            (self.tr("start"), self.tr("midway")),
            strict=True,
        ):
            value = noise.b_simple if noise is not None else None
            if value is not None and value > 0:
                line.setValue(math.log10(value))
                text = typeset(f"B_simple ≈ {value:.3g}") + f" ({where})"
                _mark(line, text, 0.84 if line is self.b_simple[0] else 0.71, pt(11, self.theme))
                line.show()
            else:
                line.hide()

    def _show_time(self, sweep: SweepResult) -> None:
        rows = sweep.rows
        _, mean, _, _ = spread(rows, "seconds_to_target")
        if len(mean):
            self.time.show(rows, "seconds_to_target", 1.0 / float(mean.min()))
            best = sweep.time_optimal_batch()
            if best is not None:
                self.best.setValue(math.log10(best))
                text = self.tr("least time: B = {b}").format(b=group_digits(best))
                _mark(self.best, text, 0.97, pt(11, self.theme))
                self.best.show()
        else:
            self.time.clear()
            self.best.hide()
        _, epochs, _, _ = spread(rows, "epochs_to_target")
        if len(epochs):
            self.epochs.show(rows, "epochs_to_target", 1.0 / float(epochs.min()))
        else:
            self.epochs.clear()
        self.time_plot.getPlotItem().setLabel("left", self.tr("× the least"))

    def _lines(self, sweep: SweepResult) -> list[str]:
        phase = self._phase_text(sweep)
        lines = [self.tr("Sweep: {phase}").format(phase=phase) if phase else "", self._rule_text(sweep)]
        fit = sweep.steps_fit
        if sweep.target is None:
            lines.append(self.tr("No target is set: the sweep compares the final figures only."))
        elif fit is not None and fit.scale > 0 and fit.b_crit > 0:
            lines.append(
                self.tr(
                    "Fit of the steps to {target} over {points} runs: S_min = {s:.3g} ± {s_se:.2g} steps, "
                    "<b>B_crit = {b:.3g} ± {b_se:.2g}</b>."
                ).format(
                    target=self._target_text(sweep),
                    points=fit.points,
                    s=fit.scale,
                    s_se=fit.scale_se,
                    b=fit.b_crit,
                    b_se=fit.b_crit_se,
                )
            )
        elif fit is not None:
            lines.append(self.tr("The law S = S_min · (1 + B_crit / B) does not fit these points."))
        start = sweep.noise_start.b_simple if sweep.noise_start is not None else None
        mid = sweep.noise_midway.b_simple if sweep.noise_midway is not None else None
        if start is not None:
            text = self.tr("Gradient noise scale B_simple = {v:.3g} at the start").format(v=start)
            if mid is not None and sweep.midway is not None:
                text += self.tr(", {v:.3g} midway (B = {b}, after {e:g} epochs)").format(
                    v=mid, b=sweep.midway[0], e=sweep.midway[1]
                )
            lines.append(text + self.tr("."))
        best = sweep.time_optimal_batch()
        if best is not None and sweep.finished:
            lines.append(
                self.tr("Least time to the target on this machine: B = {b} (each size timed alone).").format(
                    b=group_digits(best)
                )
            )
        refused = [c.batch_size for c in sweep.costs if c.status == "out_of_memory"]
        if refused:
            lines.append(
                self.tr("Not run, over the memory budget: B = {sizes}.").format(
                    sizes=", ".join(group_digits(b) for b in refused)
                )
            )
        return [line for line in lines if line]

    def phase_text(self) -> str:
        """Where the sweep shown is now, in a few words ("" when done or none)."""
        return self._phase_text(self.sweep) if self.sweep is not None else ""

    def _phase_text(self, sweep: SweepResult) -> str:
        if sweep.phase == "memory":
            return self.tr("measuring the memory of one step…")
        if sweep.phase == "timing":
            if sweep.batch_size is None:
                return self.tr("timing each size alone…")
            return self.tr("timing B = {b} alone…").format(b=group_digits(sweep.batch_size))
        if sweep.phase == "noise":
            return self.tr("measuring the gradient noise scale…")
        if sweep.phase == "training":
            return self.tr("training every size, seed {k} of {n}, epoch {e:.0f} of {total}…").format(
                k=sweep.seed_index + 1, n=sweep.seeds, e=sweep.epoch, total=self.epochs_total
            )
        return ""

    def _rule_text(self, sweep: SweepResult) -> str:
        texts = {
            "fixed": self.tr("Learning rate: the same at every batch size."),
            "linear": self.tr("Learning rate: scaled in proportion to B."),
            "sqrt": self.tr("Learning rate: scaled with √B."),
            "tuned": self.tr(
                "Learning rate: tuned at each batch size (the best of five rates around the √B rule, "
                "picked on the first seed)."
            ),
        }
        return texts.get(sweep.lr_rule, "")

    def _target_text(self, sweep: SweepResult) -> str:
        assert sweep.target is not None
        metric, value = sweep.target
        if metric == "val_accuracy":
            return self.tr("{v:g} % validation accuracy").format(v=value * 100)
        return self.tr("a training loss of {v:g}").format(v=value)


def _mark(line: pg.InfiniteLine, html: str, position: float, size: str) -> None:
    """Label a marker line with rich text (B<sub>crit</sub>) at `position` along it (0 bottom,
    1 top), on the side of the line with more room. pyqtgraph's label writes plain text from
    its format on every move: set the line first, then the text."""
    view = line.getViewBox()
    if view is not None:
        (x0, x1), _ = view.viewRange()
        # Beside its own line, to the right unless the line is near the right edge.
        side = 1.0 if line.value() > x0 + 0.6 * (x1 - x0) else 0.0
        line.label.anchors = [(side, 0.0), (side, 0.0)]
    line.label.setFormat("")
    line.label.setPosition(position)
    line.label.setHtml(f'<span style="color:{line.pen.color().name()}; font-size:{size}">{html}</span>')
