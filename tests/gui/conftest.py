"""GUI tests run offscreen; the platform must be chosen before any QApplication exists."""

from __future__ import annotations

import os

os.environ["QT_QPA_PLATFORM"] = "offscreen"

import pyqtgraph as pg
import pytest

pg.setConfigOptions(antialias=True, imageAxisOrder="row-major")


@pytest.fixture
def window(qtbot):
    from gui.main_window import MainWindow

    w = MainWindow(language="en")
    qtbot.addWidget(w)
    w.resize(1280, 720)
    w.show()
    yield w
    thread = w.runner._thread
    w.close()
    assert not w.runner.is_active()
    if thread is not None:
        assert not thread.isRunning()


def wait_ready(qtbot, window, timeout: int = 20_000) -> None:
    """Wait until the current session has delivered its first snapshot (setup + iteration 0)."""
    qtbot.waitUntil(lambda: window.last_progress is not None, timeout=timeout)
