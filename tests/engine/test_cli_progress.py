"""`main.py run` draws a progress bar on stderr when stderr is a terminal; a pipe, a file or a
CI log gets nothing extra for a run of under a minute, and a line a minute for a longer one."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import time
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
    # Each frame clears the rest of the line (a shorter "… left" must not leave letters behind).
    assert frames[-1] == "[" + "#" * 30 + "]  100 %  epoch 40.0 of 40\x1b[K"
    assert any("left\x1b[K" in f for f in frames[:-1])  # the estimate while it runs
    assert len(frames) >= 3  # drawn as it went, not only at the end
    assert text.endswith("\r\n")  # the bar's line is ended, the shell prompt comes below


def test_a_pipe_gets_nothing_extra() -> None:
    started = time.monotonic()
    out = subprocess.run(RUN, cwd=ROOT, capture_output=True, text=True, timeout=300)
    took = time.monotonic() - started
    assert out.returncode == 0 and "%" not in out.stdout
    if took < 55:  # a loaded machine may make it a long run: it then gets its line a minute
        assert out.stderr == ""


def test_a_pipe_gets_a_line_a_minute_with_the_time_left(monkeypatch) -> None:
    import io

    import cli

    clock = [1000.0]
    monkeypatch.setattr(cli.time, "monotonic", lambda: clock[0])
    stream = io.StringIO()
    bar = cli.TerminalBar(10, stream)
    for seconds, epochs in ((30, 0.5), (61, 1.0), (90, 1.5), (122, 2.0)):
        clock[0] = 1000.0 + seconds
        bar.update(epochs)
    bar.update(10.0, final=True)
    bar.close()
    # 61 s for 1 of 10 epochs: 9 more take about 9 min; 122 s for 2: 8 more, about 8 min.
    assert stream.getvalue().splitlines() == [
        "progress: 10 %  epoch 1.0 of 10, about 9 min left",
        "progress: 20 %  epoch 2.0 of 10, about 8 min left",
    ]
