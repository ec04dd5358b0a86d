"""How run labels are shown: the three default labels in the user's language, others as typed."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

# The engine's default run labels; a label a lesson or a user chose is shown as it is.
DEFAULT_LABELS = {
    "GD": QT_TRANSLATE_NOOP("RunNames", "GD"),
    "SGD": QT_TRANSLATE_NOOP("RunNames", "SGD"),
    "Mini-batch": QT_TRANSLATE_NOOP("RunNames", "Mini-batch"),
}


def shown_label(label: str) -> str:
    """`label` as the window shows it (translated if it is one of the default labels)."""
    if label in DEFAULT_LABELS:
        return QCoreApplication.translate("RunNames", DEFAULT_LABELS[label])
    return label
