"""How long each user action holds the GUI thread: the longest gap of a 10 ms timer in the
second after the action (a window that answers within 100 ms never shows a gap over 0.1 s).

    python benchmarks/action_stalls.py [--size 1920x1080]

Run by benchmarks/run.py in its own process; prints one JSON line, seconds by action. Qt
offscreen unless QT_QPA_PLATFORM says otherwise, on a screen of `--size` (so that full screen
repaints that many pixels, as a projector's does); under Xvfb with a window manager
(QT_QPA_PLATFORM=xcb), full screen and Esc go through the window manager as on a desktop.
The actions, in order, on the first lesson once its session is ready: a step (the first after
the window is laid out at its size), switching the language and back, entering presentation
mode and leaving it (Esc), a larger text size and back, the next lesson, and an export into a
temporary folder.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def offscreen_screen(width: int, height: int) -> None:
    """Qt's offscreen platform with one screen of width × height (its own is 800 × 600)."""
    if os.environ["QT_QPA_PLATFORM"] == "offscreen":
        screen = {"name": "bench", "x": 0, "y": 0, "width": width, "height": height}
        screen |= {"logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}
        config = Path(tempfile.mkdtemp()) / "screen.json"
        config.write_text(json.dumps({"screens": [screen]}))
        os.environ["QT_QPA_PLATFORM"] = f"offscreen:configfile={config}"


WATCH_S = 1.0  # how long after each action the timer is watched
SETTLE_S = 0.6  # a pause between actions, so one's aftermath is not the next one's


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", default="1920x1080")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    offscreen_screen(width, height)

    import pyqtgraph as pg
    from gap_probe import GapProbe
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):  # not the user's own
        QSettings.setPath(fmt, QSettings.Scope.UserScope, tempfile.mkdtemp())
    from gui.fonts import install_fonts_and_icon
    from gui.window.main_window import MainWindow

    pg.setConfigOptions(antialias=True, imageAxisOrder="row-major")
    app = QApplication([sys.argv[0]])
    install_fonts_and_icon(app)
    window = MainWindow(language="en", preset_id="gd-sgd-minibatch")
    window.resize(width, height)
    window.show()
    out = Path(tempfile.mkdtemp())

    probe = GapProbe()
    c = window.commands
    actions: list[tuple[str, Callable[[], object]]] = [
        ("first_step", c["step"].trigger),
        ("language", c["language"].trigger),
        ("language_back", c["language"].trigger),
        ("present", c["present"].trigger),
        ("leave_present", c["leave_present"].trigger),
        ("larger_text", c["larger"].trigger),
        ("text_back", c["smaller"].trigger),
        ("next_lesson", c["next"].trigger),
        ("export", lambda: window.files.export_to(out / "export")),
    ]
    results: dict[str, float] = {}

    def run(index: int) -> None:
        if index == len(actions):
            probe.stop()
            print(json.dumps({"action_stall_s": results}), flush=True)
            window.close()
            app.quit()
            return
        name, act = actions[index]
        started = time.perf_counter()
        probe.restart(started)
        act()
        held = time.perf_counter() - started  # the action's own slot, before any timer could fire

        def finish() -> None:
            results[name] = round(max([held, *probe.gaps]), 4)
            QTimer.singleShot(int(SETTLE_S * 1000), lambda: run(index + 1))

        QTimer.singleShot(int(WATCH_S * 1000), finish)

    ready = QTimer(interval=50)

    def start_when_ready() -> None:
        if window.session.last_progress is not None:
            ready.stop()
            probe.start()
            QTimer.singleShot(int(SETTLE_S * 1000), lambda: run(0))

    ready.timeout.connect(start_when_ready)
    ready.start()
    app.exec()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
