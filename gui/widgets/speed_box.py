"""The toolbar's speed: iterations per second of the run with the most iterations per epoch."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from gui.i18n import tr
from gui.logic.numbers import group_digits

SPEEDS = (0.0, 3000.0, 1000.0, 300.0, 100.0, 30.0, 10.0, 3.0, 1.0)  # iterations/s; 0 = full


class SpeedBox(QComboBox):
    """`pace_chosen(pace)` fires when the speed changes (0: full speed)."""

    pace_chosen = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("speedBox")
        self.label = QLabel()
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

    def retranslate(self) -> None:
        self.label.setText(tr("  Speed: "))
        self.setToolTip(
            tr("Iterations per second of the run with the most iterations per epoch") + " ([ ↓, ] ↑)"
        )
        for i, pace in enumerate(SPEEDS):
            self.setItemText(
                i, tr("full speed") if pace == 0 else tr("{n} it/s").format(n=group_digits(int(pace)))
            )
