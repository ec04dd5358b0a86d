"""The playhead over a session's recording, and its playback clock (see gui/views/timeline.py).

Live, it sits at the computed head and follows it; held, it stays where it was put; playing,
it moves towards the head at the chosen pace and goes live once there.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QObject, QTimer, Signal

from gui.logic.replay import advanced
from gui.logic.run_state import Replay

PLAY_FRAME_MS = 33


class Playhead(QObject):
    """`moved_on(reached_head)` fires after each playback step."""

    moved_on = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.tick: float | None = None  # None: live, at the head
        self.pace = 0.0  # ticks per second of playback; 0: straight to the head
        self.head = 0
        self._timer = QTimer(self, interval=PLAY_FRAME_MS)
        self._timer.timeout.connect(self._advance)
        self._last = 0.0

    @property
    def live(self) -> bool:
        return self.tick is None

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    @property
    def replay(self) -> Replay:
        if self.playing:
            return Replay.PLAYING
        return Replay.LIVE if self.live else Replay.HELD

    def go_live(self) -> None:
        self.stop()
        self.tick = None

    def seek(self, tick: float) -> None:
        """Put the playhead at `tick`, clamped to the computed part (whether a playhead at the
        head goes live is the session's to decide: `SessionController.seek`)."""
        self.tick = min(max(float(tick), 0.0), float(self.head))

    def play(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _advance(self) -> None:
        now = time.perf_counter()
        elapsed, self._last = now - self._last, now
        self.tick = advanced(self.tick, self.head, self.pace, elapsed)
        reached = self.tick >= self.head
        if reached:
            self.go_live()
        self.moved_on.emit(reached)
