"""A run's history is exact up to its limit, then thins old stretches but keeps what matters."""

from __future__ import annotations

import numpy as np
import pytest

from engine import HistoryRows, RunHistory


def rows(start: int, count: int, ipe: int, rng: np.random.Generator) -> HistoryRows:
    it = np.arange(start, start + count)
    loss = 1.0 / (1.0 + it / 500) + 0.05 * rng.random(count)
    params = np.column_stack([it * 0.5, -it * 1.0])
    return HistoryRows(it, it / ipe, it * 3, it * 1e-4, loss, params)


def fill(limit: int, total: int, ipe: int, chunk: int = 97) -> tuple[RunHistory, np.ndarray]:
    rng = np.random.default_rng(0)
    history = RunHistory(2, limit=limit)
    losses = []
    for start in range(0, total, chunk):
        block = rows(start, min(chunk, total - start), ipe, rng)
        losses.append(block.loss)
        history.append(block)
    return history, np.concatenate(losses)


def test_exact_until_the_limit() -> None:
    history, losses = fill(limit=1000, total=1000, ipe=10)
    h = history.rows()
    np.testing.assert_array_equal(h.iteration, np.arange(1000))
    np.testing.assert_array_equal(h.loss, losses)
    assert history.thinned == 0


@pytest.mark.parametrize("ipe", [1, 7, 100, 5000])
def test_thinning_keeps_first_last_minimum_and_epoch_boundaries(ipe: int) -> None:
    limit, total = 1000, 50_000
    history, losses = fill(limit=limit, total=total, ipe=ipe)
    h = history.rows()
    assert len(h) <= limit and history.thinned == total - len(h)
    assert np.all(np.diff(h.iteration) > 0)
    assert h.iteration[0] == 0 and h.iteration[-1] == total - 1
    assert h.loss.min() == losses.min()  # the lowest loss ever recorded is still there
    tail = limit // 4
    np.testing.assert_array_equal(h.iteration[-tail:], np.arange(total - tail, total))  # exact tail
    # Every kept row is an exact copy of the row recorded at that iteration.
    np.testing.assert_array_equal(h.loss, losses[h.iteration])
    np.testing.assert_array_equal(h.params[:, 0], h.iteration * 0.5)
    boundaries = np.arange(0, total, ipe)
    if len(boundaries) <= limit // 4:
        assert set(boundaries) <= set(h.iteration.tolist())
    else:  # too many to keep them all: every s-th epoch boundary, s a power of two
        kept = set(h.iteration.tolist())
        stride = next(s for s in 2 ** np.arange(20) if set(boundaries[:: int(s)]) <= kept)
        assert len(boundaries[::stride]) >= limit // 8


def test_a_ten_million_row_history_stays_small() -> None:
    history, _ = fill(limit=200_000, total=10_000_000, ipe=1000, chunk=8192)
    h = history.rows()
    assert len(h) <= 200_000 and h.iteration[-1] == 9_999_999
    nbytes = sum(a.nbytes for a in (h.iteration, h.epoch, h.samples_seen, h.wall_time_s, h.loss, h.params))
    assert nbytes < 20e6


def test_limit_must_be_sensible() -> None:
    with pytest.raises(ValueError, match="at least 64 rows"):
        RunHistory(2, limit=10)


def test_the_recorder_keeps_every_row_a_session_sent() -> None:
    from engine import ExperimentConfig, Recorder, RunSpec, run_session

    config = ExperimentConfig(
        n_samples=64, epochs=3, device="cpu", runs=(RunSpec("GD", "full"), RunSpec("SGD", 1))
    )
    recorder = Recorder()
    sent: dict[str, list[int]] = {}
    for progress in run_session(config):
        recorder.add(progress)
        for rp in progress.runs:
            sent.setdefault(rp.label, []).extend(int(i) for i in rp.new_rows.iteration)
    assert recorder.last is not None and recorder.last.finished and recorder.setup is not None
    for result in recorder.last.results:
        rows = recorder.histories[result.label].rows()
        # Every iteration once, in order, from the start to the run's last (GD 3, SGD 192).
        assert list(rows.iteration) == sent[result.label] == list(range(result.iterations + 1))
        assert rows.loss[-1] == pytest.approx(result.final_loss, rel=1e-12)  # the same parameters
    # A snapshot of a session whose setup it never saw: nothing kept, nothing raised.
    fresh = Recorder()
    fresh.add(recorder.last)
    assert fresh.histories == {} and fresh.snapshots == 1
