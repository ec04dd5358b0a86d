"""GUI tests run offscreen; the platform must be chosen before any QApplication exists."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import sys
import tempfile
import threading
import time

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QSettings

from tests.gui.helpers import HANG_MS
from tests.helpers import children

# Settings (the display scale) go to a throwaway folder, never the user's own. The app's
# QSettings(organization, application) is in the native format (an ini file on Linux): its path
# is the one that counts (until 2026-12 only IniFormat's was moved, and the tests wrote into
# ~/.config/BatchSizeLab).
_SETTINGS = tempfile.mkdtemp()
for _format in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
    QSettings.setPath(_format, QSettings.Scope.UserScope, _SETTINGS)

pg.setConfigOptions(antialias=True, imageAxisOrder="row-major")


@pytest.fixture(autouse=True)
def fresh_settings():
    """Each test starts with no settings kept: a text size chosen with Ctrl + in one test made
    the next test's window start larger (and presentation mode then one step too small)."""
    QSettings("BatchSizeLab", "BatchSizeLab").clear()
    yield


@pytest.fixture(scope="session", autouse=True)
def bundled_font(qapp):
    """The app's own CJK font and icon, as gui/app.py installs them: Chinese is measured as the
    app draws it, on machines with no CJK font of their own too."""
    from gui.fonts import install_fonts_and_icon

    assert install_fonts_and_icon(qapp), "the bundled font resources/fonts/wqy-microhei.ttc did not load"


@pytest.fixture
def window(qtbot):
    from gui.window.main_window import MainWindow

    w = MainWindow(language="en")
    qtbot.addWidget(w)
    w.resize(1280, 720)
    w.show()
    yield w
    w.close()
    assert not w.session.runner.is_active()
    # The window hides at once and closes for good once every worker thread has ended (each
    # within ~0.1 s of its stop, or after the first `import torch`, which cannot be cut short).
    # No thread may be left running; the bound only ends a hang (a loaded machine is slow).
    from gui.session.background import unfinished_jobs

    qtbot.waitUntil(lambda: unfinished_jobs() == 0, timeout=HANG_MS)


@pytest.fixture(autouse=True)
def nothing_left_running(qtbot):
    """After every GUI test: no Python thread, session thread or child process left behind.

    Threads Qt started and Python only saw through logging (dummy threads) are not counted.
    """
    from gui.session.background import unfinished_jobs

    before = {t.ident for t in threading.enumerate()}
    children_before = set(children()) if sys.platform.startswith("linux") else set()
    yield

    def left() -> list[str]:
        threads = [
            t.name
            for t in threading.enumerate()
            if t.ident not in before and t.is_alive() and not isinstance(t, threading._DummyThread)
        ]
        processes = [f"process {p}" for p in children() if p not in children_before]
        sessions = [f"{n} session thread(s)"] if (n := unfinished_jobs()) else []
        return threads + processes + sessions

    deadline = time.monotonic() + HANG_MS / 1000
    while left() and time.monotonic() < deadline:
        qtbot.wait(50)
    assert not left(), f"left running after the test: {left()}"
