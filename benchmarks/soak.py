"""Soak: a 10-million-step headless session and ten minutes of live GUI updates.

    python benchmarks/soak.py headless [--steps 10000000]
    xvfb-run -a -s '-screen 0 1920x1080x24' python benchmarks/soak.py gui [--minutes 10]

headless: SGD (B = 1) and full-batch GD on N = 1 000 linear-regression samples for
steps/1 000 epochs, consumed the way the CLI consumes a session (every snapshot's rows kept
in a RunHistory). RSS is sampled every 10 s. At the end the counts must be exact
(iterations, samples seen, the history's last row) and GD's final (w, b) must equal the same
recursion θ ← θ − lr·∇L(θ) computed in float64 with numpy, to float32 precision.

gui: the window trains the `gd-sgd-minibatch` lesson at full speed, with 100 000 epochs so it
never finishes, drawing paths and curves, for the given minutes. A 10 ms QTimer measures the
longest gap of the GUI thread's event loop; RSS is sampled every 10 s. Then the session is
stopped and the window closed, which must end every thread.

Each prints its figures as one JSON line (and a readable summary on stderr).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SAMPLE_S = 10.0

Report = dict[str, Any]  # one JSON line of figures, as mixed as JSON (numbers, lists, dicts)


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def memory_figures(samples: list[tuple[float, float]]) -> dict[str, float]:
    """RSS at the first sample after warm-up, at the end, the peak, and the growth per hour."""
    settled = samples[min(2, len(samples) - 1) :]  # the first ~20 s include torch's warm-up
    (t0, m0), (t1, m1) = settled[0], settled[-1]
    half = samples[len(samples) // 2]
    return {
        "rss_settled_mb": round(m0, 1),
        "rss_half_mb": round(half[1], 1),
        "rss_end_mb": round(m1, 1),
        "rss_peak_mb": round(max(m for _, m in samples), 1),
        "rss_growth_mb_per_hour": round((m1 - m0) / max(t1 - t0, 1e-9) * 3600, 1),
    }


def headless(steps: int) -> Report:
    import numpy as np

    from engine import ExperimentConfig, Recorder, RunSpec, run_session

    n = 1000
    config = ExperimentConfig(
        n_samples=n,
        epochs=max(steps // n, 1),
        lr=0.01,
        start=(-1.0, 2.5),
        device="cpu",
        runs=(RunSpec("SGD", 1), RunSpec("GD", "full")),
    )
    t_start = time.perf_counter()
    samples: list[tuple[float, float]] = []
    next_sample = 0.0
    recorder = Recorder()
    for progress in run_session(config):
        recorder.add(progress)
        now = time.perf_counter() - t_start
        if now >= next_sample:
            samples.append((now, rss_mb()))
            next_sample = now + SAMPLE_S
    elapsed = time.perf_counter() - t_start
    samples.append((elapsed, rss_mb()))
    last, histories = recorder.last, recorder.histories
    assert last is not None and recorder.setup is not None
    data = recorder.setup.data
    results = {r.label: r for r in last.results}
    sgd, gd = results["SGD"], results["GD"]
    total = config.epochs * n
    # GD's recursion in float64: the MSE (no ½) gradient is 2·mean(r·x, r), r = w·x + b − y.
    x, y = data["x"], data["y"]
    theta = np.array(config.start, dtype=np.float64)
    for _ in range(config.epochs):
        r = theta[0] * x + theta[1] - y
        theta = theta - config.lr * 2 * np.array([np.mean(r * x), np.mean(r)])
    sgd_rows = histories["SGD"].rows()
    exact = {
        "sgd_iterations": sgd.iterations == total and sgd.samples_seen == total,
        "sgd_last_row": int(sgd_rows.iteration[-1]) == total,
        "gd_iterations": gd.iterations == config.epochs,
        "gd_matches_float64": bool(np.allclose(gd.final_params, theta, rtol=1e-5, atol=1e-5)),
        "no_divergence": not sgd.diverged and not gd.diverged,
    }
    return {
        "mode": "headless",
        "steps": total + config.epochs,
        "run_s": round(elapsed, 1),
        "steps_per_s": round((total + config.epochs) / elapsed),
        "rows_kept": {k: len(h) for k, h in histories.items()},
        "gd_final": gd.final_params,
        "gd_float64": theta.tolist(),
        "exact": exact,
        **memory_figures(samples),
        "rss_samples": [(round(t), round(m, 1)) for t, m in samples],
    }


def gui(minutes: float) -> Report:
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb" if os.environ.get("DISPLAY") else "offscreen")
    import dataclasses
    import threading

    import pyqtgraph as pg
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from engine import load_preset
    from gui.session.background import unfinished_jobs
    from gui.window.main_window import MainWindow

    pg.setConfigOptions(antialias=True, imageAxisOrder="row-major")
    app = QApplication([sys.argv[0]])
    window = MainWindow()
    window.resize(1920, 1080)
    window.show()
    config = dataclasses.replace(load_preset("gd-sgd-minibatch").config, epochs=100_000)
    gaps: list[float] = []
    worst: list[tuple[float, float]] = []  # (seconds into the run, gap) of gaps over 100 ms
    samples: list[tuple[float, float]] = []
    state = {"last": 0.0, "t0": 0.0, "next": 0.0}
    out: Report = {}

    def probe() -> None:
        now = time.perf_counter()
        if state["last"]:
            gaps.append(now - state["last"])
            if gaps[-1] > 0.1:
                worst.append((round(now - state["t0"], 1), round(gaps[-1], 3)))
        state["last"] = now
        if now - state["t0"] >= state["next"]:
            samples.append((now - state["t0"], rss_mb()))
            state["next"] += SAMPLE_S
        if now - state["t0"] >= minutes * 60:
            timer.stop()
            finish()

    timer = QTimer(interval=10)
    timer.timeout.connect(probe)

    def start() -> None:
        window.set_config(config)
        window.speed.setCurrentIndex(0)  # full speed
        window.session.toggle_run()
        state["t0"] = state["last"] = time.perf_counter()
        timer.start()

    def finish() -> None:
        progress = window.session.last_progress
        steps = sum(r.iteration for r in progress.runs) if progress else 0
        ordered = sorted(gaps)
        out.update(
            {
                "mode": "gui",
                "platform": app.platformName(),
                "minutes": minutes,
                "steps_trained": steps,
                "longest_stall_s": round(max(gaps), 3),
                "stall_p99_s": round(ordered[int(0.99 * (len(ordered) - 1))], 4),
                "stalls_over_100ms": len(worst),
                "stalls_over_100ms_at": worst[:20],
                "probes": len(gaps),
                "rows_kept": {k: len(h) for k, h in window.session.histories.items()},
                **memory_figures(samples),
                "rss_samples": [(round(t), round(m, 1)) for t, m in samples],
            }
        )
        t_close = time.perf_counter()
        window.close()

        def ended() -> None:
            if unfinished_jobs() == 0:
                out["close_s"] = round(time.perf_counter() - t_close, 3)
                out["python_threads_left"] = [t.name for t in threading.enumerate()][1:]
                app.quit()
            else:
                QTimer.singleShot(20, ended)

        ended()

    ready = QTimer(interval=50)

    def start_when_ready() -> None:
        if window.session.last_progress is not None:  # the first lesson's start-up (torch) is over
            ready.stop()
            start()

    ready.timeout.connect(start_when_ready)
    ready.start()
    app.exec()
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="mode", required=True)
    sub.add_parser("headless").add_argument("--steps", type=int, default=10_000_000)
    sub.add_parser("gui").add_argument("--minutes", type=float, default=10.0)
    args = parser.parse_args()
    result = headless(args.steps) if args.mode == "headless" else gui(args.minutes)
    print(json.dumps(result), flush=True)
    summary = {k: v for k, v in result.items() if k != "rss_samples"}
    print(json.dumps(summary, indent=1), file=sys.stderr)
    exact = all(result.get("exact", {}).values())
    ok = exact if args.mode == "headless" else not result["python_threads_left"]
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
