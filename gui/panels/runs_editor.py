"""The lesson's runs, one row each: shown or not, marker and label, batch size, workers,
optimizer.

Every run of the config is listed (a lesson may compare five batch sizes or three
optimizers), each with its own batch size and data-parallel workers K to edit (each worker
takes B samples: the global batch is K × B); a log-scale slider below sweeps the batch size
of the row last chosen. "Add a run" appends a run of the config's own settings.
"""

from __future__ import annotations

import dataclasses
import html

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from engine import FULL, MAX_WORKERS, OPTIMIZERS, ExperimentConfig, RunSpec, run_colors
from gui.i18n import QT_TRANSLATE_NOOP
from gui.logic.markers import run_markers
from gui.views.plot_style import run_glyph
from gui.widgets.batch_slider import BatchSizeSlider
from gui.widgets.grouped_spin import BatchSpin, GroupedSpin
from gui.widgets.run_names import shown_label

# A run's own initialisation (torch.nn.init scheme), as its row names it.
INIT_NAMES = {
    "default": QT_TRANSLATE_NOOP("RunsEditor", "PyTorch default init"),
    "kaiming_uniform": QT_TRANSLATE_NOOP("RunsEditor", "Kaiming uniform init"),
    "kaiming_normal": QT_TRANSLATE_NOOP("RunsEditor", "Kaiming normal init"),
    "xavier_uniform": QT_TRANSLATE_NOOP("RunsEditor", "Xavier uniform init"),
    "xavier_normal": QT_TRANSLATE_NOOP("RunsEditor", "Xavier normal init"),
}


