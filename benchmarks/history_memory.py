"""Resident-memory growth of a long headless run, in its own process. Prints one JSON line.

`--steps N`: a real session (one SGD run, B = 1, N = 1000) consumed as the CLI does, every
snapshot appended to a bounded `RunHistory`. `--rows N`: the history store alone, fed N rows
in snapshot-sized blocks (to show the bound at ten million rows in seconds).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from engine import ExperimentConfig, HistoryRows, RunHistory, RunSpec, run_session


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        pages = int(f.read().split()[1])
    return pages * 4096 / 2**20


def engine_run(steps: int) -> dict[str, float]:
    config = ExperimentConfig(
        n_samples=1000,
        noise=0.3,
        lr=0.01,
        epochs=max(steps // 1000, 1),
        device="cpu",
        runs=(RunSpec("SGD", 1),),
    )
    history: RunHistory | None = None
    base = peak = 0.0
    t0 = time.perf_counter()
    for progress in run_session(config):
        if progress.setup is not None:
            history = RunHistory(len(progress.setup.param_names))
        assert history is not None
        history.append(progress.runs[0].new_rows)
        if progress.setup is not None:
            base = rss_mb()
        peak = max(peak, rss_mb())
    assert history is not None
    return {
        "steps": progress.runs[0].iteration,
        "rows_kept": len(history),
        "growth_mb": peak - base,
        "seconds": time.perf_counter() - t0,
    }


def store_only(rows: int) -> dict[str, float]:
    history = RunHistory(2)
    base = rss_mb()
    peak = base
    rng = np.random.default_rng(0)
    block = 8192
    for start in range(0, rows, block):
        it = np.arange(start, min(start + block, rows))
        loss = 1 / (1 + it / 1e5) + 0.1 * rng.random(len(it))
        history.append(HistoryRows(it, it / 1000, it, it * 1e-5, loss, np.zeros((len(it), 2))))
        peak = max(peak, rss_mb())
    return {"rows": rows, "rows_kept": len(history), "growth_mb": peak - base}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    # One or the other: with neither, the store used to be fed `range(0, None)` and crash.
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--steps", type=int, help="a real session of about this many steps")
    which.add_argument("--rows", type=int, help="the history store alone, fed this many rows")
    args = parser.parse_args()
    out = engine_run(args.steps) if args.steps is not None else store_only(args.rows)
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
