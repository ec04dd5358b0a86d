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
"""

from __future__ import annotations

import sys

HEADLESS_COMMANDS = ("presets", "run", "script", "datasets", "download")


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
    if "--version" in argv:
        print(version_text())
        return 0
    if "--self-test" in argv:
        from engine.self_test import run_self_test

        print(version_text().replace("\n", " · "), flush=True)
        return run_self_test(lambda line: print(line, flush=True))
    if argv and argv[0] in HEADLESS_COMMANDS:
        import cli

        return cli.main(argv)
    from gui.app import run_app

    return run_app(argv)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
