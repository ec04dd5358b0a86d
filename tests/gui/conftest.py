"""GUI tests run offscreen; the platform must be chosen before any QApplication exists."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import tempfile

import pyqtgraph as pg
import pytest
from PySide6.QtCore import QSettings

# Settings (the display scale) go to a throwaway folder, never the user's own.
QSettings.setDefaultFormat(QSettings.Format.IniFormat)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())

pg.setConfigOptions(antialias=True, imageAxisOrder="row-major")


@pytest.fixture
def window(qtbot):
    from gui.main_window import MainWindow

    w = MainWindow(language="en")
    qtbot.addWidget(w)
    w.resize(1280, 720)
    w.show()
    yield w
    w.close()
    assert not w.runner.is_active()
    # The window hides at once and closes for good once every worker thread has ended (each
    # within ~0.1 s of its stop). No thread may be left running.
    from gui.worker import retired_threads

    qtbot.waitUntil(lambda: retired_threads() == 0, timeout=5_000)


def wait_ready(qtbot, window, timeout: int = 60_000) -> None:
    """Wait until the current session has delivered its first snapshot (setup + iteration 0)."""
    qtbot.waitUntil(lambda: window.last_progress is not None, timeout=timeout)
