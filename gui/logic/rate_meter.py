"""The pace a run really keeps: iterations per second over the last second or so.

The speed box says what was asked (3 000 it/s); a machine that cannot keep up does fewer,
and the toolbar says so beside the box. Fed (time, iteration count) pairs as frames are drawn.
"""

from __future__ import annotations

from collections import deque


class RateMeter:
    """Iterations per second over about the last `window_s` seconds of samples."""

    def __init__(self, window_s: float = 1.5) -> None:
        self.window_s = window_s
        self._samples: deque[tuple[float, int]] = deque()

    def clear(self) -> None:
        self._samples.clear()

    def add(self, t: float, count: int) -> None:
        """Iteration `count` reached at time `t` (seconds, monotonic); a count that went back
        (a reset, a new session) starts the measurement again."""
        if self._samples and (count < self._samples[-1][1] or t < self._samples[-1][0]):
            self._samples.clear()
        self._samples.append((t, count))
        while len(self._samples) > 2 and t - self._samples[1][0] >= self.window_s:
            self._samples.popleft()

    def rate(self) -> float | None:
        """Iterations per second, or None until samples span at least half the window."""
        if len(self._samples) < 2:
            return None
        (t0, c0), (t1, c1) = self._samples[0], self._samples[-1]
        if t1 - t0 < self.window_s / 2:
            return None
        return (c1 - c0) / (t1 - t0)


def falls_short(asked: float, done: float | None, margin: float = 0.85) -> bool:
    """Whether a run asked for `asked` it/s (0: full speed, never short) does visibly fewer."""
    return asked > 0 and done is not None and done < margin * asked
