"""Steering long work from another thread: stop, pause, step, pace, and progress reports.

A caller (the GUI's worker, the CLI) hands a `SessionControl` to `run_session`. Anything in the
engine that can take longer than ~100 ms — building a problem's data and minima, the contour
grid, an instrument such as the gradient-noise measurement or the basin copies — runs inside
`working(control, task)` and calls `checkpoint(done)` as it goes: that raises `Interrupted`
once the stop event is set, and reports the fraction done through `control.report` (at most
~20 times a second). Deep code needs no control passed down: the context is per thread.

A task made of steps gives each step its share of the bar with `share(lo, hi)`: inside it,
`checkpoint(done)` reports lo + (hi − lo)·done of the enclosing span, so the fractions of the
steps add up to one rising bar instead of each starting again from 0.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

REPORT_INTERVAL_S = 0.05

# The long tasks the engine reports on (the GUI names each in the user's language).
TASKS = ("startup", "data", "surface", "gradient_noise", "basins", "sweep", "landscape", "download")


class Interrupted(Exception):  # noqa: N818 - a stop request, not an error
    """The stop event was set while long work was going on."""


@dataclass
class SessionControl:
    """How a caller steers a running session from another thread."""

    stop: threading.Event = field(default_factory=threading.Event)  # end as soon as possible
    pause: threading.Event = field(default_factory=threading.Event)  # wait between ticks
    step: threading.Event = field(default_factory=threading.Event)  # while paused: one tick
    # Ticks (iterations of the finest run) per second; 0 = as fast as possible. Read every
    # tick, so a caller may change it while the session runs.
    pace: float = 0.0
    # Called from the session's thread as report(task, fraction done 0..1) during long work
    # that is not training (see TASKS); None: nobody listens.
    report: Callable[[str, float], None] | None = None


@dataclass
class _Task:
    control: SessionControl
    name: str
    last_report: float = 0.0
    span: tuple[float, float] = (0.0, 1.0)  # what 0 and 1 of the current step report as


_local = threading.local()


@contextmanager
def working(
    control: SessionControl | None, task: str, span: tuple[float, float] = (0.0, 1.0)
) -> Iterator[None]:
    """Run the block as `task`: `checkpoint()` inside it checks `control.stop` and reports.

    Reports 0 on entry and 1 on a normal exit; with `span` (lo, hi), lo and hi, and the
    fractions inside map into it (a task done in several blocks, one after another, as one
    rising bar). Nested blocks report as the innermost task.
    """
    if control is None:
        yield
        return
    stack: list[_Task] = getattr(_local, "stack", None) or []
    _local.stack = stack
    entry = _Task(control, task, span=span)
    stack.append(entry)
    try:
        _report(entry, 0.0)
        if control.stop.is_set():
            raise Interrupted
        yield
        _report(entry, 1.0)
    finally:
        stack.remove(entry)


@contextmanager
def share(lo: float, hi: float) -> Iterator[None]:
    """Run the block as the part lo..hi (0 ≤ lo ≤ hi ≤ 1) of the current step of the current
    task: `checkpoint(done)` inside reports lo + (hi − lo)·done of it. Nests; outside a task
    it does nothing. Its end is not reported: the next step's first report says it (a step
    that turns out not to be needed, such as reading a copy that is not there, reports
    nothing)."""
    stack: list[_Task] | None = getattr(_local, "stack", None)
    if not stack:
        yield
        return
    entry = stack[-1]
    outer = entry.span
    width = outer[1] - outer[0]
    entry.span = (outer[0] + width * lo, outer[0] + width * hi)
    try:
        yield
    finally:
        entry.span = outer


def checkpoint(done: float | None = None) -> None:
    """Raise `Interrupted` if the current task's caller asked to stop; report `done` (0..1)."""
    stack: list[_Task] | None = getattr(_local, "stack", None)
    if not stack:
        return
    entry = stack[-1]
    if entry.control.stop.is_set():
        raise Interrupted
    if done is not None:
        now = time.monotonic()
        if now - entry.last_report >= REPORT_INTERVAL_S:
            _report(entry, done, now)


def _report(entry: _Task, done: float, now: float | None = None) -> None:
    entry.last_report = time.monotonic() if now is None else now
    if entry.control.report is not None:
        lo, hi = entry.span
        part = min(max(float(done), 0.0), 1.0)
        entry.control.report(entry.name, min(max(lo + (hi - lo) * part, 0.0), 1.0))
