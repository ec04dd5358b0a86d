"""Faults injected into the engine at every stage: the window says a sentence and stays usable.

An exception at set-up, at the contour, in an instrument, in a step or in the final snapshot,
a simulated out-of-memory error, NaN gradients; and a stop, reset, lesson switch or close
while each stage is under way. The window must show one sentence in the user's language (never
the raw "Singular matrix"), keep working for the next experiment, and leave no thread behind
(the autouse fixture in conftest.py checks threads and child processes after every GUI test).
"""

from __future__ import annotations

import importlib
import math
import threading
import time

import numpy as np
import pytest

from engine import RunSpec
from engine.control import checkpoint
from tests.gui.helpers import HANG_MS, THREAD_END_MS, ended, interrupt_without_waiting, wait_ready
from tests.helpers import small_config

RAW = "Singular matrix (raw text a lecturer must not see)"

# stage -> (what to patch, a config that reaches it)
STAGES = {
    "set-up": ("engine.problems.make_problem", small_config()),
    "contour": ("engine.problems.loss_grid", small_config()),
    "instrument": (
        "engine.instruments.gradient_noise.measure_gradient_noise",
        small_config(measure=("gradient_noise",)),
    ),
    "step": ("engine.training.stack.RunStack.step", small_config()),
    "final snapshot": ("engine.training.session._results", small_config(epochs=1)),
}


def patch_to_fail(monkeypatch, target: str, error: BaseException, after: int = 0) -> None:
    """Make `target` raise `error` from its (after+1)-th call on."""
    module_name, _, attr = target.rpartition(".")
    owner: object
    try:
        owner = importlib.import_module(module_name)
    except ModuleNotFoundError:  # a method: module.Class.method
        mod, _, cls = module_name.rpartition(".")
        owner = getattr(importlib.import_module(mod), cls)
    real = getattr(owner, attr)
    calls: list[int] = []

    def broken(*args, **kwargs):
        calls.append(1)
        if len(calls) > after:
            raise error
        return real(*args, **kwargs)

    monkeypatch.setattr(owner, attr, broken)


def run_to_failure(qtbot, window, config) -> str:
    window.set_config(config)
    if not window.plots.message.isVisible():
        qtbot.waitUntil(
            lambda: window.session.last_progress is not None or window.plots.message.isVisible(),
            timeout=30_000,
        )
    if not window.plots.message.isVisible():
        window.session.toggle_run()
    qtbot.waitUntil(lambda: window.plots.message.isVisible(), timeout=30_000)
    return window.plots.message.text()


def still_usable(qtbot, window, monkeypatch) -> None:
    """The fault removed, the next experiment runs to its end in the same window."""
    monkeypatch.undo()
    window.set_config(small_config(epochs=1, runs=(RunSpec("GD", "full"), RunSpec("Mini-batch", 8))))
    wait_ready(qtbot, window)
    assert window.commands["run"].isEnabled()
    window.session.toggle_run()
    qtbot.waitUntil(lambda: window.session.finished, timeout=30_000)
    assert window.session.last_progress is not None and window.session.last_progress.finished
    assert all(r.final_loss is not None for r in window.session.last_progress.results)


@pytest.mark.parametrize("stage", list(STAGES))
def test_an_unexpected_error_at_any_stage_is_a_sentence_and_the_window_goes_on(
    qtbot, window, monkeypatch, stage: str
) -> None:
    wait_ready(qtbot, window)
    target, config = STAGES[stage]
    patch_to_fail(monkeypatch, target, np.linalg.LinAlgError(RAW), after=2 if stage == "step" else 0)
    text = run_to_failure(qtbot, window, config)
    assert RAW not in text and "LinAlgError" in text and "did not expect" in text, text
    assert not window.plots.busy.isVisible()
    still_usable(qtbot, window, monkeypatch)
    assert not window.plots.message.isVisible()


