"""The sweep's rows as a sortable table: one line per batch size and seed (sweep.csv's rows)."""

from __future__ import annotations

import math

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem, QWidget

from engine import SweepResult, SweepRow
from gui.i18n import QT_TRANSLATE_NOOP
from gui.logic.numbers import group_digits

# (SweepRow field, column title, format); the titles are translated in retranslate().
COLUMNS = (
    ("batch_size", QT_TRANSLATE_NOOP("SweepTable", "B"), "int"),
    ("seed", QT_TRANSLATE_NOOP("SweepTable", "seed"), "int"),
    ("lr", QT_TRANSLATE_NOOP("SweepTable", "learning rate"), "g3"),
    ("seconds_per_epoch", QT_TRANSLATE_NOOP("SweepTable", "s / epoch"), "g3"),
    ("samples_per_s", QT_TRANSLATE_NOOP("SweepTable", "samples / s"), "int"),
    ("peak_memory_mb", QT_TRANSLATE_NOOP("SweepTable", "step memory (MB)"), "g3"),
    ("steps_to_target", QT_TRANSLATE_NOOP("SweepTable", "steps to target"), "f0"),
    ("epochs_to_target", QT_TRANSLATE_NOOP("SweepTable", "epochs to target"), "f2"),
    ("seconds_to_target", QT_TRANSLATE_NOOP("SweepTable", "s to target"), "g3"),
    ("final_train_loss", QT_TRANSLATE_NOOP("SweepTable", "final train loss"), "g3"),
    ("val_accuracy", QT_TRANSLATE_NOOP("SweepTable", "validation accuracy"), "pct"),
    ("generalization_gap", QT_TRANSLATE_NOOP("SweepTable", "train − validation"), "pct"),
    ("status", QT_TRANSLATE_NOOP("SweepTable", "status"), "status"),
)
STATUS_TEXTS = {
    "ok": QT_TRANSLATE_NOOP("SweepTable", "ok"),
    "diverged": QT_TRANSLATE_NOOP("SweepTable", "diverged"),
    "target_not_reached": QT_TRANSLATE_NOOP("SweepTable", "target not reached"),
    "out_of_memory": QT_TRANSLATE_NOOP("SweepTable", "over the memory budget"),
}


class _Item(QTableWidgetItem):
    """A cell that sorts by its number (empty cells last), not by its text."""

    def __init__(self, text: str, key: float) -> None:
        super().__init__(text)
        self.key = key
        self.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def __lt__(self, other: QTableWidgetItem) -> bool:
        return self.key < other.key if isinstance(other, _Item) else super().__lt__(other)


class SweepTable(QTableWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, len(COLUMNS), parent)
        self.setObjectName("sweepTable")
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().hide()
        self.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.setSortingEnabled(True)
        self.sortItems(0, Qt.SortOrder.AscendingOrder)  # by batch size, smallest first
        self._rows: tuple[SweepRow, ...] = ()
        self.retranslate()

    def retranslate(self) -> None:
        self.setHorizontalHeaderLabels([_translate(title) for _, title, _ in COLUMNS])
        self.show_rows(self._rows)

    def set_result(self, sweep: SweepResult | None) -> None:
        rows = sweep.rows if sweep is not None else ()
        if rows != self._rows:
            self.show_rows(rows)

    def show_rows(self, rows: tuple[SweepRow, ...]) -> None:
        self._rows = rows
        self.setSortingEnabled(False)  # filling a sorted table moves rows under the writer
        self.setRowCount(len(rows))
        for r, row in enumerate(rows):
            for c, (name, _, form) in enumerate(COLUMNS):
                self.setItem(r, c, self._cell(getattr(row, name), form))
        self.setSortingEnabled(True)

    def _cell(self, value: object, form: str) -> _Item:
        if form == "status":
            status = str(value)
            item = _Item(
                _translate(STATUS_TEXTS.get(status, status)), float(list(STATUS_TEXTS).index(status))
            )
            item.setTextAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            return item
        if value is None or not isinstance(value, (int, float)) or not math.isfinite(value):
            return _Item("–", math.inf)
        v = float(value)
        if form == "int":
            text = group_digits(round(v))
        elif form == "pct":
            text = f"{v * 100:.1f} %"
        elif form == "f0":
            text = group_digits(round(v))
        elif form == "f2":
            text = f"{v:.2f}"
        else:
            text = f"{v:.3g}"
        return _Item(text, v)


def _translate(text: str) -> str:
    return QCoreApplication.translate("SweepTable", text)


def status_text(status: str) -> str:
    """A row's status in the current language."""
    return _translate(STATUS_TEXTS.get(status, status))
