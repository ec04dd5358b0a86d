"""Recorded rows of a run: one per iteration, iteration 0 (the start) included.

The session yields only the rows that are new since the last snapshot (`HistoryRows`);
consumers that want the whole path (the GUI's views, the CLI's CSV) append them to a
`RunHistory`, whose columns grow by doubling so appends stay cheap.

A history is bounded: it holds every row exactly up to `limit` rows, then thins the older
stretches (keeping the first row, every epoch boundary, and the lowest and highest loss of
each run of four rows), so that a run of ten million steps fits in a few tens of megabytes.
The most recent quarter of the limit always stays exact, and so does the last row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

COLUMNS = ("iteration", "epoch", "samples_seen", "wall_time_s", "loss")
DEFAULT_LIMIT = 200_000  # rows kept per run: 200 000 × (40 + 8 · params) bytes ≈ 11 MB for 2-D


@dataclass(frozen=True)
class HistoryRows:
    """A block of consecutive rows for one run; every array has the same length."""

    iteration: np.ndarray  # int64, optimizer steps taken (0 = the start)
    epoch: np.ndarray  # float64, iteration / iterations per epoch
    samples_seen: np.ndarray  # int64, samples used for gradients so far
    wall_time_s: np.ndarray  # float64, compute time of this run's stack so far
    # float64, full-batch training loss at `params` (2-D problems), or the mini-batch loss of
    # that step, before its update (networks; row 0: the full-data loss at the start)
    loss: np.ndarray
    params: np.ndarray  # float64 (rows, n_params), the parameters after that iteration

    def __len__(self) -> int:
        return len(self.iteration)


class RunHistory:
    """Growable, bounded, column-wise store of `HistoryRows` (amortised O(1) append)."""

    def __init__(self, n_params: int, capacity: int = 1024, limit: int = DEFAULT_LIMIT) -> None:
        if limit < 64:
            raise ValueError(f"a history limit must be at least 64 rows (got {limit})")
        self.n_params = n_params
        self.limit = limit
        self.thinned = 0  # rows dropped so far by thinning
        self._boundary_stride = 1  # keep every epoch boundary whose epoch is a multiple of this
        self._n = 0
        capacity = min(capacity, limit)
        self._cols: dict[str, np.ndarray] = {c: np.empty(capacity, dtype=_dtype(c)) for c in COLUMNS}
        self._params = np.empty((capacity, n_params), dtype=np.float64)

    def __len__(self) -> int:
        return self._n

    def append(self, rows: HistoryRows) -> None:
        step = max(self.limit // 4, 1)
        for start in range(0, len(rows), step):
            self._append(rows, start, min(start + step, len(rows)))

    def _append(self, rows: HistoryRows, lo: int, hi: int) -> None:
        k = hi - lo
        while self._n + k > self.limit:  # each pass roughly halves the thinnable rows
            self._thin()
        need = self._n + k
        if need > len(self._params):
            cap = min(max(need, 2 * len(self._params)), self.limit)
            for c in COLUMNS:
                grown: np.ndarray = np.empty(cap, dtype=_dtype(c))
                grown[: self._n] = self._cols[c][: self._n]
                self._cols[c] = grown
            grown_p = np.empty((cap, self.n_params), dtype=np.float64)
            grown_p[: self._n] = self._params[: self._n]
            self._params = grown_p
        for c in COLUMNS:
            self._cols[c][self._n : need] = getattr(rows, c)[lo:hi]
        self._params[self._n : need] = rows.params[lo:hi]
        self._n = need

    def _thin(self) -> None:
        """Roughly halve the rows older than the exact tail (see the module docstring)."""
        n = self._n
        old = n - self.limit // 4
        epoch = self._cols["epoch"][:old]
        loss = self._cols["loss"][:old]
        whole = np.floor(epoch)
        boundary = epoch == whole
        while True:  # more boundaries than a quarter of the limit: keep every 2nd, 4th, …
            protected = boundary & (whole % self._boundary_stride == 0)
            protected[0] = True
            if protected.sum() <= self.limit // 4:
                break
            self._boundary_stride *= 2
        free = np.flatnonzero(~protected)
        m = len(free) // 4 * 4
        blocks = free[:m].reshape(-1, 4)
        rows = np.arange(len(blocks))
        keep = protected.copy()
        keep[blocks[rows, loss[blocks].argmin(axis=1)]] = True
        keep[blocks[rows, loss[blocks].argmax(axis=1)]] = True
        keep[free[m:]] = True
        index = np.concatenate([np.flatnonzero(keep), np.arange(old, n)])
        for c in COLUMNS:
            self._cols[c][: len(index)] = self._cols[c][index]
        self._params[: len(index)] = self._params[index]
        self.thinned += n - len(index)
        self._n = len(index)

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
