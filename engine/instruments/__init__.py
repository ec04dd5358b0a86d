"""Measurements beside training, plugged into a session by name (`config.measure`).

Each instrument says when it measures: "before" training (at the start every run shares) or
"after" it (from the finished runs; skipped when the session was stopped). The session runs
those the config asks for, in its order, each as a long task of its own name (see
`engine/control.py`): an instrument checks the stop event as it goes and reports progress.
What it returns lands in `Progress.measurements[name]`; an instrument that returns an iterator
(the sweep) hands over partial results, each on a snapshot of its own, the last one final.
"""

from __future__ import annotations

from collections.abc import Iterator

from engine.instruments.basins import BasinCount, count_basins
from engine.instruments.gradient_noise import GradientNoise, gradient_noise_at
from engine.instruments.landscape_result import Landscape
from engine.instruments.sweep_result import SweepResult, SweepRow
from engine.training.bench import Bench, Instrument

__all__ = [
    "INSTRUMENTS",
    "BasinCount",
    "Bench",
    "GradientNoise",
    "Instrument",
    "Landscape",
    "SweepResult",
    "SweepRow",
    "gradient_noise_at",
]


def _gradient_noise(bench: Bench) -> GradientNoise:
    if bench.setup.start is None:
        raise ValueError(f"the {bench.config.problem} problem has no start point to measure at")
    return gradient_noise_at(bench.config, bench.setup.start, bench.problem, bench.control)


def _basins(bench: Bench) -> dict[str, BasinCount]:
    return count_basins(bench.config, bench.problem, bench.train, bench.control)


def _sweep(bench: Bench) -> Iterator[SweepResult]:
    from engine.instruments.sweep import run_sweep  # torch, loaded when a sweep runs

    return run_sweep(bench)  # a generator: partial results as it goes


def _landscape(bench: Bench) -> Landscape:
    from engine.instruments.landscape import measure_landscape  # torch, loaded when it runs

    return measure_landscape(bench)


INSTRUMENTS: dict[str, Instrument] = {
    "gradient_noise": Instrument("before", _gradient_noise),
    "basins": Instrument("after", _basins),
    "sweep": Instrument("after", _sweep),
    "landscape": Instrument("after", _landscape),
}