class RunsEditor(QWidget):
    """Edits the config's runs. `changed` fires on every edit; `rows_built` after a rebuild."""

    changed = Signal()
    rows_built = Signal()  # new spin boxes exist (the window watches their Enter and Esc)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._grid = QGridLayout()
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setColumnStretch(2, 1)
        self.slider_label = QLabel()
        self.slider = BatchSizeSlider()
        self.slider.spin.hide()  # the row's own box shows the number
        self.add_button = QPushButton()
        self.add_button.setObjectName("addRun")
        self.add_button.clicked.connect(self.add_run)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(self._grid)
        layout.addWidget(self.slider_label)
        layout.addWidget(self.slider)
        layout.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.slider.value_changed.connect(self._from_slider)
        self._specs: list[RunSpec] = []
        self._boxes: list[QCheckBox] = []
        self._spins: list[BatchSpin] = []
        self._workers: list[GroupedSpin] = []
        self._details: list[QLabel] = []
        self._glyphs: list[QLabel] = []
        self._config = ExperimentConfig()
        self._optimizer = self._config.optimizer
        self._current = 0  # the row the slider moves
        self._loading = False
        self.retranslate()

    # ----- public -----

    @property
    def spins(self) -> list[BatchSpin]:
        """Each row's batch-size box, in the order of the runs."""
        return list(self._spins)

    @property
    def worker_spins(self) -> list[GroupedSpin]:
        """Each row's workers box (K data-parallel processes), in the order of the runs."""
        return list(self._workers)

    @property
    def boxes(self) -> list[QCheckBox]:
        """Each row's "shown" tick box, in the order of the runs."""
        return list(self._boxes)

    def set_config(self, config: ExperimentConfig) -> None:
        """One row per run of `config`, all shown, without emitting `changed`."""
        self._loading = True
        try:
            self._config = config
            self._optimizer = config.optimizer
            self._specs = list(config.runs)
            self._boxes, self._spins, self._workers = [], [], []  # a new lesson: nothing carried over
            self._build_rows()
            for box in self._boxes:
                box.setChecked(True)
            self._current = self._default_row()
            self._sync_slider()
        finally:
            self._loading = False

    def set_samples(self, n: int) -> None:
        """N changed: each box now ranges over 1..N; a full-batch run stays full."""
        for spin in self._spins:
            full = spin.value() == spin.maximum()
            spin.blockSignals(True)
            spin.setMaximum(max(1, n))
            if full:
                spin.setValue(spin.maximum())
            spin.blockSignals(False)
        self._sync_slider()

    def set_optimizer(self, name: str) -> None:
        """The config's optimizer changed: rows without their own now say they use `name`."""
        self._optimizer = name
        self._describe_rows()

    def runs(self) -> tuple[RunSpec, ...]:
        """The runs ticked on, each with the batch size in its box."""
        runs = [run for run, box in zip(self.listed_runs(), self._boxes, strict=True) if box.isChecked()]
        # A run keeps its colour when a run listed above it is hidden (the palette would
        # otherwise hand it the hidden run's colour).
        listed, shown = self.colors(), run_colors(runs)
        return tuple(
            r if shown[r.label] == listed[r.label] else dataclasses.replace(r, color=listed[r.label])
            for r in runs
        )

    def row_of(self, label: str) -> int:
        """The row listing run `label`."""
        return [spec.label for spec in self._specs].index(label)

    def listed_runs(self) -> tuple[RunSpec, ...]:
        """Every listed run, ticked or not, with the batch size in its box (for a scenario)."""
        return tuple(
            dataclasses.replace(
                spec,
                batch_size=FULL if spin.value() == spin.maximum() else spin.value(),
                workers=workers.value(),
            )
            for spec, spin, workers in zip(self._specs, self._spins, self._workers, strict=True)
        )

    def hidden(self) -> list[str]:
        return [spec.label for spec, box in zip(self._specs, self._boxes, strict=True) if not box.isChecked()]

    def toggle_row(self, row: int) -> None:
        """Keys 1, 2, 3: hide the row-th run, or show it again (as its tick box does)."""
        if row < len(self.boxes):
            self.boxes[row].toggle()

    def set_hidden(self, labels: list[str]) -> None:
        """Untick the runs named in `labels` (all others ticked), without emitting `changed`."""
        self._loading = True
        try:
            for spec, box in zip(self._specs, self._boxes, strict=True):
                box.setChecked(spec.label not in labels)
        finally:
            self._loading = False

    def colors(self) -> dict[str, str]:
        """Each listed run's colour, fixed by its place in the full list (not only those shown)."""
        return run_colors(self._specs)

    def markers(self) -> dict[str, int]:
        """Each listed run's marker index (by role, else by row: gui/logic/markers.py), the same
        whether it is shown or not."""
        return run_markers(spec.label for spec in self._specs)

    def set_batch(self, row: int, size: int) -> None:
        """Type `size` into row `row`'s box (as a user would)."""
        self._spins[row].setValue(size)

    def set_workers(self, row: int, workers: int) -> None:
        """Type `workers` into row `row`'s workers box (as a user would)."""
        self._workers[row].setValue(workers)

    def add_run(self) -> None:
        """Append a run with the config's settings and a batch size between the others'."""
        n = self._spins[0].maximum() if self._spins else self._config.n_samples
        used = {spec.label for spec in self._specs}
        size = min(32, n)
        label = f"B{size}"
        k = 2
        while label in used:
            label = f"B{size}-{k}"
            k += 1
        self._specs.append(RunSpec(label, size))
        self._build_rows()
        self._boxes[-1].setChecked(True)
        self._current = len(self._specs) - 1
        self._sync_slider()
        self._edited()

    def retranslate(self) -> None:
        self.add_button.setText(self.tr("+ Add a run"))
        self.add_button.setToolTip(self.tr("Another run to compare, with the optimizer and sampling above"))
        self._describe_rows()

    # ----- rows -----

    def _build_rows(self) -> None:
        while self._grid.count():
            item = self._grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        checked = [box.isChecked() for box in self._boxes]
        values = [spin.value() for spin in self._spins]
        counts = [spin.value() for spin in self._workers]
        n = self._spins[0].maximum() if self._spins else max(1, self._config.n_samples)
        self._boxes, self._spins, self._workers, self._details, self._glyphs = [], [], [], [], []
        for row, spec in enumerate(self._specs):
            glyph = QLabel()
            box = QCheckBox()
            box.setObjectName(f"showRun{row}")
            spin = BatchSpin()
            spin.setObjectName(f"batchOfRun{row}")
            spin.setRange(1, n)
            spin.setKeyboardTracking(False)
            spin.setMinimumWidth(spin.fontMetrics().horizontalAdvance("1 000 000") + 36)
            if row < len(values):
                spin.setValue(values[row])
                box.setChecked(checked[row])
            else:
                spin.setValue(n if spec.batch_size == FULL else min(int(spec.batch_size), n))
            spin.installEventFilter(self)
            workers = GroupedSpin()
            workers.setObjectName(f"workersOfRun{row}")
            workers.setRange(1, MAX_WORKERS)
            workers.setKeyboardTracking(False)
            workers.setPrefix("×")
            workers.setValue(counts[row] if row < len(counts) else spec.workers)
            detail = QLabel()
            detail.setWordWrap(True)
            detail.setStyleSheet("color:#444")
            for col, widget in enumerate((glyph, box, detail, spin, workers)):
                self._grid.addWidget(widget, row, col)
            box.toggled.connect(self._edited)
            spin.valueChanged.connect(lambda _=0, r=row: self._from_spin(r))
            workers.valueChanged.connect(self._edited)
            self._glyphs.append(glyph)
            self._boxes.append(box)
            self._spins.append(spin)
            self._workers.append(workers)
            self._details.append(detail)
        self._describe_rows()
        self.rows_built.emit()

    def _describe_rows(self) -> None:
        colors, markers = self.colors(), self.markers()
        for row, spec in enumerate(self._specs):
            color = colors.get(spec.label, "#000000")
            glyph = html.escape(run_glyph(markers[spec.label]))
            self._glyphs[row].setText(f"<span style='color:{color}; font-size:large'>{glyph}</span>")
            self._boxes[row].setText(shown_label(spec.label))
            parts = [OPTIMIZERS[spec.optimizer or self._optimizer][0]]
            if spec.lr is not None:
                parts.append(self.tr("lr {lr}").format(lr=f"{spec.lr:g}"))
            if spec.sampling is not None:
                parts.append(
                    self.tr("reshuffled") if spec.sampling == "shuffle" else self.tr("with replacement")
                )
            self._details[row].setText(", ".join(parts))
            # A network run's own initialisation: in its tooltip (the row has no room for it).
            init = self.tr(INIT_NAMES[spec.init]) if spec.init is not None else ""
            self._details[row].setToolTip(init)
            self._boxes[row].setToolTip(init)
            self._spins[row].setToolTip(
                self.tr("Batch size B of {run}; N (all samples) reads “full”").format(
                    run=shown_label(spec.label)
                )
            )
            self._workers[row].setToolTip(
                self.tr(
                    "Data-parallel workers K of {run}: K processes (torch.distributed), each taking "
                    "B samples, so one step sees the global batch K × B"
                ).format(run=shown_label(spec.label))
            )
        if self._specs:
            label = shown_label(self._specs[min(self._current, len(self._specs) - 1)].label)
            self.slider_label.setText(self.tr("Slide the batch size of {run}:").format(run=label))

    def _default_row(self) -> int:
        """The row the slider starts on: the last run whose B is neither 1 nor full."""
        for row in reversed(range(len(self._specs))):
            b = self._spins[row].value()
            if 1 < b < self._spins[row].maximum():
                return row
        return max(len(self._specs) - 1, 0)

    def _sync_slider(self) -> None:
        if not self._spins:
            return
        spin = self._spins[self._current]
        self.slider.set_maximum(spin.maximum())
        self.slider.set_value(spin.value())
        self._describe_rows()

    def _from_slider(self, size: int) -> None:
        if self._spins:
            self._spins[self._current].setValue(size)

    def _from_spin(self, row: int) -> None:
        if row == self._current:
            self.slider.blockSignals(True)
            self.slider.set_value(self._spins[row].value())
            self.slider.blockSignals(False)
        self._edited()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.FocusIn and watched in self._spins:
            self._current = self._spins.index(watched)
            self._sync_slider()
        return super().eventFilter(watched, event)

    def _edited(self) -> None:
        if not self._loading:
            self.changed.emit()
