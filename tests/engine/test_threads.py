"""Intra-op threads (engine/training/device.py): every core but one, set once per process,
before any session computes, never again by a session or a measurement; never from the load
of the moment, so that a config gives the same numbers on a quiet machine and a busy one."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
import torch

import engine.training.device as device
from engine import ExperimentConfig, RunSpec, run_session
from engine.sweep_settings import SweepSettings


@pytest.fixture
def unsettled(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A process that has not settled its threads yet; every torch.set_num_threads recorded
    instead of made (this test process keeps its own count)."""
    calls: list[int] = []
    monkeypatch.setattr(device, "_settled", None)
    monkeypatch.setattr(torch, "set_num_threads", calls.append)
    monkeypatch.delenv("OMP_NUM_THREADS", raising=False)
    return calls


def test_the_team_gets_every_core_but_one() -> None:
    assert device.threads_for(cpus=2, default=2) == 1  # the other core: the GUI thread, a browser
    assert device.threads_for(cpus=1, default=1) == 1  # never fewer than one
    assert device.threads_for(cpus=8, default=4) == 4  # never more than torch's default
    assert device.threads_for(cpus=8, default=8) == 7
    assert device.threads_for(cpus=4, default=2) == 2


def test_the_count_is_settled_once_from_the_machine(
    unsettled: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(device, "usable_cpus", lambda: 4)
    monkeypatch.setattr(torch, "get_num_threads", lambda: 4)
    assert device.settle_threads() == 3
    assert device.settle_threads() == 3
    assert unsettled == [3]  # set once


def test_omp_num_threads_is_the_users_choice(unsettled: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMP_NUM_THREADS", "2")
    assert device.settle_threads() == torch.get_num_threads()
    assert unsettled == []


def test_sessions_set_the_threads_once_per_process_not_per_session(
    unsettled: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two sessions one after the other and two at once, in threads of their own as the
    window runs them, one with the batch-size sweep (which times sizes): one set, made
    before any of them made its data."""
    import engine.problems

    computing = threading.Event()
    make_problem = engine.problems.make_problem

    def making(*args: object) -> object:
        computing.set()
        return make_problem(*args)  # type: ignore[arg-type]

    def cpus() -> int:
        assert not computing.is_set()
        return 4

    monkeypatch.setattr(engine.problems, "make_problem", making)
    monkeypatch.setattr(device, "usable_cpus", cpus)
    monkeypatch.setattr(torch, "get_num_threads", lambda: 4)
    small = ExperimentConfig(n_samples=64, epochs=2, device="cpu", runs=(RunSpec("A", 8), RunSpec("B", 64)))
    sweep = ExperimentConfig(
        problem="network",
        dataset="digits",
        n_samples=200,
        epochs=1,
        lr=0.1,
        device="cpu",
        runs=(RunSpec("B32", 32),),
        measure=("sweep",),
        sweep=SweepSettings(batch_sizes=(16, 64), seeds=1),
    )
    finished: list[bool] = []

    def session(config: ExperimentConfig) -> None:
        finished.append(list(run_session(config))[-1].finished)

    session(small)
    threads = [threading.Thread(target=session, args=(c,)) for c in (small, sweep)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    session(sweep)
    assert finished == [True] * 4
    assert computing.is_set()
    assert unsettled == [3]


def _history(out: Path, busy: bool) -> list[list[str]]:
    """history.csv of a headless run of the default lesson, without its wall-time column; with
    a busy process beside it when `busy`."""
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if busy else None
    try:
        done = subprocess.run(
            [sys.executable, "main.py", "run", "gd-sgd-minibatch", "--set", "epochs=2", "--out", str(out)],
            cwd=Path(__file__).resolve().parents[2], capture_output=True, text=True, timeout=300,
        )  # fmt: skip
    finally:
        if spinner is not None:
            spinner.kill()
            spinner.wait()
    assert done.returncode == 0, done.stderr
    rows = [r.split(",") for r in (out / "history.csv").read_text().splitlines()]
    time_col = rows[0].index("wall_time_s")
    return [r[:time_col] + r[time_col + 1 :] for r in rows]


def test_a_busy_machine_gives_the_same_numbers_as_a_quiet_one(tmp_path: Path) -> None:
    quiet = _history(tmp_path / "quiet", busy=False)
    assert len(quiet) > 100
    assert _history(tmp_path / "busy", busy=True) == quiet  # to the last digit
