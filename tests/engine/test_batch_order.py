"""`batch_order`: the batches a run draws, recomputed for pictures, are the session's own."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from engine import RunSpec, batch_order, derive_seed
from tests.helpers import collect, small_config


def test_the_order_replays_the_sgd_path_of_the_session(data_of) -> None:
    """Stepping a float64 B = 1 loop through the recomputed batches retraces the session's path."""
    config = small_config(n_samples=40, epochs=3, lr=0.05, runs=(RunSpec("SGD", 1),))
    x, y = data_of(config)
    got = collect(config).histories["SGD"].rows().params
    order = batch_order(config, config.runs[0])
    theta = np.array(config.start, dtype=np.float64)
    path = [theta.copy()]
    for epoch in range(config.epochs):
        for batch in order.epoch(epoch):
            r = theta[0] * x[batch] + theta[1] - y[batch]
            theta = theta - config.lr * np.array([2 * np.mean(r * x[batch]), 2 * np.mean(r)])
            path.append(theta.copy())
    np.testing.assert_allclose(got, np.array(path), rtol=0, atol=2e-5)
    # A different order would not: the first epoch's path differs at the first step.
    other = batch_order(small_config(n_samples=40, epochs=3, seed=1, runs=config.runs), config.runs[0])
    assert not np.array_equal(other.epoch(0)[0], order.epoch(0)[0])


@pytest.mark.parametrize("drop_last", [False, True])
def test_shuffle_mode_is_a_fresh_permutation_cut_into_batches_each_epoch(drop_last: bool) -> None:
    config = small_config(n_samples=23, epochs=4, drop_last=drop_last, runs=(RunSpec("B", 5),))
    order = batch_order(config, config.runs[0])
    g = torch.Generator().manual_seed(derive_seed(config.seed, "run:B"))
    for epoch in range(4):
        want = list(torch.randperm(23, generator=g).split(5))
        if drop_last:
            want.pop()
        got = order.epoch(epoch)
        assert [b.tolist() for b in got] == [w.tolist() for w in want]
        assert len(got) == config.iterations_per_epoch(config.runs[0]) == (4 if drop_last else 5)
    assert [b.tolist() for b in order.epoch(1)] != [b.tolist() for b in order.epoch(2)]  # reshuffled
    seen = np.concatenate(order.epoch(2))
    assert len(set(seen.tolist())) == len(seen) == (20 if drop_last else 23)  # each sample at most once


def test_replacement_mode_draws_with_repeats_and_going_back_gives_the_same_batches() -> None:
    config = small_config(n_samples=30, sampling="replacement", runs=(RunSpec("R", 30),))
    order = batch_order(config, config.runs[0])
    first = [b.copy() for b in order.epoch(0)]
    assert len(first) == 1 and len(first[0]) == 30
    assert len(set(first[0].tolist())) < 30  # 30 draws from 30 samples: repeats (P(none) ≈ 1e-12)
    order.epoch(5)
    assert [b.tolist() for b in order.epoch(0)] == [b.tolist() for b in first]
