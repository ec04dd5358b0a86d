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
registered with `on_force_exit`), for the rare wait that does not check the event; a watcher
thread counts the signals, since Python itself sees none while the main thread is in C code.

Standard library only: importing this module must cost nothing.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import threading
from collections.abc import Callable
from types import FrameType

STOP = threading.Event()  # set by the first SIGINT or SIGTERM; hand it to the engine as its stop
SIGNALS = (signal.SIGINT, signal.SIGTERM)

_received: list[int] = []  # the signals caught, in order
_cleanups: list[Callable[[], None]] = []
_decided = False  # set by ignore(): signals no longer count
_lock = threading.Lock()
_sockets: list[socket.socket] = []


class Interrupt(BaseException):
    """A signal asked the program to end (a BaseException, like KeyboardInterrupt, so that no
    `except Exception` swallows it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum  # the exit status is 128 + signum: 130 for SIGINT, 143 for SIGTERM


def install() -> None:
    """Catch SIGINT and SIGTERM from now on (main thread only, as Python requires)."""
    for sig in SIGNALS:
        signal.signal(sig, _on_signal)
    _watch_wakeups()


def _watch_wakeups() -> None:
    """Count signals as they arrive, not when the main thread gets to them.

    Python runs a handler only between two bytecodes of the main thread and merges the signals
    that arrive meanwhile, so during one long C call (a full-batch LeNet step, `import torch`)
    a second Ctrl-C would never be seen. Its C-level handler also writes each signal's number
    to a wakeup socket; a daemon thread reads them (torch lets go of the GIL in its long calls).
    """
    try:
        reader, writer = socket.socketpair()
        writer.setblocking(False)
        signal.set_wakeup_fd(writer.fileno(), warn_on_full_buffer=False)
    except (OSError, ValueError):  # no socket pair here: only the handler counts
        return
    _sockets.extend((reader, writer))  # kept open for the life of the process
    threading.Thread(target=_count_wakeups, args=(reader,), name="signal-watch", daemon=True).start()


def _count_wakeups(reader: socket.socket) -> None:
    count = 0
    while True:
        try:
            data = reader.recv(64)
        except OSError:
            return
        if not data:
            return
        for signum in data:
            if signum not in SIGNALS or _decided:
                continue
            count += 1
            _note(signum)
            if count >= 2:  # the first is not being honoured quickly enough
                _force_exit()


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
    """Python's handler (main thread, between bytecodes): note the signal, nothing more. The
    forced exit on a second signal is the watcher's (it sees every signal, this one may not)."""
    if not _decided:
        _note(signum)


def _note(signum: int) -> None:
    with _lock:
        if not _received:
            _received.append(signum)
    STOP.set()


def _force_exit() -> None:
    for cleanup in list(_cleanups):
        try:
            cleanup()
        except Exception:  # nothing may keep a forced exit from happening
            pass
    try:  # not print(): the main thread may be inside a write to stderr
        os.write(2, b"interrupted\n")
    except OSError:
        pass
    os._exit(128 + (_received[0] if _received else signal.SIGINT))
