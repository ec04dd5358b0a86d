"""A refused config value said in the user's language, naming the control, not the field.

The engine raises `ConfigError` with the field, the rule and the limits; this turns it into a
sentence such as "Samples N must be a whole number from 2 to 1 000 000 (you entered 1)."
Errors without that structure keep the engine's English sentence.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication

from engine import ConfigError, DataError, WorkerError, format_bytes, is_out_of_memory
from gui.i18n import QT_TRANSLATE_NOOP
from gui.logic.numbers import number_text
from gui.panels.control_panel import FIELD_LABELS
from gui.panels.sweep_controls import SWEEP_LABELS
from gui.widgets.run_names import shown_label

CONTEXT = "ConfigMessages"
RULES = {
    "whole_number": QT_TRANSLATE_NOOP(
        "ConfigMessages", "{field} must be a whole number from {low} to {high}."
    ),
    "number_open": QT_TRANSLATE_NOOP("ConfigMessages", "{field} must be a number above {low}."),
    "number_closed": QT_TRANSLATE_NOOP("ConfigMessages", "{field} must be a number of at least {low}."),
    "number_open_high": QT_TRANSLATE_NOOP(
        "ConfigMessages", "{field} must be a number above {low} and at most {high}."
    ),
    "number_closed_high": QT_TRANSLATE_NOOP(
        "ConfigMessages", "{field} must be a number from {low} to {high}."
    ),
    "choice": QT_TRANSLATE_NOOP("ConfigMessages", "{field} must be one of: {allowed}."),
    "hinton_samples": QT_TRANSLATE_NOOP(
        "ConfigMessages",
        "{field} must be 10 for Hinton's one weight: nine samples pull it up by 0.1 and one "
        "pulls it down by 0.9.",
    ),
    "logistic_noise": QT_TRANSLATE_NOOP(
        "ConfigMessages",
        "{field} must be above 0 for logistic regression: without noise the two classes are "
        "separable and the loss has no minimum.",
    ),
    "batch_size": QT_TRANSLATE_NOOP(
        "ConfigMessages", "The batch size of {run} must be from 1 to N = {high} (or full)."
    ),
    "no_runs": QT_TRANSLATE_NOOP("ConfigMessages", "Choose at least one run to compare."),
    "global_batch": QT_TRANSLATE_NOOP(
        "ConfigMessages",
        "The workers of {run} times its batch size (the global batch) must be at most N = {high}.",
    ),
    "workers_full": QT_TRANSLATE_NOOP(
        "ConfigMessages",
        "The workers of {run} each take a share of the batch: give it a batch size below N, not “full”.",
    ),
    "workers_total": QT_TRANSLATE_NOOP(
        "ConfigMessages",
        "The runs' workers add up to more than {high} processes: give some runs fewer workers.",
    ),
    "sweep_sizes": QT_TRANSLATE_NOOP("ConfigMessages", "{field} must each be from 1 to N = {high}."),
    "memory": QT_TRANSLATE_NOOP(
        "ConfigMessages",
        "These runs would need about {needed} of memory, more than the {available} this computer "
        "has free. Use smaller batches, fewer runs or fewer samples.",
    ),
    "gpu_memory": QT_TRANSLATE_NOOP(
        "ConfigMessages",
        "These runs would need about {needed} of GPU memory, more than the {available} free on the "
        "GPU. Use smaller batches, fewer runs or fewer samples, or the device cpu.",
    ),
    "separable": QT_TRANSLATE_NOOP(
        "ConfigMessages",
        "These data cannot be fitted by logistic regression: the drawn classes do not overlap, so "
        "the loss has no minimum. Raise the noise or the samples N, or move the true intercept "
        "closer to 0.",
    ),
    "no_minimum": QT_TRANSLATE_NOOP(
        "ConfigMessages",
        "The two-lines surface has no minimum in view for these data. Lower the noise or raise "
        "the samples N.",
    ),
    "lenet_images": QT_TRANSLATE_NOOP(
        "ConfigMessages",
        "LeNet-5 takes 28×28 images: choose Fashion-MNIST, MNIST or the random images, or the MLP "
        "for the 8×8 digits.",
    ),
    "network_only": QT_TRANSLATE_NOOP("ConfigMessages", "{field} applies to the network problem only."),
    "no_cuda": QT_TRANSLATE_NOOP(
        "ConfigMessages",
        "This machine has no usable CUDA GPU (or this PyTorch has no CUDA). Choose the device auto or cpu.",
    ),
}
OUT_OF_MEMORY = QT_TRANSLATE_NOOP(
    "ConfigMessages", "The device ran out of memory. Try a smaller batch size or fewer samples."
)
INTERNAL = QT_TRANSLATE_NOOP(
    "ConfigMessages",
    "Training stopped: Batch Size Lab met an error it did not expect ({kind}). The other lessons "
    "still work; the details are in the log.",
)
# A dataset that cannot be read (engine.DataError), by its reason.
DATA_PROBLEMS = {
    "missing": QT_TRANSLATE_NOOP(
        "ConfigMessages",
        "The {dataset} images are not on this computer. Download them once with: python main.py "
        "download {dataset} — or choose the digits, which come with the app.",
    ),
    "corrupt": QT_TRANSLATE_NOOP(
        "ConfigMessages",
        "The {dataset} files on this computer are damaged. Delete them from the cache and "
        "download them again; the other datasets still work.",
    ),
}
DATA_PROBLEMS |= {
    "offline": QT_TRANSLATE_NOOP(
        "ConfigMessages",
        "The {dataset} server could not be reached. Check the connection and try again; nothing "
        "was kept of the files not yet complete.",
    ),
    "http": QT_TRANSLATE_NOOP(
        "ConfigMessages", "The {dataset} server refused a file. Try again later; nothing was kept of it."
    ),
    "checksum": QT_TRANSLATE_NOOP(
        "ConfigMessages",
        "A downloaded {dataset} file did not match its published checksum, so it was not kept. Try again.",
    ),
    "write": QT_TRANSLATE_NOOP(
        "ConfigMessages",
        "The {dataset} files could not be saved in the cache folder (is the disk full?). Nothing "
        "half-written was kept.",
    ),
}
# Files found cut short on the disk read as damaged; a download cut short says so.
DATA_PROBLEMS["truncated"] = DATA_PROBLEMS["corrupt"]
DOWNLOAD_CUT_SHORT = QT_TRANSLATE_NOOP(
    "ConfigMessages", "The download of {dataset} stopped early; nothing of it was kept. Try again."
)
IT_WAS = QT_TRANSLATE_NOOP("ConfigMessages", "(It was {got}.)")
WORKER_ENDED = QT_TRANSLATE_NOOP(
    "ConfigMessages",
    "Training stopped: data-parallel worker {worker} of {workers} of {runs} ended unexpectedly "
    "({how}), so its group was ended. Run again to start new workers.",
)


def _tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def describe_failure(error: BaseException) -> str:
    """A session's or a measurement's failure as one sentence for the user, in their language.

    A refused value says which and why; running out of memory says what to try; anything else
    is an error the app did not expect, named by its kind only (its raw text, such as
    "Singular matrix", would tell a lecturer nothing; the traceback goes to the log).
    """
    if isinstance(error, ConfigError):
        return describe(error)
    if isinstance(error, DataError):
        template = DATA_PROBLEMS.get(error.reason)
        if error.reason == "truncated" and "host" in error.details:
            template = DOWNLOAD_CUT_SHORT
        return _tr(template).format(dataset=error.dataset) if template else str(error)
    if isinstance(error, WorkerError):
        return _tr(WORKER_ENDED).format(
            worker=error.worker, workers=error.workers, runs=error.runs, how=error.how
        )
    if is_out_of_memory(error):
        return _tr(OUT_OF_MEMORY)
    return _tr(INTERNAL).format(kind=type(error).__name__)


def describe(error: ValueError) -> str:
    """`error` as one sentence in the current language (the engine's own if it has no rule)."""
    if not isinstance(error, ConfigError):
        return str(error)
    limits = error.limits
    if error.rule == "number":
        key = "number_open" if limits.get("low_open") else "number_closed"
        if not math.isinf(limits.get("high", math.inf)):
            key += "_high"
    else:
        key = error.rule
    template = RULES.get(key)
    label, context = FIELD_LABELS.get(error.field), "ControlPanel"
    if label is None and error.field in SWEEP_LABELS:
        label, context = SWEEP_LABELS[error.field], "SweepControls"
    if template is None or (label is None and "{field}" in template):
        return str(error)
    field = QCoreApplication.translate(context, label) if label else ""
    sentence = _tr(template).format(
        field=field,
        low=number_text(limits.get("low")),
        high=number_text(limits.get("high")),
        allowed=", ".join(str(a) for a in limits.get("allowed", ())),
        run=shown_label(str(limits.get("label", ""))),
        needed=format_bytes(limits.get("needed", 0)),
        available=format_bytes(limits.get("available", 0)),
    )
    if "got" in limits and error.rule not in ("no_runs",):
        sentence += " " + _tr(IT_WAS).format(got=number_text(limits["got"]))
    return sentence
