"""IDX files (the MNIST format): a magic number, the dimensions, then the values, big-endian.

Read whole (gzip-compressed or not), checked against what the caller expects, as numpy.
"""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import numpy as np

from engine.control import checkpoint
from engine.errors import DataError, shown_path

UBYTE = 0x08
READ_CHUNK = 1 << 22  # 4 MB between stop checks (~20 ms of gunzip)


def read_idx(path: Path, dataset: str, shape: tuple[int, ...]) -> np.ndarray:
    """The uint8 array in `path`, whose dimensions must be `shape` (-1: any count).

    Raises DataError ("corrupt" or "truncated") naming the file when it is not such an array.
    """
    raw = _read_bytes(path, dataset)
    where = f"{dataset}: {shown_path(path)}"
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != UBYTE or raw[3] != len(shape):
        raise DataError(f"{where} is not an IDX file of {len(shape)}-D bytes", dataset, "corrupt", path=path)
    header = 4 + 4 * len(shape)
    if len(raw) < header:
        raise DataError(f"{where} ends inside its header", dataset, "truncated", path=path)
    dims = tuple(int(d) for d in np.frombuffer(raw[4:header], dtype=">u4"))
    if any(want not in (-1, got) for want, got in zip(shape, dims, strict=True)):
        raise DataError(
            f"{where} holds an array of shape {dims}, not {tuple(shape)}", dataset, "corrupt", path=path
        )
    size = int(np.prod(dims))
    if len(raw) != header + size:
        rule = "truncated" if len(raw) < header + size else "corrupt"
        raise DataError(
            f"{where} has {len(raw) - header:,} values where its header promises {size:,}",
            dataset,
            rule,
            path=path,
        )
    return np.frombuffer(raw, dtype=np.uint8, offset=header).reshape(dims)


def _read_bytes(path: Path, dataset: str) -> bytes:
    parts = []
    try:
        with open(path, "rb") as f:
            gz = f.read(2) == b"\x1f\x8b"
        with gzip.open(path, "rb") if gz else open(path, "rb") as f:
            while chunk := f.read(READ_CHUNK):
                parts.append(chunk)
                checkpoint()
    except (EOFError, gzip.BadGzipFile, zlib.error) as e:
        raise DataError(
            f"{dataset}: {shown_path(path)} is cut short or damaged ({e})", dataset, "truncated", path=path
        ) from None
    except OSError as e:
        raise DataError(
            f"{dataset}: cannot read {shown_path(path)} ({e.strerror or e})", dataset, "missing", path=path
        ) from None
    return b"".join(parts)


def write_idx(path: Path, array: np.ndarray, compress: bool = True) -> None:
    """Write a uint8 array as IDX, at once (tests write their small files with it)."""
    data = np.ascontiguousarray(array, dtype=np.uint8)
    header = bytes([0, 0, UBYTE, data.ndim]) + np.array(data.shape, dtype=">u4").tobytes()
    blob = header + data.tobytes()
    path.write_bytes(gzip.compress(blob, mtime=0) if compress else blob)
