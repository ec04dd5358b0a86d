"""Data-parallel runs (engine/training/parallel): K worker processes with B samples each end
where one process with the global batch K·B ends, on real `torch.distributed` groups; a stop,
a closed session, a killed worker or a normal end leave no worker process behind.

The reference is the engine's own one-process run at K·B, which the other tests of this
suite check against plain PyTorch loops and closed forms; here the only difference between
the two is the group (shards, weights, all-reduce), so they must agree to float32 rounding.
"""

from __future__ import annotations

import dataclasses
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from engine import (
    ConfigError,
    ExperimentConfig,
    RunSpec,
    SessionControl,
    WorkerError,
    load_preset,
    run_session,
)
from tests.helpers import ROOT, children, collect, digits_config, no_children_but, run_main


@pytest.fixture(autouse=True)
def no_worker_left() -> object:
    before = set(children())
    yield
    assert no_children_but(before), "a worker process was left behind"


def linear(k_runs: tuple[RunSpec, ...], **changes: object) -> ExperimentConfig:
    base = ExperimentConfig(
        n_samples=200, epochs=3, lr=0.05, start=(-1.0, 2.0), device="cpu", same_batches=True, runs=k_runs
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("sampling", ["shuffle", "replacement"])
def test_k_workers_with_b_each_end_where_one_process_with_k_times_b_ends(sampling: str) -> None:
    """N = 200 at a global batch of 36: every epoch ends on a batch of 20, which 4 workers of 9
    split as 9, 9, 2 and 0 (a worker with nothing still takes part, with weight 0)."""
    config = linear(
        (RunSpec("one", 36), RunSpec("two", 18, workers=2), RunSpec("four", 9, workers=4)), sampling=sampling
    )
    got = collect(config)
    results = {r.label: r for r in got.last.results}
    one = results["one"]
    for label in ("two", "four"):
        r = results[label]
        assert (r.batch_size, r.iterations_per_epoch, r.iterations) == (36, 6, 18)
        assert r.samples_seen == one.samples_seen
        np.testing.assert_allclose(r.final_params, one.final_params, rtol=2e-6, atol=1e-6)
        ours, theirs = got.histories[label].rows(), got.histories["one"].rows()
        np.testing.assert_array_equal(ours.iteration, theirs.iteration)
        np.testing.assert_allclose(ours.params, theirs.params, rtol=2e-6, atol=1e-6)
        np.testing.assert_allclose(ours.loss, theirs.loss, rtol=1e-5)


@pytest.mark.parametrize("model", ["mlp", "lenet"])
def test_k_workers_train_a_network_as_one_process_with_k_times_b(model: str) -> None:
    """The MLP on the bundled digits with K = 2 and 4; LeNet-5 (convolutions, channels-last
    gradients) on 28×28 synthetic images with K = 2."""
    if model == "mlp":
        runs = (RunSpec("one", 40), RunSpec("two", 20, workers=2), RunSpec("four", 10, workers=4))
        config = digits_config(n_samples=500, epochs=2, lr=0.1, same_batches=True, runs=runs)
    else:
        runs = (RunSpec("one", 32), RunSpec("two", 16, workers=2))
        config = digits_config(
            dataset="synthetic", model="lenet", n_samples=300, epochs=1, lr=0.05, same_batches=True, runs=runs
        )
    got = collect(config)
    results = {r.label: r for r in got.last.results}
    one = results["one"]
    for label in [r.label for r in runs[1:]]:
        r = results[label]
        assert r.iterations_per_epoch == one.iterations_per_epoch == (13 if model == "mlp" else 10)
        assert r.final_loss == pytest.approx(one.final_loss, rel=1e-5)
        for mine, theirs in zip(r.per_epoch, one.per_epoch, strict=True):
            for name in ("train_loss", "val_loss", "train_accuracy", "val_accuracy"):
                assert mine[name] == pytest.approx(theirs[name], rel=1e-5, abs=1e-6), (label, name)
        # The recorded batch losses are the global batch's, all-reduced, not worker 0's shard's.
        batch_losses = got.histories[label].rows().loss, got.histories["one"].rows().loss
        np.testing.assert_allclose(*batch_losses, rtol=1e-5)


def test_a_stop_mid_run_ends_every_worker_and_keeps_what_was_trained() -> None:
    config = linear((RunSpec("one", 4), RunSpec("four", 1, workers=4)), epochs=400)
    control = SessionControl()
    last = None
    for n, progress in enumerate(run_session(config, control)):
        last = progress
        if n == 3:
            control.stop.set()
    assert last is not None and last.stopped and last.finished
    four = {r.label: r for r in last.results}["four"]
    assert 0 < four.iterations < config.total_iterations(config.run_by_label("four"))


def test_a_session_closed_mid_run_ends_every_worker() -> None:
    """What the window does when it is closed mid-run: it drops the session's generator."""
    config = linear((RunSpec("four", 1, workers=4),), epochs=400)
    session = run_session(config, SessionControl())
    for n, _ in enumerate(session):
        if n == 3:
            break
    assert children()  # the workers are there, mid-run
    session.close()


def test_a_killed_worker_ends_the_group_with_one_sentence() -> None:
    config = linear((RunSpec("four", 1, workers=4),), epochs=400)
    session = run_session(config, SessionControl())
    next(session)
    victim = sorted(children())[-1]
    os.kill(victim, signal.SIGKILL)
    with pytest.raises(WorkerError) as failure:
        for _ in session:
            pass
    message = str(failure.value)
    assert "'four'" in message and "of 4" in message and "\n" not in message
    assert "SIGKILL" in message or "stopped" in message or "lost" in message, message


def test_a_stop_while_the_workers_start_ends_them() -> None:
    control = SessionControl()
    config = linear((RunSpec("four", 1, workers=4),))
    control.report = lambda task, done: control.stop.set() if task == "data" else None
    assert list(run_session(config, control)) == []  # stopped before the setup: nothing yielded


def test_more_worker_processes_than_a_machine_should_start_are_refused() -> None:
    """One group of K per number of workers: 6 + 7 = 13 processes pass (the second run of 6
    shares its group), 6 + 7 + 5 = 18 do not."""
    runs = [{"label": f"R{i}", "batch_size": 1, "workers": k} for i, k in enumerate((6, 7, 6))]
    ExperimentConfig.from_dict({**linear((RunSpec("x", 1),)).to_dict(), "runs": runs})
    runs.append({"label": "R3", "batch_size": 1, "workers": 5})
    with pytest.raises(ConfigError) as refused:
        ExperimentConfig.from_dict({**linear((RunSpec("x", 1),)).to_dict(), "runs": runs})
    assert refused.value.field == "runs" and "18 processes" in str(refused.value)


@pytest.mark.parametrize(
    ("run", "field"),
    [
        ({"label": "A", "batch_size": "full", "workers": 2}, "runs.A.workers"),
        ({"label": "A", "batch_size": 60, "workers": 4}, "runs.A.workers"),  # 240 > N = 200
        ({"label": "A", "batch_size": 1, "workers": 0}, "runs.A.workers"),
        ({"label": "A", "batch_size": 1, "workers": 17}, "runs.A.workers"),
        ({"label": "A", "batch_size": 1, "lr_scaling": "cubic"}, "runs.A.lr_scaling"),
        ({"label": "A", "batch_size": 1, "warmup_epochs": -1}, "runs.A.warmup_epochs"),
    ],
)
def test_a_bad_data_parallel_run_is_refused_by_name(run: dict[str, object], field: str) -> None:
    data = {**linear((RunSpec("x", 1),)).to_dict(), "runs": [run]}
    with pytest.raises(ConfigError) as refused:
        ExperimentConfig.from_dict(data)
    assert refused.value.field == field
    assert field.split(".")[-1] in str(refused.value)


def check_the_lessons_claims(config: ExperimentConfig, per_epoch: dict[str, list[float]]) -> None:
    """What the data-parallel lesson says, given each run's loss at the end of epochs 0..10:
    128 against 32 iterations per epoch; at the same rate, after 3 epochs, the 4 workers'
    loss more than 5 times the 1 worker's; scaled (0.01 × 32 / 8 = 0.04) after 1 epoch of
    warm-up, within 1 % of it from epoch 4 on."""
    text = load_preset("data-parallel").explanation["en"]
    for said in ("N = 1 024", "128 iterations", "32, a quarter", "after 3 epochs", "more than 5 times",
                 "0.01 × 32 / 8 = 0.04", "1 epoch of warm-up", "from epoch 4 on, within 1 %"):  # fmt: skip
        assert said in text, said
    one, same, scaled = (config.run_by_label(label) for label in LESSON_RUNS)
    assert config.n_samples == 1024 and config.lr == 0.01
    assert (config.iterations_per_epoch(one), config.iterations_per_epoch(same)) == (128, 32)
    assert config.scaled_lr_of(scaled) == pytest.approx(0.04) and config.warmup_iterations(scaled) == 32
    first, behind, back = (np.array(per_epoch[label]) for label in LESSON_RUNS)
    assert behind[3] > 5 * first[3], behind[3] / first[3]
    assert np.all(np.abs(back[4:] / first[4:] - 1) < 0.01), back[4:] / first[4:]


LESSON_RUNS = ("1 worker", "4 workers", "4 workers, lr ×4")


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_the_lessons_sentences_hold_on_the_seeds_a_student_may_pick(seed: int) -> None:
    """Seeds 1-4 on one process at K·B, which the tests above show the workers equal (seed 0,
    the lesson's own, runs on real workers in the next test)."""
    config = dataclasses.replace(load_preset("data-parallel").config, seed=seed, device="cpu")
    runs = tuple(dataclasses.replace(r, batch_size=config.batch_size_of(r), workers=1) for r in config.runs)
    alone = dataclasses.replace(config, runs=runs)
    histories = collect(alone).histories
    per_epoch = {}
    for label in LESSON_RUNS:
        rows = histories[label].rows()
        ipe = config.iterations_per_epoch(config.run_by_label(label))
        per_epoch[label] = list(rows.loss[rows.iteration % ipe == 0])
    check_the_lessons_claims(config, per_epoch)


def test_the_lesson_runs_headless_with_a_quarter_of_the_iterations_per_epoch(tmp_path: Path) -> None:
    done = run_main("run", "data-parallel", "--out", str(tmp_path / "out"), "--device", "cpu")
    assert done.returncode == 0, done.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    runs = {r["label"]: r for r in summary["runs"]}
    assert [r["workers"] for r in summary["runs"]] == [1, 4, 4]
    ipe = {label: r["iterations_per_epoch"] for label, r in runs.items()}
    assert ipe == {"1 worker": 128, "4 workers": 32, "4 workers, lr ×4": 32}
    for r in runs.values():
        assert len(r["loss_per_epoch"]) == 11  # epochs 0 to 10
        assert all(np.isfinite(r["loss_per_epoch"]))
    assert "8 × 4 workers = 32" in done.stdout
    config = ExperimentConfig.from_dict(summary["config"])
    check_the_lessons_claims(config, {label: r["loss_per_epoch"] for label, r in runs.items()})


TORCHRUN = shutil.which("torchrun", path=str(Path(sys.executable).parent))


@pytest.mark.skipif(TORCHRUN is None, reason="no torchrun beside this Python")
def test_torchrun_runs_the_lesson_on_the_group_it_started(tmp_path: Path) -> None:
    """--nnodes 1 --nproc-per-node 2: the data-parallel runs train on the 2 processes, and end
    where one process at 2 × 8 = 16 ends."""
    assert TORCHRUN is not None
    out = tmp_path / "out"
    done = subprocess.run(
        [TORCHRUN, "--nnodes", "1", "--nproc-per-node", "2", str(ROOT / "main.py"), "run", "data-parallel",
         "--out", str(out), "--device", "cpu", "--set", "epochs=2"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "torchrun group of 2 processes" in done.stderr
    runs = {r["label"]: r for r in json.loads((out / "summary.json").read_text())["runs"]}
    assert runs["4 workers"]["workers"] == 2 and runs["4 workers"]["iterations_per_epoch"] == 64
    one = dataclasses.replace(
        ExperimentConfig.from_dict(json.loads((out / "summary.json").read_text())["config"]),
        runs=(RunSpec("4 workers", 16),),
    )
    reference = collect(one).last.results[0]
    ours = runs["4 workers"]["final_params"]
    np.testing.assert_allclose(ours, reference.final_params, rtol=2e-6, atol=1e-6)


def interrupted_at(moment: float, sig: int, group: bool, tmp: Path) -> tuple[int, str, list[str]]:
    """`main.py run data-parallel`, sent `sig` `moment` s after its start: to its whole process
    group (a terminal's Ctrl-C reaches the workers too) or to it alone. Its exit code, its
    stderr and whatever of its session is still alive 5 s after it ended."""
    out = tmp / f"out-{moment}-{sig}"
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), "run", "data-parallel", "--device", "cpu", "--out", str(out)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )  # fmt: skip
    time.sleep(moment)
    if group:
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    deadline = time.monotonic() + 5
    while True:
        alive = subprocess.run(
            ["ps", "-s", str(proc.pid), "-o", "stat=,args="], capture_output=True, text=True
        )
        left = [
            line for line in alive.stdout.splitlines() if line.strip() and not line.lstrip().startswith("Z")
        ]
        if not left or time.monotonic() > deadline:
            return proc.returncode, err, left
        time.sleep(0.1)


@pytest.mark.skipif(shutil.which("ps") is None, reason="lists a session's processes with ps")
def test_ctrl_c_or_sigterm_while_the_workers_start_or_train_says_interrupted_and_leaves_none(
    tmp_path: Path,
) -> None:
    """Ctrl-C to the whole group (the workers get it too) at moments from the parent's torch
    import through the workers' start to training; SIGTERM to the parent alone."""
    cases = [(m, signal.SIGINT, True) for m in (1.5, 3.0, 5.0)] + [(3.5, signal.SIGTERM, False)]
    with ThreadPoolExecutor(2) as pool:
        outcomes = list(pool.map(lambda c: (c, interrupted_at(*c, tmp_path)), cases))
    for (moment, sig, _), (code, err, left) in outcomes:
        case = f"{signal.Signals(sig).name} at {moment} s: exit {code}, left {left}, stderr {err[-400:]!r}"
        assert code == 128 + sig, case
        assert err.splitlines()[-1:] == ["interrupted"], case
        assert "Traceback" not in err and "terminate called" not in err, case
        assert left == [], case
    assert not list(tmp_path.glob("out-*")), "results written for an interrupted run"
