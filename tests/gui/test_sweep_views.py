"""The sweep in the window: its settings in the controls (refusals named, undo), its tabs taking
the whole width, and its views filled from a real sweep."""

from __future__ import annotations

import dataclasses

import numpy as np

from engine import RunSpec, load_preset, run_session
from gui.views.memory_view import MemoryView
from gui.views.sweep_view import SweepView
from gui.window.plots_area import LOSS_TAB, SWEEP_TAB
from tests.gui.helpers import wait_ready


def small_sweep():
    config = dataclasses.replace(
        load_preset("choose-batch-size").config,
        device="cpu",
        epochs=3,
        n_samples=400,
        runs=(RunSpec("B32", 32),),
        sweep=dataclasses.replace(
            load_preset("choose-batch-size").config.sweep,
            batch_sizes=(16, 64, 256),
            seeds=2,
            target_accuracy=0.6,
        ),
    )
    found = []
    for p in run_session(config):
        s = p.measurements.get("sweep")
        if s is not None and (not found or s is not found[-1]):
            found.append(s)
    return config, found


def test_the_sweep_settings_show_refuse_by_name_and_undo(qtbot, window) -> None:
    window.load_preset("choose-batch-size")
    wait_ready(qtbot, window)
    sweep = window.controls.sweep_controls
    assert sweep.isVisible()
    assert sweep.seeds_spin.value() == 3 and sweep.rule_box.currentData() == "tuned"
    assert sweep.target_spin.value() == 95.0
    assert window.controls.config().sweep == load_preset("choose-batch-size").config.sweep
    sweep.sizes_edit.setText("8, 16, 99 999")
    sweep.sizes_edit.setModified(True)
    sweep.sizes_edit.editingFinished.emit()
    qtbot.waitUntil(lambda: window.controls.error_label.isVisible(), timeout=10_000)
    assert (
        "Batch sizes" in window.controls.error_label.text()
        and "1\u202f438" in window.controls.error_label.text()
    )
    sweep.sizes_edit.setText("8, 16, 32")
    sweep.sizes_edit.setModified(True)
    sweep.sizes_edit.editingFinished.emit()
    qtbot.waitUntil(lambda: window.session.config.sweep.batch_sizes == (8, 16, 32), timeout=10_000)
    assert not window.controls.error_label.isVisible()
    window.commands["undo"].trigger()
    wait_ready(qtbot, window)
    assert window.session.config.sweep.batch_sizes == (8, 16, 32, 64, 128, 256, 512, 1024)
    window.load_preset("mlp-digits")
    wait_ready(qtbot, window)
    assert not sweep.isVisible()
    assert not window.plots.right_tabs.isTabVisible(SWEEP_TAB)


def test_a_sweep_tab_takes_the_whole_width_and_gives_it_back(qtbot, window) -> None:
    window.load_preset("choose-batch-size")
    wait_ready(qtbot, window)
    tabs = window.plots.right_tabs
    assert tabs.isTabVisible(SWEEP_TAB) and window.plots.accuracy.isVisible()
    tabs.setCurrentIndex(SWEEP_TAB)
    assert not window.plots.accuracy.isVisible()
    tabs.setCurrentIndex(LOSS_TAB)
    assert window.plots.accuracy.isVisible()


def test_the_views_draw_every_partial_result_and_the_table_sorts_by_number(qtbot) -> None:
    config, partials = small_sweep()
    view, memory = SweepView(), MemoryView()
    for w in (view, memory):
        qtbot.addWidget(w)
        w.resize(1200, 800)
        w.show()
    for partial in partials:  # each phase drawn (an empty one crashed the paint once)
        view.set_result(partial, config.epochs)
        memory.set_result(partial)
        view.grab()
        memory.grab()
    final = partials[-1]
    b, mean = view.steps.mean.xData, view.steps.mean.yData
    reached = sorted({r.batch_size for r in final.rows if r.steps_to_target is not None})
    assert list(b) == reached
    for size, value in zip(b, mean, strict=True):
        own = [
            r.steps_to_target for r in final.rows if r.batch_size == size and r.steps_to_target is not None
        ]
        assert value == np.mean(own)
    assert view.table.rowCount() == len(final.rows) == 6
    view.table.sortItems(2)  # by learning rate: numbers, not text
    memory_x, memory_y = memory.measured.xData, memory.measured.yData
    assert list(memory_x) == [16, 64, 256] and np.all(np.diff(memory_y) > 0)
    assert "B = 16 and 64" in memory.readout.text()
    view.table.sortItems(5)  # step memory, as numbers
    values = [float(view.table.item(r, 5).text()) for r in range(view.table.rowCount())]
    assert values == sorted(values)
