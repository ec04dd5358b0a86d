"""The window driven as a person would: run, stop, step, change B, close mid-run."""

from __future__ import annotations

import time

import numpy as np
import pytest

from engine import RunSpec
from gui.session.background import unfinished_jobs
from tests.gui.helpers import HANG_MS, THREAD_END_MS, ended, line, run_to_end, wait_ready
from tests.helpers import collect, small_config


def test_opens_on_the_default_lesson_ready_at_iteration_zero(qtbot, window) -> None:
    wait_ready(qtbot, window)
    assert window.preset is not None and window.preset.id == "gd-sgd-minibatch"
    assert set(window.session.histories) == {"GD", "SGD", "Mini-batch"}
    assert all(len(h) == 1 for h in window.session.histories.values())
    assert window.commands["run"].text() == "Run"
    assert "N = 1 000, B = 32 → ⌈N/B⌉ = 32 iterations per epoch" in line(window, "Mini-batch")
    assert window.status.device_label.text().startswith(("CPU", "GPU (CUDA)"))


def test_run_to_finish_and_views_hold_the_engines_numbers(qtbot, window) -> None:
    config = small_config(n_samples=120, epochs=3)
    window.set_config(config)
    wait_ready(qtbot, window)
    run_to_end(qtbot, window)
    assert window.session.finished and window.commands["run"].text() == "Run again"
    reference = collect(config).histories
    for label, history in reference.items():
        rows = history.rows()
        x, y = window.plots.contour.path_data(label)
        np.testing.assert_array_equal(x, rows.params[:, 0])
        np.testing.assert_array_equal(y, rows.params[:, 1])
        lx, ly = window.plots.loss.curve_data(label)
        np.testing.assert_array_equal(lx, rows.epoch)
        np.testing.assert_array_equal(ly, rows.loss)
    window.plots.loss.set_x_axis("iteration")
    lx, _ = window.plots.loss.curve_data("SGD")
    assert lx[-1] == 3 * 120
    assert "epoch 3 of 3, iteration 120 of 120; 360 samples seen — done" in line(window, "SGD")


def test_stop_mid_run_keeps_what_was_computed(qtbot, window) -> None:
    window.set_config(small_config(n_samples=2000, epochs=200, runs=(RunSpec("SGD", 1),)))
    wait_ready(qtbot, window)
    window.session.toggle_run()
    qtbot.waitUntil(lambda: len(window.session.histories["SGD"]) > 50, timeout=20_000)
    window.session.stop()
    assert not window.session.runner.is_active()
    done = len(window.session.histories["SGD"])
    # Every row computed up to the stop is kept: iterations 0 … the last one the session sent.
    assert window.session.last_progress is not None and not window.session.last_progress.finished
    last = window.session.last_progress.runs[0].iteration
    assert done == last + 1 and window.session.histories["SGD"].rows().iteration[-1] == last
    # The stopped job's `ended` is its last signal, queued after any snapshot it still sent:
    # once the window has handled it, everything the job sent has arrived (and was dropped).
    qtbot.waitUntil(
        lambda: unfinished_jobs() == 0 and window.session.background.running() == 0, timeout=HANG_MS
    )
    assert len(window.session.histories["SGD"]) == done  # nothing arrives after the stop
    assert window.commands["run"].text() == "Run again"


def test_step_advances_one_iteration_of_the_finest_run(qtbot, window) -> None:
    window.set_config(small_config(n_samples=64, epochs=2))
    wait_ready(qtbot, window)
    for expected in (1, 2, 3):
        window.session.step()
        qtbot.waitUntil(
            lambda e=expected: window.session.last_progress.runs[1].iteration == e, timeout=10_000
        )
    its = {rp.label: rp.iteration for rp in window.session.last_progress.runs}
    assert its == {"GD": 0, "SGD": 3, "Mini-batch": 0}
    assert len(window.session.histories["SGD"]) == 4
    assert window.commands["run"].text() == "Resume"


def test_changing_batch_size_restarts_with_the_new_arithmetic(qtbot, window) -> None:
    window.set_config(small_config(n_samples=100, epochs=1))
    wait_ready(qtbot, window)
    editor = window.controls.runs_editor
    editor.set_batch(editor.row_of("Mini-batch"), 10)  # as if typed into the run's box
    qtbot.waitUntil(
        lambda: (
            window.session.config.run_by_label("Mini-batch").batch_size == 10
            and window.session.last_progress is not None
        ),
        timeout=10_000,
    )
    run_to_end(qtbot, window)
    results = {r.label: r for r in window.session.last_progress.results}
    assert results["Mini-batch"].iterations_per_epoch == 10 and results["Mini-batch"].iterations == 10
    assert len(window.session.histories["Mini-batch"]) == 11


def test_closing_mid_run_stops_the_worker(qtbot) -> None:
    from gui.window.main_window import MainWindow

    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    w.set_config(small_config(n_samples=5000, epochs=500, runs=(RunSpec("SGD", 1),)))
    wait_ready(qtbot, w)
    w.session.toggle_run()
    qtbot.waitUntil(lambda: len(w.session.histories["SGD"]) > 10, timeout=20_000)
    thread = w.session.runner.job
    assert thread is not None and thread.isRunning()
    w.close()  # hides at once; the thread ends by itself, nobody waits for it on the GUI thread
    assert not w.isVisible() and not w.session.runner.is_active()
    qtbot.waitUntil(lambda: ended(thread), timeout=THREAD_END_MS)


