"""Sessions with every instrument plugged in: `run_session(config, control)`, the one the GUI,
the CLI, the self-test and the benchmarks call.

The training room runs instruments without importing them (it sits below them:
pyproject.toml's import-linter layers); this module, above both rooms, hands it the registry.
"""

from __future__ import annotations

from collections.abc import Generator

from engine.config import ExperimentConfig
from engine.control import SessionControl
from engine.instruments import INSTRUMENTS
from engine.training import session
from engine.training.progress import Progress


def run_session(
    config: ExperimentConfig, control: SessionControl | None = None
) -> Generator[Progress, None, None]:
    """Train every run of `config` side by side, with the measurements `config.measure` asks
    for (see engine.training.session.run_session for what it yields and raises). A generator:
    a caller that needs only the first snapshots closes it, which ends the session there."""
    return session.run_session(config, control, INSTRUMENTS)
