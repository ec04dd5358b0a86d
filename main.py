"""Batch Size Lab entry point.

    python main.py                         open the app
    python main.py presets                 list lesson presets
    python main.py run PRESET|FILE.json    train headless (see `python main.py run -h`)
    python main.py script PRESET --out FILE.py   the lesson as a standalone PyTorch script
    python main.py datasets                list the image datasets and where each one is
    python main.py download NAME           fetch fashion-mnist or mnist into the cache
    python main.py --preset ID --autorun --screenshot FILE.png --quit-after SECONDS
    python main.py --version               app, torch, Qt and Python versions, and the device
    python main.py --self-test             short headless runs checked against known answers

Headless commands never import Qt, so they work on machines without a display.

Ctrl-C and SIGTERM are caught first thing (interrupts.py), before any import that takes time:
whenever one arrives, the command stops at its next safe point, says `interrupted` on stderr
and exits 130 (Ctrl-C) or 143 (SIGTERM), with no traceback and nothing half-written.
"""

from __future__ import annotations

import interrupts

if __name__ == "__main__":  # the program itself (a test importing main installs nothing)
    import multiprocessing

    # In a PyInstaller bundle, a data-parallel worker (engine/training/parallel) is this very
    # program started again: here it runs the worker and exits, before anything else.
    multiprocessing.freeze_support()
    interrupts.install()
elif __name__ == "__mp_main__":  # a data-parallel worker starting: this module is imported first
    import signal

    # Ctrl-C in the terminal reaches the worker too; the program it belongs to stops it (a
    # KeyboardInterrupt here, while it imports torch, would print a traceback).
    signal.signal(signal.SIGINT, signal.SIG_IGN)

import sys  # after the handlers, on purpose (sys is loaded already; nothing slow)


def version_text() -> str:
    import platform

    import torch
    from PySide6 import __version__ as pyside_version
    from PySide6.QtCore import qVersion

    from engine.resources import APP_NAME, FROZEN, __version__
    from engine.training.device import describe_device, resolve_device

    lines = [
        f"{APP_NAME} {__version__}" + (" (installed bundle)" if FROZEN else ""),
        f"torch {torch.__version__}",
        f"Qt {qVersion()} (PySide6 {pyside_version})",
        f"Python {platform.python_version()} ({platform.system()} {platform.machine()})",
        f"device: {describe_device(resolve_device('auto'))}",
    ]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Run the command `argv` asks for; a signal at any moment ends it as `interrupted`."""
    try:
        code = _dispatch(argv)
    except interrupts.Interrupt as stop:
        code = interrupts.report(stop.signum)
    except KeyboardInterrupt:  # main() called without the handlers (imported): the same outcome
        return interrupts.report()
    interrupts.ignore_until_exit()  # the outcome is decided; teardown is not interrupted
    signum = interrupts.received()
    if signum is not None and code != 128 + signum:  # arrived after the command's last check
        return interrupts.report()
    return code


def _dispatch(argv: list[str]) -> int:
    """One parser for everything (arguments.py): the window, or a headless sub-command."""
    from arguments import parse

    args = parse(argv, version_text)
    interrupts.raise_if_stopped()
    if args.self_test:
        from engine.self_test import run_self_test

        print(version_text().replace("\n", " · "), flush=True)
        return run_self_test(lambda line: print(line, flush=True), interrupts.STOP)
    if args.command is not None:
        import cli

        return cli.run_command(args)
    from gui.app import run_app

    return run_app(args)


def _leave(code: int) -> None:
    """Exit with `code`. A process that joined a torchrun group leaves at once, its output
    flushed: tearing torch.distributed down at exit aborts now and then (see
    engine/training/parallel/torchrun.py's `leave`)."""
    group = sys.modules.get("engine.training.parallel.torchrun")
    if group is not None and group.joined_once():
        import os

        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)
    sys.exit(code)


if __name__ == "__main__":
    _leave(main(sys.argv[1:]))
