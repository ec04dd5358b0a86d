"""`main.py run` draws a progress bar on stderr when stderr is a terminal, and writes nothing
extra when it is not (a pipe, a file, CI logs)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# A few seconds of training: several redraws of the bar.
RUN = [sys.executable, "main.py", "run", "gd-sgd-minibatch", "--set", "epochs=40"]


def test_a_terminal_gets_a_bar_that_ends_at_the_last_epoch() -> None:
    master, slave = pty.openpty()
    child = subprocess.Popen(RUN, cwd=ROOT, stdout=subprocess.PIPE, stderr=slave, text=True)
    os.close(slave)
    out, _ = child.communicate(timeout=300)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child has gone: the terminal reads as closed
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    text = seen.decode()
    assert child.returncode == 0 and "final loss" in out
    frames = [f for f in text.replace("\r\n", "\r").split("\r") if f]
    assert frames[-1] == "[" + "#" * 30 + "]  100 %  epoch 40.0 of 40"
    assert len(frames) >= 3  # drawn as it went, not only at the end
    assert text.endswith("\r\n")  # the bar's line is ended, the shell prompt comes below


def test_a_pipe_gets_nothing_extra() -> None:
    out = subprocess.run(RUN, cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0 and out.stderr == "" and "%" not in out.stdout
