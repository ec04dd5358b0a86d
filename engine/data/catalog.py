"""The datasets a network can train on: what each holds, where it comes from, its licence.

Plain facts, no I/O and no torch, so the config can check a requested N against a dataset's
size before anything is loaded.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DIGIT_CLASSES = tuple("0123456789")
FASHION_CLASSES = (
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
)
IDX_ROLES = ("train_images", "train_labels", "val_images", "val_labels")


@dataclass(frozen=True)
class DatasetInfo:
    name: str
    title: str
    image_shape: tuple[int, int]  # (height, width), one channel
    classes: tuple[str, ...]
    train_size: int  # the most training samples (N) it offers
    val_size: int  # validation samples
    source: str  # where the images come from, and who made them
    licence: str
    # IDX sets: role -> (file name, published MD5 of the .gz), fetched from `mirror`.
    files: dict[str, tuple[str, str]] = field(default_factory=dict)
    mirror: str = ""
    system_dir: Path | None = None  # a distribution's package that installs the files
    kind: str = "idx"  # "idx", "bundled" (shipped under resources/) or "generated"

    @property
    def inputs(self) -> int:
        return self.image_shape[0] * self.image_shape[1]


DATASETS: dict[str, DatasetInfo] = {
    "digits": DatasetInfo(
        name="digits",
        title="8×8 handwritten digits",
        image_shape=(8, 8),
        classes=DIGIT_CLASSES,
        # 1 797 images; a fifth (359) held out for validation, drawn from the config's seed.
        train_size=1438,
        val_size=359,
        source="UCI Optical Recognition of Handwritten Digits (E. Alpaydin, C. Kaynak, 1998), "
        "the copy scikit-learn ships as digits.csv.gz",
        licence="CC BY 4.0",
        kind="bundled",
    ),
    "fashion-mnist": DatasetInfo(
        name="fashion-mnist",
        title="Fashion-MNIST, 28×28 clothing images",
        image_shape=(28, 28),
        classes=FASHION_CLASSES,
        train_size=60_000,
        val_size=10_000,
        source="Zalando Research, Fashion-MNIST (Xiao, Rasul, Vollgraf, 2017)",
        licence="MIT (Expat)",
        files={
            "train_images": ("train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d"),
            "train_labels": ("train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe"),
            "val_images": ("t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79"),
            "val_labels": ("t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"),
        },
        mirror="http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
        system_dir=Path("/usr/share/datasets/fashion-mnist"),
    ),
    "mnist": DatasetInfo(
        name="mnist",
        title="MNIST, 28×28 handwritten digits",
        image_shape=(28, 28),
        classes=DIGIT_CLASSES,
        train_size=60_000,
        val_size=10_000,
        source="MNIST (Y. LeCun, C. Cortes, C. J. C. Burges), from PyTorch's mirror",
        licence="CC BY-SA 3.0",
        files={
            "train_images": ("train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873"),
            "train_labels": ("train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432"),
            "val_images": ("t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3"),
            "val_labels": ("t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
        },
        mirror="https://ossci-datasets.s3.amazonaws.com/mnist/",
    ),
    "synthetic": DatasetInfo(
        name="synthetic",
        title="random 28×28 noise labelled by a random linear teacher",
        image_shape=(28, 28),
        classes=DIGIT_CLASSES,
        train_size=100_000,  # 100 000 × 784 float32 ≈ 300 MB
        val_size=2_000,
        source="generated from the config's seed (for throughput benchmarks)",
        licence="",
        kind="generated",
    ),
}
DATASET_NAMES = tuple(DATASETS)
