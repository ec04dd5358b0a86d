"""The left-hand controls: data, training and the runs to compare, turned into a config."""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from engine import DATASETS, FLAT_PROBLEMS, INITS, MODELS, OPTIMIZERS, PROBLEMS, ExperimentConfig
from gui.i18n import QT_TRANSLATE_NOOP
from gui.panels.runs_editor import RunsEditor
from gui.panels.sweep_controls import SweepControls
from gui.widgets.elided_combo import ElidedComboBox
from gui.widgets.grouped_spin import GroupedSpin

# Config field -> the label of the control that edits it (also how refusals name the field).
FIELD_LABELS = {
    "problem": QT_TRANSLATE_NOOP("ControlPanel", "Problem"),
    "dataset": QT_TRANSLATE_NOOP("ControlPanel", "Images"),
    "model": QT_TRANSLATE_NOOP("ControlPanel", "Network"),
    "init": QT_TRANSLATE_NOOP("ControlPanel", "Initial weights"),
    "n_samples": QT_TRANSLATE_NOOP("ControlPanel", "Samples N"),
    "noise": QT_TRANSLATE_NOOP("ControlPanel", "Label noise σ"),
    "seed": QT_TRANSLATE_NOOP("ControlPanel", "Seed"),
    "epochs": QT_TRANSLATE_NOOP("ControlPanel", "Epochs"),
    "lr": QT_TRANSLATE_NOOP("ControlPanel", "Learning rate"),
    "optimizer": QT_TRANSLATE_NOOP("ControlPanel", "Optimizer"),
    "optimizer_params.momentum": QT_TRANSLATE_NOOP("ControlPanel", "Momentum"),
    "lr_scaling": QT_TRANSLATE_NOOP("ControlPanel", "LR scaling with B"),
    "lr_reference_batch": QT_TRANSLATE_NOOP("ControlPanel", "Reference batch B_ref"),
    "warmup_epochs": QT_TRANSLATE_NOOP("ControlPanel", "Warm-up epochs"),
    "sampling": QT_TRANSLATE_NOOP("ControlPanel", "Sampling"),
    "drop_last": QT_TRANSLATE_NOOP("ControlPanel", "Drop last batch"),
    "same_batches": QT_TRANSLATE_NOOP("ControlPanel", "Same batches for all"),
    "runs": QT_TRANSLATE_NOOP("ControlPanel", "Runs to compare"),
}
# The fields of the form's rows, top to bottom within each group (runs, data, training).
FORM_FIELDS = (
    "problem",
    "dataset",
    "model",
    "init",
    "n_samples",
    "noise",
    "seed",
    "epochs",
    "lr",
    "optimizer",
    "optimizer_params.momentum",
    "lr_scaling",
    "lr_reference_batch",
    "warmup_epochs",
    "sampling",
    "drop_last",
    "same_batches",
)


