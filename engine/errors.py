"""The error a refused config value raises: a sentence, plus what a window needs to reword it."""

from __future__ import annotations

from typing import Any

SHOWN_CHARS = 60  # a refused value is quoted at most this long (a 10 MB value is not echoed)


class ConfigError(ValueError):
    """A config value that is not allowed. `str()` is the English sentence naming the field.

    `field` is the config field ("n_samples", "runs.LABEL.batch_size",
    "optimizer_params.eps"), `rule` which rule the value broke, and `limits` the numbers and
    names the sentence quotes ("low", "high", "got", ...), so the GUI can say the same in the
    user's language with the control's label. Rules with a template in the GUI:
    "whole_number", "number", "choice", "hinton_samples", "logistic_noise", "batch_size",
    "no_runs", "separable", "no_minimum", "memory", "gpu_memory"; others ("type", "mapping",
    "range", ...) are shown as the English sentence.
    """

    def __init__(self, message: str, field: str, rule: str, **limits: Any) -> None:
        super().__init__(message)
        self.field = field
        self.rule = rule
        self.limits = limits


def shown(value: Any, quote: bool = True) -> str:
    """`repr(value)` (or `str` without `quote`), cut to SHOWN_CHARS characters."""
    try:
        text = repr(value) if quote else str(value)
    except Exception:  # a value whose repr fails (deep nesting) is still named by its type
        text = f"<{type(value).__name__}>"
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 1] + "…"


def shown_path(path: object) -> str:
    """A file's path for a message, cut from the front so the file's name stays readable."""
    text = str(path)
    return text if len(text) <= SHOWN_CHARS else "…" + text[-(SHOWN_CHARS - 1) :]


class DataError(RuntimeError):
    """A dataset that cannot be read or fetched. `str()` is one English sentence naming the
    dataset (and the file, server or folder); `reason` says which of "missing", "offline",
    "http", "truncated", "checksum", "corrupt", "write" it was, for a window to reword it."""

    def __init__(self, message: str, dataset: str, reason: str, **details: Any) -> None:
        super().__init__(message)
        self.dataset = dataset
        self.reason = reason
        self.details = details


class WorkerError(RuntimeError):
    """A data-parallel worker that failed or was killed. `str()` is one English sentence
    naming the worker and the run; its whole group has been ended when it is raised.
    `worker` (1-based) of `workers`, `runs` (the labels), and `how` ("SIGKILL", "exit code 1",
    "no answer") let a window say the same in the user's language."""

    def __init__(
        self, message: str, worker: int = 0, workers: int = 0, runs: str = "", how: str = ""
    ) -> None:
        super().__init__(message)
        self.worker, self.workers, self.runs, self.how = worker, workers, runs, how
