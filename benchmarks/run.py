"""Batch Size Lab benchmarks: every figure a ratio measured in this run against plain PyTorch.

    python benchmarks/run.py [--quick] [--json FILE]

Not pass/fail tests (the machines are shared and noisy): the table says whether each figure
met its target this time. `--quick` keeps every figure but measures shorter runs; where that
changes what a figure covers, the table says so.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import multiprocessing
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import numpy as np  # noqa: E402
import plain_loops  # noqa: E402
import torch  # noqa: E402

from engine import ExperimentConfig, Progress, Recorder, RunSpec, load_preset, run_session  # noqa: E402
from engine.training.device import settle_threads  # noqa: E402

DEFAULT_THREADS = torch.get_num_threads()  # what a plain loop gets; the engine settles its own

# What one figure function returns: each figure (a ratio, seconds, MB, a count), or a few
# figures by case (batch size, task) under one name, which the table shows as "name.case".
Figures = dict[str, float | dict[str, float]]

# The user actions benchmarks/action_stalls.py times (its order).
ACTIONS = (
    "first_step language language_back present leave_present larger_text text_back next_lesson export".split()
)
TARGETS = {
    "default_lesson": (">=", 2.0),
    "many_runs": (">=", 25.0),
    "engine_overhead": (">=", 0.8),
    "mlp_throughput.32": (">=", 1.3),
    "mlp_throughput.256": (">=", 1.5),
    "mlp_throughput.1024": (">=", 1.8),
    "engine_overhead_mlp_b256": (">=", 0.95),
    "engine_overhead_lenet_b256": (">=", 0.95),
    "lenet_throughput.32": (">=", 1.3),
    "lenet_throughput.256": (">=", 1.5),
    "startup_s": ("<", 1.0),
    "close_s": ("<", 0.5),
    "gui_stall_s": ("<", 0.1),
    **{f"action_stall.{action}": ("<", 0.1) for action in ACTIONS},  # each answers within 100 ms
    "history_memory_mb": ("<", 100.0),
    "stop_latency.noise_s": ("<", 0.1),
    "stop_latency.data_s": ("<", 0.1),
    "stop_latency.basins_s": ("<", 0.1),
}


def engine_seconds(config: ExperimentConfig, from_setup: bool = False) -> tuple[float, Progress]:
    """Wall time of a whole session, consumed as the CLI does (histories kept), and its last
    snapshot (the one with the results)."""
    engine_threads()
    t0 = time.perf_counter()
    recorder = Recorder()
    for progress in run_session(config):
        recorder.add(progress)
        if progress.setup is not None and from_setup:
            t0 = time.perf_counter()
    seconds = time.perf_counter() - t0
    # Nothing stops these sessions, so each ends with a finished snapshot and its results.
    assert recorder.last is not None and recorder.last.finished
    return seconds, recorder.last


def engine_threads() -> None:
    """The engine's thread count, settled by its first session once per process (from the
    other processes' load then: engine/training/device.py), back in this thread, where the
    plain loops set their own."""
    torch.set_num_threads(settle_threads())


def lesson_data(config: ExperimentConfig) -> tuple[np.ndarray, np.ndarray]:
    engine_threads()
    session = run_session(config)
    first = next(session)
    session.close()
    assert first.setup is not None
    return first.setup.data["x"], first.setup.data["y"]


def plain_threads() -> None:
    torch.set_num_threads(DEFAULT_THREADS)


def best(repeats: int, measure: Callable[[], float]) -> float:
    return min(measure() for _ in range(repeats))


def best_pair(repeats: int, first: Callable[[], float], second: Callable[[], float]) -> tuple[float, float]:
    """The best of each, measured in turns: a slow spell of this shared machine then hits
    both sides alike instead of one side's every repeat."""
    a, b = [], []
    for _ in range(repeats):
        a.append(first())
        b.append(second())
    return min(a), min(b)


# ----- the figures -----


