"""Fixtures for every test, and the Hypothesis profiles; shared helpers live in tests/helpers.py."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import settings

from engine import ExperimentConfig, run_session


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