@pytest.mark.parametrize(
    "error",
    [MemoryError(), RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB (GPU 0; 79.3 GiB total)")],
)
def test_running_out_of_memory_says_what_to_try(qtbot, window, monkeypatch, error: BaseException) -> None:
    wait_ready(qtbot, window)
    patch_to_fail(monkeypatch, "engine.training.stack.RunStack.step", error, after=1)
    text = run_to_failure(qtbot, window, small_config())
    assert text == "The device ran out of memory. Try a smaller batch size or fewer samples."
    still_usable(qtbot, window, monkeypatch)


def test_the_cpu_allocators_failure_is_out_of_memory_too(qtbot, window, monkeypatch) -> None:
    # torch's CPU allocator does not say "out of memory"; it was worded as an unexpected error.
    wait_ready(qtbot, window)
    error = RuntimeError("[enforce fail at alloc_cpu.cpp:117] DefaultCPUAllocator: can't allocate memory")
    patch_to_fail(monkeypatch, "engine.training.stack.RunStack.step", error, after=1)
    text = run_to_failure(qtbot, window, small_config())
    assert text == "The device ran out of memory. Try a smaller batch size or fewer samples."
    still_usable(qtbot, window, monkeypatch)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            "These runs would need about {needed} of memory, more than the 1.5 MB this computer "
            "has free. Use smaller batches, fewer runs or fewer samples.",
        ),
        ("zh", "这些运行约需 {needed} 内存，超过本机空闲的 1.5 MB。请减小批大小，或减少运行数、样本数。"),
    ],
)
def test_a_session_too_big_for_memory_is_refused_in_the_users_language(
    qtbot, window, monkeypatch, language: str, expected: str
) -> None:
    from engine import estimate_memory, format_bytes
    from engine.training import memory

    wait_ready(qtbot, window)
    window.set_language(language)
    try:
        monkeypatch.setattr(memory, "available_memory", lambda device: 1_500_000)
        config = small_config()
        text = run_to_failure(qtbot, window, config)
        assert text == expected.format(needed=format_bytes(estimate_memory(config).total))
    finally:
        window.set_language("en")
    still_usable(qtbot, window, monkeypatch)


def test_the_same_failure_is_said_in_chinese(qtbot, window, monkeypatch) -> None:
    wait_ready(qtbot, window)
    window.set_language("zh")
    try:
        patch_to_fail(monkeypatch, "engine.problems.make_problem", IndexError("list index out of range"))
        text = run_to_failure(qtbot, window, small_config())
        assert "list index" not in text and "IndexError" in text
        assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text
    finally:
        window.set_language("en")


def test_data_without_a_minimum_is_a_sentence_naming_what_to_change(qtbot, window) -> None:
    wait_ready(qtbot, window)
    config = small_config(problem="logistic", n_samples=10, start=None, runs=(RunSpec("GD", "full"),))
    text = run_to_failure(qtbot, window, config)
    assert text.startswith("These data cannot be fitted by logistic regression"), text
    assert "noise" in text


def test_nan_gradients_mark_the_run_diverged_and_never_reach_a_plot(qtbot, window, monkeypatch) -> None:
    from engine.problems.linear import LinearRegression

    real = LinearRegression.batch_gradients
    calls: list[int] = []

    def nan_after_five(self, blocks, batch, weights):
        calls.append(1)
        grads = real(self, blocks, batch, weights)
        return [g * math.nan for g in grads] if len(calls) > 5 else grads

    monkeypatch.setattr(LinearRegression, "batch_gradients", nan_after_five)
    window.set_config(small_config(runs=(RunSpec("SGD", 1),)))
    wait_ready(qtbot, window)
    window.session.toggle_run()
    qtbot.waitUntil(lambda: window.session.finished, timeout=30_000)
    (result,) = window.session.last_progress.results
    assert result.diverged and result.final_loss is None and result.iterations == 5
    rows = window.session.histories["SGD"].rows()
    assert np.isfinite(rows.loss).all() and np.isfinite(rows.params).all() and len(rows) == 6
    assert "diverged" in window.concept.line_for("SGD")
    still_usable(qtbot, window, monkeypatch)


def blocking_until_stopped(entered: threading.Event):
    """Long work that honours the stop event, as every long engine computation does; it sets
    `entered` once a session is inside it."""

    def block(*args, **kwargs):
        entered.set()
        while True:
            checkpoint()
            time.sleep(0.01)  # the work itself, not a wait for anything

    return block


@pytest.mark.parametrize("how", ["stop", "reset", "lesson", "close"])
@pytest.mark.parametrize("stage", ["engine.problems.make_problem", "engine.problems.loss_grid"])
def test_interrupting_set_up_or_the_contour_answers_at_once(qtbot, window, monkeypatch, stage, how) -> None:
    wait_ready(qtbot, window)
    module, _, attr = stage.rpartition(".")
    entered = threading.Event()
    monkeypatch.setattr(importlib.import_module(module), attr, blocking_until_stopped(entered))
    window.set_config(small_config())
    # Only the new session can enter: the first one is ready, past both stages.
    qtbot.waitUntil(entered.is_set, timeout=HANG_MS)
    thread = window.session.runner.job
    assert thread is not None and thread.isRunning() and window.session.last_progress is None
    monkeypatch.undo()  # the sessions that follow prepare normally
    interrupt_without_waiting(window, how)
    qtbot.waitUntil(lambda: ended(thread), timeout=THREAD_END_MS)
    if how in ("reset", "lesson"):
        wait_ready(qtbot, window)
        assert not window.plots.message.isVisible()
