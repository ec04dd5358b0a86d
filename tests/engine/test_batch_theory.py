"""The large-batch laws' fit (engine/instruments/batch_theory.py) against independent references:
exact points give back their parameters; noisy ones agree with numpy.polyfit's own least
squares and covariance; B_crit's delta-method error matches its spread over many noisy draws."""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine.instruments.batch_theory import fit_samples, fit_steps

SIZES = np.array([8, 16, 32, 64, 128, 256, 512, 1024], dtype=np.float64)


@pytest.mark.parametrize(("s_min", "b_crit"), [(100.0, 64.0), (2_500.0, 3.0), (7.0, 5_000.0)])
def test_exact_points_give_back_their_parameters(s_min: float, b_crit: float) -> None:
    steps = s_min * (1 + b_crit / SIZES)
    fit = fit_steps(SIZES, steps)
    assert fit.scale == pytest.approx(s_min, rel=1e-9) and fit.b_crit == pytest.approx(b_crit, rel=1e-9)
    assert fit.scale_se == pytest.approx(0.0, abs=1e-6 * s_min) and fit.points == len(SIZES)
    e_min = s_min * 3.0
    samples = e_min * (1 + SIZES / b_crit)
    fit_e = fit_samples(SIZES, samples)
    assert fit_e.scale == pytest.approx(e_min, rel=1e-9) and fit_e.b_crit == pytest.approx(b_crit, rel=1e-9)
    np.testing.assert_allclose(fit_e.predict(SIZES, "samples"), samples, rtol=1e-9)
    np.testing.assert_allclose(fit.predict(SIZES, "steps"), steps, rtol=1e-9)


def test_noisy_points_agree_with_numpys_own_least_squares() -> None:
    rng = np.random.default_rng(7)
    steps = 300 * (1 + 90 / SIZES) * rng.lognormal(0, 0.05, SIZES.size)
    fit = fit_steps(SIZES, steps)
    p, cov = np.polyfit(1 / SIZES, steps, 1, cov=True)
    slope, intercept = p
    assert fit.scale == pytest.approx(intercept, rel=1e-9)
    assert fit.b_crit == pytest.approx(slope / intercept, rel=1e-9)
    assert fit.scale_se == pytest.approx(math.sqrt(cov[1, 1]), rel=1e-6)


def test_the_standard_error_of_b_crit_matches_its_spread_over_noisy_draws() -> None:
    rng = np.random.default_rng(11)
    truth = 200 * (1 + 50 / SIZES)
    fits = [fit_steps(SIZES, truth + rng.normal(0, 4.0, SIZES.size)) for _ in range(2_000)]
    spread = np.std([f.b_crit for f in fits])
    typical_se = np.median([f.b_crit_se for f in fits])
    assert typical_se == pytest.approx(spread, rel=0.15)
    assert np.mean([f.b_crit for f in fits]) == pytest.approx(50.0, rel=0.02)


def test_rows_that_never_reached_the_target_are_left_out() -> None:
    steps = 100 * (1 + 32 / SIZES)
    steps[-2:] = np.nan  # target not reached at the two largest sizes
    fit = fit_steps(SIZES, steps)
    assert fit.points == len(SIZES) - 2 and fit.b_crit == pytest.approx(32.0, rel=1e-9)


@pytest.mark.parametrize(
    ("sizes", "costs", "says"),
    [
        ([8, 16], [1.0], "pair up"),
        ([8, 8, 8], [1.0, 2.0, 3.0], "two batch sizes"),
        ([0, 16], [1.0, 2.0], "positive"),
    ],
)
def test_unusable_points_are_refused_in_a_sentence(sizes, costs, says: str) -> None:
    with pytest.raises(ValueError, match=says):
        fit_steps(sizes, costs)


def test_two_points_fit_exactly_with_no_error_to_give() -> None:
    fit = fit_steps([16, 64], [100 * (1 + 32 / 16), 100 * (1 + 32 / 64)])
    assert fit.b_crit == pytest.approx(32.0) and math.isnan(fit.b_crit_se)
    with pytest.raises(ValueError, match="steps"):
        fit.predict([8], "epochs")
