"""What a lecture hall reads: a marker per run, both minima, the big counter, plain refusals."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine import ConfigError, ExperimentConfig, RunSpec, load_preset
from tests.gui.helpers import run_to_end, wait_ready
from tests.helpers import small_config


def test_every_run_has_its_own_marker_on_both_plots_and_in_the_legends(qtbot, window) -> None:
    window.load_preset("lr-scaling")
    wait_ready(qtbot, window)
    labels = [r.label for r in window.session.config.runs]
    heads = [window.plots.contour._heads[label].opts["symbol"] for label in labels]
    marks = [window.plots.loss._marks[label].opts["symbol"] for label in labels]
    assert len(set(heads)) == len(labels) and heads == marks
    for legend in (window.plots.contour._legend, window.plots.loss._legend):
        symbols = {
            s.item.run_label: s.item.opts["symbol"] for s, _ in legend.items if hasattr(s.item, "run_label")
        }
        assert symbols == dict(zip(labels, heads, strict=True))
    # Hiding a run keeps every other run's marker (and colour).
    editor = window.controls.runs_editor
    editor.boxes[0].setChecked(False)
    qtbot.waitUntil(
        lambda: "B4" not in window.plots.contour._heads and window.session.last_progress is not None,
        timeout=10_000,
    )
    qtbot.waitUntil(lambda: set(window.plots.contour._heads) == set(labels[1:]), timeout=10_000)
    assert [window.plots.contour._heads[label].opts["symbol"] for label in labels[1:]] == heads[1:]


def test_a_legend_click_hides_the_runs_curve_markers_and_path(qtbot, window) -> None:
    wait_ready(qtbot, window)
    sample = next(s for s, _ in window.plots.loss._legend.items if s.item.run_label == "SGD")
    sample.item.setVisible(False)  # what a click on the legend entry does
    assert (
        not window.plots.loss._curves["SGD"].isVisible() and not window.plots.loss._marks["SGD"].isVisible()
    )
    sample.item.setVisible(True)
    assert window.plots.loss._curves["SGD"].isVisible()
    path = next(s for s, _ in window.plots.contour._legend.items if getattr(s.item, "run_label", "") == "SGD")
    path.item.setVisible(False)
    assert (
        not window.plots.contour._paths["SGD"].isVisible()
        and not window.plots.contour._heads["SGD"].isVisible()
    )


def test_markers_sit_on_the_drawn_curve(qtbot, window) -> None:
    window.set_config(small_config(n_samples=200, epochs=4))
    wait_ready(qtbot, window)
    with qtbot.waitSignal(window.session_finished, timeout=60_000):
        window.session.toggle_run()
    for label, marks in window.plots.loss._marks.items():
        mx, my = marks.getData()
        x, y = window.plots.loss.smoothed_data(label)
        assert len(mx) >= 6
        expected = np.power(10.0, np.interp(mx, x, np.log10(y)))
        np.testing.assert_allclose(np.power(10.0, my), expected, rtol=1e-9)  # getData: log10 on a log axis


def test_both_minima_are_marked_where_the_surface_has_two(qtbot, window) -> None:
    window.load_preset("sgd-escapes-local-minimum")
    wait_ready(qtbot, window)
    setup = window.plots.contour
    wx, wy = setup._worse.getData()
    bx, by = setup._minimum.getData()
    assert len(wx) == 1 and len(bx) == 1
    # The worse minimum is the local minimum of higher loss: check on the surface itself.
    import torch

    from engine import derive_seed
    from engine.problems import make_problem

    config = window.session.config
    problem = make_problem(config, torch.device("cpu"), derive_seed(config.seed, "data"))
    better = problem.full_loss(np.array([bx[0], by[0]]))
    worse = problem.full_loss(np.array([wx[0], wy[0]]))
    assert worse > better
    texts = [label.text for _, label in setup._legend.items]
    assert "worse minimum" in texts
    (x0, x1), (y0, y1) = setup.getPlotItem().getViewBox().viewRange()
    assert x0 <= wx[0] <= x1 and y0 <= wy[0] <= y1  # both basins in view
    window.load_preset("gd-sgd-minibatch")  # one minimum: no hollow star, no legend entry
    wait_ready(qtbot, window)
    assert len(window.plots.contour._worse.getData()[0]) == 0
    assert "worse minimum" not in [label.text for _, label in window.plots.contour._legend.items]


def test_the_counter_counts_the_finest_run(qtbot, window) -> None:
    window.set_config(small_config(n_samples=100, epochs=3, runs=(RunSpec("GD", "full"), RunSpec("B7", 7))))
    wait_ready(qtbot, window)
    assert window.plots.counter.plain_text().startswith(
        "Epoch 1 of 3 · iteration 0 of 15 in this epoch · 0 of 45"
    )
    for step in range(1, 18):
        window.session.step()
        qtbot.waitUntil(lambda n=step: window.session.last_progress.runs[1].iteration >= n, timeout=10_000)
    text = window.plots.counter.plain_text()
    assert text.startswith("Epoch 2 of 3 · iteration 2 of 15 in this epoch · 17 of 45 in all"), text
    assert "(B7: B = 7)" in text


@pytest.mark.parametrize(
    ("total", "expected"),
    [(500, 0.8), (2_500, 0.96), (20_000, 0.99), (50, 0.0), (150, 1 - 1 / 1.5)],
)
def test_default_smoothing_averages_about_one_percent_of_the_run(total, expected) -> None:
    from gui.logic.smoothing import auto_smoothing

    assert math.isclose(auto_smoothing(total), expected, rel_tol=1e-12, abs_tol=1e-12)


def test_a_moved_smoothing_slider_stays_where_the_user_put_it(qtbot, window) -> None:
    window.load_preset("epoch-iteration")  # 500 iterations: 0.8
    wait_ready(qtbot, window)
    assert window.plots.loss.smoothing == 0.8
    window.load_preset("gd-sgd-minibatch")  # 20 000 iterations: 0.99
    wait_ready(qtbot, window)
    assert window.plots.loss.smoothing == 0.99
    window.plots.loss.smooth_slider.setValue(500)
    window.load_preset("epoch-iteration")
    wait_ready(qtbot, window)
    assert window.plots.loss.smoothing == 0.5


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"n_samples": 1}, "Samples N must be a whole number from 2 to 1 000 000. (It was 1.)"),
        ({"lr": 0.0}, "Learning rate must be a number above 0 and at most 1 000 000. (It was 0.)"),
        ({"warmup_epochs": -1.0}, "Warm-up epochs must be a number from 0 to 100 000. (It was -1.)"),
        ({"noise": -0.5}, "Label noise σ must be a number from 0 to 1 000. (It was -0.5.)"),
        ({"sampling": "bag"}, "Sampling must be one of: shuffle, replacement. (It was bag.)"),
        (
            {"n_samples": 10, "runs": (RunSpec("Mini-batch", 32),)},
            "The batch size of Mini-batch must be from 1 to N = 10 (or full). (It was 32.)",
        ),
        ({"problem": "hinton", "n_samples": 5}, "Samples N must be 10 for Hinton's one weight"),
        ({"problem": "logistic", "noise": 0.0}, "Label noise σ must be above 0 for logistic regression"),
        ({"runs": ()}, "Choose at least one run to compare."),
        ({"measure_seeds": 0}, "measure_seeds must be a whole number from 1 to 200 (got 0)"),  # no control
    ],
)
def test_refusals_name_the_control_and_the_allowed_range(qtbot, fields, expected) -> None:
    from gui.panels.config_messages import describe

    with pytest.raises(ValueError) as caught:
        ExperimentConfig(**fields)
    if "measure_seeds" not in fields:
        assert isinstance(caught.value, ConfigError)
    assert describe(caught.value).replace("\u202f", " ").startswith(expected)


def test_the_lesson_config_round_trips_unchanged(qtbot, window) -> None:
    for ident in ("rprop-vs-rmsprop", "sampling-modes"):
        window.load_preset(ident)
        assert window.controls.config() == load_preset(ident).config


def test_the_live_lines_take_the_height_they_need_and_the_text_the_rest(qtbot, window) -> None:
    window.load_preset("epoch-iteration")  # one run: two short lines
    wait_ready(qtbot, window)
    split = window.concept.split
    qtbot.waitUntil(lambda: split.sizes()[0] < 0.3 * sum(split.sizes()), timeout=5_000)
    lines = window.concept.arithmetic
    assert split.sizes()[0] >= lines.heightForWidth(lines.width())  # all of them shown
    window.load_preset("sgd-escapes-local-minimum")  # basin counts and three runs: capped
    wait_ready(qtbot, window)
    with qtbot.waitSignal(window.session_finished, timeout=120_000):
        window.session.toggle_run()
    qtbot.waitUntil(lambda: split.sizes()[0] <= 0.46 * sum(split.sizes()), timeout=5_000)
    split.splitterMoved.emit(50, 1)  # the user drags the divider: it stays theirs
    split.setSizes([100, 500])
    dragged = split.sizes()[0]
    window.load_preset("epoch-iteration")
    wait_ready(qtbot, window)
    assert split.sizes()[0] == dragged


def test_a_diverging_path_ends_with_a_cross_where_it_left_the_surface(qtbot, window) -> None:
    window.load_preset("lr-scaling")
    wait_ready(qtbot, window)
    window.speed.setCurrentIndex(0)  # full speed
    run_to_end(qtbot, window)
    contour = window.plots.contour
    qtbot.waitUntil(lambda: contour.exit_point("B512")[1] == "B512 diverged", timeout=10_000)
    (ex, ey), _ = contour.exit_point("B512")
    x0, x1, y0, y1 = contour._box
    on_edge = min(abs(ex - x0), abs(ex - x1), abs(ey - y0), abs(ey - y1))
    assert on_edge < 1e-9 * (x1 - x0)
    x, y = contour.path_data("B512")
    assert (x[-1], y[-1]) == (ex, ey)  # the path ends there; what went before is finite
    assert (
        np.isfinite(x).all() and np.isfinite(y).all() and len(x) < len(window.session.frame_rows()[0]["B512"])
    )
    # The runs that converge are drawn whole and marked nowhere.
    rows = window.session.frame_rows()[0]
    for label in ("B4", "B16", "B64", "B128"):
        assert contour.exit_point(label) == (None, "")
        assert len(contour.path_data(label)[0]) == len(rows[label])


def test_the_last_x_tick_is_labelled_on_plots_with_a_grid(qtbot) -> None:
    import pyqtgraph as pg
    from PySide6.QtGui import QImage, QPainter

    from gui.views.plot_style import PlotTheme, style_plot

    for end in (10, 20):
        widget = pg.PlotWidget()
        qtbot.addWidget(widget)
        item = widget.getPlotItem()
        style_plot(item, PlotTheme(), curves_are_functions=True)
        item.showGrid(x=True, y=True, alpha=0.25)
        item.plot([0, end], [1, 2])
        widget.resize(420, 300)
        widget.show()
        item.setXRange(0, end, padding=0.02)
        qtbot.wait(50)
        image = QImage(10, 10, QImage.Format.Format_ARGB32)
        painter = QPainter(image)
        texts = [spec[2] for spec in item.getAxis("bottom").generateDrawSpecs(painter)[2]]
        painter.end()
        assert str(end) in texts, texts


def test_the_speed_box_says_what_a_slow_machine_does_beside_what_was_asked(qtbot, monkeypatch) -> None:
    from gui.widgets import speed_box
    from gui.widgets.speed_box import SPEEDS, SpeedBox

    box = SpeedBox()
    qtbot.addWidget(box)
    box.retranslate()
    box.setCurrentIndex(SPEEDS.index(3000.0))
    clock = [0.0]
    monkeypatch.setattr(speed_box.time, "monotonic", lambda: clock[0])
    for k in range(40):  # 1 874 it/s for 1.3 s, 30 frames a second
        clock[0] = k / 30
        box.follow(round(1874 * k / 30), live=True)
    assert not box.achieved.isHidden() and box.achieved.text() == "(does 1\u202f874)"
    box.follow(2500, live=False)  # paused: nothing kept, nothing said
    assert box.achieved.isHidden()
    box.setCurrentIndex(SPEEDS.index(1000.0))  # a pace it keeps
    for k in range(40):
        clock[0] = 2 + k / 30
        box.follow(round(1000 * k / 30), live=True)
    assert box.achieved.isHidden()
