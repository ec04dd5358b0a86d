"""Datasets for the networks: the bundled 8×8 digits, Fashion-MNIST and MNIST from IDX files
(cache, a distribution's package, or a download), and a generated set for benchmarks.

`load_images(name, n_train, seed, noise)` gives standardised float32 images (N, 1, H, W) and
int64 labels for training and validation. Every random choice (the digits' validation split,
which N of the 60 000 images train, the generated set) comes from `seed`.
"""

from __future__ import annotations

import gzip
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.control import checkpoint
from engine.data.catalog import DATASET_NAMES, DATASETS, DatasetInfo
from engine.data.download import download
from engine.data.idx import read_idx
from engine.data.store import availability, cache_dir, cache_root, locate
from engine.errors import DataError
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


@dataclass(frozen=True)
class ImageSet:
    name: str
    train_x: np.ndarray  # (N, 1, H, W) float32, standardised by the training pixels' mean and std
    train_y: np.ndarray  # (N,) int64
    val_x: np.ndarray
    val_y: np.ndarray
    classes: tuple[str, ...]


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
        return _standardised(info, pixels[train], labels[train], pixels[val], labels[val])
    tx, ty, vx, vy = _idx_arrays(name)
    train = rng.permutation(len(ty))[:n_train] if n_train < len(ty) else np.arange(len(ty))
    return _standardised(info, tx[train] / np.float32(255), ty[train], vx / np.float32(255), vy)


def _standardised(
    info: DatasetInfo, tx: np.ndarray, ty: np.ndarray, vx: np.ndarray, vy: np.ndarray
) -> ImageSet:
    mean, std = float(tx.mean()), float(tx.std()) or 1.0
    h, w = info.image_shape

    def prepared(x: np.ndarray) -> np.ndarray:
        return ((x.astype(np.float32) - mean) / std).reshape(-1, 1, h, w)

    return ImageSet(
        info.name, prepared(tx), ty.astype(np.int64), prepared(vx), vy.astype(np.int64), info.classes
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


_idx_memo: dict[str, tuple[tuple[Path, float], tuple[np.ndarray, ...]]] = {}
_idx_lock = threading.Lock()


def _idx_arrays(name: str) -> tuple[np.ndarray, ...]:
    """(train images, train labels, val images, val labels) as uint8, read once per process."""
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
    stamp = (folder, max((folder / f).stat().st_mtime for f, _ in info.files.values()))
    with _idx_lock:
        memo = _idx_memo.get(name)
        if memo is not None and memo[0] == stamp:
            return memo[1]
    h, w = info.image_shape
    arrays = []
    for role, n in (("train", info.train_size), ("val", info.val_size)):
        images = read_idx(folder / info.files[f"{role}_images"][0], name, (n, h, w))
        checkpoint()
        labels = read_idx(folder / info.files[f"{role}_labels"][0], name, (n,))
        if labels.max() >= len(info.classes):
            raise DataError(
                f"{name}: {folder / info.files[f'{role}_labels'][0]} has a label outside 0–"
                f"{len(info.classes) - 1}",
                name,
                "corrupt",
            )
        arrays += [images, labels]
    with _idx_lock:
        _idx_memo.clear()  # one IDX set in memory at a time (~55 MB)
        _idx_memo[name] = (stamp, tuple(arrays))
    return tuple(arrays)


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
        info.name, images[:n_train], labels[:n_train], images[n_train:], labels[n_train:], info.classes
    )
