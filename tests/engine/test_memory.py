"""A session's memory is predicted before it starts (engine/training/memory.py): checked against
what the allocator really took, against torch.optim's own state, and the refusal and the
out-of-memory message end-to-end through the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

import cli
from engine import ConfigError, ExperimentConfig, run_session
from engine.training import memory
from engine.training.memory import estimate_memory, format_bytes, is_out_of_memory

ROOT = Path(__file__).resolve().parents[2]

# LeNet on the generated 28×28 images: no download, and big enough that activations dominate.
LENET = {
    "problem": "network",
    "dataset": "synthetic",
    "model": "lenet",
    "n_samples": 6000,
    "epochs": 1,
    "lr": 0.01,
    "optimizer": "adam",
    "runs": [{"label": "full", "batch_size": "full"}],
}

MEASURE = """
import json, resource, sys
import torch
from engine import ExperimentConfig, estimate_memory, run_session
config = ExperimentConfig.from_dict(json.loads(sys.argv[1]))
predicted = estimate_memory(config).total
before = int(open("/proc/self/statm").read().split()[1]) * resource.getpagesize()
for _ in run_session(config):
    pass
# VmHWM, the high-water mark of this process's own memory (ru_maxrss would also count the
# parent's: Linux carries the forking process's peak over an exec into the child's).
status = dict(line.split(":", 1) for line in open("/proc/self/status").read().splitlines())
peak = int(status["VmHWM"].split()[0]) * 1024
print(json.dumps({"predicted": predicted, "used": peak - before}))
"""


# Three full-batch LeNet runs with their own rates: one stack, stepped under vmap.
STACKED = {
    **LENET,
    "runs": [{"label": f"r{i}", "batch_size": "full", "lr": 0.01 * (i + 1)} for i in range(3)],
}
# Many batches drawn with replacement: an epoch's indices (200 000 × 96) dominate.
DRAWN = {
    "problem": "linear",
    "n_samples": 1000,
    "epochs": 1,
    "sampling": "replacement",
    "batches_per_epoch": 200_000,
    "runs": [{"label": "a", "batch_size": 64}, {"label": "b", "batch_size": 32}],
}


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads Linux's /proc")
@pytest.mark.parametrize("data", [LENET, STACKED, DRAWN], ids=["lenet", "stacked", "drawn"])
def test_the_prediction_covers_what_the_allocator_took_and_not_wildly_more(data: dict) -> None:
    out = subprocess.run(
        [sys.executable, "-c", MEASURE, json.dumps(data)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    figures = json.loads(out.stdout.splitlines()[-1])
    # The independent reference is the process's own peak resident size (VmHWM) less what
    # it held after importing torch: the session must not take more than was predicted, and
    # the prediction must not refuse what would fit by more than a factor 3.
    assert figures["used"] <= figures["predicted"] <= 3 * figures["used"], figures


@pytest.mark.parametrize(
    ("name", "options", "slots"),
    [
        ("sgd", {}, 0),
        ("sgd", {"momentum": 0.9}, 1),
        ("adam", {}, 2),
        ("rmsprop", {}, 1),
        ("rprop", {}, 2),
        ("adagrad", {}, 1),
        ("adadelta", {}, 2),
    ],
)
def test_optimizer_state_is_read_off_torch_optim(name: str, options: dict, slots: int) -> None:
    # What torch.optim's documentation lists as each algorithm's per-parameter buffers.
    assert memory._state_slots(name, options) == slots


def test_more_runs_and_bigger_batches_cost_more() -> None:
    one = ExperimentConfig.from_dict(LENET)
    small = ExperimentConfig.from_dict({**LENET, "runs": [{"label": "b", "batch_size": 32}]})
    many = ExperimentConfig.from_dict(
        {**LENET, "runs": [{"label": f"r{i}", "batch_size": "full", "lr": 0.01 * (i + 1)} for i in range(8)]}
    )
    assert estimate_memory(small).step < estimate_memory(one).step
    # Eight full-batch runs with their own rates are stepped as one stack (under vmap, which
    # costs more per image than a run alone): more than eight times the step.
    ratio = memory.STACKED_FACTOR / memory.BACKWARD_FACTOR
    assert estimate_memory(many).step == pytest.approx(8 * ratio * estimate_memory(one).step, rel=1e-6)


def test_a_session_that_cannot_fit_is_refused_before_its_data(monkeypatch) -> None:
    monkeypatch.setattr(memory, "available_memory", lambda device: 200_000_000)
    loaded: list[int] = []
    import engine.problems.network as network

    monkeypatch.setattr(network, "load_images", lambda *a, **k: loaded.append(1))
    with pytest.raises(ConfigError) as refused:
        for _ in run_session(ExperimentConfig.from_dict(LENET)):
            pass
    assert refused.value.rule == "memory" and loaded == []
    needed = estimate_memory(ExperimentConfig.from_dict(LENET)).total
    assert refused.value.limits == {"needed": needed, "available": 200_000_000}
    assert f"about {format_bytes(needed)} of memory" in str(refused.value)
    assert "more than the 200 MB available" in str(refused.value)


def test_the_cli_refuses_it_in_one_line_with_exit_2(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setattr(memory, "available_memory", lambda device: 200_000_000)
    config = tmp_path / "big.json"
    config.write_text(json.dumps(LENET))
    assert cli.main(["run", str(config), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: this session needs about ")
    assert not (tmp_path / "out").exists() and [p.name for p in tmp_path.iterdir()] == ["big.json"]


@pytest.mark.skipif(sys.platform != "linux", reason="ulimit -v is read from Linux's /proc")
def test_an_address_space_limit_is_honoured(tmp_path: Path) -> None:
    # A real limit, read back by the engine: 60 000 images at full batch (about 4.7 GB) cannot
    # fit in 3 GB above what the process holds once torch is imported (0.7 GB of address space
    # with torch's CPU build, 3.5 GB with its CUDA build, which Python 3.12 and 3.13 get from pip).
    import resource

    probe = "import torch, torch._dynamo, engine, cli; print(open('/proc/self/status').read())"
    status = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True)
    assert status.returncode == 0, status.stderr
    (peak_kb,) = [int(line.split()[1]) for line in status.stdout.splitlines() if line.startswith("VmPeak:")]
    cap = peak_kb * 1024 + 3_000_000_000

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (cap, resource.RLIM_INFINITY))

    config = tmp_path / "big.json"
    config.write_text(json.dumps({**LENET, "n_samples": 60_000}))
    out = subprocess.run(
        [sys.executable, "main.py", "run", str(config)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=limit,  # only sets a limit in the child
    )
    assert out.returncode == 2, out.stderr
    assert out.stderr.count("\n") == 1 and "more than the" in out.stderr and "available" in out.stderr


def test_an_allocation_that_still_fails_is_one_line_and_keeps_the_old_results(
    tmp_path: Path, monkeypatch, capsys
) -> None:
    old = tmp_path / "results"
    assert cli.main(["run", "gd-sgd-minibatch", "--set", "epochs=1", "--out", str(old)]) == 0
    before = {p.name: p.read_bytes() for p in old.iterdir()}
    capsys.readouterr()
    from engine.training.stack import RunStack

    def fails(self: RunStack) -> None:
        raise RuntimeError("[enforce fail at alloc_cpu.cpp:117] DefaultCPUAllocator: can't allocate memory")

    monkeypatch.setattr(RunStack, "step", fails)
    assert cli.main(["run", "gd-sgd-minibatch", "--set", "epochs=1", "--out", str(old)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: out of memory while training")
    assert {p.name: p.read_bytes() for p in old.iterdir()} == before
    assert [p.name for p in tmp_path.iterdir()] == ["results"]  # no staging folder left


def test_out_of_memory_errors_are_recognised() -> None:
    assert is_out_of_memory(MemoryError())
    assert is_out_of_memory(RuntimeError("DefaultCPUAllocator: can't allocate memory: you tried"))
    assert is_out_of_memory(RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB"))
    assert not is_out_of_memory(RuntimeError("Singular matrix"))
    assert not is_out_of_memory(ValueError("out of memory"))
