"""Each window's plots follow its own PlotTheme: scale and contrast, at once and at retranslate."""

from __future__ import annotations

import gc

import pyqtgraph as pg
import pytest
from shiboken6 import Shiboken

from gui.views.accuracy_view import AccuracyView
from gui.views.contour_view import ContourView
from gui.views.loss_view import LossView
from gui.views.noise_view import NoiseView
from gui.views.plot_style import FONT_PT, PlotTheme

VIEWS = (LossView, AccuracyView, ContourView, NoiseView)


def plot_item(view):  # the PlotItem of a view that is a PlotWidget or holds one in `plot`
    return (view if isinstance(view, pg.PlotWidget) else view.plot).getPlotItem()


def tick_size(view) -> float:
    return plot_item(view).getAxis("bottom").style["tickFont"].pointSizeF()


def title_size(view) -> str:
    return plot_item(view).titleLabel.opts["size"]


@pytest.mark.parametrize("view_class", VIEWS)
def test_a_theme_scales_only_its_own_views(qtbot, view_class) -> None:
    mine, other = PlotTheme(), PlotTheme()
    view, elsewhere = view_class(theme=mine), view_class(theme=other)
    for v in (view, elsewhere):
        qtbot.addWidget(v)
    assert view.theme is mine and tick_size(view) == FONT_PT and title_size(view) == "15pt"
    mine.scale = 1.5
    assert tick_size(view) == 1.5 * FONT_PT  # the axes at once
    assert title_size(view) == "15pt"  # the title at the next retranslate, as the window calls it
    view.retranslate()
    assert title_size(view) == "22.5pt"
    assert plot_item(view).legend.opts["labelTextSize"] == f"{1.5 * FONT_PT:.3g}pt"
    assert tick_size(elsewhere) == FONT_PT and title_size(elsewhere) == "15pt"


def test_contrast_bolds_the_ticks_and_doubles_the_axes(qtbot) -> None:
    theme = PlotTheme()
    view = LossView(theme=theme)
    qtbot.addWidget(view)
    axis = plot_item(view).getAxis("left")
    assert not axis.style["tickFont"].bold() and axis.pen().widthF() == 1
    theme.contrast = True
    assert axis.style["tickFont"].bold() and axis.pen().widthF() == 2 and axis.label.font().bold()
    theme.contrast = False
    assert not axis.style["tickFont"].bold() and axis.pen().widthF() == 1


def test_a_theme_given_at_construction_styles_from_the_start(qtbot) -> None:
    view = ContourView(theme=PlotTheme(scale=2.0, contrast=True))
    qtbot.addWidget(view)
    assert tick_size(view) == 2 * FONT_PT and title_size(view) == "30pt"
    assert plot_item(view).getAxis("bottom").pen().widthF() == 2


@pytest.mark.parametrize("view_class", VIEWS)
def test_a_view_built_without_a_theme_has_its_own(qtbot, view_class) -> None:
    first, second = view_class(), view_class()
    for v in (first, second):
        qtbot.addWidget(v)
    assert first.theme is not second.theme  # no theme shared through the module
    assert first.theme.scale == 1.0 and not first.theme.contrast
    first.theme.scale = 2.0
    assert tick_size(first) == 2 * FONT_PT and tick_size(second) == FONT_PT


def test_a_theme_outlives_its_views(qtbot) -> None:
    theme = PlotTheme()
    collected, deleted = LossView(theme=theme), NoiseView(theme=theme)
    del collected  # the Python side gone
    gc.collect()
    Shiboken.delete(deleted)  # the C++ side gone, the Python wrapper still here
    theme.scale = 1.25  # neither is styled, and neither stops the others
    survivor = AccuracyView(theme=theme)
    qtbot.addWidget(survivor)
    theme.scale = 1.5
    assert tick_size(survivor) == 1.5 * FONT_PT
