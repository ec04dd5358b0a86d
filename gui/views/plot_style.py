"""One look for every plot: fast settings first, projector-sized fonts, a light legend.

A `PlotTheme` (one per window) carries the display scale and presentation contrast; views
take it in their constructor and pass it to `style_plot` and `pt`.
"""

from __future__ import annotations

import weakref

import pyqtgraph as pg
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFont

from gui.widgets.run_names import shown_label

FONT_PT = 13.0
INK = "#1a1a1a"  # axis, tick and title text: near black on white (about 17:1), not light grey


class PlotTheme:
    """How one window's plots look: their font scale and presentation mode's contrast.

    Views take a theme when they are built (or make their own) and style their plots from it.
    Setting `scale` or `contrast` restyles the axes and legends of every plot styled with this
    theme at once; titles take their new size at their view's `retranslate` (as the window
    calls on a new scale). Colours are set on each item (`style_plot`, the titles), never
    through pyqtgraph's process-wide `foreground` option.
    """

    def __init__(self, scale: float = 1.0, contrast: bool = False) -> None:
        self._scale = scale  # display scale: every font size in points is multiplied by it
        self._contrast = contrast  # presentation mode: bold tick labels, axes twice as heavy
        # The plots styled with this theme; weak, so that a closed window's plots can go.
        self._styled: list[weakref.ref[pg.PlotItem]] = []

    @property
    def scale(self) -> float:
        return self._scale

    @scale.setter
    def scale(self, scale: float) -> None:
        self._scale = scale
        self.restyle()

    @property
    def contrast(self) -> bool:
        return self._contrast

    @contrast.setter
    def contrast(self, on: bool) -> None:
        self._contrast = on
        self.restyle()

    def adopt(self, item: pg.PlotItem) -> None:
        """Restyle `item` (styled by `style_plot`, its legend in `item.legend`) on each change."""
        self._styled.append(weakref.ref(item))
        restyle(item, self)

    def restyle(self) -> None:
        """Apply the current scale and contrast to the axes and legend of every adopted plot."""
        alive = []
        for ref in self._styled:
            item = ref()
            if item is None:
                continue
            try:
                restyle(item, self)
            except RuntimeError:  # the plot's window is gone (its C++ side deleted)
                continue
            alive.append(ref)
        self._styled = alive


def pt(size: float, theme: PlotTheme) -> str:
    """A font size in points at `theme`'s scale, as pyqtgraph wants it ("15pt")."""
    return f"{size * theme.scale:.3g}pt"


def font_of(theme: PlotTheme, size: float, bold: bool = False) -> QFont:
    """A plot text's font: `size` points at `theme`'s scale (bold also in high contrast)."""
    font = QFont()
    font.setPointSizeF(size * theme.scale)
    font.setBold(bold or theme.contrast)
    return font


def restyle(item: pg.PlotItem, theme: PlotTheme) -> None:
    """`theme`'s fonts and axis weight on `item`'s axes and legend (`item.legend`)."""
    font = QFont()
    font.setPointSizeF(FONT_PT * theme.scale)
    font.setBold(theme.contrast)
    for side in ("left", "bottom"):
        axis = item.getAxis(side)
        axis.setStyle(tickFont=font, tickLength=-6)
        axis.label.setFont(font)
        axis.setPen(pg.mkPen(INK, width=2 if theme.contrast else 1))
    room_for_last_tick(item, theme.scale)
    item.legend.setLabelTextSize(pt(FONT_PT, theme))


class BottomAxis(pg.AxisItem):  # type: ignore[misc]  # pyqtgraph has no stubs
    """An x axis whose end labels may reach past the plot by `hideOverlappingLabels` pixels,
    grid or not (pyqtgraph's own ignores that room once a grid is shown, and hid the last
    tick: 10-epoch runs ended at "9", 20-epoch runs at "15")."""

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt override
        rect: QRectF = super().boundingRect()
        room = self.style["hideOverlappingLabels"]
        if self.grid is not False and not isinstance(room, bool):
            rect = rect.adjusted(-int(room), 0, int(room), 0)
        return rect


def room_for_last_tick(item: pg.PlotItem, scale: float) -> None:
    """Room past the plot's right edge for half the last x tick's label (and the margin that
    keeps the label inside the widget)."""
    room = round(18 * scale)
    item.getAxis("bottom").setStyle(hideOverlappingLabels=room)
    left, top, _, bottom = item.layout.getContentsMargins()
    item.layout.setContentsMargins(left, top, room, bottom)


