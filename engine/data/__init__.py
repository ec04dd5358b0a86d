"""Datasets for the networks: the bundled 8×8 digits, Fashion-MNIST and MNIST from IDX files
(cache, a distribution's package, or a download), and a generated set for benchmarks.

`load_images(name, n_train, seed, noise)` gives standardised float32 images (N, 1, H, W) and
int64 labels for training and validation. Every random choice (the digits' validation split,
which N of the 60 000 images train, the generated set) comes from `seed`.

An IDX set is decoded once per computer (a memory-mapped copy in the cache, see
engine.data.decoded) and once per process (kept in memory while its files stay the same); the
conversion to float runs in chunks, so a stop request ends it within a few milliseconds. Its
standardised images are kept too (engine.data.prepared), named by a hash of the source files'
contents and of N and the seed: the next start reads them back (~0.25 s for Fashion-MNIST,
against ~1.7 s to prepare them) and checks them by their hash.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.control import checkpoint, share
from engine.data import prepared
from engine.data.catalog import DATASET_NAMES, DATASETS, DatasetInfo
from engine.data.decoded import idx_array
from engine.data.download import download
from engine.data.store import availability, cache_dir, cache_root, decoded_dir, locate, prepared_dir
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
PREPARED_FORMAT = 1  # part of every prepared copy's key: a change to how images are prepared
HASH_CHUNK = 1 << 22  # bytes of a source file hashed between stop checks


@dataclass(frozen=True)
class ImageSet:
    name: str
    train_x: np.ndarray  # (N, 1, H, W) float32, standardised by the training pixels' mean and std
    train_y: np.ndarray  # (N,) int64
    val_x: np.ndarray
    val_y: np.ndarray
    classes: tuple[str, ...]
    # What these arrays were made from (dataset, N, seed, a hash of the files' contents, ...):
    # two sets with the same key hold the same numbers. () when unknown.
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
    return _idx_images(info, n_train, seed)


def _idx_images(info: DatasetInfo, n_train: int, seed: int) -> ImageSet:
    """An IDX set's images: from its prepared copy when there is a whole one, else prepared
    (decoded, N drawn, scaled, standardised) and kept. Each step reports its share."""
    folder = _folder(info)
    stamp = (folder, tuple(_identity(folder / f, info.name) for f, _ in info.files.values()))
    with share(0.0, 0.05):
        sources = _sources_digest(info, folder, stamp)
    key: tuple[object, ...] = (info.name, n_train, seed, sources)
    # All N: the files' order, the same for every seed.
    params = (PREPARED_FORMAT, info.name, n_train, seed if n_train < info.train_size else None, sources)
    copy_key = hashlib.sha256(repr(params).encode()).hexdigest()[:32]
    copy = prepared_dir(info.name) / f"{copy_key}{prepared.SUFFIX}"
    h, w = info.image_shape
    f32, i64 = np.dtype(np.float32).str, np.dtype(np.int64).str
    layout = (
        ("train_x", f32, (n_train, 1, h, w)),
        ("train_y", i64, (n_train,)),
        ("val_x", f32, (info.val_size, 1, h, w)),
        ("val_y", i64, (info.val_size,)),
    )
    with share(0.05, 1.0):
        kept = prepared.load(copy, copy_key, layout)
    if kept is not None:
        return ImageSet(
            info.name, kept["train_x"], kept["train_y"], kept["val_x"], kept["val_y"], info.classes, key
        )
    with share(0.05, 0.3):
        tx, ty, vx, vy = _idx_arrays(info.name, folder, stamp)
    if n_train < len(ty):  # all N: the files' order (no copy of the 47 MB to make)
        train = np.random.default_rng(seed).permutation(len(ty))[:n_train]
        tx, ty = tx[train], ty[train]
    with share(0.3, 0.5):
        tx = _scaled(tx, np.float32(255))
    with share(0.5, 0.55):
        vx = _scaled(vx, np.float32(255))
    with share(0.55, 0.8):
        images = _standardised(info, tx, ty, vx, vy, key)
    arrays = {
        "train_x": images.train_x,
        "train_y": images.train_y,
        "val_x": images.val_x,
        "val_y": images.val_y,
    }
    assert prepared.layout_of(arrays) == layout
    with share(0.8, 1.0), contextlib.suppress(OSError):  # not kept: slower next time, not wrong
        prepared.save(copy, copy_key, arrays)
    return images


def _scaled(x: np.ndarray, by: np.floating) -> np.ndarray:
    """`x / by` as float32 (a new array), in chunks with a stop check between them."""
    out = np.empty(x.shape, dtype=np.float32)
    for start in range(0, len(x), CHUNK):
        np.divide(x[start : start + CHUNK], by, out=out[start : start + CHUNK])
        checkpoint((start + CHUNK) / len(x))
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
    checkpoint(0.15)
    std = float(tx.std()) or 1.0
    checkpoint(0.5)
    h, w = info.image_shape

    total = len(tx) + len(vx)

    def standardised(x: np.ndarray, before: int) -> np.ndarray:
        # (x − mean) / std, in place and in chunks: the same float32 operations, value for
        # value, as the whole-array expression.
        for start in range(0, len(x), CHUNK):
            part = x[start : start + CHUNK]
            np.subtract(part, mean, out=part)
            np.divide(part, std, out=part)
            checkpoint(0.5 + 0.5 * (before + start + len(part)) / total)
        return x.reshape(-1, 1, h, w)

    return ImageSet(
        info.name,
        standardised(tx, 0),
        ty.astype(np.int64),
        standardised(vx, len(tx)),
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


_digest_memo: dict[tuple[object, ...], str] = {}


def _folder(info: DatasetInfo) -> Path:
    """The folder holding every file of IDX set `info`; DataError when there is none."""
    found = locate(info.name)
    if found is None:
        where = f" or {info.system_dir}" if info.system_dir else ""
        raise DataError(
            f"{info.name} is not on this computer (looked in {cache_dir(info.name)}{where}); "
            f"download it with: python main.py download {info.name}",
            info.name,
            "missing",
        )
    return found[0]


def _sources_digest(info: DatasetInfo, folder: Path, stamp: tuple[object, ...]) -> str:
    """SHA-256 of the contents of the set's files in `folder` (~0.06 s for Fashion-MNIST's
    30 MB), once per process while their identity `stamp` stays the same."""
    with _idx_lock:
        known = _digest_memo.get(stamp)
    if known is not None:
        return known
    paths = [folder / f for f, _ in info.files.values()]
    total = sum(_identity(path, info.name)[0] for path in paths)
    digest = hashlib.sha256()
    done = 0
    for path in paths:
        try:
            with open(path, "rb") as f:
                while chunk := f.read(HASH_CHUNK):
                    digest.update(chunk)
                    done += len(chunk)
                    checkpoint(done / max(total, 1))
        except OSError as e:
            raise DataError(
                f"{info.name}: cannot read {shown_path(path)} ({e.strerror or e})",
                info.name,
                "missing",
                path=path,
            ) from None
    found = digest.hexdigest()
    with _idx_lock:
        _digest_memo[stamp] = found
    return found


def _idx_arrays(name: str, folder: Path, stamp: tuple[object, ...]) -> tuple[np.ndarray, ...]:
    """(train images, train labels, val images, val labels) as uint8, read once per process
    while the files stay the same (`stamp`, their identity), from their decoded copies."""
    info = DATASETS[name]
    with _idx_lock:
        memo = _idx_memo.get(name)
        if memo is not None and memo[0] == stamp:
            return memo[1]
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
    return tuple(arrays)


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
