"""Ctrl-C and SIGTERM as a cooperative stop, for every command and for the window.

Python's own Ctrl-C raises KeyboardInterrupt wherever the main thread happens to be: inside a
callback that C++ (torch, pybind11) is running, which aborts the whole process ("terminate
called after throwing an instance of 'pybind11::error_already_set'"), or halfway through an
import, which leaves half-built modules behind ("Error calling __set_name__ …"). So here a
signal raises nothing: it only sets `STOP`. The engine honours that event at its next
checkpoint (once per training step, and inside every long task), and our own code turns it into
`Interrupt` with `raise_if_stopped()` at places where unwinding is safe.

`install()` is the first thing main.py does, before any import that takes time. A second
signal, while the first is still being honoured, ends the process at once (after the cleanups
registered with `on_force_exit`), for the rare wait that does not check the event.

Standard library only: importing this module must cost nothing.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType

STOP = threading.Event()  # set by the first SIGINT or SIGTERM; hand it to the engine as its stop
SIGNALS = (signal.SIGINT, signal.SIGTERM)

_received: list[int] = []  # the signals caught, in order
_cleanups: list[Callable[[], None]] = []
_decided = False  # set by ignore(): signals no longer count


class Interrupt(BaseException):
    """A signal asked the program to end (a BaseException, like KeyboardInterrupt, so that no
    `except Exception` swallows it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum  # the shell's convention: 130 for SIGINT, 143 for SIGTERM


def install() -> None:
    """Catch SIGINT and SIGTERM from now on (main thread only, as Python requires)."""
    for sig in SIGNALS:
        signal.signal(sig, _on_signal)


def ignore() -> None:
    """From now on a signal changes nothing: the outcome is decided (the results are about to
    be committed, or the process is ending). The handlers stay ours, so nothing is inherited
    by child processes and a test that calls a command in-process keeps its own Ctrl-C."""
    global _decided
    _decided = True


def ignore_until_exit() -> None:
    """Ignore SIGINT and SIGTERM for the rest of the process (its outcome is decided; Python's
    teardown would otherwise put the default handlers back and be killed by a late signal)."""
    ignore()
    for sig in SIGNALS:
        signal.signal(sig, signal.SIG_IGN)


def received() -> int | None:
    """The first signal caught, or None."""
    return _received[0] if _received else None


def raise_if_stopped() -> None:
    """Raise `Interrupt` if a signal has arrived (call it where unwinding is safe)."""
    if _received:
        raise Interrupt(_received[0])


def report(signum: int | None = None) -> int:
    """Say `interrupted` on stderr; the exit status for `signum` (default: the signal caught,
    else Ctrl-C's)."""
    if signum is None:
        signum = _received[0] if _received else signal.SIGINT
    try:
        print("interrupted", file=sys.stderr, flush=True)
    except (OSError, ValueError):  # stderr closed or gone: the status still says it
        pass
    return 128 + signum


def on_force_exit(cleanup: Callable[[], None]) -> Callable[[], None]:
    """Run `cleanup` if a second signal ends the process at once; returns its un-registration."""
    _cleanups.append(cleanup)

    def forget() -> None:
        if cleanup in _cleanups:
            _cleanups.remove(cleanup)

    return forget


def reset() -> None:
    """Forget every signal caught (tests that run several commands in one process)."""
    global _decided
    _received.clear()
    _decided = False
    STOP.clear()


def _on_signal(signum: int, frame: FrameType | None) -> None:
    if _decided:
        return
    if _received:  # the second one: the first is not being honoured quickly enough
        for cleanup in list(_cleanups):
            try:
                cleanup()
            except Exception:  # nothing may keep a forced exit from happening
                pass
        report()
        os._exit(128 + _received[0])
    _received.append(signum)
    STOP.set()
