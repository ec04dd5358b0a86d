"""Hypothesis strategies over the whole config space, tiny enough that an example runs fast.

Most fields are drawn from their allowed range, edges included; about one field in ten is
replaced by something a file or a typo could hold instead (a wrong type, NaN, a huge or a
negative number), so both halves of the contract get exercised: refused by name, or run.
"""

from __future__ import annotations

import math
from typing import Any

from hypothesis import strategies as st

from engine import FLAT_PROBLEMS, OPTIMIZERS, PROBLEMS
from engine.config import LR_SCALINGS, MEASUREMENTS, SAMPLING_MODES
from engine.optimizer_specs import ParamRange

# Values a JSON file or a hand-written dict may hold where something else was meant.
JUNK = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([5e-324, 1e-300, 3.5e38, 1e39, 1e300, -1e300, 2**63, -1]),
    st.text(max_size=4),
    st.lists(st.integers(min_value=-3, max_value=3), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(min_value=-3, max_value=3), max_size=2),
)

# Numbers at the edges of float32 and float64, where arithmetic overflows or underflows.
EDGES = st.sampled_from([0.0, 5e-324, 1e-300, 1e-45, 1e-38, 1e-8, 1.0, 1e6, 3.4e38, 3.5e38, 1e300])


def or_edge(good: st.SearchStrategy[Any], junk: bool = True) -> st.SearchStrategy[Any]:
    """`good` three times in four, else an edge value (only `good` without `junk`)."""
    return st.sampled_from(range(4)).flatmap(lambda k: EDGES if k == 3 else good) if junk else good


def maybe_junk(good: st.SearchStrategy[Any], junk: bool = True) -> st.SearchStrategy[Any]:
    """`good` 29 times in 30, else junk (only `good` without `junk`); a config has ~20 fields."""
    return st.sampled_from(range(30)).flatmap(lambda k: JUNK if k == 29 else good) if junk else good


def _param_value(r: ParamRange, junk: bool) -> st.SearchStrategy[Any]:
    """Mostly inside the allowed range (edges included), sometimes an edge of float32/64."""
    if r.kind == "bool":
        return st.booleans()
    high = min(r.high, 1e6)
    inside = st.floats(min_value=r.low, max_value=high, exclude_min=r.low_open, exclude_max=r.high_open)
    closed = [v for v, is_open in ((r.low, r.low_open), (high, r.high_open)) if not is_open]
    return or_edge(st.one_of(inside, st.sampled_from(closed)) if closed else inside, junk)


@st.composite
def optimizer_choice(draw: st.DrawFn, junk: bool = True) -> tuple[Any, Any]:
    """(name, params): a known optimizer with some of its parameters, sometimes junk."""
    name = draw(maybe_junk(st.sampled_from(sorted(OPTIMIZERS)), junk))
    if not isinstance(name, str) or name not in OPTIMIZERS:
        return name, draw(maybe_junk(st.just({}), junk))
    ranges = OPTIMIZERS[name][1]
    keys = draw(st.lists(st.sampled_from(sorted(ranges)), unique=True, max_size=len(ranges)))
    params = {k: draw(maybe_junk(_param_value(ranges[k], junk), junk)) for k in keys}
    return name, draw(maybe_junk(st.just(params), junk))


@st.composite
def run_dict(draw: st.DrawFn, label: str, n: int, junk: bool = True) -> dict[str, Any]:
    batch = st.one_of(st.just("full"), st.integers(min_value=1, max_value=n))
    d: dict[str, Any] = {"label": label, "batch_size": draw(maybe_junk(batch, junk))}
    if draw(st.booleans()):
        d["lr"] = draw(maybe_junk(or_edge(st.floats(min_value=1e-4, max_value=2.0), junk), junk))
    if draw(st.integers(min_value=0, max_value=3)) == 0:
        d["optimizer"], d["optimizer_params"] = draw(optimizer_choice(junk))
    if draw(st.integers(min_value=0, max_value=3)) == 0:
        d["sampling"] = draw(maybe_junk(st.sampled_from(SAMPLING_MODES), junk))
    if draw(st.integers(min_value=0, max_value=5)) == 0:
        colors = ["#1f6fd1", "#ABCDEF", ""] + (["red", "#12345"] if junk else [])
        d["color"] = draw(maybe_junk(st.sampled_from(colors), junk))
    return d


