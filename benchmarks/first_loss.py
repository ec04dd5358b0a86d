"""Seconds from starting a network lesson to its first loss point, and where they go.

    python benchmarks/first_loss.py [--preset lenet-fashion] [--repeats 3] [--json FILE]

A figure, not a test (the machines are shared and noisy). The open window has imported torch
and torch._dynamo (its first session does, at start), so the clock of a lesson starts in a warm
process: each start below runs in this process after those imports, having forgotten what
earlier starts read or computed (as a window opened anew would know nothing of them):

  cold cache   an empty user cache: nothing decoded, prepared or kept (a computer's first time)
  warm cache   the cache the cold start left (every later time), `--repeats` times

and, with the warm cache, a cold process: `python -c` from its launch, torch's import included.
Each start reports the seconds to its first snapshot (iteration 0: every run's first loss, the
point the loss view draws first), to the first snapshot after a training step, and the steps
of its preparation: startup (torch, once per process), images (decode, standardise: load or
read back), first loss (the stacks: a pass over all N), epoch-0 measures (the validation and
training-sample passes). The user's own cache is never touched (XDG_CACHE_HOME points at a
temporary folder).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402
import torch._dynamo  # noqa: E402  # what the window's first session imports

from engine import ExperimentConfig, SessionControl, load_preset, run_session  # noqa: E402
from engine import data as data_module  # noqa: E402
from engine.problems import network  # noqa: E402
from engine.training import session as session_module  # noqa: E402
from engine.training.stack import RunStack  # noqa: E402

# a step of the preparation -> its figure's name
STEPS = {"images": "images_s", "first loss": "first_loss_pass_s", "epoch-0 measures": "epoch0_measures_s"}

CHILD = """
import sys, time
sys.path.insert(0, {root!r})
from engine import load_preset, run_session
for progress in run_session(load_preset({preset!r}).config):
    print("first", flush=True)
    break
"""


@contextmanager
def timed(owner: Any, name: str, step: str, spent: dict[str, float]) -> Iterator[None]:
    """Add the seconds spent in `owner.name` (a function or method) to spent[step]."""
    original = getattr(owner, name)

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        t0 = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[step] = spent.get(step, 0.0) + time.perf_counter() - t0

    setattr(owner, name, wrapper)
    try:
        yield
    finally:
        setattr(owner, name, original)


def forget() -> None:
    """What this process remembers of data sets and passes: a new window knows none of it."""
    data_module._idx_memo.clear()
    getattr(data_module, "_digest_memo", {}).clear()
    network._remembered.clear()


def one_start(config: ExperimentConfig) -> dict[str, float]:
    """Seconds from run_session to the first snapshot and to the first trained one, and each
    step of the preparation."""
    forget()
    spent: dict[str, float] = {}
    patches: list[tuple[Any, str, str]] = [
        (network, "load_images", "images"),
        (session_module, "make_stacks", "first loss"),
        (RunStack, "record_start", "epoch-0 measures"),
    ]
    startup: list[float] = []

    def report(task: str, done: float) -> None:
        if task == "startup":
            startup.append(time.perf_counter())

    figures: dict[str, float] = {}
    with timed(*patches[0], spent), timed(*patches[1], spent), timed(*patches[2], spent):
        t0 = time.perf_counter()
        session = run_session(config, SessionControl(report=report))
        for progress in session:
            now = time.perf_counter() - t0
            if progress.setup is not None:
                figures["to_first_loss_s"] = now
            elif any(r.iteration > 0 for r in progress.runs):
                figures["to_first_step_s"] = now
                break
        session.close()
    figures["startup_s"] = startup[-1] - startup[0] if len(startup) >= 2 else 0.0
    for step, name in STEPS.items():
        figures[name] = spent.get(step, 0.0)
    return figures


def cold_process(preset: str) -> float:
    """Seconds from launching a Python process to its first snapshot of `preset`."""
    t0 = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD.format(root=str(ROOT), preset=preset)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    seconds = time.perf_counter() - t0
    child.wait()
    if line.strip() != "first":
        raise RuntimeError(f"the child process ended without a first snapshot (exit {child.returncode})")
    return seconds


def show(name: str, figures: dict[str, float]) -> None:
    steps = ", ".join(f"{step} {figures[key]:.2f}" for step, key in STEPS.items())
    first_step = figures.get("to_first_step_s", float("nan"))
    print(
        f"{name:<14} first loss {figures['to_first_loss_s']:6.2f} s   first step {first_step:6.2f} s"
        f"   ({steps}; startup {figures['startup_s']:.2f})",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--preset", default="lenet-fashion")
    parser.add_argument("--repeats", type=int, default=3, help="warm-cache starts")
    parser.add_argument("--json", type=Path, help="write the figures here")
    args = parser.parse_args()
    config = load_preset(args.preset).config
    cache = Path(tempfile.mkdtemp(prefix="bsl-first-loss-"))
    os.environ["XDG_CACHE_HOME"] = str(cache)
    torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=0.1)  # as the window's first session
    print(f"{args.preset}, torch {torch.__version__}, {os.cpu_count()} CPUs, warm process", flush=True)
    results: dict[str, Any] = {"preset": args.preset}
    try:
        results["cold_cache"] = one_start(config)
        show("cold cache", results["cold_cache"])
        warm = []
        for i in range(args.repeats):
            warm.append(one_start(config))
            show(f"warm cache {i + 1}", warm[-1])
        results["warm_cache"] = warm
        results["warm_cache_median_first_loss_s"] = statistics.median(w["to_first_loss_s"] for w in warm)
        results["cold_process_warm_cache_s"] = cold_process(args.preset)
        print(
            f"cold process, warm cache: first loss {results['cold_process_warm_cache_s']:.2f} s", flush=True
        )
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    print(f"warm process, warm cache: median first loss {results['warm_cache_median_first_loss_s']:.2f} s")
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
