"""A pace to teach at: lesson speeds, speed keys, fixed axes, smoothing, flags in the run lines."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from engine import RunSpec, load_preset, preset_ids
from gui.logic.smoothing import debiased_ema, ema_from
from gui.widgets.speed_box import SPEEDS
from tests.gui.helpers import wait_ready
from tests.helpers import collect, small_config


def test_lessons_are_numbered_in_teaching_order_and_set_their_speed(qtbot, window) -> None:
    wait_ready(qtbot, window)
    assert window.lessons.box.itemText(0).startswith("1. ")
    assert window.lessons.box.itemData(0) == "epoch-iteration" == preset_ids()[0]
    window.load_preset("epoch-iteration")
    assert window.session.runner.pace == load_preset("epoch-iteration").speed == 30
    # ] is faster, [ slower; full speed is one end of the list.
    qtbot.keyClick(window, Qt.Key.Key_BracketRight)
    assert window.session.runner.pace == 100
    qtbot.keyClick(window, Qt.Key.Key_BracketLeft)
    qtbot.keyClick(window, Qt.Key.Key_BracketLeft)
    assert window.session.runner.pace == 10
    window.speed.setCurrentIndex(0)
    assert window.session.runner.pace == SPEEDS[0] == 0  # full speed


def test_enter_ends_a_number_edit_so_space_runs_again(qtbot, window) -> None:
    wait_ready(qtbot, window)
    spin = window.controls.epochs_spin
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert not spin.hasFocus()
    qtbot.keyClick(window.centralWidget(), Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.commands["run"].text() == "Pause", timeout=5_000)


@pytest.mark.parametrize("weight", [0.0, 0.3, 0.6, 0.99, 0.999])
def test_smoothing_is_tensorboards_debiased_ema(weight: float) -> None:
    values = np.random.default_rng(1).lognormal(size=3000)
    reference, state = [], 0.0
    for t, v in enumerate(values, start=1):  # the plain loop, as TensorBoard writes it
        state = weight * state + (1 - weight) * v
        reference.append(state / (1 - weight**t))
    np.testing.assert_allclose(debiased_ema(values, weight), reference, rtol=1e-10)
    head, state = ema_from(values[:1234], weight, 0.0, 0)  # continued in a second stretch
    tail, _ = ema_from(values[1234:], weight, state, 1234)
    np.testing.assert_allclose(np.concatenate([head, tail]), reference, rtol=1e-10)


def test_loss_axis_spans_the_whole_run_from_the_start(qtbot, window) -> None:
    config = small_config(n_samples=200, epochs=7)
    window.set_config(config)
    wait_ready(qtbot, window)
    view = window.plots.loss.plot.getPlotItem().getViewBox()
    (x0, x1), _ = view.viewRange()
    assert x0 <= 0 and 7 <= x1 < 7.5  # epochs, known before any step
    window.plots.loss.set_x_axis("iteration")
    (x0, x1), _ = view.viewRange()
    assert 7 * 200 <= x1 < 7 * 200 * 1.05
    window.plots.loss.set_x_axis("samples_seen")
    (_, x1), _ = view.viewRange()
    assert 7 * 200 <= x1 < 7 * 200 * 1.05
    # Smoothed curve bold, raw curve faint behind; smoothing off shows the raw values only.
    with qtbot.waitSignal(window.session_finished, timeout=60_000):
        window.session.toggle_run()
    _, y = window.plots.loss.curve_data("SGD")
    _, smooth = window.plots.loss.smoothed_data("SGD")
    # SGD has the most iterations per epoch: it takes the slider's weight itself.
    # Its 1 400 iterations set the default: an average over about 1 % of them, 1 − 1/14.
    assert window.plots.loss.weight_of("SGD") == window.plots.loss.smoothing == round(1 - 1 / 14, 3)
    np.testing.assert_allclose(np.log10(smooth), debiased_ema(np.log10(y), window.plots.loss.smoothing))
    # What is drawn was smoothed frame by frame (each frame extends the last): the same values.
    np.testing.assert_allclose(window.plots.loss._curves["SGD"].yData, smooth, rtol=1e-12)
    # Mini-batch (B = 8: 25 of SGD's 200 iterations per epoch) averages over as many epochs.
    assert window.plots.loss.weight_of("Mini-batch") == pytest.approx(
        window.plots.loss.smoothing ** (200 / 25)
    )
    window.plots.loss.smooth_slider.setValue(0)
    _, smooth = window.plots.loss.smoothed_data("SGD")
    np.testing.assert_array_equal(smooth, y)
    window.plots.loss.set_x_axis("wall_time_s")  # compute time: from 0, never negative
    (x0, x1), _ = view.viewRange()
    assert -0.1 * x1 < x0 <= 0 < x1


def test_a_run_above_the_curvature_limit_is_flagged_in_its_line(qtbot, window) -> None:
    window.load_preset("lr-scaling")
    wait_ready(qtbot, window)
    text = window.concept.line_for("B512")
    assert "2/λ_max" in text and "unstable" in text
    assert "unstable" not in window.concept.line_for("B4")


def test_display_scale_keys_resize_fonts_and_are_remembered(qtbot, window) -> None:
    from PySide6.QtWidgets import QApplication

    from gui.window.main_window import MainWindow

    wait_ready(qtbot, window)
    window.scale.set(1.0)
    base = QApplication.font().pointSizeF()
    tick = window.plots.loss.plot.getPlotItem().getAxis("bottom").style["tickFont"].pointSizeF()
    qtbot.keyClick(window, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert window.scale.value > 1
    assert QApplication.font().pointSizeF() == pytest.approx(base * window.scale.value)
    bigger = window.plots.loss.plot.getPlotItem().getAxis("bottom").style["tickFont"].pointSizeF()
    assert bigger == pytest.approx(tick * window.scale.value)
    other = MainWindow()  # a new start reads the remembered scale
    qtbot.addWidget(other)
    assert other.scale.value == window.scale.value
    other.close()
    qtbot.keyClick(window, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert window.scale.value == 1.0 and QApplication.font().pointSizeF() == pytest.approx(base)
    # Ctrl 0: the scale follows the window's height again (a 720-px window: 1.0; 1 080: 1.3).
    assert window.scale.auto
    window.resize(1920, 1080)
    qtbot.waitUntil(lambda: window.scale.value == 1.3, timeout=5_000)
    assert QApplication.font().pointSizeF() == pytest.approx(base * 1.3)
    fresh = MainWindow()  # nothing remembered: the new window follows its height too
    qtbot.addWidget(fresh)
    assert fresh.scale.auto
    fresh.close()
    window.resize(1280, 720)
    qtbot.waitUntil(lambda: window.scale.value == 1.0, timeout=5_000)


def test_choosing_hintons_problem_sets_what_it_needs(qtbot, window) -> None:
    wait_ready(qtbot, window)
    box = window.controls.problem_box
    box.setCurrentIndex(box.findData("hinton"))
    qtbot.waitUntil(lambda: window.session.config.problem == "hinton", timeout=5_000)
    assert window.session.config.n_samples == 10
    assert not window.controls.error_label.isVisible()


@pytest.mark.parametrize(("low", "high", "size"), [(-1.2, 1.4, 400), (-12, 0, 150), (-0.9, -0.6, 300)])
def test_log_axis_labels_never_crowd_and_show_numbers_within_a_decade(low, high, size) -> None:
    from gui.views.symlog_axis import LABEL_PX, _log_ticks

    ((_, ticks),) = _log_ticks(low, high, size)
    assert len(ticks) >= 2  # numbers even when the range is under one decade (0.13 … 0.25)
    assert len(ticks) * LABEL_PX <= size
    pixels = np.diff(ticks) * size / (high - low)
    assert np.all(pixels >= LABEL_PX)  # the closest two labels do not overlap either
    assert all(low <= t <= high for t in ticks)


def test_log_or_linear_on_either_axis(qtbot, window) -> None:
    config = small_config(n_samples=200, epochs=5, runs=(RunSpec("SGD", 1), RunSpec("B50", 50)))
    window.set_config(config)
    wait_ready(qtbot, window)
    with qtbot.waitSignal(window.session_finished, timeout=60_000):
        window.session.toggle_run()
    loss = window.plots.loss
    item = loss.plot.getPlotItem()
    loss.set_x_axis("iteration")
    loss.log_x_box.setChecked(True)
    assert item.getAxis("bottom").logMode
    (x0, x1), _ = item.getViewBox().viewRange()
    assert x0 <= 0 <= x0 + 0.1 and np.log10(1000) <= x1 < np.log10(1000) + 0.1  # 1 … 1 000 iterations
    x, y = loss.curve_data("B50")
    reference = collect(config).histories["B50"].rows()
    np.testing.assert_array_equal(x, reference.iteration[1:])  # iteration 0 has no logarithm
    np.testing.assert_allclose(y, reference.loss[1:], rtol=1e-6)
    mx, _ = loss._marks["B50"].getData()  # log10 of positions, spread evenly on the log axis
    assert len(mx) and np.all(np.diff(mx) > 0) and mx[0] < np.log10(20)
    # Epochs on a log axis start at the finest run's first step (1/200 of an epoch).
    loss.set_x_axis("epoch")
    (x0, x1), _ = item.getViewBox().viewRange()
    assert np.log10(1 / 200) - 0.1 < x0 <= np.log10(1 / 200) and np.log10(5) <= x1 < np.log10(5) + 0.1
    # Linear y: the label drops "(log scale)" and the axis shows the losses themselves.
    loss.log_y_box.setChecked(False)
    assert not item.getAxis("left").logMode
    assert item.getAxis("left").labelText == "mean squared residual"
    _, ys = loss._curves["SGD"].getData()
    assert np.nanmax(ys) > 1  # values, not their logarithms
    loss.log_x_box.setChecked(False)
    loss.log_y_box.setChecked(True)
    assert item.getAxis("left").labelText == "mean squared residual (log scale)"
    x, _ = loss.curve_data("B50")
    assert x[0] == 0


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "0"),
        (0.05, "0.05"),
        (5000.0, "5000"),
        (1e4, "10⁴"),
        (-34_000.0, "−3.4·10⁴"),
        (2e-5, "2·10⁻⁵"),
        (1e-5, "10⁻⁵"),
        (-0.01, "−0.01"),
        (-9999.9999, "−10⁴"),  # a symlog tick a hair below 10⁴ (was "−1e+04" in lesson 9)
    ],
)
def test_tick_labels_read_as_numbers_not_computer_notation(value, text) -> None:
    from gui.logic.numbers import tick_text

    assert tick_text(value) == text
