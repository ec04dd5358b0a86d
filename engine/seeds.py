"""Every random choice flows from the config's one seed, through a seed per purpose."""

from __future__ import annotations

import zlib

import numpy as np

from engine.config import ExperimentConfig, RunSpec


def derive_seed(seed: int, purpose: str) -> int:
    """An independent 63-bit seed for one purpose ("data", "start", "run:<label>")."""
    words = np.random.SeedSequence([seed, zlib.crc32(purpose.encode())]).generate_state(2)
    return int((int(words[0]) << 31) ^ int(words[1])) & (2**63 - 1)


def batch_seed(config: ExperimentConfig, spec: RunSpec) -> int:
    """The seed of a run's batch order: its own, or one for all runs with `same_batches`."""
    return derive_seed(config.seed, "batches" if config.same_batches else f"run:{spec.label}")
