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
from typing import TYPE_CHECKING, Any

import numpy as np

from engine.config import ExperimentConfig
from engine.control import SessionControl, checkpoint, working
from engine.problems.protocol import SampleGradients
from engine.seeds import derive_seed

if TYPE_CHECKING:
    from engine.problems.protocol import Problem

AGREEMENT_Z = 4.0  # measured and theory agree when they differ by at most this many std. errors
CLOUD_DRAWS = 40  # mini-batch gradients kept per batch size for the arrow cloud
CHUNK_ELEMENTS = 500_000  # sample gradients gathered at once (~10 ms of work between checks)
ELEMENT_BUDGET = 1_000_000  # sample gradients per batch size and mode before draws are cut
MIN_DRAWS = 100  # batches per size and mode, however large B is (standard error ≲ 14 %)


@dataclass(frozen=True)
class GradientNoise:
    """One measurement at `point`. Arrays over batch sizes are aligned with `batch_sizes`."""

    point: np.ndarray  # (P,) the parameters where it was measured
    n_samples: int
    full_gradient: np.ndarray  # G, (P,)
    trace_sigma: float  # tr Σ of the per-sample gradients (divided by N)
    batch_sizes: np.ndarray  # (S,) log-spaced from 1 to N
    draws: np.ndarray  # (S,) batches drawn per size and sampling mode
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
            "draws_per_batch_size": self.draws.tolist(),
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
    budget: int = ELEMENT_BUDGET,
) -> GradientNoise:
    """Measure the mini-batch gradient noise from the (N, P) per-sample gradients at `point`.

    Each batch size B gets `draws` batches per sampling mode, fewer where B·draws would pass
    `budget` sample gradients (never fewer than MIN_DRAWS): the standard errors say how
    precise each point is. Calls `checkpoint` as it goes, so a stop ends it within ~0.1 s.
    """
    g = np.asarray(per_sample, dtype=np.float64)
    n = len(g)
    rng = np.random.default_rng(seed)
    full = g.mean(axis=0)
    centred = g - full
    trace = float((centred * centred).sum() / n)
    sizes = log_batch_sizes(n) if batch_sizes is None else np.asarray(batch_sizes, dtype=np.int64)
    counts = np.array([_draws_for(int(b), draws, budget) for b in sizes])
    work = float(2 * np.sum(counts * np.minimum(sizes, n)) + 2 * draws * 4096) or 1.0
    done = 0.0
    rows = []
    for b, m in zip(sizes, counts, strict=True):
        without = _subset_means(g, int(b), int(m), rng)
        with_ = _draw_means(g, int(b), int(m), rng)
        done += 2 * m * b
        checkpoint(done / work)
        rows.append((_squared(without - full), _squared(with_ - full), without[:CLOUD_DRAWS]))
    small, big = estimate_batches or (max(1, min(8, n // 100)), max(2, min(n // 4, 4096)))
    estimate = _b_simple_estimate(g, small, big, draws, rng)
    theory_with = trace / sizes
    return GradientNoise(
        point=np.asarray(point, dtype=np.float64),
        n_samples=n,
        full_gradient=full,
        trace_sigma=trace,
        batch_sizes=sizes,
        draws=counts,
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


def _draws_for(b: int, draws: int, budget: int) -> int:
    return int(min(draws, max(MIN_DRAWS, budget // max(b, 1))))


def _chunks(m: int, b: int) -> list[int]:
    """Split m draws of b samples into chunks of about CHUNK_ELEMENTS samples."""
    per = max(1, CHUNK_ELEMENTS // max(b, 1))
    return [min(per, m - i) for i in range(0, m, per)]


def _draw_means(g: np.ndarray, b: int, m: int, rng: np.random.Generator) -> np.ndarray:
    """Means of `m` batches of `b` samples drawn with replacement, (m, P)."""
    columns = np.ascontiguousarray(g.T)
    out = []
    for c in _chunks(m, b):
        out.append(_batch_sums(columns, rng.integers(0, len(g), (c, b))) / b)
        checkpoint()
    return np.concatenate(out)


def _subset_means(g: np.ndarray, b: int, m: int, rng: np.random.Generator) -> np.ndarray:
    """Means of `m` uniform random subsets of `b` distinct samples, (m, P).

    A subset of more than half the data is drawn as its complement, whose sum is the total
    minus the subset's: the cost is min(b, N − b) per draw, and B = N is exactly G.
    """
    n = len(g)
    if b >= n:
        return np.repeat(g.mean(axis=0, keepdims=True), m, axis=0)
    columns = np.ascontiguousarray(g.T)
    k = min(b, n - b)
    out = []
    for c in _chunks(m, n if k > n // 4 else k):  # a permutation costs n per draw
        picked = _batch_sums(columns, distinct_indices(rng, n, c, k))
        out.append(picked / b if k == b else (g.sum(axis=0) - picked) / b)
        checkpoint()
    return np.concatenate(out)


def _batch_sums(columns: np.ndarray, idx: np.ndarray) -> np.ndarray:
    """(m, P) sums of the samples idx (m, b) picks, one parameter column at a time.

    (np.take on a contiguous column is ~6× faster than gathering (m, b, P) rows.)
    """
    return np.stack([np.take(col, idx).sum(axis=1) for col in columns], axis=1)


def distinct_indices(rng: np.random.Generator, n: int, m: int, k: int) -> np.ndarray:
    """(m, k) rows of k distinct indices from 0..n−1, each row a uniform random k-subset.

    Small k (≤ n/4): draw with replacement, then redraw the repeated entries until none is
    left. The rule treats every index alike, so the distribution over k-subsets is invariant
    under any relabelling of 0..n−1, hence uniform; few entries repeat and the rest converges
    geometrically. Larger k: the first k entries of a random permutation of each row.
    (A permutation per draw for every k, the obvious way, cost 87 s for 4000 draws of each
    size at N = 100 000.)
    """
    if k > n // 4:
        return rng.permuted(np.broadcast_to(np.arange(n), (m, n)), axis=1)[:, :k]
    idx = rng.integers(0, n, (m, k))
    while True:
        idx.sort(axis=1, kind="stable")  # timsort: fast on the nearly sorted rows of later rounds
        repeated = idx[:, 1:] == idx[:, :-1]
        count = int(repeated.sum())
        if count == 0:
            return idx
        tail = idx[:, 1:]
        tail[repeated] = rng.integers(0, n, count)


def _squared(d: np.ndarray) -> np.ndarray:
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
        checkpoint()
    return trace / grad_sq if grad_sq > 0 else float("inf")


def _squared_norms(batches: np.ndarray) -> np.ndarray:
    m = batches.mean(axis=1)
    result: np.ndarray = (m * m).sum(axis=1)
    return result


def gradient_noise_at(
    config: ExperimentConfig,
    point: np.ndarray,
    problem: Problem | None = None,
    control: SessionControl | None = None,
) -> GradientNoise:
    """Measure the mini-batch gradient noise of `config`'s data at `point` (a 2-D problem).

    Seeded from the config, so the same config and point give the same numbers; callable from
    any thread (the GUI measures at a run's current point this way). With a `control`, it
    reports progress as the task "gradient_noise" and raises `Interrupted` once stopped.
    """
    if problem is None:
        import torch

        from engine.problems import make_problem

        with working(control, "data"):
            problem = make_problem(config, torch.device("cpu"), derive_seed(config.seed, "data"))
    if not isinstance(problem, SampleGradients):
        raise ValueError(f"the {config.problem} problem has no per-sample gradients to measure")
    with working(control, "gradient_noise"):
        return measure_gradient_noise(
            problem.sample_gradients(point), point, derive_seed(config.seed, "noise")
        )
