"""Prepared copies: a data set's images as a network trains on them, kept in the user's cache.

Turning Fashion-MNIST's bytes into standardised float32 images takes ~1.7 s on the 2-core
machines (seconds more on a loaded one) at every start; reading the 220 MB of floats back and
checking them takes ~0.25 s. A copy is one file per data set, N and seed (`load_images` names
it by a hash of the source files' contents and the preparation's parameters):

    b"batch-size-lab prepared arrays 1\\n"
    a JSON line: {"key": ..., "arrays": [[name, dtype, shape], ...]}
    each array's bytes, C order, one after another
    32 bytes: the SHA-256 of everything before them

A copy whose hash, size, key or layout is not what is expected is no copy: the images are
prepared again and the copy written anew. Writing goes to a temporary name that is renamed
when whole, without waiting for the disk (the hash finds a copy a crash left half-written).
A cache that cannot be written (read-only, full) is no error: the images are just not kept.
The newest KEEP copies of a data set stay; older ones are removed when a new one is written.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import time
from pathlib import Path

import numpy as np

from engine.atomic_file import replacing
from engine.control import checkpoint

MAGIC = b"batch-size-lab prepared arrays 1\n"
SUFFIX = ".arrays"
CHUNK = 1 << 23  # 8 MB read or written between stop checks (~5 ms from the page cache)
KEEP = 3  # copies kept per data set (Fashion-MNIST at N = 60 000: 220 MB each)
STALE_PART_S = 3600.0  # a temporary file this old was left by a process that died writing it

Layout = tuple[tuple[str, str, tuple[int, ...]], ...]  # (name, dtype, shape) of each array


def layout_of(arrays: dict[str, np.ndarray]) -> Layout:
    return tuple((name, a.dtype.str, tuple(int(d) for d in a.shape)) for name, a in arrays.items())


def load(path: Path, key: str, layout: Layout) -> dict[str, np.ndarray] | None:
    """The arrays kept at `path` (new, writable ones), or None when there is no whole copy of
    exactly `layout` under `key` there. Reports the share read through `checkpoint`."""
    try:
        with open(path, "rb") as f:
            header = _header(key, layout)
            if f.read(len(header)) != header:
                return None
            total = sum(np.dtype(dtype).itemsize * int(np.prod(shape)) for _, dtype, shape in layout)
            if os.fstat(f.fileno()).st_size != len(header) + total + 32:
                return None
            digest = hashlib.sha256(header)
            out: dict[str, np.ndarray] = {}
            done = 0
            for name, dtype, shape in layout:
                array = np.empty(shape, dtype=np.dtype(dtype))
                flat = array.reshape(-1).view(np.uint8).data
                for start in range(0, len(flat), CHUNK):
                    part = flat[start : start + CHUNK]
                    if f.readinto(part) != len(part):
                        return None
                    digest.update(part)
                    done += len(part)
                    checkpoint(done / max(total, 1))
                out[name] = array
            if f.read(33) != digest.digest():
                return None
    except (OSError, ValueError):
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # used now: the last to be removed
    return out


def save(path: Path, key: str, arrays: dict[str, np.ndarray]) -> None:
    """Keep `arrays` at `path` under `key`: whole or not at all. OSError (nothing is left
    behind) or Interrupted (a stop: nothing is left behind either). Removes the older copies
    beyond KEEP in the same folder, and temporary files a dead process left there."""
    path.parent.mkdir(parents=True, exist_ok=True)
    # Not synced to disk: a copy torn by a crash fails its SHA-256 when read and is made again.
    with replacing(path, sync=False) as f:
        header = _header(key, layout_of(arrays))
        digest = hashlib.sha256(header)
        f.write(header)
        total = sum(a.nbytes for a in arrays.values())
        written = 0
        for array in arrays.values():
            flat = np.ascontiguousarray(array).reshape(-1).view(np.uint8).data
            for start in range(0, len(flat), CHUNK):
                part = flat[start : start + CHUNK]
                f.write(part)
                digest.update(part)
                written += len(part)
                checkpoint(written / max(total, 1))
        f.write(digest.digest())
    _tidy(path.parent)


def _header(key: str, layout: Layout) -> bytes:
    line = json.dumps({"key": key, "arrays": [[n, d, list(s)] for n, d, s in layout]}, sort_keys=True)
    return MAGIC + line.encode("ascii") + b"\n"


def _tidy(folder: Path) -> None:
    """Remove all but the KEEP newest copies, and temporary files older than STALE_PART_S."""
    now = time.time()
    copies: list[tuple[float, Path]] = []
    with contextlib.suppress(OSError):
        for entry in os.scandir(folder):
            with contextlib.suppress(OSError):
                mtime = entry.stat().st_mtime
                if entry.name.endswith(SUFFIX) and not entry.name.startswith("."):
                    copies.append((mtime, Path(entry.path)))
                elif (
                    entry.name.startswith(".") and entry.name.endswith(".part") and now - mtime > STALE_PART_S
                ):
                    os.unlink(entry.path)
    for _, old in sorted(copies, reverse=True)[KEEP:]:
        with contextlib.suppress(OSError):
            old.unlink()
