"""The numbers of a network's costly passes at the weights its runs start from, kept in the
user's cache: a lesson opened again, in another process, starts without them.

LeNet's first loss over 60 000 images takes ~7 s on the 2-core machines, its epoch-0 measures
over 20 000 more ~2 s; read back, each is a file of a few hundred bytes. A pass's numbers
follow from the images, the weights, the model's code, the thread count and the torch build on
this CPU: the file's name is a hash of all of them (`name_of`), and it holds that hash and a
hash of the numbers, so a file that is cut, damaged or left by another build is not used (the
pass is made again and the file written anew). Files are written to a temporary name and
renamed (engine.atomic_file); the KEEP most recently used stay.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import os
from pathlib import Path

import numpy as np

from engine.atomic_file import write_text_atomically
from engine.data.store import passes_dir

FORMAT = 1  # part of every file's name: a change to what a pass computes makes new ones
KEEP = 512  # files kept (~300 bytes each)
SUFFIX = ".json"
CODE = ("network.py", "models.py")  # beside this file: the network and its pass

Scores = tuple[np.ndarray, np.ndarray]  # per run: mean cross-entropy, accuracy


@functools.cache
def _build() -> tuple[str, ...]:
    """What besides the key decides a pass's numbers: the torch build and the kernels it picks
    on this CPU, and the code of the network and its pass."""
    import torch

    code = hashlib.sha256()
    for source in CODE:
        try:
            code.update((Path(__file__).parent / source).read_bytes())
        except OSError:  # a bundle without sources: its torch version and FORMAT must do
            code.update(b"?")
    return (str(FORMAT), torch.__version__, torch.backends.cpu.get_cpu_capability(), code.hexdigest())


def name_of(key: tuple[object, ...]) -> str:
    """The file name for the pass `key` (see NetworkClassifier._pass_key) in this build."""
    return hashlib.sha256(repr((_build(), key)).encode()).hexdigest()[:40]


def _check(name: str, loss: list[float], accuracy: list[float]) -> str:
    return hashlib.sha256(json.dumps([name, loss, accuracy]).encode()).hexdigest()


def load(key: tuple[object, ...], runs: int) -> Scores | None:
    """The kept numbers of pass `key` over `runs` runs, or None when there are none (whole)."""
    name = name_of(key)
    path = passes_dir() / f"{name}{SUFFIX}"
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        loss, accuracy = kept["loss"], kept["accuracy"]
        if kept["name"] != name or kept["check"] != _check(name, loss, accuracy):
            return None
        scores = np.array(loss, dtype=np.float64), np.array(accuracy, dtype=np.float64)
    except (OSError, ValueError, KeyError, TypeError):
        return None
    if scores[0].shape != (runs,) or scores[1].shape != (runs,):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # used now: the last to be removed
    return scores


def save(key: tuple[object, ...], scores: Scores) -> None:
    """Keep the numbers of pass `key`; a cache that cannot be written is no error."""
    name = name_of(key)
    loss = [float(v) for v in scores[0]]
    accuracy = [float(v) for v in scores[1]]
    text = json.dumps(
        {"name": name, "loss": loss, "accuracy": accuracy, "check": _check(name, loss, accuracy)}
    )
    folder = passes_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        write_text_atomically(folder / f"{name}{SUFFIX}", text)
    except OSError:
        return
    _tidy(folder)


def _tidy(folder: Path) -> None:
    """Remove all but the KEEP most recently used files."""
    files: list[tuple[float, str]] = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            if entry.name.endswith(SUFFIX) and not entry.name.startswith("."):
                with contextlib.suppress(OSError):
                    files.append((entry.stat().st_mtime, entry.path))
    for _, old in sorted(files, reverse=True)[KEEP:]:
        with contextlib.suppress(OSError):
            os.unlink(old)
