"""The toolbar's speed: iterations per second of the run with the most iterations per epoch."""

from __future__ import annotations

import time

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from gui.i18n import tr
from gui.logic.numbers import group_digits
from gui.logic.rate_meter import RateMeter, falls_short

SPEEDS = (0.0, 3000.0, 1000.0, 300.0, 100.0, 30.0, 10.0, 3.0, 1.0)  # iterations/s; 0 = full


class SpeedBox(QComboBox):
    """`pace_chosen(pace)` fires when the speed changes (0: full speed)."""

    pace_chosen = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # As wide as its longest choice in the language shown ("100 次迭代/秒" was cut when the
        # width was fixed, at first show, in English).
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.setObjectName("speedBox")
        self.label = QLabel()
        # Beside the box, when the machine cannot keep the chosen pace: what it does.
        self.achieved = QLabel()
        self.achieved.setObjectName("achievedSpeed")
        self.achieved.hide()
        self._meter = RateMeter()
        self._done: float | None = None
        for pace in SPEEDS:
            self.addItem("", pace)
        self.currentIndexChanged.connect(lambda i: self.pace_chosen.emit(SPEEDS[i]))

    def pace(self) -> float:
        return SPEEDS[max(self.currentIndex(), 0)]

    def set_pace(self, pace: float) -> None:
        """The offered speed nearest `pace`."""
        self.setCurrentIndex(min(range(len(SPEEDS)), key=lambda i: abs(SPEEDS[i] - pace)))

    def change(self, steps: int) -> None:
        """[ (slower, +1) and ] (faster, −1) move along the list; full speed is the end."""
        self.setCurrentIndex(min(max(self.currentIndex() + steps, 0), len(SPEEDS) - 1))

    def follow(self, count: int, live: bool) -> None:
        """The finest run has reached iteration `count`; `live`: running at the head (paused,
        replaying or finished: no pace is kept, none is shown)."""
        if not live:
            self._meter.clear()
            self._show(None)
            return
        self._meter.add(time.monotonic(), count)
        rate = self._meter.rate()
        self._show(rate if falls_short(self.pace(), rate) else None)

    def _show(self, done: float | None) -> None:
        self._done = done
        if done is None:
            self.achieved.hide()
            return
        self.achieved.setText(tr("(does {n})").format(n=group_digits(round(done))))
        self.achieved.setToolTip(tr("This machine keeps fewer iterations per second than chosen"))
        self.achieved.show()

    def retranslate(self) -> None:
        self._show(self._done)
        self.label.setText(tr("  Speed: "))
        self.setToolTip(
            tr("Iterations per second of the run with the most iterations per epoch") + " ([ ↓, ] ↑)"
        )
        for i, pace in enumerate(SPEEDS):
            self.setItemText(
                i, tr("full speed") if pace == 0 else tr("{n} it/s").format(n=group_digits(int(pace)))
            )
