"""Starting the GUI: arguments, QApplication, translations, and the screenshot mode for docs."""

from __future__ import annotations

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import interrupts
from arguments import LANGUAGE_ALIASES

DEFAULT_SIZE = "1600x900"
FIRST_LESSON = "gd-sgd-minibatch"


def system_language() -> str:
    """The window's language when --lang is not given: Chinese for a Chinese system locale."""
    from PySide6.QtCore import QLocale

    return "zh" if QLocale.system().language() == QLocale.Language.Chinese else "en"


MIN_SIZE = (640, 480)  # below this the controls and plots cannot be laid out
# The largest --size accepted whatever the screen: 4K UHD, so a small laptop can still render a
# 1920×1080 screenshot for slides; a larger window than screen and 4K only costs minutes to paint.
MAX_SIZE = (3840, 2160)
MAX_QUIT_AFTER_S = 86_400.0  # a day; QTimer counts milliseconds in a 32-bit int (~24 days)


class ArgumentError(ValueError):
    """An option the window cannot use; the message is one sentence naming it."""


def parse_size(text: str, screen: tuple[int, int] | None = None) -> tuple[int, int]:
    """`1600x900` as (width, height), refused below MIN_SIZE and, once the `screen` is known,
    beyond the larger of it and MAX_SIZE."""
    parts = text.strip().lower().split("x")
    if len(parts) != 2 or not all(p.strip().isdigit() and len(p.strip()) <= 6 for p in parts):
        raise ArgumentError(f"--size must look like 1600x900 (got {text!r})")
    width, height = (int(p) for p in parts)
    top_w, top_h = (max(a, b) for a, b in zip(MAX_SIZE, screen or (10**6, 10**6), strict=True))
    if not (MIN_SIZE[0] <= width <= top_w and MIN_SIZE[1] <= height <= top_h):
        raise ArgumentError(
            f"--size {width}x{height} is outside {MIN_SIZE[0]}x{MIN_SIZE[1]} to {top_w}x{top_h} "
            "(the larger of this screen and 3840x2160)"
        )
    return width, height


def fit_default(size: tuple[int, int], available: tuple[int, int]) -> tuple[tuple[int, int], bool]:
    """The default window size within the screen's free area (a 1280×720 projector gets a
    window that fits it, not 1600×900 with its right edge off the screen), and whether to open
    it maximized: where the default does not fit, a window the size of the free area would
    still put its title bar and frame beyond it (at 1280×720 with openbox, the status bar was
    off the bottom), while the window manager fits a maximized one, frame and all."""
    fitted = min(size[0], available[0]), min(size[1], available[1])
    return fitted, fitted != size


def check_quit_after(seconds: float | None) -> None:
    if seconds is not None and not (0.0 <= seconds <= MAX_QUIT_AFTER_S):  # NaN fails too
        raise ArgumentError(
            f"--quit-after must be from 0 to {MAX_QUIT_AFTER_S:.0f} seconds (got {seconds!r})"
        )


def check_screenshot(path_text: str) -> Path:
    """The screenshot's path, refused unless a PNG can be written there (checked before the
    window opens, so a bad path costs no run)."""
    path = Path(path_text)
    if path.suffix.lower() != ".png":
        raise ArgumentError(f"--screenshot must name a .png file (got {path_text!r})")
    try:
        if path.is_dir():
            raise ArgumentError(f"--screenshot {path_text!r} is a folder; name a .png file")
        folder = path.parent
        while not folder.exists():  # the first folder that exists must be a writable folder
            folder = folder.parent
        if not folder.is_dir():
            raise ArgumentError(f"--screenshot {path_text!r}: {folder} is a file, not a folder")
        if not os.access(folder, os.W_OK | os.X_OK):
            raise ArgumentError(f"--screenshot {path_text!r}: {folder} is not writable")
    except OSError as exc:  # a name too long, a loop of links
        raise ArgumentError(f"--screenshot {path_text!r} cannot be used: {exc.strerror or exc}") from exc
    return path


if TYPE_CHECKING:
    from gui.window.main_window import MainWindow


