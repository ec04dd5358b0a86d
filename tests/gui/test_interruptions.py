"""A lecturer interrupts long work at any moment: the window answers at once, no thread stays.

Each case starts long work (the gradient-noise measurement at N = 100 000 before training,
the basin copies after training, training itself), interrupts it the way a person would —
stop, reset (R), another lesson, an edit, closing the window — and checks that the GUI thread
waited on no other thread during the call (a structural check: a time limit would fail on a
loaded machine), that the interrupted thread ended promptly by itself, and that nothing of
the old session reaches the views of the new one.
"""

from __future__ import annotations

import dataclasses
import threading

import pytest

from engine import RunSpec, load_preset
from gui.session.background import unfinished_jobs
from tests.gui.helpers import (
    HANG_MS,
    THREAD_END_MS,
    ended,
    gui_thread_waits,
    interrupt_without_waiting,
    wait_ready,
)
from tests.helpers import small_config


def big_noise_config():
    return dataclasses.replace(load_preset("gradient-noise").config, n_samples=100_000)


def basins_config():
    config = load_preset("sgd-escapes-local-minimum").config
    return dataclasses.replace(config, epochs=2, measure_seeds=100)


def start_noise_measurement(qtbot, window) -> None:
    window.set_config(big_noise_config())
    qtbot.waitUntil(
        lambda: window.plots.busy.task == "gradient_noise" and window.plots.busy.isVisible(), timeout=30_000
    )


def start_basin_copies(qtbot, window) -> None:
    window.set_config(basins_config())
    wait_ready(qtbot, window)
    window.session.toggle_run()
    qtbot.waitUntil(
        lambda: window.plots.busy.task == "basins" and window.plots.busy.isVisible(), timeout=60_000
    )


def start_training(qtbot, window) -> None:
    window.set_config(small_config(n_samples=5000, epochs=500, runs=(RunSpec("SGD", 1),)))
    wait_ready(qtbot, window)
    window.session.toggle_run()
    qtbot.waitUntil(lambda: len(window.session.histories["SGD"]) > 10, timeout=20_000)


@pytest.mark.parametrize("how", ["stop", "reset", "lesson", "edit", "close"])
@pytest.mark.parametrize("during", ["noise", "basins", "training"])
def test_interrupting_long_work_answers_at_once(qtbot, window, during: str, how: str) -> None:
    wait_ready(qtbot, window)
    {"noise": start_noise_measurement, "basins": start_basin_copies, "training": start_training}[during](
        qtbot, window
    )
    thread = window.session.runner.job
    before = window.session.config
    assert thread is not None and thread.isRunning() and before is not None
    interrupt_without_waiting(window, how)
    qtbot.waitUntil(lambda: ended(thread), timeout=THREAD_END_MS)
    if how == "close":
        assert not window.isVisible()
        qtbot.waitUntil(lambda: unfinished_jobs() == 0, timeout=THREAD_END_MS)
        return
    if how == "stop":
        assert not window.session.runner.is_active() and not window.plots.busy.isVisible()
        return
    # A new session replaced the old one: it gets ready, and it is the one on screen.
    wait_ready(qtbot, window)
    assert window.session.config is not None
    assert set(window.session.histories) == {r.label for r in window.session.config.runs}
    if how == "edit":  # the edited config; it keeps running if it was running (as documented)
        assert window.session.config.seed == before.seed + 1
    else:
        assert window.session.last_progress is not None and window.session.last_progress.clock_epochs == 0


def test_views_are_emptied_while_a_new_lesson_prepares(qtbot, window) -> None:
    wait_ready(qtbot, window)
    qtbot.waitUntil(lambda: window.plots.contour.path_data("GD")[0].size > 0, timeout=60_000)  # drawn
    window.set_config(big_noise_config())
    # Straight away, before the new session has delivered anything: nothing of the old one.
    assert window.session.histories == {} and window.session.last_progress is None
    assert all(window.plots.contour.path_data(label)[0].size == 0 for label in window.plots.contour._paths)
    assert window.plots.noise.noise is None
    assert "Preparing" in window.plots.busy.text()  # says what it is doing, at once
    qtbot.waitUntil(lambda: "gradient noise" in window.plots.busy.text(), timeout=30_000)
    qtbot.waitUntil(lambda: window.plots.noise.noise is not None, timeout=60_000)
    assert window.plots.noise.noise.n_samples == 100_000


@pytest.mark.parametrize("how", ["stop", "end"])
def test_a_sessions_job_is_deleted_once_in_the_gui_thread_after_its_thread(qtbot, how: str) -> None:
    """Deleting a session's thread object from its own thread while the GUI thread also dropped
    it crashed in ~QObject (about 1 run in 10 that switched lesson while the first session
    imported torch). A job is deleted by Qt (finished → deleteLater), in the GUI thread."""
    from PySide6.QtCore import Qt

    from gui.session.background import Background
    from gui.session.runner import SessionRunner

    background = Background()
    runner = SessionRunner(background)
    runner.start(small_config(n_samples=200, epochs=2), paused=(how == "stop"))
    job = runner.job
    assert job is not None
    finished: list[bool] = []
    deleted_in: list[tuple[int, bool]] = []
    job.finished.connect(lambda: finished.append(True), Qt.ConnectionType.DirectConnection)
    job.destroyed.connect(
        lambda: deleted_in.append((threading.get_ident(), bool(finished))), Qt.ConnectionType.DirectConnection
    )
    if how == "stop":
        qtbot.waitUntil(lambda: runner.control.pause.is_set() and job.isRunning(), timeout=30_000)
        runner.stop()  # its run() is still on the job thread's stack
    qtbot.waitUntil(lambda: unfinished_jobs() == 0 and not runner.is_active(), timeout=30_000)
    qtbot.waitUntil(lambda: bool(deleted_in), timeout=2_000)
    assert deleted_in == [(threading.main_thread().ident, True)]
    assert background.running() == 0


def test_the_wait_recorder_sees_the_gui_thread_wait_and_only_it(qtbot) -> None:
    """The structural check above can fail: each blocking call it watches is seen when the GUI
    thread makes it, with the line that made it, and not when another thread makes it."""
    from PySide6.QtCore import QEventLoop, QThread, QThreadPool, QTimer

    worker = QThread()
    worker.start()
    done = threading.Event()
    with gui_thread_waits() as waits:
        worker.quit()
        assert worker.wait(HANG_MS)
        QThreadPool.globalInstance().waitForDone(HANG_MS)
        loop = QEventLoop()
        QTimer.singleShot(0, loop.quit)
        loop.exec()
        helper = threading.Thread(target=lambda: threading.Event().wait(0) or done.set())
        helper.start()  # waits for the thread to begin: not a wait on its work, not recorded
        assert done.wait(HANG_MS / 1000)
        helper.join()
    assert [entry.split(" at ")[0] for entry in waits] == [
        "QThread.wait",
        "QThreadPool.waitForDone",
        "QEventLoop.exec",
        "Event.wait",  # done.wait; the helper's own Event.wait was on its thread
        "Thread.join",
    ]
    assert all(f" at {__file__}:" in entry for entry in waits), waits
