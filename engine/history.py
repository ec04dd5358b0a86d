"""Recorded rows of a run: one per iteration, iteration 0 (the start) included.

The session yields only the rows that are new since the last snapshot (`HistoryRows`);
consumers that want the whole path (the GUI's views, the CLI's CSV) append them to a
`RunHistory`, whose columns grow by doubling so appends stay cheap.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

COLUMNS = ("iteration", "epoch", "samples_seen", "wall_time_s", "loss")


@dataclass(frozen=True)
class HistoryRows:
    """A block of consecutive rows for one run; every array has the same length."""

    iteration: np.ndarray  # int64, optimizer steps taken (0 = the start)
    epoch: np.ndarray  # float64, iteration / iterations per epoch
    samples_seen: np.ndarray  # int64, samples used for gradients so far
    wall_time_s: np.ndarray  # float64, compute time this run has spent so far
    loss: np.ndarray  # float64, full-batch training loss at `params`
    params: np.ndarray  # float64 (rows, n_params), the parameters after that iteration

    def __len__(self) -> int:
        return len(self.iteration)


class RunHistory:
    """Growable, column-wise store of `HistoryRows` (amortised O(1) append)."""

    def __init__(self, n_params: int, capacity: int = 1024) -> None:
        self.n_params = n_params
        self._n = 0
        self._cols: dict[str, np.ndarray] = {c: np.empty(capacity, dtype=_dtype(c)) for c in COLUMNS}
        self._params = np.empty((capacity, n_params), dtype=np.float64)

    def __len__(self) -> int:
        return self._n

    def append(self, rows: HistoryRows) -> None:
        k = len(rows)
        if k == 0:
            return
        need = self._n + k
        if need > len(self._params):
            cap = max(need, 2 * len(self._params))
            for c in COLUMNS:
                grown: np.ndarray = np.empty(cap, dtype=_dtype(c))
                grown[: self._n] = self._cols[c][: self._n]
                self._cols[c] = grown
            grown_p = np.empty((cap, self.n_params), dtype=np.float64)
            grown_p[: self._n] = self._params[: self._n]
            self._params = grown_p
        for c in COLUMNS:
            self._cols[c][self._n : need] = getattr(rows, c)
        self._params[self._n : need] = rows.params
        self._n = need

    def rows(self) -> HistoryRows:
        """Read-only views of everything recorded so far (no copy)."""
        n = self._n
        views = {c: self._cols[c][:n] for c in COLUMNS}
        params = self._params[:n]
        for v in (*views.values(), params):
            v.flags.writeable = False
        return HistoryRows(params=params, **views)


def _dtype(column: str) -> type:
    return np.int64 if column in ("iteration", "samples_seen") else np.float64
