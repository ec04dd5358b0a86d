"""How long a session has left, without Qt: measured on the session's clock since computing
last (re)started, not from one snapshot's rate (which swings with the machine's load)."""

from __future__ import annotations

ETA_AFTER_S = 5.0  # the estimate is given once computing has gone on this long (a steady rate)


class TimeLeft:
    """Feed it (now, clock) while computing; `reset()` whenever computing stops or restarts."""

    def __init__(self) -> None:
        self._anchor: tuple[float, float, object] | None = None

    def reset(self) -> None:
        self._anchor = None

    def seconds(self, now: float, clock_epochs: float, total_epochs: float, session: object) -> float | None:
        """Seconds until `total_epochs` at the rate since the anchor (`session` identifies the
        session: a new one sets a new anchor); None until the rate is steady."""
        if self._anchor is None or self._anchor[2] is not session:
            self._anchor = (now, clock_epochs, session)
            return None
        since, clock, _ = self._anchor
        done = clock_epochs - clock
        if now - since < ETA_AFTER_S or done <= 0:
            return None
        return max(total_epochs - clock_epochs, 0.0) * (now - since) / done
