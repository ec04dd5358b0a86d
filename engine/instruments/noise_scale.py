"""The gradient noise scale of a network, B_simple = tr Σ / |G|² (McCandlish et al. 2018).

Σ is the covariance of one sample's gradient and G the full-batch gradient, both at one set of
weights. They are estimated from the per-sample gradients of a fixed subset of the training
images (`torch.func.vmap(grad)`, in chunks): tr Σ by the unbiased sample variance, and |G|² by
|ḡ|² − tr Σ / n, which removes the noise a mean of n samples still carries (|ḡ|² alone is biased
up by exactly that). Where the noise swamps the gradient, |G|² estimated so can come out ≤ 0:
then B_simple is not defined by this subset and is reported as None, never as a made-up number.
"""

from __future__ import annotations

import numpy as np
import torch

from engine.control import checkpoint
from engine.instruments.sweep_result import NoiseScale
from engine.problems.protocol import PerSampleGradients

SUBSET = 1024  # training images the estimate uses (fewer when N is smaller)
CHUNK_ELEMENTS = 1 << 24  # gradient floats held at once (64 MB)


def subset_indices(n_samples: int, seed: int) -> torch.Tensor:
    """The fixed subset: SUBSET training images drawn without replacement from `seed`."""
    rng = np.random.default_rng([seed, SUBSET])
    count = min(SUBSET, n_samples)
    return torch.from_numpy(np.sort(rng.choice(n_samples, count, replace=False)))


def noise_scale(problem: PerSampleGradients, weights: list[torch.Tensor], idx: torch.Tensor) -> NoiseScale:
    """B_simple at one run's `weights` (no run axis) over the training samples `idx`."""
    n_params = sum(w.numel() for w in weights)
    chunk = max(1, CHUNK_ELEMENTS // max(n_params, 1))
    total = torch.zeros(n_params, dtype=torch.float64, device=weights[0].device)
    squares = torch.zeros((), dtype=torch.float64, device=weights[0].device)
    n = len(idx)
    for start in range(0, n, chunk):
        checkpoint(start / n)
        g = problem.sample_gradients_of(weights, idx[start : start + chunk].to(weights[0].device)).double()
        total += g.sum(0)
        squares += (g * g).sum()
    mean = total / n
    mean_norm2 = float(mean @ mean)
    # Σᵢ|gᵢ − ḡ|² = Σᵢ|gᵢ|² − n|ḡ|², over n − 1 for the unbiased variance.
    trace = max(float(squares) - n * mean_norm2, 0.0) / max(n - 1, 1)
    norm2 = mean_norm2 - trace / n
    return NoiseScale(
        b_simple=trace / norm2 if norm2 > 0 else None,
        trace_covariance=trace,
        gradient_norm2=norm2,
        samples=n,
    )
