"""`--self-test` and `--version`: they pass here, and a wrong answer or a missing file fails."""

from __future__ import annotations

import platform
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

import engine.self_test as self_test
from engine.resources import RESOURCES, __version__

ROOT = Path(__file__).resolve().parents[2]


def test_the_self_test_passes_and_says_each_check() -> None:
    lines: list[str] = []
    assert self_test.run_self_test(lines.append) == 0
    assert [line.split("  ", 1)[0] for line in lines[:-1]] == ["ok"] * len(self_test.CHECKS)
    assert lines[-1] == "self-test passed"


@pytest.mark.parametrize(
    "key", ["logistic", "two_lines", "hinton Rprop", "network_loss", "network_val_accuracy"]
)
def test_a_wrong_known_answer_fails_its_check(monkeypatch, key: str) -> None:
    monkeypatch.setitem(self_test.KNOWN, key, self_test.KNOWN[key] * 1.05 + 0.05)
    lines: list[str] = []
    assert self_test.run_self_test(lines.append) == 1
    failed = [line for line in lines if line.startswith("FAIL")]
    assert len(failed) == 1 and "known answer" in failed[0]
    assert lines[-1] == f"self-test FAILED (1 of {len(self_test.CHECKS)} checks)"


def test_the_float64_recursion_would_see_a_wrong_learning_rate(monkeypatch) -> None:
    # The engine made to step with 1 % more than the config's rate: the independent recursion
    # must notice.
    import engine.training.stack as stack

    real = stack.build_optimizer

    def faster(name, groups, lr, options, foreach=None):  # type: ignore[no-untyped-def]
        for g in groups:
            g["lr"] *= 1.01
        return real(name, groups, lr, options, foreach=foreach)

    monkeypatch.setattr(stack, "build_optimizer", faster)
    assert self_test.check_linear_gd() is not None


def test_a_missing_resource_is_named(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(self_test, "RESOURCES", tmp_path)
    problem = self_test.check_files()
    assert problem is not None and "fonts/wqy-microhei.ttc" in problem and str(tmp_path) in problem


def test_version_and_self_test_from_the_command_line() -> None:
    assert __version__ == tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    out = subprocess.run(
        [sys.executable, "main.py", "--version"], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    import torch
    from PySide6.QtCore import qVersion

    assert f"Batch Size Lab {__version__}" in out.stdout and f"torch {torch.__version__}" in out.stdout
    # The running interpreter's version (3.11, 3.12 or 3.13: any that pyproject allows).
    assert f"Qt {qVersion()}" in out.stdout and f"Python {platform.python_version()}" in out.stdout
    # The device this machine has (a CUDA machine says its GPU), as the engine describes it.
    from engine.training.device import describe_device, resolve_device

    assert f"device: {describe_device(resolve_device('auto'))}".split(",")[0] in out.stdout
    assert RESOURCES == ROOT / "resources"  # not frozen: the clone's own folder
