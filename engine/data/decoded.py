"""A decoded copy of each IDX file in the user's cache: a dataset is unpacked once per computer.

Unpacking Fashion-MNIST's 30 MB of gzip takes ~0.4 s (seconds on a loaded machine) at every
start; its decoded bytes, kept as a `.npy` file and memory-mapped, open in milliseconds.

`idx_array(path, dataset, shape)` is `read_idx(path, dataset, shape)` with that copy: it is
used when one is there for this very file (its name holds a hash of the file's real path, size,
modification time, inode and status-change time, so a replaced or touched file is decoded
again) and holds an array of the expected shape. Else the IDX file is read and checked as
before and a copy is written under a temporary name, flushed to disk and renamed, so a failed
or interrupted write leaves no half-written copy. A cache that cannot be written (read-only,
full) is no error: the decoded array is still returned, just not kept.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import time
from pathlib import Path

import numpy as np

from engine.atomic_file import replacing
from engine.control import checkpoint
from engine.data.idx import read_idx

FORMAT = 1  # part of every copy's key: a change to what a copy holds makes new ones
WRITE_CHUNK = 1 << 22  # 4 MB between stop checks
STALE_PART_S = 3600.0  # a temporary file this old was left by a process that died writing it


def copy_name(path: Path) -> str:
    """The decoded copy's file name for IDX file `path`: its stem and a hash of what it is."""
    real = os.path.realpath(path)
    st = os.stat(real)
    key = f"{FORMAT}\0{real}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}\0{st.st_ctime_ns}"
    digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:20]
    return f"{_stem(path)}.{digest}.npy"


def _stem(path: Path) -> str:
    return path.name.removesuffix(".gz")


def idx_array(path: Path, dataset: str, shape: tuple[int, ...], folder: Path) -> np.ndarray:
    """The uint8 array in IDX file `path` (dimensions `shape`, -1: any), from its decoded copy
    in `folder` (memory-mapped, read-only) when there is one, else read and checked by
    `read_idx` (DataError for a damaged file) and kept in `folder` for the next time."""
    try:
        target = folder / copy_name(path)
    except OSError:
        return read_idx(path, dataset, shape)  # read_idx names the file it cannot read
    kept = _open_copy(target, shape)
    if kept is not None:
        _remove_stale(target)  # what a process ended mid-write left (a listing: cheap)
        return kept
    array = read_idx(path, dataset, shape)
    try:
        _write_copy(target, array)
    except OSError:
        return array  # no room or no permission: slower next time, not wrong
    _remove_stale(target)
    kept = _open_copy(target, shape)
    return array if kept is None else kept


def _open_copy(target: Path, shape: tuple[int, ...]) -> np.ndarray | None:
    """The copy at `target` memory-mapped, or None when it is missing, unreadable or not a
    uint8 array of `shape` (a cut or foreign file is decoded and written again)."""
    try:
        array = np.load(target, mmap_mode="r", allow_pickle=False)
    except (OSError, ValueError, EOFError):
        return None
    if (
        not isinstance(array, np.ndarray)
        or array.dtype != np.uint8
        or array.ndim != len(shape)
        or any(want not in (-1, got) for want, got in zip(shape, array.shape, strict=True))
    ):
        return None
    return array


def _write_copy(target: Path, array: np.ndarray) -> None:
    """Write `array` as a .npy file at `target`: whole or not at all (OSError or Interrupted
    leave no file behind but those already complete)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with replacing(target) as f:
        data = np.ascontiguousarray(array)
        np.lib.format.write_array_header_1_0(f, np.lib.format.header_data_from_array_1_0(data))
        flat = data.reshape(-1).data  # the bytes, no copy
        for start in range(0, len(flat), WRITE_CHUNK):
            f.write(flat[start : start + WRITE_CHUNK])
            checkpoint()


def _remove_stale(target: Path) -> None:
    """Remove the older copies of the same file (another version, another folder) and
    temporary files left by a process that died while writing (never one being written)."""
    stem = target.name.rsplit(".", 2)[0]
    copy = re.compile(re.escape(stem) + r"\.[0-9a-f]{20}\.npy")
    now = time.time()
    with contextlib.suppress(OSError):
        for other in target.parent.iterdir():
            name = other.name
            old_copy = copy.fullmatch(name) is not None and name != target.name
            dead_part = copy.fullmatch(name[1:].rsplit(".", 2)[0]) is not None and name.endswith(".part")
            with contextlib.suppress(OSError):
                if old_copy or (dead_part and now - other.stat().st_mtime > STALE_PART_S):
                    other.unlink()