def default_lesson(quick: bool) -> Figures:
    config = dataclasses.replace(load_preset("gd-sgd-minibatch").config, device="cpu")
    x, y = lesson_data(config)
    start = config.start  # a local, so that the closure below keeps the narrowing
    assert start is not None
    engine_seconds(dataclasses.replace(config, epochs=1))  # warm-up: first optimizer imports

    def plain() -> float:
        plain_threads()
        total = 0.0
        for run in config.runs:
            seconds, _ = plain_loops.dataloader_linear(
                x, y, start, config.lr, config.batch_size_of(run), config.epochs
            )
            total += seconds
        return total

    repeats = 3 if quick else 5
    engine, loop = best_pair(repeats, lambda: engine_seconds(config)[0], plain)
    return {
        "default_lesson": loop / engine,
        "default_lesson_engine_s": engine,
        "default_lesson_plain_s": loop,
    }


def many_runs(quick: bool) -> Figures:
    epochs = 30 if quick else 100
    seeds = 64
    base = dataclasses.replace(load_preset("gd-sgd-minibatch").config, device="cpu", epochs=epochs)
    config = dataclasses.replace(base, runs=tuple(RunSpec(f"seed{i}", 32) for i in range(seeds)))
    x, y = lesson_data(config)
    start = config.start  # a local, so that the lambda below keeps the narrowing
    assert start is not None
    steps_per_run = config.iterations_per_epoch(config.runs[0]) * epochs
    engine_s = best(2, lambda: engine_seconds(config)[0])
    plain_threads()
    one_seed = best(2, lambda: plain_loops.dataloader_linear(x, y, start, config.lr, 32, epochs)[0])
    engine_rate = seeds * steps_per_run / engine_s
    plain_rate = steps_per_run / one_seed
    return {
        "many_runs": engine_rate / plain_rate,
        "many_runs_engine_run_steps_per_s": engine_rate,
        "many_runs_plain_steps_per_s": plain_rate,
    }


def engine_overhead(quick: bool) -> Figures:
    epochs = 5 if quick else 20
    config = ExperimentConfig(
        n_samples=1000,
        noise=0.3,
        start=(-1.0, 2.5),
        lr=0.01,
        epochs=epochs,
        device="cpu",
        runs=(RunSpec("SGD", 1),),
    )
    x, y = lesson_data(config)
    steps = 1000 * epochs
    engine_s = best(3, lambda: engine_seconds(config, from_setup=True)[0])
    torch.set_num_threads(1)  # a 2-parameter step has nothing to split over threads
    bare_s = best(3, lambda: plain_loops.bare_linear(x, y, config.lr, 1, steps))
    # The network (autograd path): engine vs the bare module loop, at B = 256.
    mlp_steps = 40 if quick else 200
    mlp = ExperimentConfig(
        problem="network",
        dataset="synthetic",
        n_samples=256 * mlp_steps,
        epochs=1,
        lr=0.01,
        device="cpu",
        runs=(RunSpec("A", 256),),
    )
    # Best of three stepping times (a single short run is mostly warm-up and noise).
    engine_mlp_s = min(engine_seconds(mlp)[1].results[0].wall_time_s for _ in range(3))
    plain_threads()
    xs = torch.randn(256 * mlp_steps, 784)
    ys = torch.randint(0, 10, (256 * mlp_steps,))
    bare_mlp_s = best(2, lambda: plain_loops.bare_mlp(xs, ys, 256, mlp_steps))
    return {
        "engine_overhead": bare_s / engine_s,
        "engine_overhead_engine_steps_per_s": steps / engine_s,
        "engine_overhead_bare_steps_per_s": steps / bare_s,
        "engine_overhead_mlp_b256": bare_mlp_s / engine_mlp_s,
    }


