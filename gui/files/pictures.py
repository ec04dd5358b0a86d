"""Pictures of a plot for slides and papers: drawn on the GUI thread (a scene is painted only
there), at a chosen pixel size, with text, lines and markers in proportion to it.

A picture is the live plot laid out at a smaller, logical size and painted `ratio` times
larger, as a screen with that device-pixel ratio shows it, so everything keeps the proportions
it has in a window of that size: on a 1 920 × 1 080 slide the plot's 13 pt text becomes 40 px
(capitals ~29 px, 2.7 % of the height: readable at half size), a 2.5 px curve 5.8 px, an 11 px
marker 25 px. The window's display scale and its screen's dots per inch are divided out of the
text, so the text is the same size on every machine (at a larger display scale the plot is laid
out larger, and lines and markers come out a little thinner). pyqtgraph's ImageExporter, used
before, scaled the plot as the window laid it out: a 1 600 × 1 959 picture of a tall plot with
14 px legend capitals, 1 px lines, huge markers and an empty band below the legend.

The plot is resized only while it is painted and put back before the event loop runs again,
so the window never shows the picture's size. Encoding the QImage (a value, safe in any
thread) and finishing the SVG are left to the caller's worker.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, QSizeF
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter
from PySide6.QtWidgets import QGraphicsItem

from gui.files.svg_picture import SvgParts, paint_svg
from gui.views.plot_style import FONT_PT

BASE_DPI = 96.0  # the pictures' text is sized as on a 96-dpi screen at display scale 1


@dataclass(frozen=True)
class PictureSize:
    """One picture of each view: `{view}{suffix}.png`, `width` × `height` pixels."""

    suffix: str  # after the view's name: "loss-slide.png"
    width: int  # pixels
    height: int  # pixels
    ratio: float  # picture pixels per pixel of the plot's layout (text 13 pt → 17.3 × ratio px)
    dpi: float  # what the PNG declares: its size when placed in a document


# A 16:9 slide: the plot laid out as in an 835 × 470 window and drawn 2.3 times as large;
# 13 pt text becomes 40 px (its capitals ~29 px, 2.7 % of the height; ~14 px at half size).
# At 144 dpi it fills a 13.33 × 7.5 in slide (the 16:9 size of presentation programs).
SLIDE = PictureSize("-slide", 1920, 1080, 2.3, dpi=144.0)
# A figure one column of a paper wide (8.5 cm at 300 dpi): laid out as 625 × 469, drawn 1.6
# times as large; 13 pt text becomes 28 px (about 7 pt once printed in the column).
COLUMN = PictureSize("", 1000, 750, 1.6, dpi=300.0)
SIZES = (SLIDE, COLUMN)


def _screen_dpi() -> float:
    """The dots per inch the plot's text is laid out for (the primary screen's logical dpi)."""
    screen = QGuiApplication.primaryScreen()
    return screen.logicalDotsPerInchY() if screen is not None else BASE_DPI


def text_scale(item: pg.PlotItem) -> float:
    """How many times its base size the window draws `item`'s text now (the theme's scale, as
    `restyle` set it on the axes)."""
    font = item.getAxis("bottom").style.get("tickFont")
    return font.pointSizeF() / FONT_PT if font is not None and font.pointSizeF() > 0 else 1.0


def layout_ratio(size: PictureSize, scale: float) -> float:
    """The device-pixel ratio to paint with when the window draws text `scale` times its base
    size, on a screen of its own dpi."""
    return size.ratio * BASE_DPI / _screen_dpi() / scale


def _tree(item: QGraphicsItem) -> Iterator[QGraphicsItem]:
    yield item
    for child in item.childItems():
        yield from _tree(child)


@contextmanager
def _laid_out(item: pg.PlotItem, logical: QSizeF, background: QColor) -> Iterator[None]:
    """`item` laid out at `logical` size and in pyqtgraph's export mode (markers drawn as
    shapes, not from the window's bitmap atlas; curves antialiased) for the block."""
    geometry = item.geometry()
    painted = [i for i in _tree(item) if hasattr(i, "setExportMode")]
    options = {"antialias": True, "background": background, "resolutionScale": 1.0}
    try:
        for i in painted:
            i.setExportMode(True, options)
        item.resize(logical)
        item.layout.activate()
        yield
    finally:
        for i in painted:
            i.setExportMode(False)
        item.setGeometry(geometry)
        item.layout.activate()


def _background(item: pg.PlotItem) -> QColor:
    views = item.scene().views()
    color = QColor(views[0].backgroundBrush().color()) if views else QColor("white")
    color.setAlpha(255)  # a slide has no transparent parts
    return color


def render_png(item: pg.PlotItem, size: PictureSize) -> QImage:
    """`item` painted into a `size.width` × `size.height` image (opaque, RGB)."""
    ratio = layout_ratio(size, text_scale(item))
    image = QImage(size.width, size.height, QImage.Format.Format_RGB32)
    # The text is laid out for the screen's dpi; painting it at another would misplace it.
    dots_per_metre = round(_screen_dpi() / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    image.setDevicePixelRatio(ratio)
    background = _background(item)
    image.fill(background)
    logical = QSizeF(size.width / ratio, size.height / ratio)
    with _laid_out(item, logical, background):
        painter = QPainter(image)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            item.scene().render(painter, QRectF(QPointF(0, 0), logical), item.sceneBoundingRect())
        finally:
            painter.end()
    image.setDevicePixelRatio(1.0)  # a plain picture from here on (its pixel size is its size)
    image.setDotsPerMeterX(round(size.dpi / 0.0254))
    image.setDotsPerMeterY(round(size.dpi / 0.0254))
    return image


def paint_svg_at(item: pg.PlotItem, size: PictureSize) -> SvgParts:
    """`item` painted as SVG (to finish in a worker: `finish_svg`), laid out as for `size`'s
    picture; the SVG's pixels are the layout's (`size.width / size.ratio` wide)."""
    ratio = layout_ratio(size, text_scale(item))
    logical = QSizeF(size.width / ratio, size.height / ratio)
    background = _background(item)
    options = {
        "background": background,
        "width": logical.width(),
        "height": logical.height(),
        "scaling stroke": False,  # pyqtgraph's default: lines as wide at every zoom
    }
    with _laid_out(item, logical, background):
        return paint_svg(item, options)
