"""Presentation mode (F11, the toolbar's Present, Esc leaves): for the lecture hall.

Full screen; the controls' column and the menu bar go, leaving the toolbar as a slim strip
(run, step, lesson, speed); the lesson's live numbers stay beside the plots; every font is at
least 1.5 times its normal size; a high-contrast theme (black on white, heavier outlines and
axes). Leaving restores the window exactly as it was (size, columns, scale).
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QByteArray
from PySide6.QtGui import QAction, QColor, QPalette
from PySide6.QtWidgets import QDockWidget, QMainWindow, QToolBar

from gui.views.plot_style import PlotTheme
from gui.window.scale import DisplayScale, auto_scale, next_scale

# Presentation's fonts: one step above the automatic size for the screen's height (1.5 on a
# 1080-px screen, 1.15 on a 720-px one, where more would clip the plots' titles), and never
# smaller than the window's own.
SCALE_STEPS_UP = 1
# High contrast: black on white through the palette (cheap to set and to take back, where a
# window-wide style sheet re-polished every widget: ~50 ms each way) and a style sheet on the
# toolbar alone for its outlined buttons.
TOOLBAR_CONTRAST = """
QToolBar { background: #ffffff; border-bottom: 2px solid #000000; spacing: 6px; }
QToolBar QLabel { color: #000000; }
QToolBar QToolButton { color: #000000; font-weight: bold; border: 2px solid #000000;
    border-radius: 4px; padding: 3px 10px; margin: 2px; background: #ffffff; }
QToolBar QToolButton:checked, QToolBar QToolButton:pressed { background: #000000; color: #ffffff; }
QToolBar QToolButton:disabled { color: #6b6b6b; border-color: #6b6b6b; }
QToolBar QComboBox { color: #000000; background: #ffffff; border: 2px solid #000000; padding: 1px 6px; }
"""


def high_contrast(palette: QPalette) -> QPalette:
    """`palette` with black text on white grounds."""
    contrast = QPalette(palette)
    for role in (QPalette.ColorRole.Window, QPalette.ColorRole.Base, QPalette.ColorRole.Button):
        contrast.setColor(role, QColor("#ffffff"))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        contrast.setColor(role, QColor("#000000"))
    return contrast


@dataclass(frozen=True)
class Stage:
    """What presentation mode changes in a window."""

    window: QMainWindow
    controls: QDockWidget  # hidden
    lesson: QDockWidget  # shown, beside the plots
    toolbar: QToolBar
    file_actions: tuple[QAction, ...]  # off the toolbar while presenting (still on their keys)
    toggle: QAction  # checked while presenting; the file actions go back before it
    leave: QAction  # Esc: live only while presenting, so it takes nothing from the normal window
    scale: DisplayScale
    theme: PlotTheme  # the window's plots: high contrast while presenting
    readout: QAction | None = None  # H, the readout under the cursor: off while presenting until pressed


class Presentation:
    """Enters and leaves presentation mode, remembering what it changes."""

    def __init__(self, stage: Stage) -> None:
        self.stage = stage
        self.active = False
        self._geometry = QByteArray()
        self._state = QByteArray()
        self._scale = 1.0
        self._auto_scaled = True
        self._size = stage.window.size()
        self._readout = True  # the normal window's readout, given back on leaving
        stage.leave.setEnabled(False)

    def saved_layout(self) -> tuple[QByteArray, QByteArray]:
        """(geometry, dock state) of the normal window, also while presenting."""
        if self.active:
            return self._geometry, self._state
        return self.stage.window.saveGeometry(), self.stage.window.saveState()

    def toggle(self) -> None:
        if self.active:
            self.leave()
        else:
            self.enter()

    def enter(self) -> None:
        s, w = self.stage, self.stage.window
        if self.active:
            return
        self.active = True
        self._geometry, self._state = w.saveGeometry(), w.saveState()
        self._size = w.size()
        self._scale, self._auto_scaled = s.scale.value, s.scale.auto
        w.menuBar().hide()
        w.statusBar().hide()
        s.controls.hide()
        s.lesson.show()
        s.lesson.raise_()
        s.scale.auto = False  # the size below is presentation's, not the window height's
        screen = w.screen().geometry().height() if w.screen() is not None else w.height()
        s.scale.set(max(next_scale(auto_scale(screen), SCALE_STEPS_UP), self._scale), remember=False)
        self._palette = w.palette()
        w.setPalette(high_contrast(self._palette))
        s.toolbar.setStyleSheet(TOOLBAR_CONTRAST)
        s.theme.contrast = True
        # The slim strip: running, the lesson and the speed; files stay on their keys.
        for action in s.file_actions:
            s.toolbar.removeAction(action)
        w.showFullScreen()
        if s.readout is not None:  # a box over the plots distracts the hall: H brings it back
            self._readout = s.readout.isChecked()
            if self._readout:
                s.readout.trigger()
        s.leave.setEnabled(True)
        s.toggle.setChecked(True)

    def leave(self) -> None:
        s, w = self.stage, self.stage.window
        if not self.active:
            return
        self.active = False
        s.leave.setEnabled(False)
        s.toolbar.setStyleSheet("")
        w.setPalette(self._palette)
        s.theme.contrast = False
        s.toolbar.insertActions(s.toggle, list(s.file_actions))
        w.showNormal()
        w.restoreGeometry(self._geometry)
        if not w.isMaximized():
            w.resize(self._size)  # restoreGeometry fits the window to the screen; keep its size
        w.menuBar().show()
        w.statusBar().show()
        w.restoreState(self._state)
        s.scale.set(self._scale, remember=False)
        s.scale.auto = self._auto_scaled
        if s.readout is not None and s.readout.isChecked() != self._readout:
            s.readout.trigger()
        s.toggle.setChecked(False)