class ControlPanel(QWidget):
    """Edits a config. `changed` fires on every edit; `config()` builds and validates it."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._base = ExperimentConfig()
        self._loading = False

        self.problem_box = ElidedComboBox()
        self.problem_box.setObjectName("problem")
        for key in PROBLEMS:
            self.problem_box.addItem("", key)
        # The network problem's images, model and initialisation (rows shown for it only).
        self.dataset_box = ElidedComboBox()
        self.dataset_box.setObjectName("dataset")
        for key in DATASETS:
            self.dataset_box.addItem("", key)
        self.model_box = ElidedComboBox()
        self.model_box.setObjectName("model")
        for key in MODELS:
            self.model_box.addItem("", key)
        self.init_box = ElidedComboBox()
        self.init_box.setObjectName("init")
        for key in INITS:
            self.init_box.addItem("", key)
        self.n_spin = _spin("nSamples", 2, 1_000_000)
        self.noise_spin = _dspin("noise", 0.0, 100.0, 0.1, 3)
        self.seed_spin = _spin("seed", 0, 2**31 - 1, grouped=False)
        self.epochs_spin = _spin("epochs", 1, 100_000)
        self.lr_spin = _dspin("lr", 0.0001, 100.0, 0.01, 4)
        self.optimizer_box = ElidedComboBox()
        self.optimizer_box.setObjectName("optimizer")
        for name, (torch_name, _) in OPTIMIZERS.items():
            self.optimizer_box.addItem(torch_name, name)
        self.momentum_spin = _dspin("momentum", 0.0, 0.999, 0.1, 3)
        self.scaling_box = ElidedComboBox()
        self.scaling_box.setObjectName("lrScaling")
        for key in ("none", "linear", "sqrt"):
            self.scaling_box.addItem("", key)
        self.reference_spin = _spin("lrReferenceBatch", 1, 1_000_000)
        self.warmup_spin = _dspin("warmupEpochs", 0.0, 1000.0, 0.5, 2)
        self.sampling_box = ElidedComboBox()
        self.sampling_box.setObjectName("sampling")
        self.sampling_box.addItem("", "shuffle")
        self.sampling_box.addItem("", "replacement")
        self.drop_last_box = QCheckBox()
        self.drop_last_box.setObjectName("dropLast")
        self.same_batches_box = QCheckBox()
        self.same_batches_box.setObjectName("sameBatches")
        self.runs_editor = RunsEditor()
        self.sweep_controls = SweepControls()  # shown for lessons that sweep
        self.sweep_controls.hide()
        self.error_label = QLabel()
        self.error_label.setObjectName("configError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020; font-weight: bold;")
        self.error_label.hide()

        self.data_group, data_form = _group()
        self.train_group, train_form = _group()
        self.runs_group, runs_form = _group()
        self._forms = (data_form, train_form, runs_form)
        for form, widget in (
            (data_form, self.problem_box),
            (data_form, self.dataset_box),
            (data_form, self.model_box),
            (data_form, self.init_box),
            (data_form, self.n_spin),
            (data_form, self.noise_spin),
            (data_form, self.seed_spin),
            (train_form, self.epochs_spin),
            (train_form, self.lr_spin),
            (train_form, self.optimizer_box),
            (train_form, self.momentum_spin),
            (train_form, self.scaling_box),
            (train_form, self.reference_spin),
            (train_form, self.warmup_spin),
            (runs_form, self.sampling_box),
            (runs_form, self.drop_last_box),
            (runs_form, self.same_batches_box),
        ):
            form.addRow(QLabel(), widget)
        runs_form.addRow(self.runs_editor)

        layout = QVBoxLayout(self)
        for group in (self.runs_group, self.data_group, self.train_group):  # batch size on top
            layout.addWidget(group)
        layout.addWidget(self.sweep_controls)
        layout.addWidget(self.error_label)
        layout.addStretch(1)

        for spin in (self.n_spin, self.seed_spin, self.epochs_spin, self.reference_spin):
            spin.valueChanged.connect(self._edited)
        for dspin in (self.noise_spin, self.lr_spin, self.momentum_spin, self.warmup_spin):
            dspin.valueChanged.connect(self._edited)
        self._network_boxes = (self.dataset_box, self.model_box, self.init_box)
        for combo in (self.problem_box, self.optimizer_box, self.sampling_box, self.scaling_box):
            combo.currentIndexChanged.connect(self._edited)
        for combo in self._network_boxes:
            combo.currentIndexChanged.connect(self._edited)
        self.drop_last_box.toggled.connect(self._edited)
        self.same_batches_box.toggled.connect(self._edited)
        self.runs_editor.changed.connect(self._edited)
        self.sweep_controls.changed.connect(self._edited)
        self.problem_box.currentIndexChanged.connect(self._fit_problem)
        self.n_spin.valueChanged.connect(self.runs_editor.set_samples)
        self.optimizer_box.currentIndexChanged.connect(
            lambda: self.runs_editor.set_optimizer(str(self.optimizer_box.currentData()))
        )
        # Long choices ("reshuffle each epoch, then partition") must not widen the column past
        # the dock: the boxes (ElidedComboBox) shrink to it, end with "…" and open in full.
        self.retranslate()

    def retranslate(self) -> None:
        self.data_group.setTitle(self.tr("Data"))
        self.train_group.setTitle(self.tr("Training"))
        self.runs_group.setTitle(self.tr("Runs to compare"))
        labels = [self.tr(FIELD_LABELS[name]) for name in FORM_FIELDS]
        rows = [
            form.itemAt(i, QFormLayout.ItemRole.LabelRole)
            for form in self._forms
            for i in range(form.rowCount())
        ]
        label_widgets = [w for r in rows if r is not None and isinstance(w := r.widget(), QLabel)]
        for widget, text in zip(label_widgets, labels, strict=True):
            widget.setText(text)
        names = {
            "linear": self.tr("linear regression (MSE)"),
            "logistic": self.tr("logistic regression"),
            "two_lines": self.tr("robust fit, two minima"),
            "network": self.tr("network on images (MLP, LeNet-5)"),
            "hinton": self.tr("Hinton's one weight"),
        }
        for i, key in enumerate(PROBLEMS):
            self.problem_box.setItemText(i, names[key])
        datasets = {
            "digits": self.tr("8×8 handwritten digits (bundled)"),
            "fashion-mnist": self.tr("Fashion-MNIST, 28×28 clothes"),
            "mnist": self.tr("MNIST, 28×28 digits"),
            "synthetic": self.tr("random images, random teacher"),
        }
        for i, key in enumerate(DATASETS):
            self.dataset_box.setItemText(i, datasets[key])
        models = {"mlp": self.tr("MLP: inputs → 128 → classes"), "lenet": self.tr("LeNet-5 (28×28 only)")}
        for i, key in enumerate(MODELS):
            self.model_box.setItemText(i, models[key])
        inits = {
            "default": self.tr("PyTorch default"),
            "kaiming_uniform": self.tr("Kaiming uniform"),
            "kaiming_normal": self.tr("Kaiming normal"),
            "xavier_uniform": self.tr("Xavier uniform"),
            "xavier_normal": self.tr("Xavier normal"),
        }
        for i, key in enumerate(INITS):
            self.init_box.setItemText(i, inits[key])
        self.scaling_box.setItemText(0, self.tr("none: the same lr for every B"))
        self.scaling_box.setItemText(1, self.tr("linear: lr × B / B_ref"))
        self.scaling_box.setItemText(2, self.tr("square root: lr × √(B / B_ref)"))
        self.warmup_spin.setToolTip(
            self.tr("The lr rises linearly from near 0 over this many epochs; 0: no warm-up")
        )
        self.sampling_box.setItemText(0, self.tr("reshuffle each epoch, then partition"))
        self.sampling_box.setItemText(1, self.tr("draw with replacement"))
        self.runs_editor.retranslate()
        self.sweep_controls.retranslate()
        self.same_batches_box.setToolTip(
            self.tr("Runs with the same batch size and sampling see the very same batches in the same order")
        )
        self.momentum_spin.setToolTip(self.tr("Used by SGD and RMSprop; 0 turns it off."))

    def set_config(self, config: ExperimentConfig) -> None:
        """Show `config` in the widgets without emitting `changed`."""
        self._loading = True
        try:
            self._base = config
            self.problem_box.setCurrentIndex(self.problem_box.findData(config.problem))
            self.dataset_box.setCurrentIndex(self.dataset_box.findData(config.dataset))
            self.model_box.setCurrentIndex(self.model_box.findData(config.model))
            self.init_box.setCurrentIndex(self.init_box.findData(config.init))
            self.n_spin.setValue(config.n_samples)
            self.noise_spin.setValue(config.noise)
            self.seed_spin.setValue(min(config.seed, 2**31 - 1))
            self.epochs_spin.setValue(config.epochs)
            self.lr_spin.setValue(config.lr)
            self.optimizer_box.setCurrentIndex(self.optimizer_box.findData(config.optimizer))
            self.momentum_spin.setValue(float(config.optimizer_params.get("momentum", 0.0)))
            self.sampling_box.setCurrentIndex(self.sampling_box.findData(config.sampling))
            self.scaling_box.setCurrentIndex(self.scaling_box.findData(config.lr_scaling))
            self.reference_spin.setValue(config.lr_reference_batch)
            self.warmup_spin.setValue(config.warmup_epochs)
            self.drop_last_box.setChecked(config.drop_last)
            self.same_batches_box.setChecked(config.same_batches)
            self.runs_editor.set_config(config)
            self.sweep_controls.set_settings(config.sweep)
            self.sweep_controls.setVisible("sweep" in config.measure)
            self._update_enabled()
            self.show_error("")
        finally:
            self._loading = False

    def config(self) -> ExperimentConfig:
        """The edited config; raises ValueError naming the field when a value is not allowed."""
        base = self._base
        optimizer = str(self.optimizer_box.currentData())
        params = dict(base.optimizer_params) if optimizer == base.optimizer else {}
        if "momentum" in OPTIMIZERS[optimizer][1]:
            momentum = self.momentum_spin.value()
            if momentum > 0 or "momentum" in params:
                params["momentum"] = momentum
            if params.get("nesterov") and momentum == 0:
                params.pop("nesterov")
        runs = self.runs_editor.runs()
        if not runs:
            raise ValueError(self.tr("Choose at least one run to compare."))
        problem = str(self.problem_box.currentData())
        surface: dict[str, object] = {}
        if problem != base.problem:  # another surface: its own start, and only what applies
            keep = () if problem in FLAT_PROBLEMS else tuple(m for m in base.measure if m == "gradient_noise")
            surface = {"problem": problem, "start": None, "measure": keep}
        if problem == "network":
            surface |= {
                "dataset": str(self.dataset_box.currentData()),
                "model": str(self.model_box.currentData()),
                "init": str(self.init_box.currentData()),
            }
        else:  # the network's fields keep their defaults (a network lesson's runs, their inits)
            surface |= {"dataset": "digits", "model": "mlp", "init": "default"}
            runs = tuple(dataclasses.replace(r, init=None) for r in runs)
        return dataclasses.replace(
            base,
            **surface,  # type: ignore[arg-type]
            n_samples=self.n_spin.value(),
            noise=self.noise_spin.value(),
            seed=self.seed_spin.value(),
            epochs=self.epochs_spin.value(),
            lr=self.lr_spin.value(),
            optimizer=optimizer,
            optimizer_params=params,
            sampling=str(self.sampling_box.currentData()),
            lr_scaling=str(self.scaling_box.currentData()),
            lr_reference_batch=self.reference_spin.value(),
            warmup_epochs=self.warmup_spin.value(),
            drop_last=self.drop_last_box.isChecked(),
            same_batches=self.same_batches_box.isChecked(),
            runs=runs,
            sweep=self.sweep_controls.settings() if "sweep" in base.measure else base.sweep,
        )

    def show_error(self, message: str) -> None:
        self.error_label.setText(message)
        self.error_label.setVisible(bool(message))

    def _update_enabled(self) -> None:
        network = self.problem_box.currentData() == "network"
        form = self._forms[0]
        for box in self._network_boxes:
            form.setRowVisible(box, network)
        # A lesson whose runs each start from their own initialisation leaves the config's unused.
        own = all(r.init is not None for r in self.runs_editor.runs()) if network else False
        self.init_box.setEnabled(not own)
        self.init_box.setToolTip(
            self.tr("Each run starts from its own initialisation (see its row)") if own else ""
        )
        # Label noise means nothing to real images (the generated ones are labelled with it).
        form.setRowVisible(self.noise_spin, not network or self.dataset_box.currentData() == "synthetic")
        optimizer = str(self.optimizer_box.currentData())
        self.momentum_spin.setEnabled("momentum" in OPTIMIZERS[optimizer][1])
        self.drop_last_box.setEnabled(self.sampling_box.currentData() == "shuffle")
        self.reference_spin.setEnabled(self.scaling_box.currentData() != "none")

    def _fit_problem(self) -> None:
        """Choosing Hinton's one weight sets what it needs (N = 10) instead of refusing."""
        if self._loading or self.problem_box.currentData() != "hinton":
            return
        self.n_spin.blockSignals(True)
        self.n_spin.setValue(10)
        self.runs_editor.set_samples(10)
        self.n_spin.blockSignals(False)

    def _edited(self) -> None:
        if self._loading:
            return
        self._update_enabled()
        self.changed.emit()


def _group() -> tuple[QGroupBox, QFormLayout]:
    group = QGroupBox()
    form = QFormLayout(group)
    return group, form


def _spin(name: str, low: int, high: int, grouped: bool = True) -> QSpinBox:
    spin = GroupedSpin() if grouped else QSpinBox()  # a seed is a name, not a quantity
    spin.setObjectName(name)
    spin.setRange(low, high)
    spin.setKeyboardTracking(False)
    return spin


def _dspin(name: str, low: float, high: float, step: float, decimals: int) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setObjectName(name)
    spin.setDecimals(decimals)
    spin.setRange(low, high)
    spin.setSingleStep(step)
    spin.setKeyboardTracking(False)
    return spin
