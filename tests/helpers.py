"""Helpers the tests share, free of Qt: engine tests import them with no QApplication around.

Tiny configs and headless runs, the command line as a subprocess, a local HTTP server of
MNIST-shaped files, and the plain PyTorch loop the network problem is checked against. Test
modules import from here (or from tests/gui/helpers.py), never from one another or from a
conftest.py (tests/test_layout_of_tests.py checks it). torch is imported only by the helpers
that need it, so importing this module stays as light as importing `engine`.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import http.server
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from engine import ExperimentConfig, Progress, Recorder, RunHistory, RunSpec, derive_seed, run_session
from engine.data import DATASETS
from engine.data.idx import write_idx

if TYPE_CHECKING:
    import torch
    from torch import nn

    from engine.problems.network import NetworkClassifier

ROOT = Path(__file__).resolve().parents[1]  # the project's folder, where main.py lives

# ----- configs and headless runs -----


def small_config(**changes: object) -> ExperimentConfig:
    """A seconds-fast config: N = 64, two epochs, GD / SGD / mini-batch B = 8, on the CPU."""
    base = ExperimentConfig(
        n_samples=64,
        epochs=2,
        lr=0.05,
        start=(-1.0, 2.0),
        device="cpu",
        runs=(RunSpec("GD", "full"), RunSpec("SGD", 1), RunSpec("Mini-batch", 8)),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def digits_config(**changes: object) -> ExperimentConfig:
    """A small network lesson on the bundled 8×8 digits: N = 200, three epochs, B = 16 and 50."""
    base = ExperimentConfig(
        problem="network",
        dataset="digits",
        n_samples=200,
        epochs=3,
        lr=0.1,
        device="cpu",
        runs=(RunSpec("B16", 16), RunSpec("B50", 50)),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


@dataclasses.dataclass
class Collected:
    setup: object
    last: Progress
    histories: dict[str, RunHistory]
    snapshots: int


def collect(config: ExperimentConfig, control: object = None) -> Collected:
    """Run a session to its end and gather every run's full history."""
    recorder = Recorder()
    for progress in run_session(config, control):  # type: ignore[arg-type]
        recorder.add(progress)
    last = recorder.last
    assert last is not None and last.finished
    return Collected(recorder.setup, last, recorder.histories, recorder.snapshots)


# ----- child processes (data-parallel workers) -----


def children() -> list[int]:
    """The live processes whose parent is this one (zombies not counted: they are reaped;
    nor multiprocessing's resource tracker, which lives as long as this process). Linux: from
    /proc; elsewhere none can be listed."""
    me, found = os.getpid(), []
    for entry in Path("/proc").glob("[0-9]*"):
        try:
            stat = (entry / "stat").read_text()
            command = (entry / "cmdline").read_bytes()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == me and fields[0] != "Z" and b"resource_tracker" not in command:
            found.append(int(entry.name))
    return found


def no_children_but(before: set[int], within_s: float = 5.0) -> bool:
    """Whether every child process started since `before` was listed has gone (waiting up
    to `within_s` for those already told to leave)."""
    deadline = time.monotonic() + within_s
    while set(children()) - before:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


# ----- the command line, in a process of its own -----


def run_main(*args: str) -> subprocess.CompletedProcess[str]:
    """`python main.py ARGS` to its end, its output captured as text."""
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args], capture_output=True, text=True, timeout=300
    )


def catches_sigterm(pid: int) -> bool:
    """Whether process `pid` has a handler for SIGTERM now (SigCgt in /proc/PID/status)."""
    try:
        with open(f"/proc/{pid}/status") as f:
            caught = next(int(line.split()[1], 16) for line in f if line.startswith("SigCgt:"))
    except (OSError, StopIteration):
        return False
    return bool(caught >> (signal.SIGTERM - 1) & 1)


# ----- downloads from a real local HTTP server -----

MNIST_FILES = [name for name, _ in DATASETS["mnist"].files.values()]