def mlp_throughput(quick: bool) -> Figures:
    n = 60_000
    ratios: dict[str, float] = {}
    raw: Figures = {}
    g = torch.Generator().manual_seed(0)
    x = torch.randn(n, 784, generator=g)
    y = torch.randint(0, 10, (n,), generator=g)
    for batch in (32, 256, 1024):
        steps = {32: 600, 256: 120, 1024: 40}[batch] * (1 if quick else 4)
        config = ExperimentConfig(
            problem="network",
            dataset="synthetic",
            n_samples=n if not quick else min(n, steps * batch),
            epochs=1 if quick else max(1, steps * batch // n),
            lr=0.01,
            device="cpu",
            runs=(RunSpec("A", batch),),
        )

        def engine_s(config: ExperimentConfig = config, steps: int = steps, batch: int = batch) -> float:
            _, last = engine_seconds(config)  # on the engine's own thread count
            result = last.results[0]
            return float(result.wall_time_s * steps * batch / result.samples_seen)

        def plain_s(b: int = batch, s: int = steps) -> float:
            plain_threads()
            return plain_loops.dataloader_mlp(x, y, b, s)

        engine_best, plain_best = best_pair(3, engine_s, plain_s)
        engine_rate = steps * batch / engine_best
        plain_rate = steps * batch / plain_best
        ratios[str(batch)] = engine_rate / plain_rate
        raw[f"mlp_engine_samples_per_s_{batch}"] = engine_rate
        raw[f"mlp_plain_samples_per_s_{batch}"] = plain_rate
    return {"mlp_throughput": ratios, **raw}


def lenet(quick: bool) -> Figures:
    """LeNet-5 on 28×28 inputs: the engine against a bare eager loop (overhead, B = 256) and
    against the seed's DataLoader loop (samples/s, B = 32 and 256). The engine's time is its
    stepping time (`wall_time_s`); its per-epoch evaluation is not part of a training step."""
    n = 60_000
    g = torch.Generator().manual_seed(0)
    x = torch.randn(n, 1, 28, 28, generator=g)
    y = torch.randint(0, 10, (n,), generator=g)
    throughput: dict[str, float] = {}
    out: Figures = {"lenet_throughput": throughput}
    for batch in (32, 256):
        steps = {32: 150, 256: 30}[batch] * (1 if quick else 4)
        config = ExperimentConfig(
            problem="network",
            dataset="synthetic",
            model="lenet",
            n_samples=steps * batch,
            epochs=1,
            lr=0.01,
            device="cpu",
            runs=(RunSpec("A", batch),),
        )

        def engine_s(config: ExperimentConfig = config) -> float:
            _, last = engine_seconds(config)
            return float(last.results[0].wall_time_s)

        def plain_s(b: int = batch, s: int = steps) -> float:
            plain_threads()
            return plain_loops.dataloader_mlp(x, y, b, s, module=plain_loops.lenet_module)

        engine_best, plain_best = best_pair(2 if quick else 3, engine_s, plain_s)
        throughput[str(batch)] = plain_best / engine_best
        out[f"lenet_engine_samples_per_s_{batch}"] = steps * batch / engine_best
        out[f"lenet_plain_samples_per_s_{batch}"] = steps * batch / plain_best
        if batch == 256:
            # Against a bare loop with the engine's channels-last convolution weights: the
            # overhead of recording, not the gain of the layout (that is in lenet_throughput).

            def bare_s(b: int = batch, s: int = steps) -> float:
                return plain_loops.bare_mlp(x, y, b, s, module=plain_loops.lenet_module, channels_last=True)

            bare = best(2, bare_s)
            out["engine_overhead_lenet_b256"] = bare / engine_best
    return out


def _probe_startup(argv: list[str]) -> float:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    t0 = time.perf_counter()
    child = subprocess.Popen(
        argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env, cwd=ROOT
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    seconds = time.perf_counter() - t0
    child.kill()  # it would wait for the worker's torch import before exiting
    child.wait()
    if "window shown" not in line:
        raise RuntimeError(f"the startup probe did not report a window (got {line!r})")
    return seconds


def _probe_close() -> float:
    """Seconds from the window's close (right after it is shown, while its first session is
    still inside the uninterruptible import of torch: the worst moment) to the process's end."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen(
        [sys.executable, "main.py", "--report-startup"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert child.stdout is not None
    line = child.stdout.readline()  # printed just before the window closes itself
    t0 = time.perf_counter()
    child.wait()
    if "window shown" not in line:
        raise RuntimeError(f"the close probe did not report a window (got {line!r})")
    return time.perf_counter() - t0


def startup(quick: bool) -> Figures:
    repeats = 2 if quick else 5
    app = [sys.executable, "main.py", "--report-startup"]
    torch_first = [
        sys.executable,
        "-c",
        "import sys, runpy, torch; sys.argv = ['main.py', '--report-startup']; "
        "runpy.run_path('main.py', run_name='__main__')",
    ]
    shown = best(repeats, lambda: _probe_startup(app))
    with_torch = best(repeats, lambda: _probe_startup(torch_first))
    closed = best(repeats, _probe_close)
    return {
        "startup_s": shown,
        "startup_torch_first_s": with_torch,
        "startup_ratio": with_torch / shown,
        "close_s": closed,
    }


def _json_child(argv: list[str]) -> dict[str, Any]:
    """The JSON object a benchmark script prints on its last line."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    out = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    got: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return got


def gui_stall(quick: bool) -> Figures:
    got = _json_child([sys.executable, "benchmarks/gui_stall.py", "--iterations", "100000"])
    return {
        "gui_stall_s": got["gui_stall_s"],
        "gui_stall_p99_s": got["gap_p99_s"],
        "gui_stall_run_s": got["run_s"],
        "gui_stall_path_points": sum(got["path_points"].values()),
        "gui_stall_points_drawn": sum(got["points_drawn"].values()),
    }


def action_stalls(quick: bool) -> Figures:
    """The longest GUI stall after each user action at 1920 x 1080 (benchmarks/action_stalls.py)."""
    got = _json_child([sys.executable, "benchmarks/action_stalls.py", "--size", "1920x1080"])
    return {"action_stall": got["action_stall_s"]}


def history_memory(quick: bool) -> Figures:
    steps = 200_000 if quick else 10_000_000
    run = _json_child([sys.executable, "benchmarks/history_memory.py", "--steps", str(steps)])
    store = _json_child([sys.executable, "benchmarks/history_memory.py", "--rows", "10000000"])
    return {
        "history_memory_mb": max(run["growth_mb"], store["growth_mb"]),
        "history_memory_run_steps": run["steps"],
        "history_memory_run_mb": run["growth_mb"],
        "history_memory_run_rows_kept": run["rows_kept"],
        "history_memory_store_10m_rows_mb": store["growth_mb"],
        "history_memory_store_rows_kept": store["rows_kept"],
    }


def _spin(stop: multiprocessing.synchronize.Event) -> None:
    while not stop.is_set():
        pass


def threads(quick: bool) -> Figures:
    """Steps/s with 2 intra-op threads relative to 1, while another process keeps a core busy."""
    stop = multiprocessing.Event()
    busy = multiprocessing.Process(target=_spin, args=(stop,), daemon=True)
    busy.start()
    try:
        xs = torch.randn(1024 * 8, 784)
        ys = torch.randint(0, 10, (1024 * 8,))
        lx, ly = xs[:1000, 0].numpy(), ys[:1000].float().numpy()
        cases: dict[str, Callable[[], float]] = {
            "linear_b1": lambda: plain_loops.bare_linear(lx, ly, 0.01, 1, 1000 if quick else 5000),
            "mlp_b32": lambda: plain_loops.bare_mlp(xs, ys, 32, 100 if quick else 400),
            "mlp_b1024": lambda: plain_loops.bare_mlp(xs, ys, 1024, 10 if quick else 40),
        }
        out: Figures = {}
        for name, case in cases.items():
            torch.set_num_threads(1)
            one = best(2, case)
            torch.set_num_threads(2)
            two = best(2, case)
            out[f"threads_2_vs_1_{name}"] = one / two  # > 1: two threads faster
        return out
    finally:
        stop.set()
        busy.join()
        plain_threads()


def _stop_after(config: ExperimentConfig, task: str, min_done: float) -> float:
    """Seconds from the stop event to the session's end, set once `task` reported `min_done`."""
    import threading

    from engine import SessionControl

    reached = threading.Event()

    def report(name: str, done: float) -> None:
        if name == task and done >= min_done:
            reached.set()

    control = SessionControl(report=report)
    thread = threading.Thread(target=lambda: list(run_session(config, control)))
    thread.start()
    if not reached.wait(300):
        raise RuntimeError(f"task {task} never reported")
    t0 = time.perf_counter()
    control.stop.set()
    thread.join()
    return time.perf_counter() - t0


def responsiveness(quick: bool) -> Figures:
    """How long long work takes, and how soon it ends after a stop (the window's R, Esc, close).

    Noise: the gradient-noise measurement of its lesson at N = 100 000 (the measurement alone,
    the session's setup subtracted). Stop latency: worst of a few stops in the middle of the
    noise measurement (N = 100 000), of building a two-minima data set (N = 1 000 000) and of
    the basin copies.
    """
    repeats = 2 if quick else 5
    noise = dataclasses.replace(load_preset("gradient-noise").config, n_samples=100_000, epochs=1)
    setup_only = dataclasses.replace(noise, measure=())
    with_noise = min(engine_seconds(noise, from_setup=False)[0] for _ in range(repeats))
    without = min(engine_seconds(setup_only, from_setup=False)[0] for _ in range(repeats))
    data = ExperimentConfig(problem="two_lines", n_samples=1_000_000, device="cpu", epochs=1)
    basins = dataclasses.replace(load_preset("sgd-escapes-local-minimum").config, epochs=3)
    return {
        "noise_measure_100k_s": with_noise - without,
        "stop_latency": {
            "noise_s": max(_stop_after(noise, "gradient_noise", 0.1) for _ in range(repeats)),
            "data_s": max(_stop_after(data, "data", 0.0) for _ in range(repeats)),
            "basins_s": max(_stop_after(basins, "basins", 0.1) for _ in range(repeats)),
        },
    }


FIGURES: list[Callable[[bool], Figures]] = [
    default_lesson,
    many_runs,
    engine_overhead,
    mlp_throughput,
    lenet,
    startup,
    gui_stall,
    action_stalls,
    history_memory,
    threads,
    responsiveness,
]


def flatten(results: Figures) -> dict[str, float]:
    flat: dict[str, float] = {}
    for key, value in results.items():
        if isinstance(value, dict):
            flat.update({f"{key}.{k}": v for k, v in value.items()})
        else:
            flat[key] = value
    return flat


def table(results: Figures, quick: bool) -> str:
    flat = flatten(results)
    lines = ["| figure | measured | target | met |", "|---|---|---|---|"]
    for key, (op, target) in TARGETS.items():
        value = flat[key]
        met = value >= target if op == ">=" else value < target
        unit = " s" if key.endswith("_s") else " MB" if key.endswith("_mb") else "×"
        lines.append(f"| {key} | {value:.3g}{unit} | {op} {target:g}{unit} | {'yes' if met else 'NO'} |")
    if quick:
        steps = results["history_memory_run_steps"]
        lines.append(
            f"\n--quick: history_memory is the larger of a {steps:,}-step engine run and the history "
            "store fed 10,000,000 rows; run without --quick for a 10,000,000-step engine run."
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="shorter runs (under a minute on two cores)")
    parser.add_argument("--json", metavar="FILE", help="write the figures and raw numbers here")
    args = parser.parse_args()
    t0 = time.perf_counter()
    figures: Figures = {}
    for figure in FIGURES:
        start = time.perf_counter()
        figures.update(figure(args.quick))
        print(f"  {figure.__name__}: {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    machine = f"{platform.node()}: {platform.processor() or platform.machine()}, {os.cpu_count()} CPUs"
    total_s = time.perf_counter() - t0
    print(table(figures, args.quick))
    print(f"\n{machine}; torch {torch.__version__}; {total_s:.0f} s in total")
    if args.json:
        results = {
            **figures,
            "machine": machine,
            "torch": torch.__version__,
            "plain_loop_threads": DEFAULT_THREADS,
            "quick": args.quick,
            "total_s": total_s,
        }
        tmp = Path(args.json).with_suffix(".tmp")
        tmp.write_text(json.dumps(results, indent=2) + "\n")
        os.replace(tmp, args.json)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
