"""The loss surface as filled contours, with one path per run, the start and the minimum."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

import contourpy
import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF

from engine import HistoryRows, SessionSetup
from gui.logic.numbers import typeset
from gui.logic.path_clip import Box, cut_where_it_left
from gui.logic.readout import grid_value, value_text
from gui.views.cursor_readout import CursorReadout, ReadLine
from gui.views.plot_style import (
    INK,
    PlotTheme,
    fit_columns,
    font_of,
    legend_entry,
    pt,
    relabel_legend,
    run_symbol,
    style_plot,
)
from gui.widgets.run_names import shown_label

if TYPE_CHECKING:
    from contourpy._contourpy import LineReturn_ChunkCombinedNan

N_LEVELS = 14
LONG_PATH = 2000  # iterations above which a path is drawn with a 1-pixel pen
PATH_MARKS = 6  # markers along each path, beside the one at its current point
DECIMATE_FROM = 5000  # points from which a path skips points that stay in one screen pixel


class ContourView(pg.PlotWidget):
    """Filled, log-spaced contour of the full-batch loss; paths drawn as lines only."""

    def __init__(self, parent: object = None, *, theme: PlotTheme | None = None) -> None:
        super().__init__(parent=parent, background="w")
        self.theme = theme if theme is not None else PlotTheme()
        self.setObjectName("contourView")
        item = self.getPlotItem()
        self._legend = style_plot(item, self.theme, curves_are_functions=False)
        self._image = pg.ImageItem(axisOrder="row-major")
        self._image.setZValue(-10)
        self.addItem(self._image)
        # The level lines, all in one item (NaN-separated): drawn in milliseconds, where
        # pyqtgraph's IsocurveItem traces in Python and held the window ~0.7 s at each start.
        self._levels = pg.PlotDataItem(pen=pg.mkPen(90, 100, 120, 150, width=1), connect="finite")
        self._levels.setZValue(-5)
        self.addItem(self._levels)
        self._paths: dict[str, pg.PlotDataItem] = {}
        self._heads: dict[str, pg.ScatterPlotItem] = {}  # each run's current point, its marker
        self._marks: dict[str, pg.ScatterPlotItem] = {}  # markers along each path
        self._mark_at: dict[str, np.ndarray] = {}  # the iterations they sit at
        # Where a path left the surface for good: a ✕ on the edge, and what happened.
        self._exits: dict[str, tuple[pg.ScatterPlotItem, pg.TextItem]] = {}
        self._box: Box | None = None
        self.diverged: set[str] = set()  # runs the session has marked diverged
        self._start = pg.ScatterPlotItem(
            size=14, symbol="o", brush=pg.mkBrush("w"), pen=pg.mkPen("k", width=2)
        )
        self._minimum = pg.ScatterPlotItem(
            size=20, symbol="star", brush=pg.mkBrush("#ffd21f"), pen=pg.mkPen("k", width=1.2)
        )
        # A worse local minimum (where the surface has one): a hollow star, drawn as large.
        self._worse = pg.ScatterPlotItem(
            size=20, symbol="star", brush=pg.mkBrush("w"), pen=pg.mkPen("k", width=1.6)
        )
        # Above every path (paths take 10 + their rank): current points, start, then the stars.
        for z, marker in ((80, self._start), (85, self._worse), (90, self._minimum)):
            marker.setZValue(z)
            self.addItem(marker)
        # The gradient-noise cloud: −g_B of some mini-batches (thin) and −G (bold), from a point.
        self._cloud = pg.PlotDataItem(pen=pg.mkPen(200, 40, 40, 110, width=1), connect="pairs")
        self._cloud_tips = pg.ScatterPlotItem(size=5, brush=pg.mkBrush(200, 40, 40, 170), pen=None)
        self._cloud_full = pg.PlotDataItem(
            pen=pg.mkPen("k", width=3), symbol="o", symbolSize=[0, 9], symbolBrush="k", symbolPen=None
        )
        for z, part in enumerate((self._cloud, self._cloud_tips, self._cloud_full)):
            part.setZValue(30 + z)
            self.addItem(part)
        self._shown: dict[str, HistoryRows] = {}
        # Zooming or resizing changes what one pixel holds: thin the paths again.
        self.getPlotItem().getViewBox().sigTransformChanged.connect(self._refit)
        # The surface as computed (grid_x, grid_y, grid_loss), read under the cursor.
        self._grid: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self.readout = CursorReadout(self, self.theme, self._read, vertical_line=False)
        self.retranslate()

    def retranslate(self) -> None:
        item = self.getPlotItem()
        item.setTitle(self.tr("Loss surface (all N samples)"), size=pt(15, self.theme), color=INK)
        item.setLabel("bottom", self.tr("w (slope)"))
        item.setLabel("left", self.tr("b (intercept)"))
        relabel_legend(self._legend)
        for sample, text in self._legend.items:  # the markers' entries
            names = {
                id(self._start): self.tr("start"),
                id(self._minimum): self.tr("better minimum") if len(self._worse.data) else self.tr("minimum"),
                id(self._worse): self.tr("worse minimum"),
                id(self._cloud): typeset(self.tr("−g_B (batches)")),
                id(self._cloud_full): self.tr("−G (all N)"),
            }
            if id(sample.item) in names:
                text.setText(names[id(sample.item)])

    def set_setup(self, setup: SessionSetup, markers: dict[str, int] | None = None) -> None:
        """Draw the surface and markers of a new session and create one empty path per run.

        `markers` gives each run label its marker (default: its place in the setup).
        """
        self.clear_runs()
        self._grid = None
        markers = markers or {}
        z = setup.grid_loss
        self.setVisible(z is not None)  # networks have no 2-D surface: the loss view alone
        if z is None or setup.grid_x is None or setup.grid_y is None:
            return
        assert setup.start is not None and setup.minimum is not None
        floor = max(float(setup.minimum_loss or 0.0), 1e-12)
        logz = np.log10(np.maximum(z, floor)).astype(np.float32)
        lo, hi = float(logz.min()), float(logz.max())
        self._image.setImage(np.ascontiguousarray(logz), levels=(lo, hi))
        self._image.setLookupTable(_surface_lut())
        x0, x1 = float(setup.grid_x[0]), float(setup.grid_x[-1])
        y0, y1 = float(setup.grid_y[0]), float(setup.grid_y[-1])
        self._image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        self._box = (x0, x1, y0, y1)
        self._grid = (setup.grid_x, setup.grid_y, z)
        lines = level_lines(setup.grid_x, setup.grid_y, logz, np.linspace(lo, hi, N_LEVELS + 2)[1:-1])
        self._levels.setData(lines[:, 0], lines[:, 1])
        self._start.setData([setup.start[0]], [setup.start[1]])
        self._minimum.setData([setup.minimum[0]], [setup.minimum[1]])
        worse = np.array(setup.other_minima).reshape(-1, 2)
        self._worse.setData(worse[:, 0], worse[:, 1])
        # Noisier runs (smaller batches) underneath, so smooth paths stay visible on top.
        order = sorted(setup.runs, key=lambda r: r.batch_size)
        for index, run in enumerate(setup.runs):
            # Wide antialiased pens are slow to paint (and the paint holds the GIL, starving
            # the worker): long paths get a hairline.
            long_path = run.total_iterations > LONG_PATH
            pen = pg.mkPen(run.color, width=1 if long_path else 2.5)
            curve = pg.PlotDataItem(pen=pen, connect="finite", antialias=not long_path)
            curve.setZValue(10 + order.index(run))
            self.addItem(curve)
            self._paths[run.label] = curve
            symbol = run_symbol(markers.get(run.label, index))
            head = pg.ScatterPlotItem(
                size=14, symbol=symbol, brush=pg.mkBrush(run.color), pen=pg.mkPen("k", width=1.5)
            )
            head.setZValue(70)
            self.addItem(head)
            self._heads[run.label] = head
            # A few markers along the path (at fixed shares of the run's iterations), so paths
            # that overlap or end in one cluster are still told apart by shape.
            marks = pg.ScatterPlotItem(
                size=9, symbol=symbol, brush=pg.mkBrush(run.color), pen=pg.mkPen("w", width=1)
            )
            marks.setZValue(60)
            self.addItem(marks)
            self._marks[run.label] = marks
            self._mark_at[run.label] = np.unique(
                np.round(
                    (np.arange(PATH_MARKS) + (index + 0.5) / len(setup.runs))
                    / PATH_MARKS
                    * run.total_iterations
                )
            ).astype(int)
            cross = pg.ScatterPlotItem(
                size=18, symbol="x", brush=pg.mkBrush(run.color), pen=pg.mkPen("k", width=1.2)
            )
            words = pg.TextItem(color=INK, anchor=(0.5, 0.5))
            for depth, part in ((75, cross), (76, words)):
                part.setZValue(depth)
                self.addItem(part)
            self._exits[run.label] = (cross, words)
            legend_entry(self._legend, run.label, pen, symbol, run.color, (curve, head, marks, cross, words))
        marks = [self.tr("start"), self.tr("better minimum") if len(worse) else self.tr("minimum")]
        marks += [self.tr("worse minimum")] if len(worse) else []
        fit_columns(self._legend, [r.label for r in setup.runs] + marks)  # "worse minimu" was cut
        self._legend.addItem(self._start, marks[0])
        self._legend.addItem(self._minimum, marks[1])
        if len(worse):
            self._legend.addItem(self._worse, marks[2])
        self.getPlotItem().setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)

    def clear_view(self) -> None:
        """Empty the view: no surface, markers, paths or cloud (a new session is preparing).

        (Not `clear`: pg.PlotWidget sets its PlotItem's `clear` on each instance, which would
        remove every item, the image and markers included.)
        """
        self.clear_runs()
        self._grid = None
        self.readout.hide()
        self._image.clear()
        self._levels.setData([], [])
        self._start.setData([], [])
        self._minimum.setData([], [])
        self._worse.setData([], [])
        self.set_cloud(None)

    def _read(self, w: float, b: float) -> list[ReadLine]:
        """The readout at (w, b): the loss there, bilinear between the surface's grid points."""
        if self._grid is None:
            return []
        loss = grid_value(*self._grid, w, b)
        if loss is None:  # off the surface: where the cursor is, no loss
            return [ReadLine(self.tr("w = {w}, b = {b}").format(w=value_text(w), b=value_text(b)))]
        text = self.tr("w = {w}, b = {b}, loss = {loss}")
        return [ReadLine(text.format(w=value_text(w), b=value_text(b), loss=value_text(loss)))]

    def clear_runs(self) -> None:
        exits = [part for pair in self._exits.values() for part in pair]
        for curve in [*self._paths.values(), *self._heads.values(), *self._marks.values(), *exits]:
            self.removeItem(curve)
        self._exits.clear()
        self.diverged = set()
        self._paths.clear()
        self._heads.clear()
        self._marks.clear()
        self._mark_at.clear()
        self._shown = {}
        self._legend.clear()

    def set_cloud(
        self, point: np.ndarray | None, full: np.ndarray | None = None, cloud: np.ndarray | None = None
    ) -> None:
        """Draw −G and each −g_B in `cloud` (M, 2) as arrows from `point`; None clears.

        Arrows share one scale: −G is a fifth of the view's width long, so a batch gradient
        twice as long as G is drawn twice as long.
        """
        shown = [item for item, _ in self._legend.items]
        if point is None or full is None or cloud is None or not len(cloud):
            for part in (self._cloud, self._cloud_tips, self._cloud_full):
                part.setData([], [])
            for part in (self._cloud, self._cloud_full):
                if any(sample.item is part for sample in shown):
                    self._legend.removeItem(part)
            return
        if not any(sample.item is self._cloud for sample in shown):  # say what the arrows are
            self._legend.setColumnCount(2)  # two more entries, long ones: none cut at the edge
            self._legend.addItem(self._cloud, typeset(self.tr("−g_B (batches)")))
            self._legend.addItem(self._cloud_full, self.tr("−G (all N)"))
        (x0, x1), _ = self.getPlotItem().getViewBox().viewRange()
        norm = float(np.hypot(*full))
        scale = 0.2 * (x1 - x0) / norm if norm > 0 else 1.0
        tips = point - scale * np.asarray(cloud, dtype=np.float64)
        segments = np.empty((2 * len(tips), 2))
        segments[0::2] = point
        segments[1::2] = tips
        self._cloud.setData(segments[:, 0], segments[:, 1])
        self._cloud_tips.setData(tips[:, 0], tips[:, 1])
        end = point - scale * np.asarray(full, dtype=np.float64)
        self._cloud_full.setData([point[0], end[0]], [point[1], end[1]])

    def cloud_data(self) -> tuple[np.ndarray, np.ndarray]:
        """The arrow tips the view draws (for tests)."""
        data = self._cloud_tips.getData()
        return np.asarray(data[0]), np.asarray(data[1])

    def update_paths(self, histories: dict[str, HistoryRows]) -> None:
        """Show each run's recorded path (all rows so far) and its current point."""
        self._shown = histories
        for label, rows in histories.items():
            curve = self._paths.get(label)
            if curve is None or len(rows) == 0:
                continue
            x, y, left = rows.params[:, 0], rows.params[:, 1], None
            if self._box is not None:
                x, y, left = cut_where_it_left(x, y, self._box)
            curve.setData(*self._on_screen(x, y))
            self._show_exit(label, left)
            kept = len(x) - (left is not None)  # rows drawn (the exit point is not a row)
            last = rows.params[kept - 1] if kept else rows.params[-1]
            self._heads[label].setData(
                *([], []) if left is not None else ([float(last[0])], [float(last[1])])
            )
            # The first recorded row at or after each mark's iteration (rows may be thinned).
            targets = self._mark_at[label]
            at = np.searchsorted(rows.iteration, targets[targets <= rows.iteration[-1]])
            at = at[at < max(kept, 1)]
            self._marks[label].setData(rows.params[at, 0], rows.params[at, 1])

    def _show_exit(self, label: str, left: tuple[float, float] | None) -> None:
        """A ✕ where the path left the surface for good, and the word: diverged, once the session
        says so (its loss 10⁶ times the start's, or not finite), else that it left the plot."""
        cross, words = self._exits[label]
        if left is None:
            cross.setData([], [])
            words.setText("")
            return
        cross.setData([left[0]], [left[1]])
        text = self.tr("{run} diverged") if label in self.diverged else self.tr("{run} left the plot")
        words.setText(text.format(run=shown_label(label)))
        words.setFont(font_of(self.theme, 12, bold=True))
        # Inside the surface, beside the ✕: the label's side away from the edge it crossed.
        assert self._box is not None
        x0, x1, y0, y1 = self._box
        fx, fy = (left[0] - x0) / (x1 - x0), (left[1] - y0) / (y1 - y0)
        words.setAnchor(
            (1.0 if fx > 0.6 else 0.0 if fx < 0.4 else 0.5, 0.0 if fy > 0.6 else 1.0 if fy < 0.4 else 0.5)
        )
        words.setPos(left[0], left[1])

    def exit_point(self, label: str) -> tuple[tuple[float, float] | None, str]:
        """Where the view marks `label`'s path as gone, and what it says there (for tests)."""
        cross, words = self._exits[label]
        xs, ys = cross.getData()
        return ((float(xs[0]), float(ys[0])) if len(xs) else None), words.toPlainText()

    def _refit(self) -> None:
        if any(len(rows) >= DECIMATE_FROM for rows in self._shown.values()):
            self.update_paths(self._shown)

    def _on_screen(self, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Drop points that stay in the screen pixel of the point before them.

        A 1-px line through the remaining points covers the same pixels, so the path looks
        the same, and converged runs (thousands of steps inside one pixel) cost little to paint.
        """
        if len(x) < DECIMATE_FROM:
            return x, y
        sx, sy = self.getPlotItem().getViewBox().viewPixelSize()
        if not (sx > 0 and sy > 0):
            return x, y
        cx, cy = np.floor(x / sx), np.floor(y / sy)
        keep = np.empty(len(x), dtype=bool)
        keep[0] = keep[-1] = True
        np.not_equal(cx[1:-1], cx[:-2], out=keep[1:-1])
        keep[1:-1] |= cy[1:-1] != cy[:-2]
        return x[keep], y[keep]

    def path_data(self, label: str) -> tuple[np.ndarray, np.ndarray]:
        """What the view currently draws for `label` (for tests and exports).

        Paths of `DECIMATE_FROM` points or more are drawn without the points that stay in
        the previous point's screen pixel.
        """
        x, y = self._paths[label].getData()
        return (np.asarray(x), np.asarray(y)) if x is not None else (np.empty(0), np.empty(0))


def _side(share: float, ends: tuple[float, float]) -> float:
    """A text anchor along one axis: `ends[0]` near the top end (share > 0.6), `ends[1]` near
    the bottom one (< 0.4), centred between."""
    return ends[0] if share > 0.6 else ends[1] if share < 0.4 else 0.5


def _surface_lut() -> np.ndarray:
    """A light, calm ramp (pale near the minimum, slate at high loss) so coloured paths stand out."""
    stops = np.array([[247, 251, 255], [222, 235, 247], [198, 219, 239], [158, 190, 218], [117, 145, 186]])
    positions = np.linspace(0, 1, len(stops))
    t = np.linspace(0, 1, 256)
    lut = np.stack([np.interp(t, positions, stops[:, c]) for c in range(3)], axis=1)
    return lut.astype(np.uint8)


def level_lines(x: np.ndarray, y: np.ndarray, z: np.ndarray, levels: np.ndarray) -> np.ndarray:
    """The contour lines of z (rows along y) at each finite level, as one (M, 2) array of
    points with a NaN row between lines (contourpy, the generator matplotlib draws with)."""
    levels = levels[np.isfinite(levels)]
    if not len(levels):
        return np.empty((0, 2))
    generator = contourpy.contour_generator(
        x, y, np.ma.masked_invalid(z), line_type=contourpy.LineType.ChunkCombinedNan
    )
    # The stubs give every line type's return; ChunkCombinedNan's is ([points or None per chunk],).
    per_level = cast("list[LineReturn_ChunkCombinedNan]", generator.multi_lines(levels))
    parts: list[np.ndarray] = []
    for (chunks,) in per_level:
        for points in chunks:
            if points is not None and len(points):
                parts += [points, np.full((1, 2), np.nan)]
    return np.concatenate(parts) if parts else np.empty((0, 2))
