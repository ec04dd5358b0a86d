"""A network's loss on a plane through its weights (engine's `Landscape`), drawn as the 2-D
problems' surface is, with each run's path projected onto the plane, and a readout of what the
computed surface shows around each end point (the loss rise at a fixed distance)."""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from engine import HistoryRows, Landscape, RunInfo, SessionSetup
from gui.logic.numbers import group_digits
from gui.views.contour_view import ContourView
from gui.views.plot_style import INK, PlotTheme, pt
from gui.widgets.run_names import shown_label


class PlaneView(ContourView):
    """The contour view, titled and labelled for a plane through a network's weights."""

    # Class defaults: the base class's constructor already calls retranslate().
    explained: tuple[float, float] = (math.nan, math.nan)
    directions = "pca"

    def __init__(self, parent: object = None, *, theme: PlotTheme | None = None) -> None:
        super().__init__(parent, theme=theme)
        self.setObjectName("landscapePlane")

    def retranslate(self) -> None:
        super().retranslate()
        item = self.getPlotItem()
        if self.directions == "pca":
            title = self.tr("Loss on the plane of the paths' two main directions (PCA)")
            x = self.tr("direction 1 ({share:.0f} % of the movement)").format(share=100 * self.explained[0])
            y = self.tr("direction 2 ({share:.0f} % of the movement)").format(share=100 * self.explained[1])
        else:
            title = self.tr("Loss on a plane of two random filter-normalised directions")
            x, y = self.tr("direction 1"), self.tr("direction 2")
        item.setTitle(title, size=pt(15, self.theme), color=INK)
        item.setLabel("bottom", x)
        item.setLabel("left", y)
        # Its own words for the markers (Qt looks a subclass's texts up under its own name, so
        # the contour view's "start" would stay English here).
        for sample, text in self._legend.items:
            if sample.item is self._minimum:
                text.setText(self.tr("lowest point of the plane"))
            elif sample.item is self._start:
                text.setText(self.tr("start"))


class LandscapeView(QWidget):
    def __init__(self, parent: QWidget | None = None, *, theme: PlotTheme | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("landscapeView")
        self.plane = PlaneView(theme=theme)
        self.readout = QLabel()
        self.readout.setObjectName("landscapeReadout")
        self.readout.setWordWrap(True)
        self.readout.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plane, 1)
        layout.addWidget(self.readout)
        self.landscape: Landscape | None = None
        self.runs: tuple[RunInfo, ...] = ()
        self.markers: dict[str, int] = {}
        self.retranslate()

    def retranslate(self) -> None:
        self.plane.retranslate()
        self._update_text()

    def set_landscape(
        self,
        landscape: Landscape | None,
        runs: tuple[RunInfo, ...] = (),
        markers: dict[str, int] | None = None,
    ) -> None:
        """Draw `landscape` (None: clear) with `runs`' colours and markers."""
        self.landscape, self.runs, self.markers = landscape, runs, dict(markers or {})
        if landscape is None:
            self.plane.clear_view()
            self._update_text()
            return
        self.plane.explained, self.plane.directions = landscape.explained, landscape.directions
        low = np.unravel_index(int(np.argmin(landscape.loss)), landscape.loss.shape)
        drawn = tuple(r for r in runs if r.label in landscape.paths)
        first = landscape.paths[drawn[0].label][0] if drawn else np.zeros(2)
        setup = SessionSetup(
            device="",
            param_names=("d1", "d2"),
            data={},
            start=first,
            minimum=np.array([landscape.grid_a[low[1]], landscape.grid_b[low[0]]]),
            minimum_loss=float(landscape.loss.min()),
            grid_x=landscape.grid_a,
            grid_y=landscape.grid_b,
            grid_loss=landscape.loss,
            runs=drawn,
        )
        self.plane.set_setup(setup, self.markers)
        # A little room around the grid: its lowest point is often on an edge (half a star).
        self.plane.getPlotItem().setRange(
            xRange=(landscape.grid_a[0], landscape.grid_a[-1]),
            yRange=(landscape.grid_b[0], landscape.grid_b[-1]),
            padding=0.03,
        )
        self.plane.update_paths({r.label: _rows(landscape.paths[r.label], r) for r in drawn})
        self.plane.retranslate()
        self._update_text()

    def _update_text(self) -> None:
        land = self.landscape
        if land is None:
            self.readout.setText(self.tr("The landscape is computed once the runs have finished."))
            return
        lines = [
            self.tr(
                "Loss over {n} training images on this plane. Around each run's end point, the loss "
                "rises on average by the amount below at a distance of {r:.3g}: a larger rise is "
                "steeper ground around that point on this plane (a sharper minimum, or a point not "
                "yet at one)."
            ).format(n=group_digits(land.subset), r=land.radius)
        ]
        for label in land.paths:
            lines.append(
                self.tr("<b>{label}</b>: loss {loss:.3g} at its end, rise {rise:.3g}.").format(
                    label=shown_label(label), loss=land.end_loss[label], rise=land.rise[label]
                )
            )
        far = max(land.off_plane.values(), default=0.0)
        lines.append(
            self.tr(
                "The paths are projections: an end point lies off the plane by up to {share:.0f} % of "
                "its distance from the plane's centre, so the loss along a drawn path is not the "
                "surface's."
            ).format(share=100 * far)
        )
        self.readout.setText("<br>".join(lines))


def _rows(path: np.ndarray, run: RunInfo) -> HistoryRows:
    """A projected path as history rows (its snapshots spread evenly over the run's steps)."""
    n = len(path)
    iteration = np.round(np.linspace(0, run.total_iterations, n)).astype(np.int64)
    return HistoryRows(
        iteration=iteration,
        epoch=iteration / max(run.iterations_per_epoch, 1),
        samples_seen=np.zeros(n, dtype=np.int64),
        wall_time_s=np.zeros(n),
        loss=np.full(n, np.nan),
        params=np.asarray(path, dtype=np.float64),
    )
