"""The command line under faults: bad files, bad folders, signals, a full disk mid-write.

The promises: anything the user can fix is one line and exit 2, found before training; Ctrl-C
is "interrupted" and exit 130, SIGTERM exit 143, no traceback; an --out folder holds one
complete experiment, the new one or the one before, never a mix and never a half-written file.
"""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cli
from engine.results_folder import RESULT_FILES
from tests.helpers import ROOT, run_main
from tests.strategies import JUNK, config_dicts


def folder_state(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if p.name.startswith("."))


@pytest.fixture
def old_results(tmp_path: Path) -> Path:
    """A folder holding a finished 2-D experiment (three files)."""
    folder = tmp_path / "results"
    out = run_main("run", "gd-sgd-minibatch", "--set", "epochs=1", "--out", str(folder))
    assert out.returncode == 0, out.stderr
    assert sorted(p.name for p in folder.iterdir()) == sorted(set(RESULT_FILES) - {"sweep.csv"})
    return folder


def assert_one_line(out: subprocess.CompletedProcess[str], code: int, words: str) -> None:
    lines = out.stderr.strip().splitlines()
    assert out.returncode == code, out.stderr
    assert len(lines) == 1 and words in lines[0] and len(lines[0]) < 600, out.stderr
    assert "Traceback" not in out.stderr


@pytest.mark.parametrize(
    ("config", "words"),
    [
        ({"runs": None}, "runs must be a list"),
        ({"runs": 5}, "runs must be a list"),
        ({"runs": ["a"]}, "each of runs must be an object"),
        ({"optimizer": ["sgd"]}, "optimizer must be one of"),
        ({"runs": [{"label": "A", "batch_size": 1, "optimizer": {}}]}, "optimizer of run 'A'"),
        ({"config": {"epochs": 1}, "title": {"en": 5}}, "title and explanation must be"),
    ],
)
def test_scenario_files_with_wrong_types_exit_2_in_one_line(tmp_path: Path, config: dict, words: str) -> None:
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps(config))
    assert_one_line(run_main("run", str(scenario)), 2, words)


def test_a_fifo_is_refused_not_waited_on(tmp_path: Path) -> None:
    fifo = tmp_path / "scenario.json"
    os.mkfifo(fifo)
    assert_one_line(run_main("run", str(fifo)), 2, "is not a regular file")


def test_deeply_nested_json_names_the_file(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    assert_one_line(run_main("run", str(deep)), 2, "deep.json is nested too deeply")
    out = run_main("run", "gd-sgd-minibatch", "--set", "lr=" + "[" * 60_000 + "]" * 60_000)
    assert_one_line(out, 2, "nested too deeply")


def test_a_huge_bad_value_is_not_echoed(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_text(json.dumps({"problem": "x" * 900_000}))
    assert_one_line(run_main("run", str(big)), 2, "problem must be one of")
    huge = tmp_path / "huge.json"
    huge.write_text(json.dumps({"problem": "x" * 2_000_000}))
    assert_one_line(run_main("run", str(huge)), 2, "larger than 1,000,000 bytes")
    assert_one_line(run_main("run", "gd-sgd-minibatch", "--set", "device=" + "y" * 100_000), 2, "device")


def test_out_must_name_a_folder(tmp_path: Path) -> None:
    assert_one_line(run_main("run", "gd-sgd-minibatch", "--out", ""), 2, "needs a name")
    a_file = tmp_path / "file"
    a_file.write_text("x")
    assert_one_line(run_main("run", "gd-sgd-minibatch", "--out", str(a_file)), 2, "not a folder")


def test_an_unwritable_out_is_refused_before_training(tmp_path: Path) -> None:
    # /proc refuses new entries even to root; a read-only folder refuses other users.
    started = time.perf_counter()
    out = run_main("run", "gd-sgd-minibatch", "--set", "epochs=100", "--out", "/proc/batch-size-lab")
    assert_one_line(out, 2, "cannot be written")
    assert out.stdout == "" and time.perf_counter() - started < 60  # no run was trained
    if os.geteuid() != 0:
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o555)
        out = run_main("run", "gd-sgd-minibatch", "--set", "epochs=100", "--out", str(locked / "o"))
        assert_one_line(out, 2, "cannot be written")
        assert out.stdout == ""


def test_a_folder_holding_other_files_is_refused_and_kept(old_results: Path) -> None:
    (old_results / "notes.txt").write_text("my notes")
    before = folder_state(old_results)
    out = run_main("run", "gd-sgd-minibatch", "--set", "epochs=1", "--out", str(old_results))
    assert_one_line(out, 2, "holds other files (notes.txt)")
    assert folder_state(old_results) == before


def test_a_network_run_replaces_a_2d_runs_folder_as_a_whole(old_results: Path) -> None:
    out = run_main(
        "run", "gd-sgd-minibatch", "--set", "problem=network", "--set", "start=null", "--set", "n_samples=64",
        "--set", "epochs=1", "--set", "runs.Mini-batch.batch_size=8", "--out", str(old_results),
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert sorted(p.name for p in old_results.iterdir()) == ["history.csv", "summary.json"]
    assert json.loads((old_results / "summary.json").read_text())["config"]["problem"] == "network"
    assert leftovers(old_results.parent) == []


@pytest.mark.parametrize(("sig", "code"), [(signal.SIGINT, 130), (signal.SIGTERM, 143)])
def test_a_signal_during_training_says_interrupted_and_keeps_the_old_results(
    old_results: Path, sig: int, code: int
) -> None:
    before = folder_state(old_results)
    args = ["run", "gd-sgd-minibatch", "--set", "epochs=100000", "--out", str(old_results)]
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "main.py"), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    time.sleep(4)  # into the training (torch imported, steps running)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == code and err == "interrupted\n", err
    assert folder_state(old_results) == before
    assert leftovers(old_results.parent) == []


def _fails_halfway(error: BaseException):
    def write_history(f, histories, names) -> None:
        f.write("run,label,iteration\n0,GD,")  # half a file, then the fault
        raise error

    return write_history


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (KeyboardInterrupt(), 130),
        (cli.Interrupt(signal.SIGTERM), 143),
        (OSError(errno.ENOSPC, "No space left on device"), 1),
    ],
)
def test_a_fault_while_writing_leaves_the_old_results_whole(
    old_results: Path, monkeypatch, capsys, error: BaseException, code: int
) -> None:
    before = folder_state(old_results)
    import engine.results_folder

    monkeypatch.setattr(engine.results_folder, "write_history", _fails_halfway(error))
    assert cli.main(["run", "gd-sgd-minibatch", "--set", "epochs=1", "--out", str(old_results)]) == code
    assert folder_state(old_results) == before
    assert leftovers(old_results.parent) == []
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and ("interrupted" in err or "No space left" in err), err


