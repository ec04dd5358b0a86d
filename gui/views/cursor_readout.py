"""The readout under the cursor (TensorBoard's): a vertical line where the mouse is, each run's
point read there marked with its own marker, and a small box beside the cursor listing what was
read, each run in its colour after its marker's glyph.

A view hands in a `Reader`: given the cursor in data coordinates (a log axis already undone),
it returns the lines to list, from the data the view already holds. The mouse is followed
through `pg.SignalProxy` (at most 30 readings a second); leaving the plot hides everything.
"""

from __future__ import annotations

import html
import math
from collections.abc import Callable
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, Qt, Signal

from gui.logic.readout import place_box
from gui.views.plot_style import FONT_PT, INK, PlotTheme, font_of
from gui.widgets.run_names import shown_label

RATE = 30  # readings a second at most, however fast the mouse moves
GAP = 14  # pixels between the cursor and the box
FILL = (255, 255, 255, 225)  # white, a little see-through: the curves behind still show


@dataclass(frozen=True)
class ReadLine:
    """One line of the box; `point` (data coordinates, as drawn) gets the marker `symbol`."""

    text: str  # plain text
    color: str = INK
    point: tuple[float, float] | None = None
    symbol: str = ""


Reader = Callable[[float, float], list[ReadLine]]  # the cursor's (x, y) -> the lines; [] hides


def _undo_log(value: float, log: bool) -> float:
    """A view coordinate back to data: 10**v on a log axis (bounded, so it never overflows)."""
    return 10.0 ** min(max(value, -300.0), 300.0) if log else value


def _on_axis(value: float, log: bool) -> float | None:
    """A data coordinate in the view's: log10 on a log axis; None where it cannot be drawn."""
    if not math.isfinite(value) or (log and value <= 0):
        return None
    return math.log10(value) if log else value


class CursorReadout(QObject):
    """The readout of one plot. `enabled` (H in the window) turns it on and off; `moved` fires
    once each throttled mouse move has been handled (shown, or hidden)."""

    moved = Signal()

    def __init__(
        self, plot: pg.PlotWidget, theme: PlotTheme, read: Reader, *, vertical_line: bool = True
    ) -> None:
        super().__init__(plot)
        self._plot, self._theme, self._read = plot, theme, read
        self._item = plot.getPlotItem()
        self._view = self._item.getViewBox()
        self._enabled = True
        self._out = True  # the mouse has left the plot: a move still in the proxy is dropped
        self._at: QPointF | None = None  # the scene position last read
        self._line: pg.InfiniteLine | None = None
        if vertical_line:
            self._line = pg.InfiniteLine(
                angle=90, movable=False, pen=pg.mkPen(INK, width=1, style=Qt.PenStyle.DashLine)
            )
            self._line.setZValue(900)
            plot.addItem(self._line, ignoreBounds=True)
        self._points = pg.ScatterPlotItem(size=14, pen=pg.mkPen(INK, width=1.5))
        self._points.setZValue(950)
        plot.addItem(self._points, ignoreBounds=True)
        # A child of the view box, not of its data: placed in pixels, never counted in the range.
        self.box = pg.TextItem(anchor=(0, 0), fill=pg.mkBrush(*FILL), border=pg.mkPen(160, 160, 160))
        self.box.setParentItem(self._view)
        self.box.setZValue(1000)
        self.hide()
        self._proxy = pg.SignalProxy(plot.scene().sigMouseMoved, rateLimit=RATE, slot=self._on_moved)
        plot.scene().sigMouseMoved.connect(self._on_entered)
        plot.installEventFilter(self)

    @property
    def enabled(self) -> bool:
        return self._enabled

    @enabled.setter
    def enabled(self, on: bool) -> None:
        self._enabled = on
        if not on:
            self.hide()

    @property
    def shown(self) -> bool:
        """Whether the box is up (for tests)."""
        return bool(self.box.isVisible())

    def marks(self) -> list[tuple[float, float]]:
        """Where the markers on the points read sit, in view coordinates (for tests)."""
        return [(float(x), float(y)) for x, y in zip(*self._points.getData(), strict=True)]

    def text(self) -> str:
        """What the box lists, as plain text (for tests)."""
        return str(self.box.textItem.toPlainText()) if self.shown else ""

    def axis_line(self, axis: str, value: str) -> ReadLine:
        """The box's first line: where the cursor stands on the x-axis `axis` (its name)."""
        return ReadLine(self.tr("{axis}: {value}").format(axis=axis, value=value))

    def run_line(
        self, glyph: str, label: str, value: str, color: str, point: tuple[float, float], symbol: str
    ) -> ReadLine:
        """A run's line, "■ GD: 0.1234", in its colour, its marker on the point read."""
        text = self.tr("{glyph} {name}: {value}").format(glyph=glyph, name=shown_label(label), value=value)
        return ReadLine(text, color, point, symbol)

    def hide(self) -> None:
        self._at = None
        self.box.hide()
        self._points.setData([], [])
        if self._line is not None:
            self._line.hide()

    def refresh(self) -> None:
        """Read again where the cursor stands (the view's data changed under it)."""
        if self._at is not None:
            self.show_at(self._at)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() in (QEvent.Type.Leave, QEvent.Type.Hide):
            self._out = True
            self.hide()
        return False

    def _on_entered(self, _pos: QPointF) -> None:
        self._out = False

    def _on_moved(self, args: tuple[QPointF]) -> None:
        if not self._out:
            self.show_at(args[0])
        self.moved.emit()

    def show_at(self, pos: QPointF) -> None:
        """Read the plot at the scene position `pos`; outside the data area nothing shows."""
        if not self._enabled or not self._view.sceneBoundingRect().contains(pos):
            self.hide()
            return
        log_x = bool(self._item.getAxis("bottom").logMode)
        log_y = bool(self._item.getAxis("left").logMode)
        at = self._view.mapSceneToView(pos)
        lines = self._read(_undo_log(at.x(), log_x), _undo_log(at.y(), log_y))
        if not lines:
            self.hide()
            return
        self._at = QPointF(pos)
        rows = (f'<span style="color:{line.color}">{html.escape(line.text)}</span>' for line in lines)
        self.box.setFont(font_of(self._theme, FONT_PT))
        self.box.setHtml(f'<div style="white-space:pre">{"<br>".join(rows)}</div>')
        self._mark(lines, log_x, log_y)
        if self._line is not None:
            self._line.setPos(at.x())
            self._line.show()
        cursor = self._view.mapFromScene(pos)
        size, area = self.box.boundingRect(), self._view.boundingRect()
        x, y = place_box(
            (cursor.x(), cursor.y()), (size.width(), size.height()), (area.width(), area.height()), GAP
        )
        self.box.setPos(x, y)
        self.box.show()

    def _mark(self, lines: list[ReadLine], log_x: bool, log_y: bool) -> None:
        """Each run's marker on the point read, where that point is on the plot."""
        spots = []
        for line in lines:
            if line.point is None:
                continue
            x, y = _on_axis(line.point[0], log_x), _on_axis(line.point[1], log_y)
            if x is not None and y is not None:
                spots.append({"pos": (x, y), "symbol": line.symbol or "o", "brush": pg.mkBrush(line.color)})
        self._points.setData(spots)
