"""The window's Qt-free session arithmetic: replay cuts, the time-left estimate, lesson keys,
the run states' texts (looked up, so every state has one)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from gui.logic.lessons import PresetLesson, ScenarioFile, lesson_key, parse_lesson_key
from gui.logic.replay import advanced, at_playhead, head_tick, rows_until
from gui.logic.run_state import Replay, RunState, can_resume, paused_state
from gui.logic.time_left import ETA_AFTER_S, TimeLeft
from tests.helpers import collect, small_config


@pytest.fixture(scope="module")
def recorded():
    config = small_config(n_samples=40, epochs=3)  # GD 1, SGD 40, B8 5 iterations per epoch
    return collect(config)


def test_rows_until_keeps_exactly_the_rows_at_or_before_the_epoch(recorded) -> None:
    rows = recorded.histories["SGD"].rows()
    for epoch in (0.0, 0.5, 1.0, 1.0 + 1 / 40, 2.975, 3.0, 10.0):
        cut = rows_until(rows, epoch)
        expected = [i for i, e in enumerate(rows.epoch) if e <= epoch + 1e-12]
        assert len(cut) == max(len(expected), 1)
        np.testing.assert_array_equal(cut.params, rows.params[: len(cut)])


def test_every_run_at_the_playhead_is_at_the_same_moment(recorded) -> None:
    rows = {label: h.rows() for label, h in recorded.histories.items()}
    runs = recorded.last.runs
    cut, at = at_playhead(rows, runs, tick=60, ticks_per_epoch=40)  # 1.5 epochs
    by_label = {r.label: r for r in at}
    assert by_label["SGD"].iteration == 60
    assert by_label["Mini-batch"].iteration == 7  # 5 per epoch: 7 of them done by epoch 1.5
    assert by_label["GD"].iteration == 1
    assert not any(r.done for r in at)
    assert cut["SGD"].loss[-1] == by_label["SGD"].loss


def test_head_and_playback_arithmetic() -> None:
    assert head_tick(1.5, 40) == 60
    assert advanced(None, 100, 30.0, 1.0) == 100.0  # live: at the head
    assert advanced(10.0, 100, 30.0, 1.0) == 40.0
    assert advanced(90.0, 100, 30.0, 1.0) == 100.0  # never past the head
    assert advanced(10.0, 100, 0.0, 0.1) == 100.0  # full speed: straight to the head


def test_time_left_waits_for_a_steady_rate_then_extrapolates() -> None:
    estimate = TimeLeft()
    session = object()
    assert estimate.seconds(0.0, 1.0, 11.0, session) is None  # the anchor
    assert estimate.seconds(ETA_AFTER_S / 2, 2.0, 11.0, session) is None  # too soon
    # 2 epochs in 10 s since the anchor: 8 more epochs take 40 s.
    assert estimate.seconds(10.0, 3.0, 11.0, session) == pytest.approx(40.0)
    assert estimate.seconds(11.0, 3.0, 11.0, object()) is None  # another session: a new anchor


@pytest.mark.parametrize(
    "ref", [PresetLesson("gd-sgd-minibatch"), ScenarioFile(Path("/tmp/a b/file:x.json"))]
)
def test_lesson_keys_read_back(ref) -> None:
    assert parse_lesson_key(lesson_key(ref)) == ref


def test_run_states() -> None:
    assert paused_state(False, 0.0) == RunState.PREPARING
    assert paused_state(True, 0.0) == RunState.READY
    assert paused_state(True, 0.25) == RunState.PAUSED
    assert (
        not can_resume(RunState.FINISHED)
        and not can_resume(RunState.FAILED)
        and not can_resume(RunState.IDLE)
    )
    from gui.window.status import LIVE_TEXTS, REPLAY_TEXTS

    assert set(LIVE_TEXTS) == set(RunState) and set(REPLAY_TEXTS) | {Replay.LIVE} == set(Replay)