def style_plot(
    item: pg.PlotItem, theme: PlotTheme, curves_are_functions: bool, inside: tuple[int, int] | None = None
) -> pg.LegendItem:
    """Apply the shared settings to `item` (before any curve is added) and return its legend.

    The plot then follows `theme`: its fonts and axes are restyled when the theme changes.
    Clip-to-view and peak downsampling must be set before curves exist to take effect on them
    (measured: 1e6 points repaint in ~15 ms instead of ~63 ms). Both assume x grows along the
    curve, so they are only for curves y(x) (loss against iterations); on parametric paths
    over the contour they cut and reshape the path, and are left off.
    """
    if not isinstance(item.getAxis("bottom"), BottomAxis):
        item.setAxisItems({"bottom": BottomAxis("bottom")})
    if curves_are_functions:
        item.setClipToView(True)
        item.setDownsampling(auto=True, mode="peak")
    item.setMenuEnabled(False)
    font = QFont()
    font.setPointSizeF(FONT_PT)
    for side in ("left", "bottom"):
        axis = item.getAxis(side)
        axis.setStyle(tickFont=font, tickLength=-6)
        axis.enableAutoSIPrefix(False)  # "9·10² (×0.001)" reads worse than 0.9
        axis.label.setFont(font)
    for side in ("left", "bottom"):
        item.getAxis(side).setTextPen(INK)
        item.getAxis(side).setPen(INK)
    room_for_last_tick(item, 1.0)
    # The legend sits below the plot, outside the data, in rows of entries; clicking an entry
    # hides or shows its curve (pyqtgraph's legend samples toggle their item).
    # `inside` (an offset from a corner, pyqtgraph's convention) is for plots whose data leaves
    # a known corner empty and whose labels are too long to sit in rows below.
    legend = pg.LegendItem(colCount=3, labelTextColor=INK, labelTextSize=f"{FONT_PT:g}pt", frame=False)
    if inside is None:
        item.layout.addItem(legend, 4, 1)
    else:
        legend.setColumnCount(1)
        legend.setParentItem(item.getViewBox())
        legend.anchor(itemPos=(0, 1), parentPos=(0, 1), offset=inside)
        legend.setBrush(pg.mkBrush(255, 255, 255, 230))
    item.legend = legend
    theme.adopt(item)
    return legend


# Colour is never the only cue: each run also has a marker shape, in the order of the config's
# runs, the same on the contour, on the loss curves, in the legends and beside the controls.
# (pyqtgraph symbol, the text glyph of the same shape)
RUN_SYMBOLS = (
    ("s", "■"),
    ("t1", "▲"),
    ("d", "◆"),
    ("t", "▼"),
    ("o", "●"),  # not first: the start point is a circle
    ("t3", "◀"),
    ("t2", "▶"),
    ("+", "✚"),
)


def run_symbol(index: int) -> str:
    """The pyqtgraph symbol of the config's `index`-th run."""
    return RUN_SYMBOLS[index % len(RUN_SYMBOLS)][0]


def run_glyph(index: int) -> str:
    """The text glyph (same shape as `run_symbol`) of the config's `index`-th run."""
    return RUN_SYMBOLS[index % len(RUN_SYMBOLS)][1]


def legend_entry(
    legend: pg.LegendItem,
    label: str,
    pen: object,
    symbol: str,
    color: str,
    items: tuple[pg.GraphicsObject, ...],
) -> pg.PlotDataItem:
    """A legend entry showing the run's line and marker; clicking it hides or shows `items`.

    The entry's sample is an empty stand-in item (the real curves carry thousands of points
    and would draw their marker on each); its visibility, which a click toggles, is passed on.
    """
    sample = pg.PlotDataItem(pen=pen, symbol=symbol, symbolSize=11, symbolBrush=color, symbolPen="w")
    sample.setData([0.0], [0.0])  # the legend draws the symbol from its scatter, set up with data
    legend.addItem(sample, shown_label(label))
    sample.run_label = label

    def follow() -> None:
        for item in items:
            item.setVisible(sample.isVisible())

    sample.visibleChanged.connect(follow)
    return sample


def relabel_legend(legend: pg.LegendItem) -> None:
    """Show the runs' labels in the current language (after a language switch)."""
    for sample, text in legend.items:
        label = getattr(sample.item, "run_label", None)
        if label is not None:
            text.setText(shown_label(label))


def fit_columns(legend: pg.LegendItem, labels: list[str]) -> None:
    """Three entries a row, or two when three long labels would not fit a row of a half-width plot.

    Measured at 1280×720: "Rprop GD · Rprop B1 · RMSprop B1" (26 characters) was cut at the
    edge, "GD · SGD · Mini-batch" (15) fits.
    """
    longest = sorted((len(shown_label(label)) for label in labels), reverse=True)[:3]
    legend.setColumnCount(2 if sum(longest) > 22 else 3)
