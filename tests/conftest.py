"""Shared test helpers: tiny configs and a headless run that collects whole histories."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import settings

from engine import ExperimentConfig, Progress, Recorder, RunHistory, RunSpec, run_session


def small_config(**changes: object) -> ExperimentConfig:
    """A seconds-fast config: N = 64, two epochs, GD / SGD / mini-batch B = 8, on the CPU."""
    base = ExperimentConfig(
        n_samples=64,
        epochs=2,
        lr=0.05,
        start=(-1.0, 2.0),
        device="cpu",
        runs=(RunSpec("GD", "full"), RunSpec("SGD", 1), RunSpec("Mini-batch", 8)),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@dataclasses.dataclass
class Collected:
    setup: object
    last: Progress
    histories: dict[str, RunHistory]
    snapshots: int


def collect(config: ExperimentConfig, control: object = None) -> Collected:
    """Run a session to its end and gather every run's full history."""
    recorder = Recorder()
    for progress in run_session(config, control):  # type: ignore[arg-type]
        recorder.add(progress)
    last = recorder.last
    assert last is not None and last.finished
    return Collected(recorder.setup, last, recorder.histories, recorder.snapshots)


@pytest.fixture
def data_of():
    """(x, y) float64 data of a config, as the session generated it."""

    def _data(config: ExperimentConfig) -> tuple[np.ndarray, np.ndarray]:
        gen = run_session(config)
        first = next(gen)
        gen.close()
        assert first.setup is not None
        return first.setup.data["x"], first.setup.data["y"]

    return _data


# Property tests: 1 000 examples each by default (CI); `--hypothesis-profile=long` for 20 000.
# No deadline: these machines are shared, and a slow example is not a wrong one.
settings.register_profile("ci", max_examples=1000, deadline=None, print_blob=True)
settings.register_profile("long", max_examples=20000, deadline=None, print_blob=True)
settings.load_profile("ci")
