"""A folder of results written as a whole: it holds one complete experiment or the one before.

`run --out DIR` writes summary.json, history.csv and (2-D problems) data.csv. They are written
into a hidden staging folder beside DIR, then the staging folder takes DIR's place in one
rename (Linux: an atomic exchange of the two folders; elsewhere two renames with signals held
back between them), and the old folder is removed. A failure, Ctrl-C or SIGTERM at any point
before the swap leaves DIR as it was and removes the staging folder; only SIGKILL or a power
cut can leave a `.DIR.*.partial` folder behind, never a mixed DIR.

Because the whole folder is replaced, DIR may hold only files this writer makes: a folder with
anything else in it is refused up front (before any training), as is one that cannot be
written.
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import dataclasses
import json
import os
import shutil
import signal
import sys
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

import numpy as np

from engine.config import ExperimentConfig
from engine.errors import shown_path
from engine.instruments.sweep_result import SWEEP_COLUMNS, SweepResult
from engine.training.history import RunHistory
from engine.training.progress import Progress

RESULT_FILES = ("summary.json", "history.csv", "data.csv", "sweep.csv")
# The window's export adds pictures of each view: a column-wide figure (PNG), a 1920×1080
# slide (PNG) and a vector picture (SVG).
VIEW_NAMES = ("paths", "accuracy", "loss", "noise", "sweep", "memory", "landscape")
IMAGE_FILES = tuple(f"{view}{kind}" for view in VIEW_NAMES for kind in (".png", "-slide.png", ".svg"))
ALLOWED_FILES = RESULT_FILES + IMAGE_FILES


class ResultsFolder:
    """Staging for one set of result files; `commit` swaps it into place, `discard` drops it.

    Construct it before training: it raises ValueError with a sentence for the user when the
    folder cannot be used (exists as a file, holds other files, not writable).
    """

    def __init__(self, path: str | os.PathLike[str]) -> None:
        if not str(path).strip():
            raise ValueError("the results folder needs a name")
        try:
            self._check(path)
        except OSError as exc:  # e.g. a name too long for the file system
            raise ValueError(f"{shown_path(path)} cannot be used: {exc.strerror or exc}") from exc
        self.written: list[str] = []

    def _check(self, path: str | os.PathLike[str]) -> None:
        # The real folder (a symlink to a folder is followed, so the link stays a link).
        self.target = Path(os.path.realpath(path))
        shown = str(path)
        if self.target.exists() or self.target.is_symlink():
            if not self.target.is_dir():
                raise ValueError(f"{shown} exists and is not a folder")
            foreign = sorted(n for n in os.listdir(self.target) if n not in ALLOWED_FILES)
            if foreign:
                listed = ", ".join(foreign[:3]) + (", …" if len(foreign) > 3 else "")
                raise ValueError(
                    f"{shown} holds other files ({listed}); results replace the whole folder, "
                    "so give a new or empty folder, or one written by an earlier run"
                )
            if not os.access(self.target, os.W_OK | os.X_OK):
                raise ValueError(f"{shown} is not writable")
        try:
            self.target.parent.mkdir(parents=True, exist_ok=True)
            self.staging = Path(
                tempfile.mkdtemp(prefix=f".{self.target.name}.", suffix=".partial", dir=self.target.parent)
            )
            # A probe file: a read-only file system refuses here, before any training.
            (self.staging / ".probe").touch()
            (self.staging / ".probe").unlink()
        except OSError as exc:
            raise ValueError(f"{shown} cannot be written: {exc.strerror or exc}") from exc

    def write(self, name: str, writer: Callable[[TextIO], None]) -> None:
        """Write one file (one of RESULT_FILES) into the staging folder."""
        assert name in RESULT_FILES, name
        with open(self.staging / name, "w", encoding="utf-8", newline="") as f:
            writer(f)
            f.flush()
            os.fsync(f.fileno())
        self.written.append(name)

    def write_file(self, name: str, writer: Callable[[Path], None]) -> None:
        """Write one picture (one of IMAGE_FILES) by a writer that takes the file's path."""
        assert name in IMAGE_FILES, name
        writer(self.staging / name)
        if not (self.staging / name).is_file():
            raise OSError(f"{name} was not written")
        self.written.append(name)

    def commit(self) -> None:
        """Put the staged files in the target's place, all at once, and remove the old folder."""
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(self.staging, 0o777 & ~umask)  # mkdtemp makes 0700; a results folder is normal
        old = self.target.parent / (self.staging.name[: -len(".partial")] + ".old")
        with _signals_held():
            if self.target.exists():
                if not _exchange(self.staging, self.target):
                    os.rename(self.target, old)
                    os.rename(self.staging, self.target)
                    self.staging = old
            else:
                os.rename(self.staging, self.target)
                self.staging = old  # nothing there: discard() has nothing to remove
        self.discard()  # after an exchange the staging name holds the previous results

    def discard(self) -> None:
        shutil.rmtree(self.staging, ignore_errors=True)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back between the renames (delivered right after)."""
    if sys.platform == "win32" or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (Linux renameat2); False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)


def write_history(f: TextIO, histories: dict[str, RunHistory], names: Sequence[str]) -> None:
    """history.csv: one row per recorded iteration of every run (floats as exact reprs)."""
    w = csv.writer(f, lineterminator="\n")
    theta = [f"theta{i}" for i in range(len(names))]
    w.writerow(["run", "label", "iteration", "epoch", "samples_seen", "wall_time_s", "loss", *theta])
    for index, (label, history) in enumerate(histories.items()):
        h = history.rows()
        for i in range(len(h)):
            w.writerow(
                [
                    index,
                    label,
                    int(h.iteration[i]),
                    repr(float(h.epoch[i])),
                    int(h.samples_seen[i]),
                    repr(float(h.wall_time_s[i])),
                    repr(float(h.loss[i])),
                    *(repr(float(v)) for v in h.params[i]),
                ]
            )


def write_sweep(f: TextIO, sweep: SweepResult) -> None:
    """sweep.csv: one row per batch size and seed (SWEEP_COLUMNS); an empty cell where a
    figure does not exist (a size refused for memory was never timed or trained)."""
    w = csv.writer(f, lineterminator="\n")
    w.writerow(SWEEP_COLUMNS)
    for row in sweep.rows:
        values = row.to_dict()
        w.writerow(["" if values[c] is None else _cell(values[c]) for c in SWEEP_COLUMNS])


def _cell(value: object) -> str:
    return repr(value) if isinstance(value, float) else str(value)


def write_columns(f: TextIO, columns: dict[str, np.ndarray]) -> None:
    """data.csv: named columns of equal length."""
    w = csv.writer(f, lineterminator="\n")
    names = list(columns)
    w.writerow(names)
    for row in zip(*(columns[n] for n in names), strict=True):
        w.writerow([repr(float(v)) for v in row])


def jsonable(value: object) -> object:
    """A measurement as JSON data: objects with to_dict, and dicts of them."""
    if isinstance(value, dict):
        return {k: jsonable(v) for k, v in value.items()}
    to_dict = getattr(value, "to_dict", None)
    return to_dict() if to_dict is not None else value


def results_summary(
    config: ExperimentConfig,
    device: str,
    final: Progress,
    histories: Mapping[str, RunHistory] | None = None,
) -> dict[str, Any]:
    """summary.json's content: the device, the resolved config, one result per run (with its
    workers and, given the histories, its recorded loss at the end of each epoch, from epoch
    0), and the measurements (gradient noise, basins) when the config asked for them."""
    runs = []
    for r in final.results:
        entry = dataclasses.asdict(r)
        entry["workers"] = config.run_by_label(r.label).workers
        if histories is not None and r.label in histories:
            rows = histories[r.label].rows()
            whole = rows.iteration % r.iterations_per_epoch == 0
            entry["loss_per_epoch"] = [float(v) for v in rows.loss[whole]]
        runs.append(entry)
    summary: dict[str, Any] = {"device": device, "config": config.to_dict(), "runs": runs}
    measurements = {k: jsonable(v) for k, v in final.measurements.items()}
    if measurements:
        summary["measurements"] = measurements
    return summary


def write_results(
    folder: ResultsFolder,
    summary: dict[str, Any],
    histories: dict[str, RunHistory],
    names: Sequence[str],
    data: dict[str, np.ndarray],
    sweep: SweepResult | None = None,
) -> None:
    """Stage summary.json, history.csv, (2-D problems) data.csv and (a sweep) sweep.csv; the
    caller commits."""
    folder.write("summary.json", lambda f: json.dump(summary, f, indent=2, allow_nan=False))
    folder.write("history.csv", lambda f: write_history(f, histories, names))
    if data:  # networks have no small table of data to write
        folder.write("data.csv", lambda f: write_columns(f, data))
    if sweep is not None:
        folder.write("sweep.csv", lambda f: write_sweep(f, sweep))
