"""A batch-size chooser: a log-scale slider for sweeping 1..N and a spin box for exact entry."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QSlider, QSpinBox, QWidget

STEPS = 1000  # slider resolution


class BatchSizeSlider(QWidget):
    """Emits `value_changed(B)`; the slider position is log(B) / log(N)."""

    value_changed = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._maximum = 1000
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("batchSlider")
        self.slider.setRange(0, STEPS)
        self.spin = QSpinBox()
        self.spin.setObjectName("batchSpin")
        self.spin.setRange(1, self._maximum)
        self.spin.setKeyboardTracking(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.spin)
        self.slider.valueChanged.connect(self._from_slider)
        self.spin.valueChanged.connect(self._from_spin)

    def value(self) -> int:
        return self.spin.value()

    def set_maximum(self, n: int) -> None:
        """B ranges over 1..n (the data set size); a larger current value is clipped."""
        self._maximum = max(1, n)
        self.spin.setRange(1, self._maximum)
        self._place_slider(self.spin.value())

    def set_value(self, b: int) -> None:
        self.spin.setValue(b)
        self._place_slider(self.spin.value())

    def _position(self, b: int) -> int:
        if self._maximum <= 1:
            return 0
        return round(STEPS * math.log(b) / math.log(self._maximum))

    def _place_slider(self, b: int) -> None:
        self.slider.blockSignals(True)
        self.slider.setValue(self._position(b))
        self.slider.blockSignals(False)

    def _from_slider(self, position: int) -> None:
        b = round(math.exp(position / STEPS * math.log(self._maximum))) if self._maximum > 1 else 1
        self.spin.blockSignals(True)
        self.spin.setValue(min(max(b, 1), self._maximum))
        self.spin.blockSignals(False)
        self.value_changed.emit(self.spin.value())

    def _from_spin(self, b: int) -> None:
        self._place_slider(b)
        self.value_changed.emit(b)