def test_a_run_diverged_before_its_first_step_is_said_so(monkeypatch, capsys) -> None:
    from engine.problems.linear import LinearRegression

    real = LinearRegression.evaluate
    calls: list[int] = []

    def inf_at_the_start(self, blocks):
        calls.append(1)
        out = real(self, blocks)
        return np.full_like(out, np.inf) if len(calls) == 1 else out

    monkeypatch.setattr(LinearRegression, "evaluate", inf_at_the_start)
    code = cli.main(["run", "gd-sgd-minibatch", "--set", "epochs=1", "--set", "runs.SGD.batch_size=1000"])
    out = capsys.readouterr().out
    assert code == 1
    assert "diverged before its first step" in out and "-1" not in out


SET_VALUES = st.one_of(
    JUNK.map(lambda v: json.dumps(v) if not isinstance(v, str) else v),
    st.text(max_size=30),
    st.sampled_from(["null", "[", "{}", "1e999", "-0", '"full"', "true", "NaN", "Infinity"]),
)
SET_KEYS = st.one_of(
    st.sampled_from(
        [
            "epochs",
            "lr",
            "n_samples",
            "runs.SGD.batch_size",
            "runs.GD.lr",
            "optimizer_params.momentum",
            "start",
        ]
    ),
    st.text(max_size=20),
)


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(SET_KEYS, SET_VALUES)
def test_any_set_is_applied_or_refused_in_one_line(capsys, key: str, value: str) -> None:
    """`--set` parsing in-process (no training): a config, or a UsageError naming what is wrong."""
    try:
        _, config = cli.resolve_config("gd-sgd-minibatch", [f"{key}={value}"], None)
    except cli.UsageError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 700, str(exc)
        return
    assert config.to_dict() is not None


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.one_of(
        config_dicts(junk=True).map(json.dumps),
        config_dicts(junk=True).map(lambda d: json.dumps({"config": d, "title": {"en": "t"}})),
        st.binary(max_size=200).map(lambda b: b.decode("latin-1")),
        st.text(max_size=200),
    )
)
def test_any_scenario_file_is_read_or_refused_in_one_line(tmp_path_factory, text: str) -> None:
    """Scenario files in-process (no training): generated configs, garbage, truncations."""
    path = tmp_path_factory.mktemp("s") / "scenario.json"
    path.write_text(text[: len(text) // 2] if text.endswith("}") and len(text) % 3 == 0 else text)
    try:
        cli.resolve_config(str(path), [], None)
    except cli.UsageError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 700, str(exc)
