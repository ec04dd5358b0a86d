"""`BatchSizeLab --self-test`: a short headless run of every problem, each checked against an
answer found without the engine (a float64 recursion, a closed form) or recorded from a known-good
build (`KNOWN`), plus the files a bundle must carry. Frozen or not; a few seconds on a laptop.

Each check returns None when it passes, or one sentence saying what it found instead.
"""

from __future__ import annotations

import dataclasses
import math
import threading
from collections.abc import Callable

import numpy as np

from engine.config import ExperimentConfig, RunSpec
from engine.experiment import run_session
from engine.presets import LESSON_ORDER, load_preset, preset_ids
from engine.resources import RESOURCES
from engine.training.progress import Progress

# What the runs below end at with torch 2.13.0 on x86_64 Linux: final full-data losses, Hinton's
# example's one weight (its full-data loss is 0 everywhere: the nine +0.1 and one −0.9 gradients
# cancel), and the network's validation accuracy. Float32 paths on other CPUs and libraries round
# differently: compared to 1e-3 relative (the network to 2e-2, its accuracy to 0.03), far
# tighter than a wrong optimizer, data set or batch order would pass.
KNOWN: dict[str, float] = {
    "logistic": 0.2027259,
    "two_lines": 0.8556784,
    "hinton SGD": 0.0,
    "hinton Rprop": -5.4743457,
    "hinton RMSprop": -0.13104054,
    "hinton Adam": -0.027505986,
    "network_loss": 1.5668466,
    "network_val_accuracy": 0.6435,
}


def _finish(config: ExperimentConfig) -> Progress:
    last = None
    for progress in run_session(config):
        last = progress
    assert last is not None and last.finished
    return last


def _close(got: float | None, want: float, rel: float = 1e-3, atol: float = 1e-6) -> bool:
    return got is not None and math.isfinite(got) and abs(got - want) <= rel * abs(want) + atol


def check_files() -> str | None:
    missing = [
        str(p.relative_to(RESOURCES))
        for p in (
            RESOURCES / "translations" / "batchsizelab_zh_CN.qm",
            RESOURCES / "data" / "digits.csv.gz",
            RESOURCES / "fonts" / "wqy-microhei.ttc",
            RESOURCES / "icons" / "batch-size-lab.png",
        )
        if not p.is_file() or p.stat().st_size == 0
    ]
    if missing:
        return f"missing from {RESOURCES}: {', '.join(missing)}"
    ids = preset_ids()
    absent = [i for i in LESSON_ORDER if i not in ids]
    if absent:
        return f"lessons missing: {', '.join(absent)}"
    for ident in ids:
        preset = load_preset(ident)
        if not preset.title.get("zh") or not preset.explanation.get("en"):
            return f"lesson {ident} lacks its English or Chinese text"
    return None


def check_linear_gd() -> str | None:
    """Full-batch GD on the linear problem against the same recursion in float64 numpy."""
    config = ExperimentConfig(n_samples=200, epochs=10, lr=0.1, device="cpu", runs=(RunSpec("GD", "full"),))
    progress = None
    for progress in run_session(config):
        if progress.setup is not None:
            x, y = progress.setup.data["x"], progress.setup.data["y"]
            start = np.asarray(progress.setup.start, dtype=np.float64)
    assert progress is not None and progress.results
    w, b = start
    for _ in range(config.epochs):
        r = w * x + b - y
        w, b = w - config.lr * 2 * np.mean(r * x), b - config.lr * 2 * np.mean(r)
    got = progress.results[0].final_params
    if not (abs(got[0] - w) < 1e-4 and abs(got[1] - b) < 1e-4):
        return f"GD ended at (w, b) = ({got[0]:.6f}, {got[1]:.6f}), float64 says ({w:.6f}, {b:.6f})"
    return None


def check_seeded() -> str | None:
    """The same config gives the same numbers (SGD's batch order comes from the seed)."""
    config = ExperimentConfig(n_samples=100, epochs=2, device="cpu", runs=(RunSpec("SGD", 1),))
    first, second = (_finish(config).results[0].final_params for _ in range(2))
    return None if first == second else f"two runs of one config ended apart: {first} and {second}"


