"""The readout under the cursor: moving the mouse over a plot of a finished session lists each
run's value on its curve there (loss, accuracy) or the loss at (w, b) on the surface; it leaves
with the mouse, is off in presentation mode until H, and never raises on an empty plot."""

from __future__ import annotations

import dataclasses

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QPoint, QPointF, QRect, QSize, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

from gui.logic.readout import axis_text, grid_value, value_text
from gui.views.accuracy_view import AccuracyView
from gui.views.contour_view import ContourView
from gui.views.loss_view import LossView
from gui.views.plot_style import run_glyph
from gui.widgets.run_names import shown_label
from tests.gui.helpers import run_to_end, skip_without_data, wait_ready
from tests.helpers import digits_config, small_config


def finished(qtbot, window, config) -> None:
    window.set_config(config)
    wait_ready(qtbot, window)
    window.speed.setCurrentIndex(0)  # full speed: the playhead is at the end when it finishes
    run_to_end(qtbot, window, timeout=120_000)
    qtbot.waitUntil(lambda: window.session.playhead.live, timeout=30_000)


def move_mouse(widget: QWidget, point: QPoint) -> None:
    """The mouse moved to `point` of `widget`, as the window system tells the widget.

    (QTest.mouseMove moves the offscreen platform's cursor, which hands the move to the first
    window at that place on its 800×800 screen, and dropped about one move in three right after
    presentation mode's full screen: the plot never heard of it.)
    """
    at = QPointF(point)
    event = QMouseEvent(
        QEvent.Type.MouseMove,
        at,
        QPointF(widget.mapToGlobal(point)),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, event)


def hover(qtbot, view, share_x: float, share_y: float) -> tuple[float, float]:
    """Move the mouse to that share of the view's plotted range; the view coordinates it landed
    on (a whole pixel), once the view's readout has handled the move."""
    plot: pg.PlotWidget = view.plot if isinstance(view, LossView) else view
    vb = plot.getPlotItem().getViewBox()
    (x0, x1), (y0, y1) = vb.viewRange()
    point = plot.mapFromScene(vb.mapViewToScene(QPointF(x0 + share_x * (x1 - x0), y0 + share_y * (y1 - y0))))
    with qtbot.waitSignal(view.readout.moved, timeout=10_000):
        move_mouse(plot.viewport(), point)
    landed = vb.mapSceneToView(plot.mapToScene(point))
    return landed.x(), landed.y()


def settled(qtbot, loss: LossView) -> None:
    """Wait until presentation mode's full screen is laid out: the loss plot on the screen."""
    viewport = loss.plot.viewport()
    screen = loss.window().screen().geometry()
    qtbot.waitUntil(
        lambda: screen.contains(QRect(viewport.mapToGlobal(QPoint(0, 0)), viewport.size())), timeout=5_000
    )
    qtbot.waitUntil(lambda: not loss.window().paint_hold.holding, timeout=5_000)  # and drawn so


def read_back(x: np.ndarray, y: np.ndarray, at: float) -> int | None:
    """The last point at or before `at`, found without the code under test."""
    before = np.nonzero(x <= at)[0]
    return int(before[-1]) if len(before) and at <= x[-1] else None


def expected_loss_lines(window, at: float) -> list[str]:
    loss = window.plots.loss
    markers = window.controls.runs_editor.markers()
    lines = []
    for index, run in enumerate(window.session.config.runs):
        x, y = loss.smoothed_data(run.label)
        i = read_back(x, y, at)
        if i is not None:
            glyph = run_glyph(markers.get(run.label, index))
            lines.append(f"{glyph} {shown_label(run.label)}: {value_text(float(y[i]))}")
    return lines


