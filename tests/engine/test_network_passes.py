"""A network's passes over the images are made once for the same weights on the same images:
a lesson's runs that start from the same weights in separate stacks share their first loss
and epoch-0 metrics, with the numbers a pass of their own gives."""

from __future__ import annotations

import dataclasses
import threading

import numpy as np
import pytest
import torch

from engine import ExperimentConfig, RunSpec, derive_seed, run_session
from engine.problems import network
from engine.problems.network import NetworkClassifier


def config(**changes: object) -> ExperimentConfig:
    """Three runs in three stacks (three batch sizes), from the same initial weights."""
    base = ExperimentConfig(
        problem="network",
        dataset="synthetic",
        model="lenet",
        n_samples=96,
        epochs=1,
        lr=0.05,
        device="cpu",
        runs=(RunSpec("B8", 8), RunSpec("B16", 16), RunSpec("B32", 32)),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def weights(problem: NetworkClassifier, runs: int = 1, scale: float = 1.0) -> list[torch.Tensor]:
    return [
        torch.tensor(np.stack([b * scale] * runs), dtype=torch.float32) for b in problem.initial_blocks(None)
    ]


@pytest.fixture(autouse=True)
def nothing_remembered() -> None:
    network._remembered.clear()


@pytest.fixture
def passes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The passes over the images actually made (by which set: all, eval, val)."""
    made: list[str] = []
    original = NetworkClassifier._pass

    def counted(self, blocks, x, y, stop):  # type: ignore[no-untyped-def]
        made.append("val" if x is self.val_x else "train")
        return original(self, blocks, x, y, stop)

    monkeypatch.setattr(NetworkClassifier, "_pass", counted)
    return made


def test_the_same_weights_on_the_same_images_are_evaluated_once(passes: list[str]) -> None:
    c = config()
    problem = NetworkClassifier(c, torch.device("cpu"), derive_seed(c.seed, "data"))
    first = problem.evaluate(weights(problem))
    assert first is not None and len(passes) == 1
    again = problem.evaluate(weights(problem))
    assert again is not None and again.tolist() == first.tolist() and len(passes) == 1
    # Another problem made from the same config (a lesson opened again) knows it too.
    other = NetworkClassifier(c, torch.device("cpu"), derive_seed(c.seed, "data"))
    assert other.evaluate(weights(other)).tolist() == first.tolist() and len(passes) == 1  # type: ignore[union-attr]
    # Other weights, other images (another seed), or another number of runs: a pass each.
    problem.evaluate(weights(problem, scale=0.5))
    assert len(passes) == 2
    seeded = NetworkClassifier(c, torch.device("cpu"), derive_seed(c.seed, "data") + 1)
    seeded.evaluate(weights(problem))
    assert len(passes) == 3
    two = problem.evaluate(weights(problem, runs=2))
    assert len(passes) == 4 and two is not None and two.shape == (2,)
    # A stop request is answered as a pass would answer it, remembered or not.
    stop = threading.Event()
    stop.set()
    assert problem.evaluate_until(weights(problem), stop) is None
    assert problem.metrics(weights(problem), stop) is None


def test_remembered_numbers_are_those_of_a_pass_and_cannot_be_changed_by_a_caller() -> None:
    c = config()
    problem = NetworkClassifier(c, torch.device("cpu"), derive_seed(c.seed, "data"))
    fresh = problem._pass(weights(problem), problem.val_x, problem.val_y, None)
    assert fresh is not None
    got = problem.metrics(weights(problem))
    assert got is not None
    got[:] = 99.0  # a caller that writes into what it got
    again = problem.metrics(weights(problem))
    assert again is not None
    assert again[0, 1] == fresh[0][0] and again[0, 3] == fresh[1][0]  # validation loss, accuracy


def test_a_lessons_runs_share_their_first_passes(passes: list[str]) -> None:
    c = config()
    session = run_session(c)
    first = next(session)
    session.close()
    assert first.setup is not None
    # Three stacks: their first loss (over all N) and epoch-0 metrics (train and validation)
    # would be nine passes; the same weights make them two (N ≤ EVAL_TRAIN: all N is the
    # train sample).
    assert sorted(passes) == ["train", "val"]
    losses = {rp.label: rp.loss for rp in first.runs}
    metrics = {rp.label: rp.new_epochs[0] for rp in first.runs}
    assert len(set(losses.values())) == 1
    assert len({tuple(sorted(m.items())) for m in metrics.values()}) == 1
    # The numbers a pass of its own gives (the loss to float rounding: the session may use
    # another number of threads).
    network._remembered.clear()
    problem = NetworkClassifier(c, torch.device("cpu"), derive_seed(c.seed, "data"))
    own = problem._pass(weights(problem), problem.x, problem.y, None)
    assert own is not None
    assert losses["B8"] == pytest.approx(float(own[0][0]), rel=1e-6)
    assert metrics["B8"]["train_accuracy"] == float(own[1][0])
