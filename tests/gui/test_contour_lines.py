"""The loss surface's level lines lie on their levels (checked against a closed form)."""

import numpy as np

from gui.views.contour_view import level_lines


def test_level_lines_of_a_paraboloid_are_circles_of_the_right_radius():
    x = np.linspace(-2.0, 2.0, 201)
    y = np.linspace(-1.5, 1.5, 151)
    z = x[None, :] ** 2 + y[:, None] ** 2  # rows along y, as the engine's grid_loss
    levels = np.array([0.25, 1.0, 2.0, np.nan])  # a non-finite level is skipped
    lines = level_lines(x, y, z, levels)
    points = lines[np.isfinite(lines).all(axis=1)]
    radii = np.hypot(points[:, 0], points[:, 1])
    # Every point sits on one of the three circles r = √level (linear interpolation on a
    # 0.02 grid is within 1e-3 of it), and each circle is drawn.
    nearest = np.abs(radii[:, None] - np.sqrt(levels[:3])[None, :]).min(axis=1)
    assert nearest.max() < 1e-3
    for r in np.sqrt(levels[:3]):
        assert np.sum(np.abs(radii - r) < 1e-3) > 50
    # Lines are separated by NaN rows: at least one per level line.
    assert np.isnan(lines).all(axis=1).sum() >= 3


def test_no_finite_level_or_masked_surface_gives_no_lines():
    x = np.linspace(0, 1, 5)
    assert level_lines(x, x, np.ones((5, 5)), np.array([np.inf])).shape == (0, 2)
    z = np.full((5, 5), np.nan)
    assert level_lines(x, x, z, np.array([0.5])).shape == (0, 2)