def test_divergence_is_reported_and_the_window_keeps_working(qtbot, window) -> None:
    config = small_config(
        n_samples=200, epochs=20, lr=0.9, feature_shift=0.0, runs=(RunSpec("GD", "full"), RunSpec("SGD", 1))
    )
    window.set_config(config)
    wait_ready(qtbot, window)
    run_to_end(qtbot, window)
    assert not window.plots.message.isVisible()  # an expected outcome, told in the run's own line
    assert "diverged at iteration" in line(window, "SGD")
    _, loss = window.plots.loss.curve_data("SGD")
    assert np.isfinite(loss).all()
    window.set_config(small_config())  # and it still runs
    wait_ready(qtbot, window)
    run_to_end(qtbot, window)
    assert not window.plots.message.isVisible()


def test_invalid_edit_is_refused_with_a_message(qtbot, window) -> None:
    wait_ready(qtbot, window)
    before = window.session.config
    for box in window.controls.runs_editor.boxes:
        box.setChecked(False)
    qtbot.waitUntil(lambda: window.controls.error_label.isVisible(), timeout=5_000)
    assert "at least one run" in window.controls.error_label.text()
    assert not window.commands["run"].isEnabled()
    assert window.session.config is before  # nothing changed
    window.controls.runs_editor.boxes[0].setChecked(True)
    qtbot.waitUntil(lambda: window.commands["run"].isEnabled(), timeout=5_000)


def test_engine_errors_appear_as_a_message_not_a_crash(qtbot, window) -> None:
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a GPU")
    window.set_config(small_config(device="cuda"))
    qtbot.waitUntil(lambda: window.plots.message.isVisible(), timeout=10_000)
    assert window.plots.message.text().startswith("This machine has no usable CUDA GPU")


def test_speed_box_paces_the_running_session(qtbot, window) -> None:
    window.set_config(small_config(n_samples=1000, epochs=100, runs=(RunSpec("SGD", 1),)))
    wait_ready(qtbot, window)
    window.speed.setCurrentIndex(window.speed.findData(10.0))
    assert window.session.runner.control.pace == 10.0
    started = time.perf_counter()
    window.session.toggle_run()
    qtbot.waitUntil(lambda: window.session.last_progress.runs[0].iteration >= 5, timeout=HANG_MS)
    # At 10 iterations a second the 5th comes 4 ticks after the 1st: no sooner than 0.4 s after
    # the run began (full speed takes milliseconds). A lower bound: a slow machine cannot fail it.
    assert time.perf_counter() - started >= (5 - 1) / 10
    window.speed.setCurrentIndex(0)
    qtbot.waitUntil(lambda: window.session.last_progress.runs[0].iteration > 500, timeout=20_000)


def test_switching_language_translates_controls_and_lesson(qtbot, window) -> None:
    wait_ready(qtbot, window)
    window.session.step()
    qtbot.waitUntil(lambda: window.session.last_progress.runs[1].iteration == 1, timeout=10_000)
    window.set_language("zh")
    try:
        assert window.commands["step"].text() == "单步"
        assert window.controls.data_group.title() == "数据"
        assert "每个轮次 32 次迭代" in line(window, "Mini-batch")
        assert "第 1/1 000 次迭代；已看过 1 个样本" in line(window, "SGD")
        assert "同一起点" in window.concept.lesson.text()  # its key points, in Chinese
        # Default run labels, the legends (after a live switch), the device and the counter.
        assert "小批量" in line(window, "Mini-batch")
        legends = [window.plots.loss._legend, window.plots.contour._legend]
        texts = {label.text for legend in legends for _, label in legend.items}
        assert "小批量" in texts and "Mini-batch" not in texts and "较差的极小值" not in texts
        assert window.status.device_label.text().startswith(("CPU，", "GPU（CUDA）"))
        assert "第 1 / 20 轮" in window.plots.counter.plain_text()
        assert [box.text() for box in window.controls.runs_editor.boxes] == ["GD", "SGD", "小批量"]
        window.controls.problem_box.setCurrentIndex(window.controls.problem_box.findData("logistic"))
        window.controls.noise_spin.setValue(0.0)
        qtbot.waitUntil(lambda: window.controls.error_label.isVisible(), timeout=5_000)
        error = window.controls.error_label.text()
        assert "标签噪声 σ 大于 0" in error and "逻辑回归" in error, error
    finally:
        window.set_language("en")
    assert window.commands["step"].text() == "Step"
    assert "Mini-batch" in {label.text for _, label in window.plots.loss._legend.items}
    assert window.controls.error_label.text().startswith("Label noise σ must be above 0")


def test_contour_paths_are_neither_clipped_nor_downsampled(qtbot, window) -> None:
    """Clip-to-view and peak downsampling assume y(x); on a parametric path they reshape it."""
    wait_ready(qtbot, window)
    for label in ("GD", "SGD", "Mini-batch"):
        opts = window.plots.contour._paths[label].opts
        assert not opts["clipToView"] and not opts["autoDownsample"] and opts["downsample"] == 1
    loss_opts = window.plots.loss._curves["SGD"].opts
    assert loss_opts["clipToView"] and loss_opts["autoDownsample"]  # fine for loss(iteration)
