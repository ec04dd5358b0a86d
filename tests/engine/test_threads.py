"""Intra-op threads (engine/training/device.py): the cores other processes leave idle, set once
per process, before any session computes, never again by a session or a measurement."""

from __future__ import annotations

import subprocess
import sys
import threading

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


def test_the_team_gets_the_cores_the_others_leave_idle() -> None:
    assert device.threads_for(cpus=2, default=2, others=0.0) == 2
    assert device.threads_for(cpus=2, default=2, others=0.1) == 2  # an idle browser
    assert device.threads_for(cpus=2, default=2, others=0.5) == 1
    assert device.threads_for(cpus=2, default=2, others=1.0) == 1  # a second busy process
    assert device.threads_for(cpus=2, default=2, others=2.0) == 1  # never fewer than one
    assert device.threads_for(cpus=2, default=2, others=None) == 1  # unknown: one core left over
    assert device.threads_for(cpus=8, default=4, others=1.5) == 4  # never more than torch's default
    assert device.threads_for(cpus=8, default=8, others=2.0) == 6
    assert device.threads_for(cpus=8, default=8, others=None) == 7
    assert device.threads_for(cpus=1, default=1, others=0.0) == 1


def test_a_busy_machine_settles_one_thread_once(
    unsettled: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    readings: list[float] = []

    def busy() -> float:
        readings.append(1.0)
        return 1.0

    monkeypatch.setattr(device, "others_busy", busy)
    monkeypatch.setattr(device, "usable_cpus", lambda: 2)
    monkeypatch.setattr(torch, "get_num_threads", lambda: 2)
    assert device.settle_threads() == 1
    assert device.settle_threads() == 1
    assert unsettled == [1]  # set once,
    assert readings == [1.0]  # measured once


def test_a_quiet_machine_keeps_torchs_default(unsettled: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(device, "others_busy", lambda: 0.05)
    monkeypatch.setattr(device, "usable_cpus", lambda: 2)
    monkeypatch.setattr(torch, "get_num_threads", lambda: 2)
    assert device.settle_threads() == 2
    assert unsettled == [2]


def test_omp_num_threads_is_the_users_choice(unsettled: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OMP_NUM_THREADS", "2")
    monkeypatch.setattr(device, "others_busy", lambda: 2.0)
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

    def busy() -> float:
        assert not computing.is_set()
        return 1.0

    monkeypatch.setattr(engine.problems, "make_problem", making)
    monkeypatch.setattr(device, "others_busy", busy)
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
    assert unsettled == [device.threads_for(device.usable_cpus(), torch.get_num_threads(), 1.0)]


@pytest.mark.skipif(sys.platform != "linux", reason="the busy time of other processes is read from /proc")
def test_a_busy_process_is_seen() -> None:
    spinner = subprocess.Popen(
        [sys.executable, "-c", "print('spinning', flush=True)\nwhile True: pass"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert spinner.stdout is not None and spinner.stdout.readline() == "spinning\n"
        others = device.others_busy()
    finally:
        spinner.kill()
        spinner.wait()
        if spinner.stdout is not None:
            spinner.stdout.close()
    assert others is not None and others >= 0.5  # at least half a core, whatever else runs
