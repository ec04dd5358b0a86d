"""The session model on its own: no window is created here (the tests would fail if one were).

Its numbers are checked against a plain engine run of the same config (tests/helpers.collect);
its states, replay and "measure here" against what a user's keys must do.
"""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication, QMainWindow

from engine import RunSpec, gradient_noise_at
from gui.logic.replay import rows_until
from gui.logic.run_state import Replay, RunState
from gui.session.background import unfinished_jobs
from gui.session.controller import SessionController
from tests.helpers import collect, small_config

WAIT_MS = 60_000


@pytest.fixture
def session(qtbot):
    windows_before = {id(w) for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow)}
    controller = SessionController()
    yield controller
    controller.shutdown()
    qtbot.waitUntil(lambda: controller.background.running() == 0, timeout=WAIT_MS)
    windows = {id(w) for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow)}
    assert windows <= windows_before  # no window was made for these tests


def ready(qtbot, session, config, paused: bool = True) -> None:
    session.start(config, paused=paused)
    qtbot.waitUntil(lambda: session.last_progress is not None, timeout=WAIT_MS)


def test_a_session_goes_from_preparing_to_finished_with_the_engines_numbers(qtbot, session) -> None:
    config = small_config(n_samples=80, epochs=3)
    states: list[RunState] = []
    session.state_changed.connect(lambda: states.append(session.state))
    session.start(config, paused=True)
    assert session.state == RunState.PREPARING and session.replay == Replay.LIVE
    qtbot.waitUntil(lambda: session.state == RunState.READY, timeout=WAIT_MS)
    assert all(len(h) == 1 for h in session.histories.values())  # iteration 0 of each run
    with qtbot.waitSignal(session.ended, timeout=WAIT_MS):
        session.toggle_run()
        assert session.state == RunState.RUNNING
    assert session.state == RunState.FINISHED and session.finished
    assert states[0] == RunState.PREPARING and RunState.READY in states and states[-1] == RunState.FINISHED
    reference = collect(config).histories
    for label, history in reference.items():
        np.testing.assert_array_equal(session.histories[label].rows().params, history.rows().params)
        np.testing.assert_array_equal(session.histories[label].rows().loss, history.rows().loss)
    # Run again: a new session of the same config, from iteration 0.
    session.toggle_run()
    assert session.state == RunState.RUNNING and session.last_progress is None


def test_pause_resume_and_step(qtbot, session) -> None:
    ready(qtbot, session, small_config(n_samples=2000, epochs=50, runs=(RunSpec("SGD", 1),)))
    session.step()
    qtbot.waitUntil(lambda: session.last_progress.runs[0].iteration == 1, timeout=WAIT_MS)
    assert session.state == RunState.PAUSED
    session.toggle_run()
    assert session.state == RunState.RUNNING
    qtbot.waitUntil(lambda: session.last_progress.runs[0].iteration > 50, timeout=WAIT_MS)
    session.toggle_run()
    assert session.state == RunState.PAUSED and session.runner.is_paused()
    session.stop()
    assert session.state == RunState.FINISHED and not session.runner.is_active()


def test_the_playhead_shows_the_recording_and_computing_resumes_at_the_head(qtbot, session) -> None:
    ready(
        qtbot, session, small_config(n_samples=500, epochs=40, runs=(RunSpec("SGD", 1), RunSpec("B10", 10)))
    )
    assert session.ticks_per_epoch == 500  # SGD's iterations per epoch: the clock's ticks
    session.set_pace(3000.0)
    session.toggle_run()
    qtbot.waitUntil(lambda: session.head_tick() > 1200, timeout=WAIT_MS)
    session.seek(700)  # dragged back: computing pauses, the views show tick 700
    assert session.replay == Replay.HELD and session.runner.is_paused()
    head = session.head_tick()
    rows, runs = session.frame_rows()
    full = session.histories["SGD"].rows()
    expected = rows_until(full, 700 / 500)
    np.testing.assert_array_equal(rows["SGD"].params, expected.params)
    assert next(r for r in runs if r.label == "SGD").iteration == 700
    assert next(r for r in runs if r.label == "B10").iteration == 70  # the same moment: 1.4 epochs
    session.back()
    assert session.playhead.tick == 699
    session.toggle_run()  # play the recording forward; at the head, computing goes on
    assert session.replay == Replay.PLAYING
    qtbot.waitUntil(lambda: session.replay == Replay.LIVE, timeout=WAIT_MS)
    qtbot.waitUntil(lambda: session.head_tick() > head, timeout=WAIT_MS)
    assert session.state in (RunState.RUNNING, RunState.FINISHED)


def test_a_failure_is_one_state_and_one_signal(qtbot, session, monkeypatch) -> None:
    import engine.problems

    def broken(*args: object, **kwargs: object) -> None:
        raise IndexError("list index out of range")

    monkeypatch.setattr(engine.problems, "make_problem", broken)
    failures: list[BaseException] = []
    session.failed.connect(failures.append)
    with qtbot.waitSignal(session.ended, timeout=WAIT_MS):
        session.start(small_config(), paused=False)
    assert [type(f) for f in failures] == [IndexError]
    assert session.state == RunState.FAILED and session.finished and session.last_progress is None


def test_measure_here_matches_the_engines_measurement_and_a_new_config_drops_it(qtbot, session) -> None:
    config = small_config(n_samples=200, epochs=2)
    ready(qtbot, session, config)
    session.step()
    qtbot.waitUntil(lambda: session.last_progress.clock_epochs > 0, timeout=WAIT_MS)
    with qtbot.waitSignal(session.noise_measured, timeout=WAIT_MS) as got:
        assert session.measure_noise_here()
    noise, where, error = got.args
    assert error is None and where.label == "GD"
    np.testing.assert_array_equal(where.point, session.histories["GD"].rows().params[-1])
    reference = gradient_noise_at(config, where.point)
    np.testing.assert_allclose(noise.full_gradient, reference.full_gradient)
    np.testing.assert_allclose(noise.theory_without, reference.theory_without)
    assert noise.trace_sigma == pytest.approx(reference.trace_sigma)
    # A measurement under way belongs to its config: a new session drops its result.
    measured: list[object] = []
    session.noise_measured.connect(measured.append)
    assert session.measure_noise_here()
    session.start(small_config(n_samples=100, epochs=2), paused=True)
    # Both stopped jobs have ended (the new, paused session runs on): a job's `ended` is queued
    # after its result, so a result the measurement still sent has been handled (and dropped).
    qtbot.waitUntil(lambda: session.background.running() <= 1, timeout=WAIT_MS)
    assert measured == []


def test_shutdown_ends_every_job_and_starts_nothing_more(qtbot, session) -> None:
    ready(qtbot, session, small_config(n_samples=5000, epochs=500, runs=(RunSpec("SGD", 1),)), paused=False)
    assert session.measure_noise_here()
    assert session.background.running() == 2
    with qtbot.waitSignal(session.background.all_ended, timeout=WAIT_MS):
        session.shutdown()
    assert session.background.running() == 0
    session.start(small_config(), paused=True)  # after a close nothing new computes
    assert not session.runner.is_active() and session.background.running() == 0
    qtbot.waitUntil(lambda: unfinished_jobs() == 0, timeout=WAIT_MS)  # this test's and earlier ones'
