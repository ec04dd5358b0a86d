"""The loss view's smoothing against a plain float64 loop and closed forms (no Qt)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from gui.logic.smoothing import AUTO_SPAN, DEFAULT_SMOOTHING, auto_smoothing, debiased_ema, ema_from

EPS = np.finfo(np.float64).eps
MAX_BLOCK = 4096  # ema_from's longest block


def loop_ema(
    values: np.ndarray, weight: float, state: float = 0.0, start: int = 0
) -> tuple[list[float], float]:
    """TensorBoard's smoothing written out, one value at a time, in float64."""
    out = []
    for t, v in enumerate(values, start=start + 1):
        state = weight * state + (1 - weight) * float(v)
        out.append(state / (1 - weight**t) if weight > 0 else state)
    return out, state


def tolerance(values: np.ndarray) -> float:
    """Absolute error allowed: each output is a weighted mean of the values (weights summing to
    1 after debiasing), summed once by the loop (≤ T roundings) and once by a block's cumsum
    (≤ MAX_BLOCK roundings), each of size ≤ eps·max|v|; a factor 4 covers the products."""
    return 4 * (len(values) + MAX_BLOCK) * EPS * max(float(np.max(np.abs(values), initial=0.0)), 1e-300)


@pytest.mark.parametrize("weight", [0.0, 1e-120, 1e-8, 0.3, 0.9, 0.99, 0.999, 0.99999])
def test_matches_the_plain_loop(weight: float) -> None:
    values = np.log10(np.random.default_rng(3).lognormal(sigma=2.0, size=9000))  # both signs
    reference, _ = loop_ema(values, weight)
    np.testing.assert_allclose(debiased_ema(values, weight), reference, rtol=0, atol=tolerance(values))


@given(
    values=st.lists(st.floats(-1e100, 1e100), min_size=1, max_size=300),
    weight=st.one_of(st.floats(0.0, 0.99999), st.sampled_from([5e-324, 1e-250, 1e-101, 1e-99])),
    cut=st.integers(0, 300),
)
def test_continued_in_two_stretches_equals_the_loop(values: list[float], weight: float, cut: int) -> None:
    v = np.array(values)
    cut = min(cut, len(v))
    reference, final = loop_ema(v, weight)
    head, state = ema_from(v[:cut], weight, 0.0, 0)
    tail, state = ema_from(v[cut:], weight, state, cut)
    atol = tolerance(v)
    np.testing.assert_allclose(np.concatenate([head, tail]), reference, rtol=0, atol=atol)
    assert math.isclose(state, final, rel_tol=0, abs_tol=atol)


@pytest.mark.parametrize("weight", [0.5, 0.99, 0.999])
def test_a_constant_is_left_as_it_is(weight: float) -> None:
    # Closed form: Σ (1 − w) w^{t−i} c over i ≤ t is (1 − w^t)·c, so the debiased mean is c.
    np.testing.assert_allclose(debiased_ema(np.full(5000, 2.5), weight), 2.5, rtol=1e-12)


def test_debiasing_follows_the_closed_form_of_a_ramp() -> None:
    # v_t = t: s_t = (1 − w) Σ_{i≤t} w^{t−i} i = t − w(1 − w^t)/(1 − w), then / (1 − w^t).
    w = 0.9
    t = np.arange(1, 2001, dtype=np.float64)
    expected = (t - w * (1 - w**t) / (1 - w)) / (1 - w**t)
    np.testing.assert_allclose(debiased_ema(t, w), expected, rtol=1e-12)
    assert math.isclose(debiased_ema(t, w)[0], 1.0, rel_tol=4 * EPS)  # the first point is v_1


def test_the_raw_state_is_not_debiased() -> None:
    # After one value from s_0 = 0 the raw state is (1 − w)·v_1, the debiased output v_1
    # (1 − w^t is computed as −expm1(t·log w): a few roundings).
    out, state = ema_from(np.array([4.0]), 0.75, 0.0, 0)
    assert state == 0.25 * 4.0
    assert math.isclose(out[0], 4.0, rel_tol=4 * EPS)


def test_no_values_keep_the_state() -> None:
    out, state = ema_from(np.empty(0), 0.9, 1.5, 7)
    assert len(out) == 0 and state == 1.5


@pytest.mark.parametrize("weight", [1.0, 1.5, math.nan])
def test_a_weight_of_one_or_more_is_refused(weight: float) -> None:
    with pytest.raises(ValueError, match="below 1"):
        debiased_ema(np.ones(3), weight)


@pytest.mark.parametrize("total", [0, 1, 50, 100, 101, 150, 500, 2_500, 20_000, 10**7])
def test_auto_smoothing_averages_over_a_hundredth_of_the_run(total: int) -> None:
    span = AUTO_SPAN * max(total, 1)  # the time constant 1/(1 − w) asked for
    expected = 0.0 if span <= 1 else min(1 - 1 / span, DEFAULT_SMOOTHING)
    assert math.isclose(auto_smoothing(total), expected, rel_tol=1e-12, abs_tol=1e-15)
    assert 0.0 <= auto_smoothing(total) <= DEFAULT_SMOOTHING
