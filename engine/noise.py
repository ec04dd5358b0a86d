"""Gradient noise at one point: how far a mini-batch gradient strays from the full gradient.

With per-sample gradients gᵢ (i = 1..N) at parameters θ, the full gradient is G = mean gᵢ and
Σ = mean (gᵢ − G)(gᵢ − G)ᵀ their covariance. The mean of B samples, g_B, is unbiased, and

    E|g_B − G|² = tr Σ / B                      drawing the B samples with replacement,
    E|g_B − G|² = (N − B)/(N − 1) · tr Σ / B    without replacement (one batch of a shuffle),

the second zero at B = N: the full batch has no noise. `measure_gradient_noise` draws many
batches of each size both ways, and reports the measured mean squared deviation beside both
theory curves (computed from the data, not fitted) and each measurement's standard error.

B_simple = tr Σ / |G|² (McCandlish et al. 2018, "An Empirical Model of Large-Batch Training")
is the batch size at which the noise is as large as the gradient. It is reported exactly, and
estimated the way one would in a real network that cannot afford all N per-sample gradients:
from pairs of batches of two sizes b < B drawn with replacement, E|g_b|² = |G|² + tr Σ / b gives
unbiased estimates of |G|² and tr Σ; these are averaged separately over the pairs before
dividing (their appendix A).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

AGREEMENT_Z = 4.0  # measured and theory agree when they differ by at most this many std. errors
CLOUD_DRAWS = 40  # mini-batch gradients kept per batch size for the arrow cloud
CHUNK_ELEMENTS = 2_000_000  # permutation entries drawn at once (memory bound for large N)


@dataclass(frozen=True)
class GradientNoise:
    """One measurement at `point`. Arrays over batch sizes are aligned with `batch_sizes`."""

    point: np.ndarray  # (P,) the parameters where it was measured
    n_samples: int
    full_gradient: np.ndarray  # G, (P,)
    trace_sigma: float  # tr Σ of the per-sample gradients (divided by N)
    batch_sizes: np.ndarray  # (S,) log-spaced from 1 to N
    draws: int  # batches drawn per size and sampling mode
    without_replacement: np.ndarray  # (S,) measured mean |g_B − G|², subsets of B distinct samples
    without_replacement_se: np.ndarray  # (S,) its standard error
    with_replacement: np.ndarray  # (S,) measured, B samples drawn with replacement
    with_replacement_se: np.ndarray
    theory_without: np.ndarray  # (S,) (N − B)/(N − 1) · tr Σ / B
    theory_with: np.ndarray  # (S,) tr Σ / B
    cloud: np.ndarray  # (S, CLOUD_DRAWS, P) some of the without-replacement batch gradients
    b_simple: float  # tr Σ / |G|², exact
    b_simple_estimate: float  # from `estimate_batches` (small, big) alone
    estimate_batches: tuple[int, int]

    def agrees(self, z: float = AGREEMENT_Z) -> bool:
        """Every measured point within `z` standard errors of its theory curve."""
        return bool(
            np.all(
                np.abs(self.without_replacement - self.theory_without)
                <= z * self.without_replacement_se + 1e-12
            )
            and np.all(
                np.abs(self.with_replacement - self.theory_with) <= z * self.with_replacement_se + 1e-12
            )
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-able, for summary.json's `measurements`."""
        return {
            "point": self.point.tolist(),
            "n_samples": self.n_samples,
            "full_gradient": self.full_gradient.tolist(),
            "full_gradient_norm_sq": float(self.full_gradient @ self.full_gradient),
            "trace_sigma": self.trace_sigma,
            "draws_per_batch_size": self.draws,
            "batch_sizes": self.batch_sizes.tolist(),
            "measured_without_replacement": self.without_replacement.tolist(),
            "measured_without_replacement_stderr": self.without_replacement_se.tolist(),
            "measured_with_replacement": self.with_replacement.tolist(),
            "measured_with_replacement_stderr": self.with_replacement_se.tolist(),
            "theory_without_replacement": self.theory_without.tolist(),
            "theory_with_replacement": self.theory_with.tolist(),
            "agreement": (
                f"each measured variance lies within {AGREEMENT_Z:g} standard errors of its theory "
                "curve (standard error = standard deviation of |g_B − G|² over the draws / √draws)"
            ),
            "agreement_z": AGREEMENT_Z,
            "agrees": self.agrees(),
            "b_simple": _finite_or_none(round(self.b_simple, 4)),
            "b_simple_estimate": _finite_or_none(round(self.b_simple_estimate, 4)),
            "b_simple_estimate_batches": list(self.estimate_batches),
        }


def _finite_or_none(value: float) -> float | None:
    return value if np.isfinite(value) else None  # JSON has no infinity (zero gradient)


