"""Datasets for the networks: the bundled 8×8 digits, Fashion-MNIST and MNIST from IDX files
(cache, a distribution's package, or a download), and a generated set for benchmarks.

`load_images(name, n_train, seed, noise)` gives standardised float32 images (N, 1, H, W) and
int64 labels for training and validation. Every random choice (the digits' validation split,
which N of the 60 000 images train, the generated set) comes from `seed`.

An IDX set is decoded once per computer (a memory-mapped copy in the cache, see
engine.data.decoded) and once per process (kept in memory while its files stay the same); the
conversion to float runs in chunks, so a stop request ends it within a few milliseconds.
"""

from __future__ import annotations

import gzip
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.control import checkpoint
from engine.data.catalog import DATASET_NAMES, DATASETS, DatasetInfo
from engine.data.decoded import idx_array
from engine.data.download import download
from engine.data.store import availability, cache_dir, cache_root, decoded_dir, locate
from engine.errors import DataError, shown_path
from engine.resources import RESOURCES

__all__ = [
    "DATASETS",
    "DATASET_NAMES",
    "DatasetInfo",
    "ImageSet",
    "availability",
    "cache_dir",
    "cache_root",
    "download",
    "load_images",
]

DIGITS_FILE = RESOURCES / "data" / "digits.csv.gz"
CHUNK = 8192  # images converted between stop checks (~25 MB of float32 at 28×28)


@dataclass(frozen=True)
class ImageSet:
    name: str
    train_x: np.ndarray  # (N, 1, H, W) float32, standardised by the training pixels' mean and std
    train_y: np.ndarray  # (N,) int64
    val_x: np.ndarray
    val_y: np.ndarray
    classes: tuple[str, ...]
    # What these arrays were made from (dataset, N, seed, the files' identity, ...): two sets
    # with the same key in one process hold the same numbers. () when unknown.
    key: tuple[object, ...] = ()


def load_images(name: str, n_train: int, seed: int, noise: float = 0.0) -> ImageSet:
    """`n_train` training images of dataset `name` and its validation images.

    Raises DataError (one sentence) when an IDX set is neither cached nor installed, or its
    files are damaged. `noise` is used by the generated set only (its label noise).
    """
    info = DATASETS[name]
    if not 1 <= n_train <= info.train_size:
        raise ValueError(f"n_samples must be from 1 to {info.train_size} for {name} (got {n_train})")
    rng = np.random.default_rng(seed)
    if info.kind == "generated":
        return _generated(info, n_train, seed, noise)
    if info.kind == "bundled":
        images, labels = _digits()
        order = rng.permutation(len(labels))
        val, train = order[: info.val_size], order[info.val_size :][:n_train]
        pixels = images.astype(np.float32) / 16.0
        key: tuple[object, ...] = (name, n_train, seed)
        return _standardised(info, pixels[train], labels[train], pixels[val], labels[val], key)
    stamp, (tx, ty, vx, vy) = _idx_arrays(name)
    if n_train < len(ty):  # all N: the files' order (no copy of the 47 MB to make)
        train = rng.permutation(len(ty))[:n_train]
        tx, ty = tx[train], ty[train]
    key = (name, n_train, seed, stamp)
    return _standardised(info, _scaled(tx, np.float32(255)), ty, _scaled(vx, np.float32(255)), vy, key)


def _scaled(x: np.ndarray, by: np.floating) -> np.ndarray:
    """`x / by` as float32 (a new array), in chunks with a stop check between them."""
    out = np.empty(x.shape, dtype=np.float32)
    for start in range(0, len(x), CHUNK):
        np.divide(x[start : start + CHUNK], by, out=out[start : start + CHUNK])
        checkpoint()
    return out


def _standardised(
    info: DatasetInfo,
    tx: np.ndarray,
    ty: np.ndarray,
    vx: np.ndarray,
    vy: np.ndarray,
    key: tuple[object, ...],
) -> ImageSet:
    """The images standardised by the training pixels' mean and std. `tx` and `vx` are float32
    arrays of the caller's own: they are overwritten (no copies of 200 MB at N = 60 000)."""
    mean = float(tx.mean())
    checkpoint()
    std = float(tx.std()) or 1.0
    checkpoint()
    h, w = info.image_shape

    def prepared(x: np.ndarray) -> np.ndarray:
        # (x − mean) / std, in place and in chunks: the same float32 operations, value for
        # value, as the whole-array expression.
        for start in range(0, len(x), CHUNK):
            part = x[start : start + CHUNK]
            np.subtract(part, mean, out=part)
            np.divide(part, std, out=part)
            checkpoint()
        return x.reshape(-1, 1, h, w)

    return ImageSet(
        info.name,
        prepared(tx),
        ty.astype(np.int64),
        prepared(vx),
        vy.astype(np.int64),
        info.classes,
        key,
    )


