"""The gradient-noise instrument against exact enumeration and float64 references."""

from __future__ import annotations

import itertools
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from engine import ExperimentConfig, gradient_noise_at, load_preset
from engine.instruments.gradient_noise import measure_gradient_noise

ROOT = Path(__file__).resolve().parents[2]


def exact_variance(g: np.ndarray, batches: list[tuple[int, ...]]) -> float:
    """E|g_B − G|² as the plain average over every possible batch (each equally likely)."""
    full = g.mean(axis=0)
    return float(np.mean([np.sum((g[list(b)].mean(axis=0) - full) ** 2) for b in batches]))


@pytest.mark.parametrize("b", [1, 2, 3, 5, 6])
def test_theory_curves_equal_enumeration_over_every_batch(b: int) -> None:
    g = np.random.default_rng(3).normal(size=(6, 2)) * [1.0, 3.0] + [0.5, -2.0]
    noise = measure_gradient_noise(g, np.zeros(2), seed=1, draws=50, batch_sizes=np.array([b]))
    subsets = list(itertools.combinations(range(6), b))
    tuples = list(itertools.product(range(6), repeat=b))
    assert noise.theory_without[0] == pytest.approx(exact_variance(g, subsets), abs=1e-12)
    assert noise.theory_with[0] == pytest.approx(exact_variance(g, tuples), rel=1e-12)
    assert noise.trace_sigma == pytest.approx(np.trace(np.cov(g.T, bias=True)), rel=1e-12)


def test_preset_measurements_agree_with_theory_and_vanish_at_full_batch() -> None:
    config = load_preset("gradient-noise").config
    noise = gradient_noise_at(config, np.array(config.start))
    assert noise.agrees()  # every size, both sampling modes, within 4 standard errors
    assert noise.batch_sizes[0] == 1 and noise.batch_sizes[-1] == config.n_samples
    assert noise.without_replacement[-1] < 1e-20  # B = N: the full gradient itself
    assert noise.with_replacement[-1] > 0.5 * noise.theory_with[-1]  # repeats keep some noise
    # The lesson's claim: the variance falls as 1/B (from B = 1 to B = 100: about 100 times).
    k = int(np.flatnonzero(noise.batch_sizes == 100)[0])
    ratio = noise.with_replacement[0] / noise.with_replacement[k]
    assert 80 < ratio < 125
    # B_simple from two batch sizes alone lands near the exact value.
    assert noise.b_simple_estimate == pytest.approx(noise.b_simple, rel=0.15)
    assert noise.cloud.shape == (len(noise.batch_sizes), 40, 2)


def test_measurement_is_seeded() -> None:
    config = load_preset("gradient-noise").config
    a = gradient_noise_at(config, np.array([0.5, 0.5]))
    b = gradient_noise_at(config, np.array([0.5, 0.5]))
    np.testing.assert_array_equal(a.without_replacement, b.without_replacement)
    np.testing.assert_array_equal(a.cloud, b.cloud)


def test_sample_gradients_match_autograd_in_float64() -> None:
    from engine.problems.linear import LinearRegression

    config = ExperimentConfig(n_samples=50, noise=0.4, feature_shift=0.3)
    problem = LinearRegression(config, torch.device("cpu"), seed=5)
    point = np.array([0.7, -0.2])
    theta = torch.tensor(point, requires_grad=True)
    x, y = torch.tensor(problem.x64), torch.tensor(problem.y64)
    reference = []
    for i in range(len(x)):
        (grad,) = torch.autograd.grad((theta[0] * x[i] + theta[1] - y[i]) ** 2, theta)
        reference.append(grad.numpy())
    np.testing.assert_allclose(problem.sample_gradients(point), np.array(reference), rtol=1e-12)
    np.testing.assert_allclose(
        problem.sample_gradients(point).mean(0), problem.full_gradient(point), rtol=1e-10
    )


def test_cli_writes_measurements(tmp_path: Path) -> None:
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "main.py"),
            "run",
            "gradient-noise",
            "--out",
            str(tmp_path),
            "--set",
            "epochs=1",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    assert "agree with theory" in out.stdout
    noise = json.loads((tmp_path / "summary.json").read_text())["measurements"]["gradient_noise"]
    sizes = np.array(noise["batch_sizes"])
    measured = np.array(noise["measured_without_replacement"])
    theory = np.array(noise["theory_without_replacement"])
    se = np.array(noise["measured_without_replacement_stderr"])
    assert noise["agrees"] and np.all(np.abs(measured - theory) <= noise["agreement_z"] * se + 1e-12)
    n = noise["n_samples"]
    np.testing.assert_allclose(theory, noise["trace_sigma"] / sizes * (n - sizes) / (n - 1))


def test_measure_is_validated() -> None:
    with pytest.raises(ValueError, match="measure must be one of gradient_noise"):
        ExperimentConfig(measure=("curvature",))
    with pytest.raises(ValueError, match="two-parameter problems only"):
        ExperimentConfig(problem="network", n_samples=100, measure=("gradient_noise",))
    with pytest.raises(ValueError, match="measure must be a list"):
        ExperimentConfig.from_dict({"measure": "gradient_noise"})
