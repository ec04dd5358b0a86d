"""Data-parallel runs in the window: each run's workers box sets its K, and a stop or a closed
window mid-run leaves no worker process behind."""

from __future__ import annotations

import dataclasses
import os
import signal

import pytest
from PySide6.QtCore import Qt

from engine import RunSpec, load_preset
from gui.session.background import unfinished_jobs
from tests.gui.helpers import THREAD_END_MS, ended, interrupt_without_waiting, line, wait_ready
from tests.helpers import children, no_children_but


def test_each_run_has_a_workers_box_that_sets_its_k(qtbot, window) -> None:
    window.load_preset("data-parallel")
    wait_ready(qtbot, window)
    editor = window.controls.runs_editor
    assert [spin.value() for spin in editor.worker_spins] == [1, 4, 4]
    spin = editor.worker_spins[1]  # typed as a person would: select, "2", Enter
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(spin, "2")
    qtbot.keyClick(spin, Qt.Key.Key_Return)
    assert spin.value() == 2 and spin.text() == "×2"
    window.lessons.apply_edit()
    qtbot.waitUntil(lambda: window.session.config.runs[1].workers == 2, timeout=10_000)
    wait_ready(qtbot, window)
    said = line(window, "4 workers")
    assert "2 workers × 8 = 16" in said and "64 iterations per epoch" in said, said


def run_two_workers(qtbot, window) -> None:
    """A run on 2 workers, started and well under way (the lesson's group of 4 would only take
    longer to start)."""
    config = dataclasses.replace(
        load_preset("data-parallel").config, epochs=500, runs=(RunSpec("2 workers", 8, workers=2),)
    )
    window.set_config(config)
    wait_ready(qtbot, window, timeout=60_000)
    window.session.toggle_run()
    qtbot.waitUntil(lambda: len(window.session.histories["2 workers"]) > 20, timeout=60_000)


@pytest.mark.parametrize("how", ["stop", "close"])
def test_a_stop_or_a_close_mid_run_leaves_no_worker(qtbot, window, how: str) -> None:
    before = set(children())
    run_two_workers(qtbot, window)
    assert set(children()) - before  # its workers, mid-run
    thread = window.session.runner.job
    interrupt_without_waiting(window, how)
    qtbot.waitUntil(lambda: ended(thread), timeout=THREAD_END_MS)
    if how == "close":
        qtbot.waitUntil(lambda: unfinished_jobs() == 0, timeout=THREAD_END_MS)
    assert no_children_but(before), "a worker process was left behind"


def test_a_killed_worker_is_said_in_one_sentence_and_leaves_no_other(qtbot, window) -> None:
    before = set(children())
    run_two_workers(qtbot, window)
    os.kill(max(set(children()) - before), signal.SIGKILL)
    qtbot.waitUntil(lambda: window.plots.message.isVisible(), timeout=THREAD_END_MS)
    said = window.plots.message.text()
    assert "data-parallel worker" in said and "SIGKILL" in said and "Run again" in said, said
    assert no_children_but(before), "a worker process was left behind"
