"""What the headless commands refuse, and how: exit 2 and one line `error: …` naming the thing.

Each case is one that used to go wrong: a KeyError traceback for `--set runs.X` after
`runs=[...]` without labels; a lone-surrogate label found only when the results were printed,
after the training; `optimizer_params.KEY` on a non-object in Python's words; `script --out`
replacing a FIFO or a symlink with a regular file; an over-long path as exit 1 (a failed write)
after the training; argparse's usage over several lines before its error; results lost when
stdout was full; `download` fetching a dataset a system package had already installed.
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

import cli

ROOT = Path(__file__).resolve().parents[2]
MAIN = ROOT / "main.py"
LONG_NAME = "a" * 300  # beyond the 255 bytes of a file name on Linux file systems


def refused(capsys, argv: list[str], code: int = 2) -> str:
    """Run `argv` in-process; its single stderr line, after checking the exit status."""
    got = cli.main(argv)
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    assert got == code, captured.err
    assert len(lines) == 1 and lines[0].startswith("error:"), captured.err
    return lines[0]


@pytest.fixture
def no_training(monkeypatch) -> None:
    """A refusal must come before any training: a session started fails the test."""

    def trained(*args: object, **kwargs: object) -> None:
        raise AssertionError("training started before the refusal")

    monkeypatch.setattr(cli, "run_session", trained)


def test_a_run_set_by_label_after_runs_without_labels(capsys, no_training) -> None:
    line = refused(
        capsys,
        ["run", "gd-sgd-minibatch", "--set", 'runs=[{"batch_size": 1}]', "--set", "runs.x.batch_size=2"],
    )
    assert "'x'" in line and "runs" in line


def test_a_lone_surrogate_label_is_refused_before_training(capsys, no_training) -> None:
    runs = 'runs=[{"label": "\\ud800", "batch_size": 1}]'  # JSON's escape: a lone surrogate
    line = refused(capsys, ["run", "gd-sgd-minibatch", "--set", runs])
    assert "label" in line


def test_optimizer_params_on_a_number(capsys, no_training) -> None:
    argv = ["run", "gd-sgd-minibatch", "--set", "optimizer_params=3", "--set", "optimizer_params.momentum=1"]
    assert "optimizer_params" in refused(capsys, argv)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_script_refuses_a_fifo_and_leaves_it_a_fifo(tmp_path: Path, capsys) -> None:
    fifo = tmp_path / "fifo.py"
    os.mkfifo(fifo)
    assert "fifo.py" in refused(capsys, ["script", "gd-sgd-minibatch", "--out", str(fifo)])
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert [p.name for p in tmp_path.iterdir()] == ["fifo.py"]  # no temporary file left


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need privileges on Windows")
def test_script_through_a_symlink_writes_its_target(tmp_path: Path, capsys) -> None:
    target, link = tmp_path / "target.py", tmp_path / "link.py"
    target.write_text("old\n")
    link.symlink_to(target)
    assert cli.main(["script", "gd-sgd-minibatch", "--out", str(link)]) == 0
    assert capsys.readouterr().out.startswith("wrote")
    assert link.is_symlink() and link.resolve() == target
    assert "import torch" in target.read_text()


def test_script_refuses_a_folder(tmp_path: Path, capsys) -> None:
    folder = tmp_path / "folder.py"
    folder.mkdir()
    assert "folder" in refused(capsys, ["script", "gd-sgd-minibatch", "--out", str(folder)])
    assert folder.is_dir() and not any(folder.iterdir())


def test_script_to_an_over_long_name(tmp_path: Path, capsys) -> None:
    out = tmp_path / f"{LONG_NAME}.py"
    assert "a" * 20 in refused(capsys, ["script", "gd-sgd-minibatch", "--out", str(out)])


def test_run_to_an_over_long_name_before_training(tmp_path: Path, capsys, no_training) -> None:
    out = tmp_path / LONG_NAME
    line = refused(capsys, ["run", "gd-sgd-minibatch", "--set", "epochs=1", "--out", str(out)])
    assert "--out" in line and "a" * 20 in line
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["run"], "PRESET|FILE.json"),
        (["run", "x", "--bogus"], "--bogus"),
        (["--bogus"], "--bogus"),  # the window's parser
        (["run", "gd-sgd-minibatch", "--device", "gpu"], "gpu"),
    ],
)
def test_argument_errors_are_one_line(args: list[str], named: str) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    out = subprocess.run(
        [sys.executable, str(MAIN), *args], capture_output=True, text=True, env=env, timeout=60
    )
    assert out.returncode == 2
    lines = out.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:") and named in lines[0], out.stderr


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
def test_a_full_stdout_keeps_the_results(tmp_path: Path) -> None:
    results = tmp_path / "res"
    with open("/dev/full", "w") as full:
        out = subprocess.run(
            [
                sys.executable,
                str(MAIN),
                "run",
                "gd-sgd-minibatch",
                "--set",
                "epochs=1",
                "--out",
                str(results),
            ],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert {"summary.json", "history.csv"} <= {p.name for p in results.iterdir()}
    assert out.returncode == 1
    lines = out.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), out.stderr
    assert "standard output" in lines[0] and "Traceback" not in out.stderr


SYSTEM_COPY = Path("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz")


@pytest.mark.skipif(not SYSTEM_COPY.is_file(), reason="Debian's fashion-mnist is not installed")
def test_download_says_a_system_copy_is_installed(tmp_path: Path, monkeypatch, capsys) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # a user cache without a copy
    reached: list[object] = []

    def no_network(*args: object, **kwargs: object) -> None:
        reached.append(args)
        raise OSError("the network was touched")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    assert cli.main(["download", "fashion-mnist"]) == 0
    captured = capsys.readouterr()
    assert "installed by a system package" in captured.out and captured.err == ""
    assert reached == []
    assert not (tmp_path / "batch-size-lab" / "datasets" / "fashion-mnist").exists()