def test_hovering_the_loss_curves_reads_each_run_on_its_curve(qtbot, window) -> None:
    finished(qtbot, window, small_config())
    window.plots.right_tabs.setCurrentIndex(0)
    loss = window.plots.loss
    plot = loss.plot
    assert loss.log_y  # the y-axis is log: the cursor's height is 10^y there
    # (A mouse moved to where it already is gets no event: each place is another pixel.)
    for axis, log_x, share in (("epoch", False, 0.4), ("epoch", True, 0.45), ("iteration", False, 0.42)):
        loss.set_x_axis(axis)
        loss.log_x_box.setChecked(log_x)
        vx, _ = hover(qtbot, loss, share, 0.5)
        at = 10**vx if log_x else vx
        lines = expected_loss_lines(window, at)
        assert lines, axis
        header = f"{axis}: {axis_text(at, whole=axis == 'iteration')}"
        assert loss.readout.text().splitlines() == [header, *lines], (axis, log_x)
        # A marker on each point read, where the curve draws it (log10 on a log axis).
        marks = loss.readout.marks()
        assert len(marks) == len(lines)
        for mx, my in marks:
            assert any(
                np.any(np.isclose(np.log10(x) if log_x else x, mx) & np.isclose(np.log10(y), my))
                for x, y in (loss.smoothed_data(r.label) for r in window.session.config.runs)
            )
    # On the iteration axis at ~50, GD (2 iterations) and mini-batch (16) have not got there:
    # SGD alone is listed.
    assert [line.split(":")[0] for line in loss.readout.text().splitlines()] == ["iteration", "▲ SGD"]
    # Over the axes (outside the data) and off the plot, the box goes.
    with qtbot.waitSignal(loss.readout.moved, timeout=10_000):
        move_mouse(plot.viewport(), QPoint(3, plot.viewport().height() // 2))
    assert not loss.readout.shown
    hover(qtbot, loss, 0.5, 0.5)
    assert loss.readout.shown
    QApplication.sendEvent(plot, QEvent(QEvent.Type.Leave))  # what Qt sends as the mouse leaves
    assert not loss.readout.shown
    with qtbot.waitSignal(loss.readout.moved, timeout=10_000):  # a move already on its way
        move_mouse(plot.viewport(), QPoint(plot.viewport().width() // 2, 40))
        QApplication.sendEvent(plot, QEvent(QEvent.Type.Leave))
    assert not loss.readout.shown


def test_the_box_stays_inside_the_plot_and_off_the_cursor(qtbot, window) -> None:
    finished(qtbot, window, small_config())
    loss = window.plots.loss
    vb = loss.plot.getPlotItem().getViewBox()
    for share_x, share_y in ((0.98, 0.03), (0.02, 0.97), (0.98, 0.97), (0.5, 0.5)):
        vx, vy = hover(qtbot, loss, share_x, share_y)
        if not loss.readout.shown:  # no run reached the far right (the axis has 2 % padding)
            continue
        box = loss.readout.box.mapRectToScene(loss.readout.box.boundingRect())
        assert vb.sceneBoundingRect().adjusted(-1, -1, 1, 1).contains(box), (share_x, share_y)
        assert not box.contains(vb.mapViewToScene(QPointF(vx, vy)))


def test_hovering_the_surface_reads_the_loss_at_w_b(qtbot, window) -> None:
    finished(qtbot, window, small_config())
    contour, setup = window.plots.contour, window.session.setup
    gx, gy, z = setup.grid_x, setup.grid_y, setup.grid_loss
    i, j = len(gx) // 3, 2 * len(gy) // 3
    # The mouse lands on a whole pixel: the loss shown is the surface's there, between the
    # grid values around it.
    w, b = hover(qtbot, contour, (gx[i] - gx[0]) / (gx[-1] - gx[0]), (gy[j] - gy[0]) / (gy[-1] - gy[0]))
    text = contour.readout.text()
    assert (
        text == f"w = {value_text(w)}, b = {value_text(b)}, loss = {value_text(grid_value(gx, gy, z, w, b))}"
    )
    near = z[j - 2 : j + 3, i - 2 : i + 3]
    shown = float(text.rsplit("= ", 1)[1])
    assert near.min() * (1 - 1e-3) <= shown <= near.max() * (1 + 1e-3)
    # Exactly on a grid point: the grid's own loss.
    contour.readout.show_at(contour.getPlotItem().getViewBox().mapViewToScene(QPointF(gx[i], gy[j])))
    assert contour.readout.text().endswith(f"loss = {value_text(float(z[j, i]))}")
    # Off the surface (zoomed out): where the cursor is, and no loss.
    contour.getPlotItem().setRange(xRange=(gx[0] - 10, gx[-1] + 10), padding=0)
    hover(qtbot, contour, 0.01, 0.5)
    assert contour.readout.text().startswith("w = −") and "loss" not in contour.readout.text()


def test_presentation_mode_hides_the_readout_until_h(qtbot, window) -> None:
    finished(qtbot, window, small_config())
    loss, readout = window.plots.loss, window.commands["readout"]
    assert readout.isChecked()
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F11)
    assert window.presentation.active and not readout.isChecked()
    settled(qtbot, loss)
    hover(qtbot, loss, 0.3, 0.5)
    assert not loss.readout.shown
    qtbot.keyClick(window, Qt.Key.Key_H)
    assert readout.isChecked()
    hover(qtbot, loss, 0.35, 0.5)
    assert loss.readout.shown
    qtbot.keyClick(window, Qt.Key.Key_Escape)
    assert not window.presentation.active and readout.isChecked()  # the normal window's, as it was
    qtbot.waitUntil(lambda: window.size() == QSize(1280, 720), timeout=5_000)
    # Off in the normal window: it stays off, in and out of presentation mode.
    qtbot.keyClick(window, Qt.Key.Key_H)
    assert not readout.isChecked() and not loss.readout.shown
    window.presentation.enter()
    window.presentation.leave()
    assert not readout.isChecked()
    hover(qtbot, loss, 0.4, 0.5)
    assert not loss.readout.shown


def test_hovering_the_accuracy_reads_each_runs_last_measured_epoch(qtbot, window) -> None:
    skip_without_data("mlp-digits")
    finished(qtbot, window, digits_config())
    accuracy = window.plots.accuracy
    vx, _ = hover(qtbot, accuracy, 0.7, 0.5)
    lines = accuracy.readout.text().splitlines()
    assert lines[0] == f"epoch: {axis_text(vx, whole=False)}"
    markers = window.controls.runs_editor.markers()  # by role, else by place (gui/logic/markers)
    for line, (index, run) in zip(lines[1:], enumerate(window.session.config.runs), strict=True):
        x, val = accuracy.curve_data(run.label, "val")
        _, train = accuracy.curve_data(run.label, "train")
        i = read_back(x, val, vx)
        assert i is not None
        value = f"{value_text(float(val[i]))} % (train {value_text(float(train[i]))} %)"
        assert line == f"{run_glyph(markers.get(run.label, index))} {shown_label(run.label)}: {value}"


def test_empty_plots_nan_losses_and_no_session_never_raise(qtbot, window) -> None:
    # (Views of their own, behind the window: read where a mouse would be, without a mouse.)
    views = (LossView(), ContourView(), AccuracyView())
    for view in views:
        qtbot.addWidget(view)
        view.resize(400, 300)
        view.show()
        plot = view.plot if isinstance(view, LossView) else view
        vb = plot.getPlotItem().getViewBox()
        for log_x in (False, True):
            plot.getPlotItem().setLogMode(x=log_x, y=True)
            view.readout.show_at(vb.sceneBoundingRect().center())  # before any session: nothing
            assert not view.readout.shown
    finished(qtbot, window, small_config())
    loss = views[0]
    loss.set_setup(window.session.setup)
    rows = {}
    for label, history in window.session.histories.items():
        r = history.rows()
        rows[label] = dataclasses.replace(r, loss=np.full(len(r), np.nan))
    loss.update_curves(rows)
    loss.readout.show_at(loss.plot.getPlotItem().getViewBox().sceneBoundingRect().center())
    text = loss.readout.text()
    assert text.count("—") == 3, text  # each run's value is not a number
