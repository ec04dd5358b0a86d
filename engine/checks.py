"""The checks every config field goes through: a value outside its range is refused with a
ConfigError whose sentence names the field and the allowed values."""

from __future__ import annotations

import math
from typing import Any

from engine.errors import ConfigError, shown


def check_choice(name: str, value: Any, allowed: tuple[str, ...], what: str = "") -> None:
    if not isinstance(value, str) or value not in allowed:
        message = f"{what or name} must be one of {', '.join(allowed)} (got {shown(value)})"
        raise ConfigError(message, name, "choice", allowed=allowed, got=value)


def check_bool(name: str, value: Any) -> None:
    if not isinstance(value, bool):
        raise ConfigError(f"{name} must be true or false (got {shown(value)})", name, "bool", got=value)


def check_int(name: str, value: Any, low: int, high: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        message = f"{name} must be a whole number from {low} to {high:,} (got {shown(value)})"
        raise ConfigError(message, name, "whole_number", low=low, high=high, got=value)


def check_float(
    name: str, value: Any, low: float, *, low_open: bool = False, high: float = math.inf, what: str = ""
) -> None:
    ok = not isinstance(value, bool) and isinstance(value, (int, float)) and abs(value) < 1e308
    ok = ok and math.isfinite(value) and (value > low if low_open else value >= low) and value <= high
    if not ok:
        bound = f"> {low:g}" if low_open else f"≥ {low:g}"
        upper = "" if math.isinf(high) else f" and ≤ {high:g}"
        message = f"{what or name} must be a finite number {bound}{upper} (got {shown(value)})"
        raise ConfigError(message, name, "number", low=low, low_open=low_open, high=high, got=value)