class _Handler(http.server.SimpleHTTPRequestHandler):
    lie_about_length: ClassVar[set[str]] = set()  # files served with a Content-Length 1000 bytes too long

    def log_message(self, *args: object) -> None:
        pass

    def handle(self) -> None:
        with contextlib.suppress(ConnectionError):  # a client that stops reading (a stop, a lie)
            super().handle()

    def finish(self) -> None:
        with contextlib.suppress(ConnectionError):
            super().finish()

    def send_header(self, keyword: str, value: str) -> None:
        if keyword == "Content-Length" and Path(self.path).name in self.lie_about_length:
            value = str(int(value) + 1000)
        super().send_header(keyword, value)


@contextlib.contextmanager
def serving(folder: Path, lie_about: set[str] = frozenset()) -> Iterator[str]:
    """Serve `folder` over HTTP on a free local port; yields the base URL."""
    handler = type("H", (_Handler,), {"lie_about_length": set(lie_about)})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: handler(*a, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def small_idx_set(folder: Path, train: int = 60_000, val: int = 10_000) -> dict[str, str]:
    """Write four small-but-valid IDX files shaped like MNIST's (zeros); their MD5s."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    files = MNIST_FILES
    shapes = {files[0]: (train, 28, 28), files[1]: (train,), files[2]: (val, 28, 28), files[3]: (val,)}
    for name, shape in shapes.items():
        values = rng.integers(0, 10 if len(shape) == 1 else 256, size=shape, dtype=np.uint8)
        write_idx(folder / name, values)
    return {name: hashlib.md5((folder / name).read_bytes()).hexdigest() for name in shapes}


# ----- the network problem's independent reference: plain nn.Module + torch.optim -----


def plain_module(model: str, inputs: int) -> nn.Module:
    """The seed article's networks written out as nn.Sequential, independent of the engine's."""
    from torch import nn

    if model == "mlp":
        return nn.Sequential(nn.Flatten(), nn.Linear(inputs, 128), nn.ReLU(), nn.Linear(128, 10))
    return nn.Sequential(
        nn.Conv2d(1, 6, 5, padding=2), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(6, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
        nn.Linear(400, 120), nn.ReLU(), nn.Linear(120, 84), nn.ReLU(), nn.Linear(84, 10),
    )  # fmt: skip


def plain_loop(
    config: ExperimentConfig, label: str, batch: int, at: dict[int, tuple[float, float]] | None = None
) -> tuple[nn.Module, NetworkClassifier, list[float]]:
    """Train the plain module with torch.optim on the batches the engine's seeded order gives
    (`at`: iteration → validation (loss, accuracy) there, filled in for the iterations it holds)."""
    import torch
    from torch import nn

    from engine.problems.network import NetworkClassifier

    problem = NetworkClassifier(config, torch.device("cpu"), derive_seed(config.seed, "data"))
    model = plain_module(config.model, problem.x[0].numel())
    with torch.no_grad():
        for p, v in zip(model.parameters(), problem.initial_blocks(None), strict=True):
            p.copy_(torch.tensor(v, dtype=torch.float32))
    name, params = config.optimizer_of(config.runs[0])
    optimizer = {"sgd": torch.optim.SGD, "adam": torch.optim.Adam}[name]
    opt = optimizer(model.parameters(), lr=config.lr, **params)
    g = torch.Generator().manual_seed(derive_seed(config.seed, f"run:{label}"))
    losses = []
    for _ in range(config.epochs):
        order = torch.randperm(config.n_samples, generator=g)
        for start in range(0, config.n_samples, batch):
            idx = order[start : start + batch]
            opt.zero_grad()
            loss = nn.functional.cross_entropy(model(problem.x[idx]), problem.y[idx])
            loss.backward()
            opt.step()
            losses.append(loss.item())
            if at is not None and len(losses) in at:
                at[len(losses)] = scores(model, problem.val_x, problem.val_y)
    return model, problem, losses


def scores(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> tuple[float, float]:
    """(cross-entropy loss, accuracy) of `model` on (x, y), in float64."""
    import torch
    from torch import nn

    with torch.no_grad():
        logits = model(x).double()
    return nn.functional.cross_entropy(logits, y).item(), (logits.argmax(1) == y).double().mean().item()
