"""Where a dataset's files are: the user's cache first, then a distribution's package.

The cache is `platformdirs.user_cache_dir("batch-size-lab")/datasets/NAME/` (on Linux
~/.cache/batch-size-lab/datasets, or under $XDG_CACHE_HOME). Only whole, checked files are
ever named there: downloads are written under a temporary name and renamed once verified.
Decoded copies of the files (wherever they were found) go to `.../decoded/NAME/` beside it,
the standardised images a network trains on to `.../prepared/NAME/`, and what passes over them
found to `.../passes/` (tests point XDG_CACHE_HOME at a folder of their own).
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import platformdirs

from engine.data.catalog import DATASETS, DatasetInfo

APP_DIR_NAME = "batch-size-lab"
STALE_S = 600.0  # seconds without a write after which a download's .partial is a leftover


def cache_root() -> Path:
    return Path(platformdirs.user_cache_dir(APP_DIR_NAME, appauthor=False)) / "datasets"


def decoded_dir(name: str) -> Path:
    """Where the decoded copies of dataset `name`'s IDX files are kept (engine.data.decoded)."""
    return cache_root().parent / "decoded" / name


def prepared_dir(name: str) -> Path:
    """Where the prepared (standardised) images of dataset `name` are kept (engine.data.prepared)."""
    return cache_root().parent / "prepared" / name


def passes_dir() -> Path:
    """Where the numbers of networks' passes over images are kept (engine.problems.network)."""
    return cache_root().parent / "passes"


def cache_dir(name: str) -> Path:
    return cache_root() / name


def _has_all(folder: Path | None, info: DatasetInfo) -> bool:
    return folder is not None and all((folder / f).is_file() for f, _ in info.files.values())


def remove_stale_partials(folder: Path) -> None:
    """Remove what a download ended by force left (the window ends its process without waiting
    for a read that blocks, gui/app.py; or SIGKILL): a `.partial` no one has written to for
    STALE_S. A download going on in another process writes to its own every few seconds."""
    now = time.time()
    with contextlib.suppress(OSError):
        for partial in folder.glob(".*.partial"):
            with contextlib.suppress(OSError):
                if now - partial.stat().st_mtime > STALE_S:
                    partial.unlink()


def locate(name: str) -> tuple[Path, str] | None:
    """(folder holding every file of an IDX dataset, "cache" or "system"), or None. Looking
    also sweeps the cache folder of leftover partial downloads (`remove_stale_partials`)."""
    info = DATASETS[name]
    remove_stale_partials(cache_dir(name))
    if _has_all(cache_dir(name), info):
        return cache_dir(name), "cache"
    if _has_all(info.system_dir, info):
        assert info.system_dir is not None
        return info.system_dir, "system"
    return None


def availability(name: str) -> str:
    """ "bundled", "generated", "cached", "system" (a package's folder) or "download"."""
    info = DATASETS[name]
    if info.kind != "idx":
        return info.kind
    found = locate(name)
    if found is None:
        return "download"
    return "cached" if found[1] == "cache" else "system"
