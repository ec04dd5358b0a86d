"""Starting the GUI: arguments, QApplication, translations, and the screenshot mode for docs."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

LANGUAGES = ("en", "zh")  # see gui/i18n.py
LANGUAGE_ALIASES = {"en": "en", "en_US": "en", "zh": "zh", "zh_CN": "zh"}
DEFAULT_SIZE = "1600x900"
FIRST_LESSON = "gd-sgd-minibatch"
COMMANDS = """sub-commands (headless, no window):
  presets                 list the lessons
  run PRESET|FILE.json    train headless and write the results (run -h for its options)
  datasets                list the image datasets and whether each is here
  download NAME           fetch fashion-mnist or mnist into the cache, checked"""


def system_language() -> str:
    """The window's language when --lang is not given: Chinese for a Chinese system locale."""
    from PySide6.QtCore import QLocale

    return "zh" if QLocale.system().language() == QLocale.Language.Chinese else "en"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="main.py",
        description="Batch Size Lab: opens the window (the options below), or runs a sub-command.",
        epilog=COMMANDS,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--preset", help="lesson to open (default: the one shown last, or the first)")
    parser.add_argument(
        "--present", action="store_true", help="open in presentation mode (full screen; Esc leaves it)"
    )
    parser.add_argument("--autorun", action="store_true", help="start the run as soon as the window opens")
    parser.add_argument(
        "--screenshot", metavar="FILE.png", help="save the window once the run has finished, then quit"
    )
    parser.add_argument(
        "--quit-after", type=float, metavar="SECONDS", help="quit after this long (screenshot first)"
    )
    parser.add_argument(
        "--lang",
        choices=sorted(LANGUAGE_ALIASES),
        help="user-interface language (default: the system's; zh is zh_CN)",
    )
    parser.add_argument(
        "--size", metavar="WxH", help="window size (default: as it was last closed, or 1600x900)"
    )
    # Handled by main.py before the window (listed here for --help).
    parser.add_argument("--version", action="store_true", help="print the versions and the device, then quit")
    parser.add_argument(
        "--self-test", action="store_true", help="train short runs headless, check them, exit 0 or 1"
    )
    parser.add_argument(
        "--report-startup",
        action="store_true",
        help="print 'window shown (LANGUAGE, LESSON)' once the window is painted, then quit (benchmarks)",
    )
    return parser


def run_app(argv: Sequence[str]) -> int:
    args = build_parser().parse_args(argv)
    try:
        width, height = (int(v) for v in (args.size or DEFAULT_SIZE).lower().split("x"))
    except ValueError:
        print(f"error: --size must look like 1600x900 (got {args.size!r})", file=sys.stderr)
        return 2
    from engine import preset_ids

    if args.preset is not None and args.preset not in preset_ids():
        print(
            f"error: no preset called {args.preset!r}; presets are: {', '.join(preset_ids())}",
            file=sys.stderr,
        )
        return 2

    import pyqtgraph as pg
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from gui.fonts import install_fonts_and_icon
    from gui.i18n import set_language
    from gui.main_window import MainWindow

    pg.setConfigOptions(antialias=True, imageAxisOrder="row-major")
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("Batch Size Lab")
    install_fonts_and_icon(app)
    from gui import scenario_files, settings
    from gui.i18n import LANGUAGES

    # What was asked for, else what the window remembers (gui/settings.py), else defaults.
    language = LANGUAGE_ALIASES[args.lang] if args.lang else settings.saved_language(tuple(LANGUAGES))
    language = language or system_language()
    set_language(language)
    remembered = settings.saved_lesson() if args.preset is None else None
    lesson = args.preset or (
        remembered if remembered and not remembered.startswith("file:") else FIRST_LESSON
    )

    window = MainWindow(language=language, preset_id=lesson)
    window.resize(width, height)
    if remembered and remembered.startswith("file:"):
        scenario_files.open_from(window, Path(remembered[len("file:") :]))
        window.undo_stack.clear()  # the start-up lesson before it is nothing to go back to
    if args.size is None or remembered:
        settings.restore(window, geometry=args.size is None)
    window.closed.connect(app.quit)  # also after a close deferred until the workers ended
    window.show()
    if args.present:
        window.presentation.enter()
    if args.report_startup:
        app.processEvents()  # lays out and paints the window
        print(f"window shown ({language}, {window.lesson_item()})", flush=True)
        window.close()
        from gui.worker import wait_for_retired

        # The first session may still be importing torch (seconds, not interruptible): let it
        # end before Python tears the thread down ("QThread: Destroyed while … running").
        wait_for_retired(60_000)
        return 0
    shot = Screenshotter(window, args.screenshot) if args.screenshot else None
    if shot is not None:
        window.session_finished.connect(lambda: QTimer.singleShot(400, shot.take_and_quit))
    if args.autorun:
        QTimer.singleShot(0, window.toggle_run)
    if args.quit_after is not None:
        QTimer.singleShot(int(args.quit_after * 1000), shot.take_and_quit if shot else window.close)
    code = int(app.exec())
    from gui.worker import wait_for_retired

    wait_for_retired()  # the window is gone: let the last worker end before Python tears down
    return code


class Screenshotter:
    """Saves the window once (to a temporary name, then renamed), then closes it."""

    def __init__(self, window: object, path: str) -> None:
        self.window = window
        self.path = Path(path)
        self.done = False

    def take_and_quit(self) -> None:
        if not self.done:
            self.done = True
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f".{self.path.stem}.tmp{self.path.suffix or '.png'}")
            pixmap = self.window.grab()  # type: ignore[attr-defined]
            if pixmap.save(str(tmp)):
                os.replace(tmp, self.path)
                print(f"saved screenshot {self.path}")
            else:
                tmp.unlink(missing_ok=True)
                print(f"error: could not save screenshot {self.path}", file=sys.stderr)
        self.window.close()  # type: ignore[attr-defined]
