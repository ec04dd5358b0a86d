"""Folding a session's snapshots into one history per run: what the CLI, the window, the
benchmarks and the tests each keep of a session, written once."""

from __future__ import annotations

from engine.training.history import DEFAULT_LIMIT, RunHistory
from engine.training.progress import Progress, SessionSetup


class Recorder:
    """Keeps every run's rows as `Progress` snapshots arrive (`add` each one, in order).

    The snapshot with the setup starts a fresh `RunHistory` per run; the others append their new
    rows. A snapshot of a run this recorder has no history for (none before the setup) is skipped.
    """

    def __init__(self, limit: int = DEFAULT_LIMIT) -> None:
        self.limit = limit  # rows kept per run before the oldest are thinned (RunHistory)
        self.histories: dict[str, RunHistory] = {}
        self.setup: SessionSetup | None = None
        self.last: Progress | None = None  # the latest snapshot added
        self.snapshots = 0

    def add(self, progress: Progress) -> Progress:
        """Fold `progress` in; returns it (so a loop can record and use it in one line)."""
        if progress.setup is not None:
            self.setup = progress.setup
            n = len(progress.setup.param_names)
            self.histories = {r.label: RunHistory(n, limit=self.limit) for r in progress.setup.runs}
        for rp in progress.runs:
            history = self.histories.get(rp.label)
            if history is not None:
                history.append(rp.new_rows)
        self.last = progress
        self.snapshots += 1
        return progress
