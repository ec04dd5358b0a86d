"""The optimizers a run may use: names, their parameters and the allowed ranges.

The table is plain data so that a config can be validated without importing torch (the GUI
validates on its own thread before torch has loaded). It lives at the engine's top, below its
rooms, because the config checks it; `engine.training.optimizers.build_optimizer` turns an entry
into the real `torch.optim` class.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from engine.errors import ConfigError, shown


@dataclass(frozen=True)
class ParamRange:
    """Allowed values of one optimizer parameter."""

    kind: str  # "float" or "bool"
    default: float | bool  # the value torch uses when the parameter is not given
    low: float = -math.inf  # smallest allowed value
    high: float = math.inf  # largest allowed value
    low_open: bool = False  # True when `low` itself is not allowed
    high_open: bool = False  # True when `high` itself is not allowed

    def describe(self) -> str:
        if self.kind == "bool":
            return "true or false"
        left = "(" if self.low_open else "["
        right = ")" if self.high_open else "]"
        high = "∞" if math.isinf(self.high) else f"{self.high:g}"
        return f"a number in {left}{self.low:g}, {high}{right}"

    def accepts(self, value: Any) -> bool:
        if self.kind == "bool":
            return isinstance(value, bool)
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not abs(value) < 1e308:
            return False
        if not math.isfinite(value):
            return False
        above = value > self.low if self.low_open else value >= self.low
        below = value < self.high if self.high_open else value <= self.high
        return above and below


# Bounds come from what float32 training survives: torch casts these to the parameters' float32,
# so a value above ~3.4e38 overflows ("cannot be converted to type float"), and an eps below
# float32's smallest normal number (~1.2e-38) rounds to 0 and turns 0/0 into NaN. 1e6 and 1e-30
# leave room for the products a step forms; larger values teach nothing a 1e6 does not.
BIG = 1e6
TINY = 1e-30
_DECAY = ParamRange("float", 0.0, 0.0, BIG)
_EPS = ParamRange("float", 1e-8, TINY, 1.0)
_MOMENTUM = ParamRange("float", 0.0, 0.0, 1.0, high_open=True)

# name -> (torch.optim class name, {parameter: range}); names are what users type.
OPTIMIZERS: dict[str, tuple[str, dict[str, ParamRange]]] = {
    "sgd": (
        "SGD",
        {
            "momentum": _MOMENTUM,
            "dampening": ParamRange("float", 0.0, 0.0, 1.0),
            "nesterov": ParamRange("bool", False),
            "weight_decay": _DECAY,
        },
    ),
    "adam": (
        "Adam",
        {
            "beta1": ParamRange("float", 0.9, 0.0, 1.0, high_open=True),
            "beta2": ParamRange("float", 0.999, 0.0, 1.0, high_open=True),
            "eps": _EPS,
            "weight_decay": _DECAY,
            "amsgrad": ParamRange("bool", False),
        },
    ),
    "rmsprop": (
        "RMSprop",
        {
            "alpha": ParamRange("float", 0.99, 0.0, 1.0, high_open=True),
            "eps": _EPS,
            "momentum": _MOMENTUM,
            "centered": ParamRange("bool", False),
            "weight_decay": _DECAY,
        },
    ),
    "rprop": (
        "Rprop",
        {
            "eta_minus": ParamRange("float", 0.5, 0.0, 1.0, low_open=True, high_open=True),
            "eta_plus": ParamRange("float", 1.2, 1.0, BIG, low_open=True),
            "step_min": ParamRange("float", 1e-6, 0.0, BIG),
            "step_max": ParamRange("float", 50.0, TINY, BIG),
        },
    ),
    "adagrad": (
        "Adagrad",
        {
            "lr_decay": ParamRange("float", 0.0, 0.0, BIG),
            "initial_accumulator_value": ParamRange("float", 0.0, 0.0, BIG),
            "eps": ParamRange("float", 1e-10, TINY, 1.0),
            "weight_decay": _DECAY,
        },
    ),
    "adadelta": (
        "Adadelta",
        {
            "rho": ParamRange("float", 0.9, 0.0, 1.0),
            "eps": ParamRange("float", 1e-6, TINY, 1.0),
            "weight_decay": _DECAY,
        },
    ),
}


def check_optimizer(name: Any, params: Any, field: str = "") -> None:
    """Raise ConfigError with a user-facing sentence if `name` or `params` is not allowed.

    `field` is where they sit in the config: "" for the config's own, "runs.LABEL." for a run's.
    """
    where = f" of run {field.split('.')[1]!r}" if field else ""
    if not isinstance(name, str) or name not in OPTIMIZERS:
        allowed = tuple(OPTIMIZERS)
        raise ConfigError(
            f"optimizer{where} must be one of {', '.join(allowed)} (got {shown(name)})",
            f"{field}optimizer",
            "choice",
            allowed=allowed,
            got=name,
        )
    if not isinstance(params, Mapping):
        raise ConfigError(
            f'optimizer_params{where} must be a mapping such as {{"momentum": 0.9}} (got {shown(params)})',
            f"{field}optimizer_params",
            "mapping",
            got=params,
        )
    allowed_params = OPTIMIZERS[name][1]
    for key, value in params.items():
        if key not in allowed_params:
            raise ConfigError(
                f"optimizer_params.{shown(key)}{where} is not a parameter of {name}; "
                f"allowed: {', '.join(allowed_params) or 'none'}",
                f"{field}optimizer_params",
                "unknown",
                got=key,
            )
        r = allowed_params[key]
        if not r.accepts(value):
            raise ConfigError(
                f"optimizer_params.{key}{where} must be {r.describe()} (got {shown(value)})",
                f"{field}optimizer_params.{key}",
                "bool" if r.kind == "bool" else "range",
                low=r.low,
                high=r.high,
                got=value,
            )
    if name == "sgd" and params.get("nesterov", False):
        if params.get("momentum", 0.0) <= 0 or params.get("dampening", 0.0) != 0:
            raise ConfigError(
                f"optimizer_params.nesterov{where} needs momentum > 0 and dampening = 0 "
                f"(got momentum {params.get('momentum', 0.0)!r})",
                f"{field}optimizer_params.nesterov",
                "nesterov",
            )
    if name == "rprop":
        low = params.get("step_min", allowed_params["step_min"].default)
        high = params.get("step_max", allowed_params["step_max"].default)
        if low > high:
            raise ConfigError(
                f"optimizer_params.step_min{where} ({low:g}) must not exceed step_max ({high:g})",
                f"{field}optimizer_params.step_min",
                "step_order",
            )


def torch_kwargs(name: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """Translate our flat parameter names into the keyword arguments torch expects."""
    kwargs = dict(params)
    if name == "adam":
        b1 = kwargs.pop("beta1", 0.9)
        b2 = kwargs.pop("beta2", 0.999)
        kwargs["betas"] = (b1, b2)
    if name == "rprop":
        kwargs["etas"] = (kwargs.pop("eta_minus", 0.5), kwargs.pop("eta_plus", 1.2))
        kwargs["step_sizes"] = (kwargs.pop("step_min", 1e-6), kwargs.pop("step_max", 50.0))
    return kwargs
