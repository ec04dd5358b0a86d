"""The readout under the cursor without Qt: curves read at their last point at or before x,
the surface by bilinear interpolation, values written as the window writes numbers, and the
box beside the cursor, inside the plot (checked against closed forms)."""

from __future__ import annotations

import math

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from gui.logic.readout import axis_text, grid_value, index_at, place_box, value_at, value_text

SUPERSCRIPT_BACK = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")


def parsed(text: str) -> float:
    """A value_text string back to a number: "1.235·10⁻⁵" → 1.235e-5, "1 234" → 1234."""
    sign = -1.0 if text.startswith("−") else 1.0
    body = text.lstrip("−").replace("\u202f", "")
    if not any(c in body for c in "⁰¹²³⁴⁵⁶⁷⁸⁹"):
        return sign * float(body)
    mantissa, power = body.split("·") if "·" in body else ("1", body)
    return sign * float(mantissa) * 10.0 ** int(power[2:].translate(SUPERSCRIPT_BACK))


@given(
    st.integers(1, 64),  # iterations per epoch
    st.integers(1, 50),  # epochs
    st.floats(0, 1, allow_nan=False),
)
def test_an_epoch_curve_is_read_at_the_last_step_reached(ipe: int, epochs: int, share: float) -> None:
    steps = np.arange(ipe * epochs + 1)
    x = steps / ipe  # epochs, as the loss view's x-axis has them
    y = 1.0 / (1.0 + steps)  # a loss that falls with every step
    at = share * x[-1]
    step = math.floor(at * ipe + 1e-9)  # the steps done by epoch `at`
    if x[step] > at:  # the float step lands a hair past `at`: the one before is read
        step -= 1
    assert index_at(x, at) == step
    assert value_at(x, y, at) == 1.0 / (1.0 + step)


def test_no_value_before_the_first_point_after_the_last_or_of_an_empty_curve() -> None:
    x = np.array([1.0, 2.0, 4.0])
    y = np.array([10.0, 20.0, 40.0])
    assert value_at(x, y, 0.99) is None  # not started there
    assert value_at(x, y, 4.01) is None  # has not reached it (or ended before it)
    assert value_at(x, y, 4.0) == 40.0 and value_at(x, y, 1.0) == 10.0
    assert value_at(x, y, 3.99) == 20.0  # the last point at or before, not interpolated
    assert value_at(np.empty(0), np.empty(0), 1.0) is None
    assert value_at(x, y, math.nan) is None and value_at(x, y, math.inf) is None
    # Points that share an x: the last of them (the value drawn last there).
    assert value_at(np.array([0.0, 1.0, 1.0, 2.0]), np.array([5.0, 6.0, 7.0, 8.0]), 1.5) == 7.0
    # NaN values come back as NaN (the view writes them as —), never raise.
    assert math.isnan(value_at(x, np.array([np.nan, 1.0, 2.0]), 1.5) or 0.0)


def test_bilinear_surfaces_are_read_exactly_anywhere_on_the_grid() -> None:
    # z = a + b·w + c·b + d·w·b is bilinear: bilinear interpolation reproduces it everywhere,
    # on a grid with uneven spacing too.
    gx = np.array([-2.0, -1.5, 0.0, 0.3, 2.0])
    gy = np.array([-1.0, 0.5, 1.0, 3.0])
    z = 1.0 + 2.0 * gx[None, :] - 3.0 * gy[:, None] + 0.5 * gx[None, :] * gy[:, None]
    rng = np.random.default_rng(0)
    for w, b in zip(rng.uniform(-2, 2, 200), rng.uniform(-1, 3, 200), strict=True):
        got = grid_value(gx, gy, z, float(w), float(b))
        assert got is not None and math.isclose(
            got, 1 + 2 * w - 3 * b + 0.5 * w * b, rel_tol=1e-12, abs_tol=1e-12
        )
    for j, b in enumerate(gy):  # the grid's own points, corners included: exactly its values
        for i, w in enumerate(gx):
            assert grid_value(gx, gy, z, float(w), float(b)) == z[j, i]


def test_a_curved_surface_between_grid_points_and_outside_the_grid() -> None:
    gx, gy = np.linspace(0, 1, 3), np.linspace(0, 2, 3)
    z = gx[None, :] ** 2 + gy[:, None] ** 2  # rows along y
    # In the cell [0, 0.5] × [0, 1] at its centre: the mean of the four corners.
    assert grid_value(gx, gy, z, 0.25, 0.5) == (0 + 0.25 + 1 + 1.25) / 4
    assert grid_value(gx, gy, z, -0.01, 1.0) is None
    assert grid_value(gx, gy, z, 0.5, 2.01) is None
    assert grid_value(gx, gy, z, math.nan, 1.0) is None
    assert grid_value(gx[:1], gy, z[:, :1], 0.0, 1.0) is None  # no cell to interpolate in
    # An infinite corner does not spoil the points away from it (0·∞ would be NaN).
    z_inf = z.copy()
    z_inf[0, 0] = np.inf
    assert grid_value(gx, gy, z_inf, 1.0, 2.0) == z[2, 2]
    assert grid_value(gx, gy, z_inf, 0.5, 0.0) == z[0, 1]


def test_values_are_written_as_the_window_writes_numbers() -> None:
    assert value_text(0.1234567) == "0.1235"
    assert value_text(12.3456) == "12.35"
    assert value_text(1234.4) == "1\u202f234"
    assert value_text(2.5e-7) == "2.5·10⁻⁷"
    assert value_text(-3e5) == "−3·10⁵"
    assert value_text(9999.7) == "10⁴"  # rounds up to the next power
    assert value_text(0.0) == "0"
    assert value_text(math.nan) == "—" and value_text(math.inf) == "∞" and value_text(-math.inf) == "−∞"
    assert "e" not in value_text(5e-324)  # the smallest subnormal: no computer notation
    assert axis_text(41.7, whole=True) == "41"  # the iteration whose row is read there
    assert axis_text(12345.0, whole=True) == "12\u202f345"
    assert axis_text(1.25, whole=False) == "1.25"


@given(st.floats(-1e30, 1e30, allow_nan=False, allow_infinity=False))
def test_a_written_value_reads_back_to_four_significant_digits(value: float) -> None:
    text = value_text(value)
    assert "e" not in text
    assert math.isclose(parsed(text), value, rel_tol=5e-4, abs_tol=1e-300)


@given(
    st.floats(0, 800),
    st.floats(0, 500),
    st.floats(1, 400),
    st.floats(1, 300),
)
def test_the_box_stays_in_the_plot_and_off_the_cursor(cx: float, cy: float, bw: float, bh: float) -> None:
    area, gap = (800.0, 500.0), 12.0
    x, y = place_box((cx, cy), (bw, bh), area, gap)
    assert -1e-9 <= x <= max(area[0] - bw, 0) + 1e-9 and -1e-9 <= y <= max(area[1] - bh, 0) + 1e-9
    fits_beside = bw <= max(area[0] - cx - gap, cx - gap)
    if fits_beside:
        covers = x - gap / 2 < cx < x + bw + gap / 2 and y - gap / 2 < cy < y + bh + gap / 2
        assert not covers
    if fits_beside and cx + gap + bw <= area[0]:
        assert x == cx + gap  # to the right whenever it fits there