def _known_loss(name: str, config: ExperimentConfig) -> str | None:
    got = _finish(config).results[0].final_loss
    return None if _close(got, KNOWN[name]) else f"final loss {got}, known answer {KNOWN[name]}"


def check_logistic() -> str | None:
    config = ExperimentConfig(
        problem="logistic", n_samples=200, epochs=200, lr=2.0, device="cpu", runs=(RunSpec("GD", "full"),)
    )
    return _known_loss("logistic", config)


def check_two_lines() -> str | None:
    config = ExperimentConfig(
        problem="two_lines", n_samples=200, epochs=3, lr=0.05, device="cpu", runs=(RunSpec("B8", 8),)
    )
    return _known_loss("two_lines", config)


def check_hinton() -> str | None:
    """Hinton's lesson for 5 epochs: Rprop walks off with B = 1; SGD, RMSprop and Adam stay near 0."""
    config = dataclasses.replace(load_preset("hinton-rprop-example").config, epochs=5, device="cpu")
    for result in _finish(config).results:
        want = KNOWN[f"hinton {result.label}"]
        got = result.final_params[0] if result.final_params else None
        if not _close(got, want, atol=1e-5):
            return f"{result.label} ended at w = {got}, known answer {want}"
    return None


def check_network() -> str | None:
    """The seed's MLP on the bundled digits: its loss and validation accuracy after 2 epochs."""
    config = ExperimentConfig(
        problem="network",
        dataset="digits",
        n_samples=400,
        epochs=2,
        lr=0.05,
        device="cpu",
        runs=(RunSpec("B32", 32),),
    )
    result = _finish(config).results[0]
    accuracy = result.per_epoch[-1]["val_accuracy"] if result.per_epoch else None
    if not _close(result.final_loss, KNOWN["network_loss"], rel=2e-2):
        return f"network: final loss {result.final_loss}, known answer {KNOWN['network_loss']}"
    if accuracy is None or abs(accuracy - KNOWN["network_val_accuracy"]) > 0.03:
        return f"network: validation accuracy {accuracy}, known answer {KNOWN['network_val_accuracy']}"
    return None


def check_data_parallel() -> str | None:
    """K = 2 spawned workers with B = 8 each end where one process with B = 16 ends (a frozen
    bundle: its worker processes start, join their group and all-reduce)."""
    runs = (RunSpec("one", 16), RunSpec("two", 8, workers=2))
    config = ExperimentConfig(n_samples=100, epochs=2, device="cpu", same_batches=True, runs=runs)
    one, two = _finish(config).results
    if two.iterations != one.iterations or not np.allclose(two.final_params, one.final_params, rtol=1e-5):
        return f"2 workers ended at {two.final_params}, one process at {one.final_params}"
    return None


CHECKS: tuple[tuple[str, Callable[[], str | None]], ...] = (
    ("files and lessons", check_files),
    ("linear, full-batch GD = float64 recursion", check_linear_gd),
    ("same config, same numbers", check_seeded),
    ("logistic regression", check_logistic),
    ("two lines (two minima)", check_two_lines),
    ("Hinton's one-weight example", check_hinton),
    ("MLP on the bundled digits", check_network),
    ("2 data-parallel workers = one process at 2·B", check_data_parallel),
)


def run_self_test(say: Callable[[str], None] = print, stop: threading.Event | None = None) -> int:
    """Run every check, saying one line each; 0 when all pass, else 1. A set `stop` ends it
    before the next check (each takes a second or two); the caller says why."""
    failed = 0
    for name, check in CHECKS:
        if stop is not None and stop.is_set():
            return 1
        try:
            problem = check()
        except Exception as error:  # a self-test reports, it does not crash
            problem = f"{type(error).__name__}: {error}"
        failed += problem is not None
        say(f"ok    {name}" if problem is None else f"FAIL  {name}: {problem}")
    say("self-test passed" if not failed else f"self-test FAILED ({failed} of {len(CHECKS)} checks)")
    return 0 if not failed else 1
