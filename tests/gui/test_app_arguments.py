"""The window's command line: --lang takes zh_CN as well as zh, and without it the window
follows the system's locale; --help lists the headless sub-commands too."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def start(args: list[str], locale: str, settings_home: Path) -> str:
    """Start the window and close it once painted; its remembered settings live in `settings_home`."""
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "LANG": locale,
        "LC_ALL": locale,
        "LANGUAGE": "",
        "XDG_CONFIG_HOME": str(settings_home),
    }
    out = subprocess.run(
        [sys.executable, "main.py", "--report-startup", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert out.returncode == 0, out.stderr
    return out.stdout


@pytest.mark.parametrize(
    ("args", "locale", "shown"),
    [
        ([], "zh_CN.UTF-8", "zh"),  # the system's language
        ([], "C.UTF-8", "en"),
        (["--lang", "zh_CN"], "C.UTF-8", "zh"),
        (["--lang", "en"], "zh_CN.UTF-8", "en"),  # the option wins
    ],
)
def test_the_language_follows_the_option_or_the_system(
    args: list[str], locale: str, shown: str, tmp_path: Path
) -> None:
    assert f"window shown ({shown}, gd-sgd-minibatch)" in start(args, locale, tmp_path)


def test_the_next_start_remembers_the_language_and_the_lesson(tmp_path: Path) -> None:
    assert "window shown (zh, lr-scaling)" in start(
        ["--lang", "zh", "--preset", "lr-scaling"], "C.UTF-8", tmp_path
    )
    assert "window shown (zh, lr-scaling)" in start([], "C.UTF-8", tmp_path)  # as it was left
    both = ["--lang", "en", "--preset", "epoch-iteration"]  # the options win over what is remembered
    assert "window shown (en, epoch-iteration)" in start(both, "zh_CN.UTF-8", tmp_path)


def test_help_lists_the_sub_commands() -> None:
    out = subprocess.run(
        [sys.executable, "main.py", "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0
    for command in (
        "presets",
        "run PRESET|FILE.json",
        "datasets",
        "download NAME",
        "--self-test",
        "--version",
    ):
        assert command in out.stdout, command
    assert "zh_CN" in out.stdout