def log_batch_sizes(n: int, count: int = 13) -> np.ndarray:
    """About `count` distinct whole batch sizes, log-spaced from 1 to n (both included)."""
    sizes = np.unique(np.round(np.geomspace(1, n, count)).astype(np.int64))
    return sizes


def measure_gradient_noise(
    per_sample: np.ndarray,
    point: np.ndarray,
    seed: int,
    draws: int = 4000,
    batch_sizes: np.ndarray | None = None,
    estimate_batches: tuple[int, int] | None = None,
) -> GradientNoise:
    """Measure the mini-batch gradient noise from the (N, P) per-sample gradients at `point`."""
    g = np.asarray(per_sample, dtype=np.float64)
    n = len(g)
    rng = np.random.default_rng(seed)
    full = g.mean(axis=0)
    centred = g - full
    trace = float((centred * centred).sum() / n)
    sizes = log_batch_sizes(n) if batch_sizes is None else np.asarray(batch_sizes, dtype=np.int64)
    # Subsets without replacement: the first B entries of random permutations (one set of
    # permutations serves every B; each B's draws are still uniform subsets). Drawn in chunks
    # so that memory stays near CHUNK_ELEMENTS whatever N is.
    chunk = max(1, min(draws, CHUNK_ELEMENTS // n))
    without: list[list[np.ndarray]] = [[] for _ in sizes]
    with_: list[list[np.ndarray]] = [[] for _ in sizes]
    clouds: list[list[np.ndarray]] = [[] for _ in sizes]
    for first in range(0, draws, chunk):
        m = min(chunk, draws - first)
        perms = np.argsort(rng.random((m, n)), axis=1)
        for k, b in enumerate(sizes):
            picked = g[perms[:, : int(b)]]
            without[k].append(_deviations(picked, full))
            with_[k].append(_deviations(g[rng.integers(0, n, (m, int(b)))], full))
            if sum(len(c) for c in clouds[k]) < CLOUD_DRAWS:
                clouds[k].append(picked.mean(axis=1))
    rows = [
        (np.concatenate(a), np.concatenate(b), np.concatenate(c)[:CLOUD_DRAWS])
        for a, b, c in zip(without, with_, clouds, strict=True)
    ]
    small, big = estimate_batches or (max(1, min(8, n // 100)), max(2, min(n // 4, 4096)))
    estimate = _b_simple_estimate(g, small, big, draws, rng)
    theory_with = trace / sizes
    return GradientNoise(
        point=np.asarray(point, dtype=np.float64),
        n_samples=n,
        full_gradient=full,
        trace_sigma=trace,
        batch_sizes=sizes,
        draws=draws,
        without_replacement=np.array([r[0].mean() for r in rows]),
        without_replacement_se=np.array([_stderr(r[0]) for r in rows]),
        with_replacement=np.array([r[1].mean() for r in rows]),
        with_replacement_se=np.array([_stderr(r[1]) for r in rows]),
        theory_without=theory_with * (n - sizes) / max(n - 1, 1),
        theory_with=theory_with,
        cloud=np.stack([r[2] for r in rows]),
        b_simple=trace / float(full @ full) if float(full @ full) > 0 else float("inf"),
        b_simple_estimate=estimate,
        estimate_batches=(small, big),
    )


def _deviations(batches: np.ndarray, full: np.ndarray) -> np.ndarray:
    """|g_B − G|² for each draw: `batches` is (draws, B, P)."""
    d = batches.mean(axis=1) - full
    result: np.ndarray = (d * d).sum(axis=1)
    return result


def _stderr(values: np.ndarray) -> float:
    return float(values.std(ddof=1) / np.sqrt(len(values))) if len(values) > 1 else 0.0


def _b_simple_estimate(g: np.ndarray, small: int, big: int, pairs: int, rng: np.random.Generator) -> float:
    """McCandlish et al. appendix A: |G|² and tr Σ from batches of two sizes, averaged apart."""
    n = len(g)
    grad_sq, trace = 0.0, 0.0
    chunk = max(1, min(pairs, CHUNK_ELEMENTS // big))
    for first in range(0, pairs, chunk):
        m = min(chunk, pairs - first)
        norm_small = _squared_norms(g[rng.integers(0, n, (m, small))])
        norm_big = _squared_norms(g[rng.integers(0, n, (m, big))])
        grad_sq += float(((big * norm_big - small * norm_small) / (big - small)).sum())  # E = |G|²
        trace += float(((norm_small - norm_big) / (1.0 / small - 1.0 / big)).sum())  # E = tr Σ
    return trace / grad_sq if grad_sq > 0 else float("inf")


def _squared_norms(batches: np.ndarray) -> np.ndarray:
    m = batches.mean(axis=1)
    result: np.ndarray = (m * m).sum(axis=1)
    return result
