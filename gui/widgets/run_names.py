"""How run labels are shown: the default and lesson word labels translated, others as typed."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from gui.i18n import QT_TRANSLATE_NOOP

# The engine's default run labels and the lessons' word labels; any other label (B4, a
# label a user typed) is shown as it is.
DEFAULT_LABELS = {
    "GD": QT_TRANSLATE_NOOP("RunNames", "GD"),
    "SGD": QT_TRANSLATE_NOOP("RunNames", "SGD"),
    "Mini-batch": QT_TRANSLATE_NOOP("RunNames", "Mini-batch"),
    "Full-batch": QT_TRANSLATE_NOOP("RunNames", "Full-batch"),
    "Shuffle": QT_TRANSLATE_NOOP("RunNames", "Shuffle"),
    "Replacement": QT_TRANSLATE_NOOP("RunNames", "Replacement"),
    # The initialisation lesson's runs, named by scheme.
    "default": QT_TRANSLATE_NOOP("RunNames", "default"),
    "kaiming-uniform": QT_TRANSLATE_NOOP("RunNames", "kaiming-uniform"),
    "kaiming-normal": QT_TRANSLATE_NOOP("RunNames", "kaiming-normal"),
    "xavier-uniform": QT_TRANSLATE_NOOP("RunNames", "xavier-uniform"),
    "xavier-normal": QT_TRANSLATE_NOOP("RunNames", "xavier-normal"),
    # The data-parallel lesson's runs, named by their workers.
    "1 worker": QT_TRANSLATE_NOOP("RunNames", "1 worker"),
    "4 workers": QT_TRANSLATE_NOOP("RunNames", "4 workers"),
    "4 workers, lr ×4": QT_TRANSLATE_NOOP("RunNames", "4 workers, lr ×4"),
}


def shown_label(label: str) -> str:
    """`label` as the window shows it (translated if it is one of the default labels)."""
    if label in DEFAULT_LABELS:
        return QCoreApplication.translate("RunNames", DEFAULT_LABELS[label])
    return label
