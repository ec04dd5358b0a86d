"""Long work in the engine ends within ~0.1 s of a stop and reports how far it is.

Each case runs a session on a thread, sets the stop event once the named task has reported
progress, and checks that the generator ended promptly: nothing (stopped before the setup) or
a last snapshot marked stopped.
"""

from __future__ import annotations

import dataclasses
import threading
import time

import numpy as np
import pytest

from engine import (
    ExperimentConfig,
    Interrupted,
    RunSpec,
    SessionControl,
    gradient_noise_at,
    load_preset,
    run_session,
)
from engine.instruments.gradient_noise import distinct_indices

END_S = 0.5  # generous against the ~0.1 s target: CI machines are shared and noisy


def run_until(config: ExperimentConfig, task: str, min_done: float = 0.0) -> tuple[list, float, list]:
    """Run `config`, stop once `task` has reported ≥ min_done; (snapshots, seconds to end, reports)."""
    reports: list[tuple[str, float]] = []
    reached = threading.Event()

    def report(name: str, done: float) -> None:
        reports.append((name, done))
        if name == task and done >= min_done:
            reached.set()

    control = SessionControl(report=report)
    snapshots: list = []
    thread = threading.Thread(target=lambda: snapshots.extend(run_session(config, control)))
    thread.start()
    assert reached.wait(120), f"task {task!r} never reported (got {sorted({r[0] for r in reports})})"
    t0 = time.perf_counter()
    control.stop.set()
    thread.join(30)
    return snapshots, time.perf_counter() - t0, reports


def test_stop_during_the_gradient_noise_measurement_at_100k_samples() -> None:
    config = dataclasses.replace(load_preset("gradient-noise").config, n_samples=100_000)
    snapshots, seconds, reports = run_until(config, "gradient_noise", 0.05)
    assert seconds < END_S
    assert snapshots[0].setup is not None  # the surface was shown before the measurement
    assert snapshots[-1].stopped and snapshots[-1].finished
    assert "gradient_noise" not in snapshots[-1].measurements
    fractions = [d for name, d in reports if name == "gradient_noise"]
    assert fractions == sorted(fractions) and 0 < fractions[-1] < 1


def test_stop_while_building_a_large_non_convex_problem() -> None:
    config = ExperimentConfig(problem="two_lines", n_samples=1_000_000, device="cpu")
    snapshots, seconds, _ = run_until(config, "data")
    assert seconds < END_S
    assert snapshots == []  # stopped before anything could be shown


def test_stop_during_the_basin_copies() -> None:
    config = dataclasses.replace(load_preset("sgd-escapes-local-minimum").config, epochs=2, measure_seeds=100)
    snapshots, seconds, _ = run_until(config, "basins", 0.01)
    assert seconds < END_S
    last = snapshots[-1]
    assert last.finished and last.stopped and "basins" not in last.measurements
    assert len(last.results) == len(config.runs)  # the trained runs are kept


def test_basin_copies_beyond_64_runs_are_counted() -> None:
    config = dataclasses.replace(
        load_preset("sgd-escapes-local-minimum").config,
        n_samples=200,
        epochs=1,
        measure_seeds=40,  # 3 runs × 40 copies: more than one session of at most 64 runs
        runs=(RunSpec("GD", "full"), RunSpec("SGD", 1), RunSpec("B8", 8)),
    )
    last = list(run_session(config))[-1]
    counts = last.measurements["basins"]
    assert all(c.seeds == 40 and c.better + c.worse + c.diverged == 40 for c in counts.values())


def test_gradient_noise_at_raises_interrupted_when_stopped() -> None:
    config = load_preset("gradient-noise").config
    control = SessionControl()
    control.stop.set()
    with pytest.raises(Interrupted):
        gradient_noise_at(config, np.array(config.start), control=control)


@pytest.mark.parametrize(("n", "k"), [(6, 1), (6, 2), (6, 3), (9, 2), (9, 5)])
def test_distinct_indices_draw_every_subset_equally_often(n: int, k: int) -> None:
    """Both samplers (redraw repeats for k ≤ n/4, permutation prefixes above) are uniform."""
    from itertools import combinations
    from math import comb

    draws = 60_000
    rows = distinct_indices(np.random.default_rng(7), n, draws, k)
    assert all(len(set(r)) == k for r in rows.tolist())
    keys = [tuple(sorted(r)) for r in rows.tolist()]
    counts = np.array([keys.count(c) for c in combinations(range(n), k)])
    expected = draws / comb(n, k)
    chi2 = float(((counts - expected) ** 2 / expected).sum())
    dof = comb(n, k) - 1
    assert chi2 < dof + 6 * np.sqrt(2 * dof)  # ~6 σ of the χ² distribution: fails on bias, not luck