def _digits() -> tuple[np.ndarray, np.ndarray]:
    try:
        with gzip.open(DIGITS_FILE, "rt") as f:
            table = np.loadtxt(f, delimiter=",", dtype=np.int64)
    except (OSError, ValueError, EOFError) as e:
        raise DataError(f"digits: cannot read the bundled {DIGITS_FILE} ({e})", "digits", "corrupt") from None
    if table.shape != (1797, 65):
        raise DataError(f"digits: {DIGITS_FILE} holds {table.shape}, not 1797 × 65", "digits", "corrupt")
    return table[:, :64].reshape(-1, 8, 8), table[:, 64]


_idx_memo: dict[str, tuple[tuple[object, ...], tuple[np.ndarray, ...]]] = {}
_idx_lock = threading.Lock()


def _idx_arrays(name: str) -> tuple[tuple[object, ...], tuple[np.ndarray, ...]]:
    """(the files' identity, (train images, train labels, val images, val labels) as uint8),
    read once per process while the files stay the same, from their decoded copies."""
    info = DATASETS[name]
    found = locate(name)
    if found is None:
        where = f" or {info.system_dir}" if info.system_dir else ""
        raise DataError(
            f"{name} is not on this computer (looked in {cache_dir(name)}{where}); download it "
            f"with: python main.py download {name}",
            name,
            "missing",
        )
    folder = found[0]
    stamp = (folder, tuple(_identity(folder / f, name) for f, _ in info.files.values()))
    with _idx_lock:
        memo = _idx_memo.get(name)
        if memo is not None and memo[0] == stamp:
            return memo
    h, w = info.image_shape
    copies = decoded_dir(name)
    arrays = []
    for role, n in (("train", info.train_size), ("val", info.val_size)):
        images = idx_array(folder / info.files[f"{role}_images"][0], name, (n, h, w), copies)
        checkpoint()
        labels = idx_array(folder / info.files[f"{role}_labels"][0], name, (n,), copies)
        if labels.max() >= len(info.classes):
            raise DataError(
                f"{name}: {folder / info.files[f'{role}_labels'][0]} has a label outside 0–"
                f"{len(info.classes) - 1}",
                name,
                "corrupt",
            )
        arrays += [images, labels]
    with _idx_lock:
        _idx_memo.clear()  # one IDX set in memory at a time (~55 MB, memory-mapped when cached)
        _idx_memo[name] = (stamp, tuple(arrays))
    return stamp, tuple(arrays)


def _identity(path: Path, name: str) -> tuple[int, ...]:
    """What tells a file's versions apart: size, modification time, inode, status change."""
    try:
        st = os.stat(path)
    except OSError as e:
        raise DataError(
            f"{name}: cannot read {shown_path(path)} ({e.strerror or e})", name, "missing", path=path
        ) from None
    return (st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


def _generated(info: DatasetInfo, n_train: int, seed: int, noise: float) -> ImageSet:
    """Gaussian images labelled by a random linear teacher (its logits plus `noise`·ε)."""
    import torch

    g = torch.Generator().manual_seed(seed)
    n = n_train + info.val_size
    x = torch.randn(n, info.inputs, generator=g)
    teacher = torch.randn(info.inputs, len(info.classes), generator=g) / info.inputs**0.5
    y = (x @ teacher + noise * torch.randn(n, len(info.classes), generator=g)).argmax(dim=1)
    h, w = info.image_shape
    images = x.numpy().reshape(n, 1, h, w)
    labels = y.numpy().astype(np.int64)
    return ImageSet(
        info.name,
        images[:n_train],
        labels[:n_train],
        images[n_train:],
        labels[n_train:],
        info.classes,
        (info.name, n_train, seed, noise),
    )
