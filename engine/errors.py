"""The error a refused config value raises: a sentence, plus what a window needs to reword it."""

from __future__ import annotations

from typing import Any


class ConfigError(ValueError):
    """A config value that is not allowed. `str()` is the English sentence naming the field.

    `field` is the config field ("n_samples", or "runs.LABEL.batch_size"), `rule` which rule
    the value broke, and `limits` the numbers and names the sentence quotes ("low", "high",
    "got", ...), so the GUI can say the same in the user's language with the control's label.
    Rules: "whole_number", "number", "choice", "hinton_samples", "logistic_noise",
    "batch_size", "no_runs".
    """

    def __init__(self, message: str, field: str, rule: str, **limits: Any) -> None:
        super().__init__(message)
        self.field = field
        self.rule = rule
        self.limits = limits
