"""The replay's arithmetic, without Qt: the rows and the runs as they were at a playhead.

The playhead is measured in ticks of the session's clock (iterations of the run with the most
iterations per epoch); the recorded histories are cut at the matching epoch of the shared clock.
"""

from __future__ import annotations

import dataclasses

import numpy as np

from engine import HistoryRows, RunProgress, epoch_position


def rows_until(rows: HistoryRows, epoch: float) -> HistoryRows:
    """The rows recorded at or before `epoch` of the shared clock (at least the start)."""
    cut = max(int(np.searchsorted(rows.epoch, epoch + 1e-12, side="right")), min(len(rows), 1))
    if cut == len(rows):
        return rows
    return HistoryRows(*(getattr(rows, f.name)[:cut] for f in dataclasses.fields(HistoryRows)))


def progress_at(run: RunProgress, rows: HistoryRows) -> RunProgress:
    """Where `run` stood at the last of `rows` (its recorded rows up to the playhead)."""
    if not len(rows) or rows.iteration[-1] == run.iteration:
        return run
    iteration = int(rows.iteration[-1])
    epoch, within = epoch_position(iteration, run.iterations_per_epoch)
    return dataclasses.replace(
        run,
        iteration=iteration,
        epoch=epoch,
        iteration_in_epoch=within,
        samples_seen=int(rows.samples_seen[-1]),
        loss=float(rows.loss[-1]),
        done=False,
        diverged=False,
    )


def head_tick(clock_epochs: float, ticks_per_epoch: int) -> int:
    """The computed head in ticks: where the session's clock stands."""
    return round(clock_epochs * ticks_per_epoch)


def advanced(tick: float | None, head: int, pace: float, elapsed_s: float) -> float:
    """The playhead after `elapsed_s` of playback at `pace` ticks per second (0: at once to
    the head), never past the head."""
    moved = float(head) if pace <= 0 or tick is None else tick + pace * elapsed_s
    return min(moved, float(head))


def at_playhead(
    rows: dict[str, HistoryRows], runs: tuple[RunProgress, ...], tick: float, ticks_per_epoch: int
) -> tuple[dict[str, HistoryRows], tuple[RunProgress, ...]]:
    """Every run's rows and progress as they were at `tick`."""
    epoch = tick / max(ticks_per_epoch, 1)
    cut = {label: rows_until(r, epoch) for label, r in rows.items()}
    return cut, tuple(progress_at(rp, cut[rp.label]) if rp.label in cut else rp for rp in runs)
