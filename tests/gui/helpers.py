"""Helpers the GUI tests share: waits on a window's session, its lines, and interrupting it.

Qt-free helpers live in tests/helpers.py; fixtures in tests/gui/conftest.py, which imports
its bounds from here.
"""

from __future__ import annotations

import contextlib
import threading
import time
import traceback
from collections.abc import Iterator

import pytest
from PySide6.QtCore import QEventLoop, QThread, QThreadPool

# Waits end as soon as what they wait for happens; this bound only turns a hang into a failure.
# It is minutes because the machines that run CI are shared: a LeNet lesson's first snapshot
# took 7-9 s idle and up to 60 s loaded (the flaky failures of an earlier 60 s bound).
HANG_MS = 300_000
# An interrupted session's thread must have ended by itself within this: a bound on a hang
# (the engine answers a stop within ~0.1 s), loose for a machine busy with other work.
THREAD_END_MS = 5_000
# Interrupting returns without waiting on any other thread (checked structurally, see
# `interrupt_without_waiting`); a call that takes this long is hung, whatever the machine.
INTERRUPT_HANG_S = 5.0


def skip_without_data(ident: str) -> None:
    """Skip a test of a network lesson whose images are not on this machine."""
    from engine import availability, load_preset

    config = load_preset(ident).config
    if config.problem == "network" and availability(config.dataset) == "download":
        pytest.skip(f"{config.dataset} is not on this machine (python main.py download {config.dataset})")


def wait_ready(qtbot, window, timeout: int = HANG_MS) -> None:
    """Wait until the current session has delivered its first snapshot (setup + iteration 0)
    and the plots show it (a new lesson's plots paint once, when set up: paint_hold.py)."""
    qtbot.waitUntil(lambda: window.session.last_progress is not None, timeout=timeout)
    qtbot.waitUntil(lambda: not window.paint_hold.holding, timeout=timeout)


def run_to_end(qtbot, window, timeout: int = 60_000) -> None:
    """Run the current session and wait for the window's `session_finished`."""
    with qtbot.waitSignal(window.session_finished, timeout=timeout):
        window.session.toggle_run()


def line(window, label: str) -> str:
    """The concept panel's line for a run, with every kind of space made plain."""
    text = window.concept.line_for(label)
    text = text.replace("\u2060", "")  # word joiners keep "⌈N/B⌉" whole; a reader sees none
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


def ended(thread) -> bool:
    """Whether a session's thread has finished (a finished one may already be deleted)."""
    try:
        return not thread.isRunning()
    except RuntimeError:  # deleted by the runner once finished
        return True


def interrupt(window, how: str) -> None:
    """Interrupt the window's work as a person would: stop, reset, another lesson, an edit, close."""
    if how == "stop":
        window.session.stop()
    elif how == "reset":
        window.session.restart()
    elif how == "lesson":
        window.load_preset("epoch-iteration")
    elif how == "edit":
        window.controls.seed_spin.setValue(window.controls.seed_spin.value() + 1)
        window.lessons.apply_edit()  # what the edit timer does once the edit has settled
    elif how == "close":
        window.close()
    else:
        raise ValueError(f"no way to interrupt called {how!r}")


# Every call by which one thread blocks until another has acted: a thread's end, a pool's
# jobs, a nested event loop (it runs until something quits it), an event another thread sets.
BLOCKING_CALLS = (
    (QThread, "wait"),
    (QThreadPool, "waitForDone"),
    (QEventLoop, "exec"),
    (threading.Thread, "join"),
    (threading.Event, "wait"),
)


@contextlib.contextmanager
def gui_thread_waits() -> Iterator[list[str]]:
    """Record the blocking calls (BLOCKING_CALLS) the GUI thread makes meanwhile, with the
    line that made each; other threads' calls are theirs to make. The calls still happen."""
    made: list[str] = []

    def recording(owner: type, name: str):
        real = getattr(owner, name)

        def record(self, *args, **kwargs):
            caller = traceback.extract_stack(limit=2)[0]
            # Thread.start waits for the new thread to begin, not for any of its work.
            if (
                threading.current_thread() is threading.main_thread()
                and caller.filename != threading.__file__
            ):
                made.append(f"{owner.__name__}.{name} at {caller.filename}:{caller.lineno}")
            return real(self, *args, **kwargs)

        return record

    with pytest.MonkeyPatch.context() as patch:
        for owner, name in BLOCKING_CALLS:
            patch.setattr(owner, name, recording(owner, name))
        yield made


def interrupt_without_waiting(window, how: str) -> None:
    """`interrupt(window, how)`, and assert the GUI thread waited on no other thread meanwhile.

    That, not a time limit, is what "answers at once" means: a GUI thread that never blocks on a
    worker answers as fast as the machine allows, loaded or not. The time is checked only
    against INTERRUPT_HANG_S, to turn a hang into a failure.
    """
    t0 = time.perf_counter()
    with gui_thread_waits() as waits:
        interrupt(window, how)
    took = time.perf_counter() - t0
    assert waits == [], f"interrupting ({how}) waited on another thread on the GUI thread: {waits}"
    assert took < INTERRUPT_HANG_S, f"interrupting ({how}) took {took:.1f} s: it hung"
