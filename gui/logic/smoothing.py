"""The loss view's smoothing: TensorBoard's bias-corrected exponential moving average."""

from __future__ import annotations

import numpy as np

# The slider's weight is the noisiest run's (most iterations per epoch); a run with k times
# fewer iterations per epoch gets weight^k, so every run is averaged over the same stretch
# of epochs and full-batch GD (one step an epoch, no gradient noise) is barely smoothed.
DEFAULT_SMOOTHING = 0.99
# Until the user moves the slider, each session picks its own: an average over about 1 % of
# the finest run's iterations (at most DEFAULT_SMOOTHING), so a short run's curve does not
# lag behind its raw loss and a long B = 1 run is still calmed.
AUTO_SPAN = 0.01


def auto_smoothing(total_iterations: int) -> float:
    """The EMA weight whose time constant 1/(1 − w) is AUTO_SPAN of the run, in 0 … 0.99."""
    span = AUTO_SPAN * max(total_iterations, 1)
    return min(max(1.0 - 1.0 / span, 0.0), DEFAULT_SMOOTHING) if span > 1 else 0.0


def debiased_ema(values: np.ndarray, weight: float) -> np.ndarray:
    """TensorBoard's smoothing: s_t = w·s_{t−1} + (1 − w)·v_t from s_0 = 0, divided by 1 − w^t.

    The division removes the pull towards 0 at the start, so the first point is v_1 itself.
    Computed in blocks whose powers of w stay in float64 range (no per-point Python loop).

    Parameters
    ----------
    values : array of float
        v_1 … v_T.
    weight : float
        w in [0, 1); 0 (or less) leaves the values as they are.
    """
    return ema_from(values, weight, 0.0, 0)[0]


def ema_from(values: np.ndarray, weight: float, state: float, start: int) -> tuple[np.ndarray, float]:
    """`debiased_ema` continued: `state` is the raw average after `start` earlier values.

    Returns the debiased averages of `values` and the raw state after them, so a growing
    curve is smoothed one new stretch at a time instead of from its start every frame.

    Raises
    ------
    ValueError
        If `weight` is 1 or more (or NaN): the average would never move and 1 − w^t is 0.
    """
    if not weight < 1:
        raise ValueError(f"the smoothing weight must be below 1 (got {weight})")
    v = np.asarray(values, dtype=np.float64)
    if weight <= 0 or len(v) == 0:
        return v.copy(), float(v[-1]) if len(v) else state
    out = np.empty_like(v)
    # K steps per block keep w^K ≥ 1e-200, so v / w^k stays finite for |v| up to ~1e108
    # (the loss view smooths log10 of losses: |v| < 400).
    block = max(1, min(4096, int(200 / -np.log10(weight))))
    done = 0
    while done < len(v):
        chunk = v[done : done + block]
        k = np.arange(1, len(chunk) + 1)
        powers = weight**k  # w^1 … w^K
        # s_j = w^j·state + (1 − w)·Σ_{i≤j} w^{j−i} v_i, with w^{j−i} = w^j / w^i. A block of
        # one point needs no division (below w = 1e-100 every block is one point, and v / w
        # would overflow).
        acc = np.cumsum(chunk / powers) * powers if len(chunk) > 1 else chunk
        smoothed = powers * state + (1 - weight) * acc
        out[done : done + len(chunk)] = smoothed
        state = float(smoothed[-1])
        done += len(chunk)
    t = np.arange(start + 1, start + len(v) + 1)
    return out / -np.expm1(t * np.log(weight)), state