def run_app(args: argparse.Namespace) -> int:
    """Open the window with the options `args` (arguments.py) holds; the exit status."""
    try:
        parse_size(args.size or DEFAULT_SIZE)  # the screen's own size is checked once Qt runs
        check_quit_after(args.quit_after)
        if args.screenshot is not None:
            check_screenshot(args.screenshot)
    except ArgumentError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from engine import preset_ids

    if args.preset is not None and args.preset not in preset_ids():
        print(
            f"error: no preset called {args.preset!r}; presets are: {', '.join(preset_ids())}",
            file=sys.stderr,
        )
        return 2
    if args.link is not None:
        from engine import ScenarioError, scenario_from_link

        if args.preset is not None:
            print("error: --preset and --link both choose what to show: give one", file=sys.stderr)
            return 2
        try:
            scenario_from_link(args.link)
        except ScenarioError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 2

    import pyqtgraph as pg
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from gui.fonts import install_fonts_and_icon
    from gui.i18n import set_language
    from gui.window.main_window import MainWindow

    pg.setConfigOptions(antialias=True, imageAxisOrder="row-major")
    existing = QApplication.instance()
    app = existing if isinstance(existing, QApplication) else QApplication([sys.argv[0]])
    app.setApplicationName("Batch Size Lab")
    screen = app.primaryScreen()
    available = screen.availableGeometry() if screen is not None else None
    try:
        width, height = parse_size(
            args.size or DEFAULT_SIZE, (available.width(), available.height()) if available else None
        )
    except ArgumentError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    maximize = False
    if args.size is None and available is not None:  # the default never outgrows the screen
        (width, height), maximize = fit_default((width, height), (available.width(), available.height()))
    if interrupts.received() is not None:  # Ctrl-C while Qt and the engine were loading
        return interrupts.report()
    install_fonts_and_icon(app)
    from gui.i18n import LANGUAGES
    from gui.logic.lessons import OpenedLink, PresetLesson, ScenarioFile, lesson_key
    from gui.window import settings

    # What was asked for, else what the window remembers (gui/window/settings.py), else defaults.
    language = LANGUAGE_ALIASES[args.lang] if args.lang else settings.saved_language(tuple(LANGUAGES))
    language = language or system_language()
    set_language(language)
    remembered = settings.saved_lesson() if args.preset is None and args.link is None else None
    lesson = args.preset or (remembered.id if isinstance(remembered, PresetLesson) else FIRST_LESSON)

    window = MainWindow(language=language, preset_id=lesson)
    window.resize(width, height)
    if isinstance(remembered, ScenarioFile):
        window.files.open_from(remembered.path)
        window.lessons.undo_stack.clear()  # the start-up lesson before it is nothing to go back to
    link = remembered.link if isinstance(remembered, OpenedLink) else args.link
    if link is not None:
        window.files.open_link(link)
        window.lessons.undo_stack.clear()
    if args.size is None and settings.restore_geometry(window):
        maximize = False  # as it was last closed
    if args.size is None or remembered:
        window.lessons.apply_saved_settings()
    # The app ends when a close begins, not when the last worker has ended: see _end.
    window.closing.connect(app.quit)
    # Ctrl-C and SIGTERM only set interrupts.STOP (main.py); the window closes as if by its
    # own close button, which ends every worker. A timer lets Python see the signal at all.
    watch = QTimer(window)
    watch.timeout.connect(lambda: _close_on_signal(app, window))
    watch.start(SIGNAL_POLL_MS)
    if maximize:
        window.showMaximized()
    else:
        window.show()
    if args.present:
        window.presentation.enter()
    if args.report_startup:
        app.processEvents()  # lays out and paints the window
        print(f"window shown ({language}, {lesson_key(window.lessons.current())})", flush=True)
        window.close()
        return _end(window, 0)
    shot = Screenshotter(window, args.screenshot) if args.screenshot else None
    if shot is not None:
        window.session_finished.connect(lambda: QTimer.singleShot(400, shot.take_and_quit))
    if args.autorun:
        QTimer.singleShot(0, window.session.toggle_run)
    if args.quit_after is not None:
        QTimer.singleShot(int(args.quit_after * 1000), shot.take_and_quit if shot else window.close)
    code = int(app.exec())
    if shot is not None and shot.failed:
        code = 1
    return _end(window, code)


SIGNAL_POLL_MS = 100


def _close_on_signal(app: object, window: object) -> None:
    from PySide6.QtWidgets import QApplication

    if interrupts.received() is None:
        return
    while (modal := QApplication.activeModalWidget()) is not None:  # a file dialog, the cheat sheet
        modal.close()
        QApplication.processEvents()
        if QApplication.activeModalWidget() is modal:
            break
    window.close()  # type: ignore[attr-defined]


def _end(window: MainWindow, code: int) -> NoReturn:
    """The window has begun to close: end the process within CLOSE_GRACE_MS.

    Its workers were told to stop and most end at once. One in the middle of work that cannot
    be interrupted (the first `import torch`, 1.5–4 s on a loaded machine, is one C call) would
    keep the process alive long after the window has gone, and Python's own teardown of torch,
    Qt and pyqtgraph takes another ~0.5 s. So once the window's settings are written (at the
    start of its close) and the workers have had their grace, the process ends at once with
    `os._exit`: no file is open for writing by then (downloads and exports end at their next
    read or write, and write to temporary names), and no running QThread is ever destroyed.
    """
    from PySide6.QtCore import QEventLoop, QTimer

    if interrupts.received() is not None:
        code = interrupts.report()
    if window.workers_running():
        loop = QEventLoop()
        window.closed.connect(loop.quit)
        QTimer.singleShot(CLOSE_GRACE_MS, loop.quit)
        loop.exec()
    from gui.window.scale import settings

    settings().sync()  # the window's own store (written at the start of its close)
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


CLOSE_GRACE_MS = 200


class Screenshotter:
    """Saves the window once (to a temporary name, then renamed), then closes it."""

    def __init__(self, window: object, path: str) -> None:
        self.window = window
        self.path = Path(path)
        self.done = False
        self.failed = False

    def take_and_quit(self) -> None:
        if not self.done:
            self.done = True
            self.failed = not self._save()
        self.window.close()  # type: ignore[attr-defined]

    def _save(self) -> bool:
        tmp = self.path.with_name(f".{self.path.stem}.tmp{self.path.suffix or '.png'}")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            pixmap = self.window.grab()  # type: ignore[attr-defined]
            if not pixmap.save(str(tmp)):
                raise OSError("the image could not be written")
            os.replace(tmp, self.path)
        except OSError as exc:  # the folder went away, the disk is full: say so, still quit
            tmp.unlink(missing_ok=True)
            print(f"error: could not save screenshot {self.path}: {exc.strerror or exc}", file=sys.stderr)
            return False
        print(f"saved screenshot {self.path}")
        return True
