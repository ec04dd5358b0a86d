"""The headless command line, as users and scripts call it (subprocesses, real files)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import numpy as np

from tests.helpers import ROOT, run_main


def test_presets_lists_ids_with_descriptions() -> None:
    out = run_main("presets")
    assert out.returncode == 0, out.stderr
    lines = dict(line.split("\t") for line in out.stdout.strip().splitlines())
    assert {"gd-sgd-minibatch", "epoch-iteration"} <= set(lines)
    assert all(text.strip() for text in lines.values())


def test_run_writes_summary_history_and_data(tmp_path: Path) -> None:
    out = run_main("run", "gd-sgd-minibatch", "--out", str(tmp_path), "--set", "epochs=2")
    assert out.returncode == 0, out.stderr
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["device"].startswith(("CPU", "CUDA"))
    assert summary["config"]["epochs"] == 2 and summary["config"]["n_samples"] == 1000
    runs = {r["label"]: r for r in summary["runs"]}
    assert {k: runs[k]["iterations_per_epoch"] for k in runs} == {"GD": 1, "SGD": 1000, "Mini-batch": 32}
    keys = {
        "label",
        "batch_size",
        "iterations_per_epoch",
        "iterations",
        "epochs",
        "samples_seen",
        "initial_loss",
        "final_loss",
        "final_params",
        "diverged",
        "wall_time_s",
    }
    for r in runs.values():
        assert keys <= set(r)
        assert r["final_loss"] < r["initial_loss"] and not r["diverged"]
        assert r["iterations"] == 2 * r["iterations_per_epoch"] and r["samples_seen"] == 2000

    with (tmp_path / "history.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == [
        "run",
        "label",
        "iteration",
        "epoch",
        "samples_seen",
        "wall_time_s",
        "loss",
        "theta0",
        "theta1",
    ]
    per_run = {label: [r for r in rows if r["label"] == label] for label in runs}
    for label, r in runs.items():
        assert len(per_run[label]) == r["iterations"] + 1  # iteration 0 included
        assert per_run[label][0]["iteration"] == "0"
        last = per_run[label][-1]
        assert float(last["loss"]) == r["final_loss"]
        assert [float(last["theta0"]), float(last["theta1"])] == r["final_params"]

    data = np.genfromtxt(tmp_path / "data.csv", delimiter=",", names=True)
    assert data.dtype.names == ("x", "y") and len(data) == 1000
    # The history's loss is the full-batch MSE on data.csv at the recorded parameters.
    gd0 = per_run["GD"][0]
    w, b = float(gd0["theta0"]), float(gd0["theta1"])
    assert np.isclose(np.mean((w * data["x"] + b - data["y"]) ** 2), float(gd0["loss"]), rtol=1e-9)
    assert not list(tmp_path.glob(".*"))  # no temporary files left behind


def test_run_accepts_a_config_file(tmp_path: Path) -> None:
    cfg = tmp_path / "mine.json"
    cfg.write_text(json.dumps({"n_samples": 40, "epochs": 1, "runs": [{"label": "A", "batch_size": 4}]}))
    out = run_main("run", str(cfg), "--out", str(tmp_path / "o"))
    assert out.returncode == 0, out.stderr
    summary = json.loads((tmp_path / "o" / "summary.json").read_text())
    assert summary["runs"][0]["iterations"] == 10


def test_bad_inputs_exit_2_with_one_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    cases = [
        (("run", "no-such-preset"), "no preset called 'no-such-preset'"),
        (("run", "gd-sgd-minibatch", "--set", "bogus=1"), "unknown config field 'bogus'"),
        (("run", "gd-sgd-minibatch", "--set", "runs.SGD.batch_size=0"), "batch_size of run 'SGD'"),
        (("run", "gd-sgd-minibatch", "--set", "lr=-1"), "lr must be"),
        (("run", str(broken)), "not valid JSON"),
    ]
    for args, message in cases:
        out = run_main(*args)
        assert out.returncode == 2, (args, out.stderr)
        lines = out.stderr.strip().splitlines()
        assert len(lines) == 1 and message in lines[0], (args, out.stderr)


def test_engine_and_cli_never_import_qt() -> None:
    code = (
        "import sys, engine, cli; from engine import run_session, ExperimentConfig;"
        "next(run_session(ExperimentConfig(n_samples=40, epochs=1, device='cpu')));"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'shiboken'))];"
        "assert not bad, bad"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr


def test_a_headless_command_through_main_never_imports_qt() -> None:
    # The whole path a user takes: main.py's one parser (arguments.py), then cli.py.
    code = (
        "import sys, runpy; sys.argv = ['main.py', 'run', 'gd-sgd-minibatch', '--set', 'epochs=1'];"
        "import main; code = main.main(sys.argv[1:]);"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'shiboken'))];"
        "assert code == 0 and not bad, (code, bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr


def test_importing_engine_does_not_import_torch() -> None:
    code = "import sys, engine; assert 'torch' not in sys.modules"
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr


def test_diverged_run_is_reported_in_valid_json(tmp_path: Path) -> None:
    cfg = tmp_path / "wild.json"
    cfg.write_text(
        json.dumps(
            {
                "n_samples": 200,
                "epochs": 5,
                "lr": 0.9,
                "start": [-1.0, 2.0],
                "runs": [{"label": "GD", "batch_size": "full"}, {"label": "SGD", "batch_size": 1}],
            }
        )
    )
    out = run_main("run", str(cfg), "--out", str(tmp_path / "o"))
    assert out.returncode == 0, out.stderr
    summary = json.loads((tmp_path / "o" / "summary.json").read_text())  # strict: no NaN
    runs = {r["label"]: r for r in summary["runs"]}
    assert runs["SGD"]["diverged"] and runs["SGD"]["final_loss"] is None
    assert all(np.isfinite(runs["SGD"]["final_params"]))
    assert not runs["GD"]["diverged"] and runs["GD"]["final_loss"] < runs["GD"]["initial_loss"]
    history = np.genfromtxt(
        tmp_path / "o" / "history.csv", delimiter=",", names=True, dtype=None, encoding="utf-8"
    )
    assert np.isfinite(history["loss"]).all()
    sgd = history[history["label"] == "SGD"]
    assert sgd["iteration"][-1] == runs["SGD"]["iterations"]
    np.testing.assert_allclose([sgd["theta0"][-1], sgd["theta1"][-1]], runs["SGD"]["final_params"])
