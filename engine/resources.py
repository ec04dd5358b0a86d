"""Where the app's own files are (lessons, translations, bundled data, fonts, icons): the
`resources/` folder beside the packages, or inside a PyInstaller bundle once frozen. Nothing is
ever written there; user data and caches go to the platformdirs folders (engine/data/store.py)."""

from __future__ import annotations

import sys
from pathlib import Path

APP_NAME = "Batch Size Lab"
__version__ = "0.1.0"  # pyproject.toml's version (a test keeps them equal)


def _root() -> Path:
    bundle = getattr(sys, "_MEIPASS", None)  # a frozen app: its files are unpacked here
    return Path(bundle) if bundle else Path(__file__).resolve().parents[1]


RESOURCES = _root() / "resources"
FROZEN = bool(getattr(sys, "frozen", False))
