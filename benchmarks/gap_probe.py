"""A 10 ms timer on the GUI thread that keeps the gaps between its ticks: a gap well over 10 ms
is a time the window could not answer (benchmarks/gui_stall.py, benchmarks/action_stalls.py)."""

from __future__ import annotations

import time

from PySide6.QtCore import Qt, QTimer


class GapProbe:
    def __init__(self) -> None:
        self.gaps: list[float] = []
        self._last = 0.0
        self.timer = QTimer(interval=10)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        if self._last:
            self.gaps.append(now - self._last)
        self._last = now

    def restart(self, now: float | None = None) -> None:
        """Forget the gaps so far; the next gap counts from `now` (default: the next tick)."""
        self.gaps.clear()
        self._last = now or 0.0

    def start(self) -> None:
        self.restart()
        self.timer.start()

    def stop(self) -> None:
        self.timer.stop()
