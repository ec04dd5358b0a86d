"""Presentation mode (F11, the toolbar's Present, Esc leaves): for the lecture hall.

Full screen; the controls' column and the menu bar go, leaving the toolbar as a slim strip
(run, step, lesson, speed); the lesson's live numbers stay beside the plots; every font is at
least 1.5 times its normal size; a high-contrast theme (black on white, heavier outlines and
axes). Leaving restores the window exactly as it was (size, columns, scale).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtGui import QAction, QKeySequence

from gui.views.plot_style import set_plot_contrast
from gui.window.scale import auto_scale, next_scale

if TYPE_CHECKING:
    from gui.window.main_window import MainWindow

# Presentation's fonts: one step above the automatic size for the screen's height (1.5 on a
# 1080-px screen, 1.15 on a 720-px one, where more would clip the plots' titles), and never
# smaller than the window's own.
SCALE_STEPS_UP = 1
HIGH_CONTRAST = """
QMainWindow, QDockWidget, QScrollArea, QToolBar, QStatusBar { background: #ffffff; color: #000000; }
QLabel { color: #000000; }
QToolBar { border-bottom: 2px solid #000000; spacing: 6px; }
QToolBar QToolButton { color: #000000; font-weight: bold; border: 2px solid #000000;
    border-radius: 4px; padding: 3px 10px; margin: 2px; background: #ffffff; }
QToolBar QToolButton:checked, QToolBar QToolButton:pressed { background: #000000; color: #ffffff; }
QToolBar QToolButton:disabled { color: #6b6b6b; border-color: #6b6b6b; }
QComboBox { color: #000000; background: #ffffff; border: 2px solid #000000; padding: 1px 6px; }
QTabBar::tab { color: #000000; font-weight: bold; }
"""


class Presentation:
    """Enters and leaves presentation mode for `window`, remembering what it changes."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.active = False
        self._geometry = QByteArray()
        self._state = QByteArray()
        self._scale = 1.0
        self._auto_scaled = True
        self._size = window.size()
        # Esc leaves; the key is live only in presentation mode, so it takes nothing from a
        # dialog or a field in the normal window.
        self.leave_action = QAction(window)
        self.leave_action.setShortcut(QKeySequence(Qt.Key.Key_Escape))
        self.leave_action.setEnabled(False)
        self.leave_action.triggered.connect(self.leave)
        window.addAction(self.leave_action)

    def saved_layout(self) -> tuple[QByteArray, QByteArray]:
        """(geometry, dock state) of the window before it entered presentation mode."""
        return self._geometry, self._state

    def toggle(self) -> None:
        if self.active:
            self.leave()
        else:
            self.enter()

    def enter(self) -> None:
        w = self.window
        if self.active:
            return
        self.active = True
        self._geometry, self._state = w.saveGeometry(), w.saveState()
        self._size = w.size()
        self._scale, self._auto_scaled = w.scale, w.auto_scaled
        w.menuBar().hide()
        w.statusBar().hide()
        w.dock.hide()
        w.lesson_dock.show()
        w.lesson_dock.raise_()
        w.auto_scaled = False  # the size below is presentation's, not the window height's
        screen = w.screen().geometry().height() if w.screen() is not None else w.height()
        w.set_scale(max(next_scale(auto_scale(screen), SCALE_STEPS_UP), self._scale), remember=False)
        # After the fonts: a widget polished by a style sheet keeps the font it had then.
        w.setStyleSheet(HIGH_CONTRAST)
        set_plot_contrast(True)
        # The slim strip: running, the lesson and the speed; files stay on their keys.
        for action in w.file_actions():
            w.toolbar.removeAction(action)
        w.showFullScreen()
        self.leave_action.setEnabled(True)
        w.presentation_action.setChecked(True)

    def leave(self) -> None:
        w = self.window
        if not self.active:
            return
        self.active = False
        self.leave_action.setEnabled(False)
        w.setStyleSheet("")
        set_plot_contrast(False)
        w.toolbar.insertActions(w.present_place(), w.file_actions())
        w.showNormal()
        w.restoreGeometry(self._geometry)
        if not w.isMaximized():
            w.resize(self._size)  # restoreGeometry fits the window to the screen; keep its size
        w.menuBar().show()
        w.statusBar().show()
        w.restoreState(self._state)
        w.set_scale(self._scale, remember=False)
        w.auto_scaled = self._auto_scaled
        w.presentation_action.setChecked(False)
