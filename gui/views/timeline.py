"""The timeline under the plots: a playhead over what the session has computed.

The playhead is measured in ticks of the session's clock (iterations of the run with the most
iterations per epoch). Live, it sits at the computed head and follows it. Dragging it back (or
← ) pauses the computation and shows every view as it was at that tick, from the recorded
histories, without recomputing; → steps it forward a tick; Space plays the recording forward at
the chosen speed and, once it reaches the head, computation resumes where it paused.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QWidget

from gui.i18n import tr
from gui.logic.numbers import group_digits


class Timeline(QWidget):
    """A slider over the whole run (tick 0 to the last) and a label saying where the playhead
    is; it can be dragged back over what has been computed, not beyond it.

    `moved(tick)` fires when the user drags the slider; the window decides what follows.
    """

    moved = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.label = QLabel()
        self.label.setObjectName("timelineLabel")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("timelineSlider")
        self.slider.setRange(0, 0)
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # ← and → belong to the window's keys
        self.slider.sliderMoved.connect(self.moved)
        self.slider.actionTriggered.connect(self._on_click)  # a click on the groove jumps too
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.label)
        self.ticks_per_epoch = 1
        self.total = 0
        self._live: bool | None = None  # the label's style: live or replay

    def _on_click(self, action: int) -> None:
        # actionTriggered delivers a plain int: compared with the enum members it never matched.
        pages = (QSlider.SliderAction.SliderPageStepAdd.value, QSlider.SliderAction.SliderPageStepSub.value)
        if action in pages:
            QTimer.singleShot(0, lambda: self.moved.emit(self.slider.value()))

    def set_span(self, ticks_per_epoch: int, total: int) -> None:
        self.ticks_per_epoch, self.total = max(ticks_per_epoch, 1), total
        self.slider.setRange(0, 0)
        self.slider.setPageStep(max(total // 20, 1))

    def show_position(self, tick: int, head: int, live: bool) -> None:
        self.slider.blockSignals(True)
        self.slider.setMaximum(max(self.total, head))
        self.slider.setValue(tick)
        self.slider.blockSignals(False)
        # In the counter's terms: iterations of the run with the most of them per epoch.
        where = tr("iteration {i} of {n}").format(i=group_digits(tick), n=group_digits(self.total))
        self.label.setText((tr("Live: {where}") if live else tr("REPLAY: {where}")).format(where=where))
        # Only when it changes: setting a style sheet re-polishes the label (a millisecond or
        # more, once a frame); the display scale reaches its font by itself (release_fonts).
        if live != self._live:
            self._live = live
            self.label.setStyleSheet("" if live else "QLabel { color: #8a1020; font-weight: bold; }")
