"""`main.py script`: the lesson as a standalone PyTorch script reproduces the app's numbers.

The scripts run in isolated Python processes (`-I`: no PYTHONPATH, no current folder on the path)
from an empty folder, so they cannot import this project; their final losses are compared with
the app's own `summary.json` of the same lesson.
"""

from __future__ import annotations

import ast
import json
import math
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import run_main

# The app computes the line gradients in closed form and the script with autograd, both in
# float32: the last bits of a step differ, and over 100 000 steps the final losses agreed to
# ~1e-7 relative (float32's resolution); 1e-5 leaves room for another CPU's rounding.
RTOL = 1e-5
LESSONS = ("gd-sgd-minibatch", "rprop-vs-rmsprop", "lr-scaling")


def write_script(tmp_path: Path, source: str, *sets: str) -> Path:
    script = tmp_path / f"{Path(source).stem}.py"
    extra = [arg for s in sets for arg in ("--set", s)]
    out = run_main("script", source, *extra, "--out", str(script))
    assert out.returncode == 0, out.stderr
    assert out.stderr == ""
    return script


def start_script(script: Path, folder: Path) -> subprocess.Popen[str]:
    folder.mkdir(exist_ok=True)
    return subprocess.Popen(
        [sys.executable, "-I", str(script)],
        cwd=folder,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def script_results(process: subprocess.Popen[str]) -> dict[str, dict]:
    stdout, stderr = process.communicate(timeout=600)
    assert process.returncode == 0, stderr
    lines = [json.loads(line) for line in stdout.splitlines()]
    return {line["label"]: line for line in lines}


def app_results(tmp_path: Path, source: str, *sets: str) -> dict[str, dict]:
    folder = tmp_path / f"app-{Path(source).stem}"
    extra = [arg for s in sets for arg in ("--set", s)]
    out = run_main("run", source, *extra, "--device", "cpu", "--out", str(folder))
    assert out.returncode == 0, out.stderr
    summary = json.loads((folder / "summary.json").read_text())
    return {r["label"]: r for r in summary["runs"]}


def assert_same_losses(script: dict[str, dict], app: dict[str, dict]) -> None:
    assert list(script) == list(app)  # every run, in the lesson's order
    for label, want in app.items():
        got = script[label]
        assert set(got) == {"label", "final_loss", "diverged"}
        assert got["diverged"] == want["diverged"], label
        if want["diverged"]:
            assert got["final_loss"] is None
        else:
            assert math.isfinite(got["final_loss"])
            assert got["final_loss"] == pytest.approx(want["final_loss"], rel=RTOL), label


def test_exported_lessons_reproduce_the_apps_final_losses(tmp_path: Path) -> None:
    # The scripts run side by side (the Rprop lesson's 100 000 autograd steps take ~50 s here)
    # while the app trains the same lessons in this process's children.
    scripts = {lesson: write_script(tmp_path, lesson) for lesson in LESSONS}
    processes = {lesson: start_script(s, tmp_path / f"run-{lesson}") for lesson, s in scripts.items()}
    try:
        apps = {lesson: app_results(tmp_path, lesson) for lesson in LESSONS}
        for lesson in LESSONS:
            assert_same_losses(script_results(processes[lesson]), apps[lesson])
    finally:
        for p in processes.values():
            p.kill()
            p.communicate()
    # What the lessons are about shows in the numbers the scripts printed, too.
    assert apps["lr-scaling"]["B512"]["diverged"]
    assert (
        apps["rprop-vs-rmsprop"]["Rprop B1"]["final_loss"]
        > 10 * apps["rprop-vs-rmsprop"]["RMSprop B1"]["final_loss"]
    )


@pytest.mark.parametrize(
    ("source", "sets"),
    [
        # logistic, Adam, draws with replacement and a linear warm-up
        (
            "gd-sgd-minibatch",
            (
                "problem=logistic",
                "noise=1.0",
                "n_samples=200",
                "epochs=3",
                "optimizer=adam",
                "sampling=replacement",
                "batches_per_epoch=7",
                "warmup_epochs=1.5",
            ),
        ),
        # the non-convex two_lines surface, a drawn start, Nesterov momentum, drop_last, sqrt scaling
        (
            "sgd-escapes-local-minimum",
            (
                "n_samples=300",
                "epochs=3",
                "start=null",
                "seed=7",
                "optimizer=sgd",
                "optimizer_params.momentum=0.9",
                "optimizer_params.nesterov=true",
                "drop_last=true",
                "lr_scaling=sqrt",
            ),
        ),
    ],
)
def test_scripts_follow_every_setting_they_export(tmp_path: Path, source: str, sets: tuple[str, ...]) -> None:
    script = write_script(tmp_path, source, *sets)
    process = start_script(script, tmp_path / "run")
    assert_same_losses(script_results(process), app_results(tmp_path, source, *sets))


def test_the_script_imports_only_torch_and_the_standard_library(tmp_path: Path) -> None:
    script = write_script(tmp_path, "rprop-vs-rmsprop")
    tree = ast.parse(script.read_text(encoding="utf-8"))
    modules = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    modules |= {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert modules == {"json", "math", "torch", "torch.nn.functional"}
    text = script.read_text(encoding="utf-8")
    assert "torch.optim" in text and "nn.Module" in text  # torch.optim.Rprop / RMSprop by name
    assert "Rprop needs full batches" in text.splitlines()[0]  # the lesson's title heads it


def test_a_problem_the_export_does_not_cover_is_refused_in_one_line(tmp_path: Path) -> None:
    target = tmp_path / "lenet.py"
    out = run_main("script", "lenet-fashion", "--out", str(target))
    assert out.returncode == 2
    assert out.stderr.startswith("error: ") and len(out.stderr.strip().splitlines()) == 1
    assert "network" in out.stderr and "linear" in out.stderr
    assert not target.exists()


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    out = run_main("script", "lr-scaling", "--out", str(folder))  # a folder, not a file
    assert out.returncode == 2 and "folder" in out.stderr
    assert list(folder.iterdir()) == []
    out = run_main("script", "lr-scaling", "--out", str(tmp_path / "missing" / "s.py"))
    assert out.returncode == 2 and "nothing was changed" in out.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_bad_overrides_are_refused_before_anything_is_written(tmp_path: Path) -> None:
    target = tmp_path / "s.py"
    out = run_main("script", "lr-scaling", "--set", "epochs=0", "--out", str(target))
    assert out.returncode == 2 and "epochs" in out.stderr
    assert not target.exists()


def test_any_title_gives_a_valid_script() -> None:
    import dataclasses

    from engine import lesson_script, load_preset

    preset = load_preset("lr-scaling")
    odd = dataclasses.replace(
        preset, id='my "lesson" \\ 1', title={"en": 'Fit C:\\Users\\data """ \\U0001 \n end'}
    )
    text = lesson_script(odd, preset.config)
    ast.parse(text)  # no escape, quote or line break of the title can break the script
    assert text.startswith("# Fit C:\\Users\\data")
