"""Marker shapes by role: the same in every lesson, never shared within one."""

from __future__ import annotations

from gui.logic.markers import ROLE_MARKERS, run_markers


def test_roles_keep_their_shape_whatever_their_place() -> None:
    lesson_2 = run_markers(["GD", "SGD", "Mini-batch"])
    lesson_3 = run_markers(["SGD", "Mini-batch"])
    assert lesson_2 == {"GD": 0, "SGD": 1, "Mini-batch": 2}
    assert lesson_3 == {"SGD": 1, "Mini-batch": 2}
    assert run_markers(["B4", "GD"])["GD"] == ROLE_MARKERS["GD"]


def test_other_runs_never_take_a_roles_shape_and_no_two_runs_share_one() -> None:
    markers = run_markers(["B4", "B16", "B64", "B256", "GD"])
    assert markers["GD"] == 0
    others = [markers[k] for k in ("B4", "B16", "B64", "B256")]
    assert not set(others) & {0, 1, 2} and len(set(others)) == 4
    eight = run_markers([f"B{2**k}" for k in range(8)])
    assert len(set(eight.values())) == 8  # the role shapes too, once the others run out
