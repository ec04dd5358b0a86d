"""One repaint for a change that lays the window out in several passes.

A new text size, presentation mode and a new lesson each change fonts, sizes and plots, and
Qt settles the layout over several event-loop passes: each pass repainted the whole window
(three full repaints of 40-60 ms each for Ctrl +, at 1920 × 1080), and nothing else ran in
between (benchmarks/action_stalls.py). Holding the plots' updates until the layout has
settled paints them once; input and timers go on meanwhile, as the window is not blocked, only
the plots not painted. Qt's own tool for it is `setUpdatesEnabled`; a timer gives updates
back, so a hold always ends. Held on the plots' widget, not the window: a top-level window
whose updates were held while the window manager resized it (F11, Esc under openbox) was
never repainted after, showing the old mode's picture.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

SETTLE_MS = 40  # a new text size: its layout passes follow one another within this
# A new lesson: until its session's surface and runs are drawn (a 2-D lesson's set-up takes
# 50-100 ms in its worker), then SETTLE_MS; a network's longer preparation shows after this.
LESSON_MS = 300
LONGEST_MS = 400  # no hold lasts longer, whatever asks for it


class PaintHold:
    """Holds a widget's repaints for a while; `release` (or the time) gives them back."""

    def __init__(self, widget: QWidget) -> None:
        self._widget = widget
        self._timer = QTimer(widget)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.release)
        self.holding = False

    def hold(self, ms: int = SETTLE_MS) -> None:
        """No repaint for `ms` (a hold already under way lasts at least as long as it would)."""
        ms = min(ms, LONGEST_MS)
        if self.holding:
            ms = max(ms, self._timer.remainingTime())
        else:
            self.holding = True
            self._widget.setUpdatesEnabled(False)
        self._timer.start(ms)

    def settle(self, ms: int = SETTLE_MS) -> None:
        """A hold under way ends `ms` from now (sooner or later than it would have)."""
        if self.holding:
            self._timer.start(min(ms, LONGEST_MS))

    def release(self) -> None:
        """Paint now, at once, if held: pyqtgraph brings a plot's range and layout up to date
        as it paints, so whatever reads the plots after this (an export, the readout, a test)
        finds them as drawn."""
        self._timer.stop()
        if self.holding:
            self.holding = False
            self._widget.setUpdatesEnabled(True)
            self._widget.repaint()
