"""Seconds per epoch against the number of data-parallel workers K, at one global batch.

    python benchmarks/data_parallel.py [--epochs E] [--workers 1 2 4]

The data-parallel lesson's problem (linear regression, N = 1 024) at a global batch of 32,
trained by one process (K = 1) and by K spawned workers with 32 / K samples each, all in one
session: the same steps (tests/engine/test_data_parallel.py shows they end at the same
parameters), so the seconds per epoch compare only what the group costs. Also the time to
start the K workers (each imports torch). Prints the machine's cores beside the figures: K
workers on fewer cores than K take turns.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine import RunSpec, load_preset, run_session, usable_cpus


def measure(epochs: int, counts: list[int]) -> dict[int, tuple[float, float]]:
    """K -> (seconds per epoch of compute, seconds from the session's start to its setup)."""
    base = load_preset("data-parallel").config
    out = {}
    for k in counts:
        runs = (RunSpec(f"K{k}", 32 // k, workers=k),)
        config = dataclasses.replace(base, epochs=epochs, runs=runs, device="cpu")
        t0 = time.perf_counter()
        started = 0.0
        last = None
        for progress in run_session(config):
            if progress.setup is not None:
                started = time.perf_counter() - t0
            last = progress
        assert last is not None and last.results
        out[k] = (last.results[0].wall_time_s / epochs, started)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    args = parser.parse_args()
    figures = measure(args.epochs, args.workers)
    one = figures.get(1, (float("nan"), 0.0))[0]
    print(f"cores usable: {usable_cpus()}; global batch 32, N = 1 024, {args.epochs} epochs")
    print(f"{'K':>3} {'s/epoch':>9} {'vs K=1':>7} {'start s':>8}")
    for k, (per_epoch, start) in figures.items():
        print(f"{k:>3} {per_epoch:>9.4f} {per_epoch / one:>6.1f}× {start:>8.1f}")


if __name__ == "__main__":
    main()
