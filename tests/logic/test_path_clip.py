"""Cutting a diverging path where it left the loss surface for good."""

from __future__ import annotations

import numpy as np
import pytest

from gui.logic.path_clip import cut_where_it_left

BOX = (-1.0, 1.0, -2.0, 2.0)


def test_a_path_that_stays_or_comes_back_is_drawn_whole() -> None:
    x = np.array([0.0, 0.5, 3.0, 0.2, -0.9])  # out once, then back in
    y = np.array([0.0, 1.0, 0.0, -1.0, 2.0])
    cx, cy, exit_at = cut_where_it_left(x, y, BOX)
    assert exit_at is None and cx is x and cy is y


def test_a_path_that_leaves_for_good_ends_on_the_edge_where_it_crossed() -> None:
    # Swinging wider each step: in, in, out right, out left, out further (crossing the box).
    x = np.array([0.0, 0.5, -0.8, 4.0, -9.0, 30.0])
    y = np.array([0.0, 0.0, 0.0, 1.2, 0.0, 0.0])
    cx, cy, exit_at = cut_where_it_left(x, y, BOX)
    # From (-0.8, 0) towards (4, 1.2): x reaches 1 at t = 1.8 / 4.8.
    t = 1.8 / 4.8
    assert exit_at == pytest.approx((1.0, 1.2 * t))
    np.testing.assert_allclose(cx, [0.0, 0.5, -0.8, 1.0])
    np.testing.assert_allclose(cy, [0.0, 0.0, 0.0, 1.2 * t])


def test_the_nearer_edge_counts_when_a_step_leaves_through_a_corner() -> None:
    *_, exit_at = cut_where_it_left(np.array([0.0, 3.0]), np.array([0.0, 12.0]), BOX)
    assert exit_at == pytest.approx((0.5, 2.0))  # y = 2 is reached first (t = 1/6 < 1/3)


def test_a_step_to_infinity_or_nan_ends_at_the_last_finite_point() -> None:
    for bad in (np.inf, np.nan):
        cx, _, exit_at = cut_where_it_left(np.array([0.0, 0.3, bad]), np.array([0.0, 0.1, 0.0]), BOX)
        assert exit_at == (0.3, 0.1)
        np.testing.assert_allclose(cx, [0.0, 0.3, 0.3])


def test_an_empty_path_or_one_never_inside_draws_nothing_marked() -> None:
    empty = np.empty(0)
    assert cut_where_it_left(empty, empty, BOX)[2] is None
    cx, _, exit_at = cut_where_it_left(np.array([5.0, 6.0]), np.array([0.0, 0.0]), BOX)
    assert exit_at is None and len(cx) == 0
