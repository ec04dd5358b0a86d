"""The achieved pace beside the speed box."""

from __future__ import annotations

import pytest

from gui.logic.rate_meter import RateMeter, falls_short


def test_the_rate_is_the_slope_over_the_last_window() -> None:
    meter = RateMeter(window_s=1.0)
    for k in range(31):  # 30 frames a second at 1 874 it/s, then 3 000 it/s
        meter.add(k / 30, round(1874 * k / 30))
    assert meter.rate() == pytest.approx(1874, rel=2e-3)
    for k in range(31, 91):
        meter.add(k / 30, round(1874 + 3000 * (k - 30) / 30))
    assert meter.rate() == pytest.approx(3000, rel=2e-3)  # the old pace has left the window


def test_no_rate_until_half_a_window_and_a_reset_starts_again() -> None:
    meter = RateMeter(window_s=1.0)
    assert meter.rate() is None
    meter.add(0.0, 0)
    meter.add(0.2, 100)
    assert meter.rate() is None
    meter.add(0.6, 300)
    assert meter.rate() == pytest.approx(500)
    meter.add(0.7, 0)  # back to iteration 0 (Reset)
    assert meter.rate() is None


def test_a_pace_falls_short_only_when_visibly_below_a_chosen_speed() -> None:
    assert falls_short(3000, 1874)
    assert not falls_short(3000, 2900)
    assert not falls_short(0, 10)  # full speed asks for nothing
    assert not falls_short(300, None)