@st.composite
def config_dicts(draw: st.DrawFn, junk: bool = True) -> dict[str, Any]:
    """A config as a scenario file would hold it: small sizes, every field in play.

    With `junk`, about one field in 30 holds a wrong type or an absurd value, and numbers are
    drawn past their limits; without, every field stays in its allowed range and type (the
    rules that tie fields together — basins only for two_lines, say — may still refuse).
    """
    problem = draw(maybe_junk(st.sampled_from(PROBLEMS), junk))
    n = 10 if problem == "hinton" else draw(st.integers(min_value=2, max_value=40))
    d: dict[str, Any] = {
        "problem": problem,
        "n_samples": draw(maybe_junk(st.just(n), junk)),
        "seed": draw(maybe_junk(st.integers(min_value=0, max_value=2**63 - 1), junk)),
        "epochs": draw(maybe_junk(st.integers(min_value=1, max_value=3), junk)),
        "lr": draw(maybe_junk(or_edge(st.floats(min_value=1e-4, max_value=3.0), junk), junk)),
        "device": draw(maybe_junk(st.just("cpu"), junk)),
    }
    d["optimizer"], d["optimizer_params"] = draw(optimizer_choice(junk))
    if draw(st.booleans()):
        d["noise"] = draw(maybe_junk(or_edge(st.floats(min_value=0.0, max_value=60.0), junk), junk))
        if d["problem"] == "logistic" and d["noise"] == 0 and not junk:
            d["noise"] = 0.5
    if draw(st.booleans()):
        d["feature_scale"] = draw(maybe_junk(or_edge(st.floats(min_value=1e-3, max_value=60.0), junk), junk))
    for name in ("feature_shift", "true_w", "true_b"):
        if draw(st.booleans()):
            d[name] = draw(maybe_junk(st.floats(min_value=-1e3, max_value=1e3), junk))
    if problem not in FLAT_PROBLEMS and draw(st.booleans()):
        coordinate = st.floats(min_value=-1e3, max_value=1e3)
        d["start"] = draw(maybe_junk(st.lists(coordinate, min_size=2, max_size=2), junk))
    if draw(st.booleans()):
        d["sampling"] = draw(maybe_junk(st.sampled_from(SAMPLING_MODES), junk))
    if draw(st.booleans()):
        d["drop_last"] = draw(maybe_junk(st.booleans(), junk))
    if draw(st.integers(min_value=0, max_value=3)) == 0:
        d["batches_per_epoch"] = draw(maybe_junk(st.one_of(st.none(), st.integers(1, 50)), junk))
    if draw(st.booleans()):
        d["lr_scaling"] = draw(maybe_junk(st.sampled_from(LR_SCALINGS), junk))
        d["lr_reference_batch"] = draw(maybe_junk(st.integers(min_value=1, max_value=64), junk))
    if draw(st.booleans()):
        d["warmup_epochs"] = draw(maybe_junk(st.floats(min_value=0.0, max_value=4.0), junk))
    if draw(st.booleans()):
        d["same_batches"] = draw(maybe_junk(st.booleans(), junk))
    if draw(st.integers(min_value=0, max_value=2)) == 0:
        d["measure"] = draw(
            maybe_junk(st.lists(st.sampled_from(MEASUREMENTS), unique=True, max_size=2), junk)
        )
        d["measure_seeds"] = draw(maybe_junk(st.integers(min_value=1, max_value=30), junk))
    names = st.sampled_from(["GD", "SGD", "Mini-batch", "A", "B"])
    labels = draw(st.lists(names, unique=True, min_size=1, max_size=5))
    d["runs"] = draw(maybe_junk(st.just([draw(run_dict(label, n, junk)) for label in labels]), junk))
    return d


def is_finite_number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
