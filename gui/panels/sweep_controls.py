"""The batch-size sweep's settings in the controls dock (a group shown for lessons that sweep):
the sizes, the seeds, the learning-rate rule, the target and the memory budget."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QSpinBox,
    QWidget,
)

from engine.sweep_settings import LR_RULES, MAX_SEEDS, SweepSettings
from gui.i18n import QT_TRANSLATE_NOOP
from gui.logic.numbers import digits_of, group_digits

# Sweep field -> its control's label (config_messages names a refused value by it).
SWEEP_LABELS = {
    "sweep.batch_sizes": QT_TRANSLATE_NOOP("SweepControls", "Batch sizes"),
    "sweep.seeds": QT_TRANSLATE_NOOP("SweepControls", "Seeds per size"),
    "sweep.lr_rule": QT_TRANSLATE_NOOP("SweepControls", "Learning rate per size"),
    "sweep.target_accuracy": QT_TRANSLATE_NOOP("SweepControls", "Target validation accuracy (%)"),
    "sweep.memory_budget_mb": QT_TRANSLATE_NOOP("SweepControls", "Memory budget (MB)"),
}
RULE_TEXTS = {
    "fixed": QT_TRANSLATE_NOOP("SweepControls", "the same for every size"),
    "linear": QT_TRANSLATE_NOOP("SweepControls", "linear: lr × B / B_ref"),
    "sqrt": QT_TRANSLATE_NOOP("SweepControls", "square root: lr × √(B / B_ref)"),
    "tuned": QT_TRANSLATE_NOOP("SweepControls", "tuned: the best of five rates"),
}


class SizesError(ValueError):
    """The sizes typed are not a list of whole numbers."""


class SweepControls(QGroupBox):
    """Edits a `SweepSettings`; `changed` fires on every edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sweepControls")
        self._base = SweepSettings()
        self.sizes_edit = QLineEdit()
        self.sizes_edit.setObjectName("sweepSizes")
        self.seeds_spin = QSpinBox()
        self.seeds_spin.setObjectName("sweepSeeds")
        self.seeds_spin.setRange(0, MAX_SEEDS)
        self.rule_box = QComboBox()
        self.rule_box.setObjectName("sweepRule")
        for key in LR_RULES:
            self.rule_box.addItem("", key)
        self.target_spin = QDoubleSpinBox()
        self.target_spin.setObjectName("sweepTarget")
        self.target_spin.setRange(0.0, 100.0)
        self.target_spin.setDecimals(1)
        self.budget_spin = QDoubleSpinBox()
        self.budget_spin.setObjectName("sweepBudget")
        self.budget_spin.setRange(0.0, 1e7)
        self.budget_spin.setDecimals(0)
        self.budget_spin.setSingleStep(100.0)
        form = QFormLayout(self)
        self._labels = []
        for widget in (self.sizes_edit, self.seeds_spin, self.rule_box, self.target_spin, self.budget_spin):
            label = QLabel()
            self._labels.append(label)
            form.addRow(label, widget)
        for spin in (self.seeds_spin, self.target_spin, self.budget_spin):
            spin.setKeyboardTracking(False)
            spin.valueChanged.connect(self.changed)
        self.rule_box.currentIndexChanged.connect(self.changed)
        self.sizes_edit.editingFinished.connect(self._sizes_done)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(self.tr("Batch-size sweep"))
        for label, text in zip(self._labels, SWEEP_LABELS.values(), strict=True):
            label.setText(self.tr(text))
        for i, key in enumerate(LR_RULES):
            self.rule_box.setItemText(i, self.tr(RULE_TEXTS[key]))
        self.target_spin.setSpecialValueText(self.tr("none"))
        self.budget_spin.setSpecialValueText(self.tr("half the free memory"))
        self.sizes_edit.setToolTip(self.tr("Batch sizes separated by commas, e.g. 8, 16, 32, 64"))

    def set_settings(self, settings: SweepSettings) -> None:
        """Show `settings` without emitting `changed`."""
        self._base = settings
        for widget in (self.seeds_spin, self.rule_box, self.target_spin, self.budget_spin, self.sizes_edit):
            widget.blockSignals(True)
        self.sizes_edit.setText(", ".join(group_digits(b) for b in settings.batch_sizes))
        self.seeds_spin.setValue(settings.seeds)
        self.rule_box.setCurrentIndex(self.rule_box.findData(settings.lr_rule))
        self.target_spin.setValue(100 * settings.target_accuracy if settings.target_accuracy else 0.0)
        self.budget_spin.setValue(settings.memory_budget_mb or 0.0)
        for widget in (self.seeds_spin, self.rule_box, self.target_spin, self.budget_spin, self.sizes_edit):
            widget.blockSignals(False)

    def settings(self) -> SweepSettings:
        """The edited settings; ConfigError (naming the sweep field) when a value is refused,
        SizesError when the sizes are not whole numbers."""
        target = self.target_spin.value()
        budget = self.budget_spin.value()
        return dataclasses.replace(
            self._base,
            batch_sizes=self.sizes(),
            seeds=self.seeds_spin.value(),
            lr_rule=str(self.rule_box.currentData()),
            target_accuracy=target / 100 if target > 0 else None,
            target_loss=None if target > 0 else self._base.target_loss,
            memory_budget_mb=budget if budget > 0 else None,
        )

    def sizes(self) -> tuple[int, ...]:
        sizes = []
        for part in self.sizes_edit.text().replace("，", ",").split(","):
            if not part.strip():
                continue
            digits = digits_of(part.strip())
            if not digits:
                raise SizesError(
                    self.tr("Batch sizes must be whole numbers separated by commas (not {text!r}).").format(
                        text=part.strip()
                    )
                )
            sizes.append(int(digits))
        return tuple(sizes)

    def _sizes_done(self) -> None:
        if self.sizes_edit.isModified():
            self.sizes_edit.setModified(False)
            self.changed.emit()
