"""Fixtures for every test, and the Hypothesis profiles; shared helpers live in tests/helpers.py."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest
from hypothesis import settings

from engine import ExperimentConfig, run_session


@pytest.fixture(scope="session", autouse=True)
def own_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The user's cache (decoded and prepared images, kept passes: engine/data/store.py) is a
    folder of this test run's own, removed at its end: no test writes into the real one (a test
    that needs an empty cache points XDG_CACHE_HOME at its own). Subprocesses inherit it."""
    folder = tmp_path_factory.mktemp("cache")
    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder)
    yield folder
    if before is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = before
    shutil.rmtree(folder, ignore_errors=True)


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
