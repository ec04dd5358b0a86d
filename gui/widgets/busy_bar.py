"""A strip above the views that says what long work is going on and how far it is."""

from __future__ import annotations

import time

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QWidget

from gui.i18n import QT_TRANSLATE_NOOP, tr

# engine task (engine.TASKS) -> what the strip says while it runs
TASK_TEXTS = {
    "startup": QT_TRANSLATE_NOOP("BusyBar", "Starting PyTorch (once, when the app starts)…"),
    "data": QT_TRANSLATE_NOOP("BusyBar", "Preparing the data…"),
    "surface": QT_TRANSLATE_NOOP("BusyBar", "Computing the loss surface…"),
    "gradient_noise": QT_TRANSLATE_NOOP("BusyBar", "Measuring the gradient noise (thousands of batches)…"),
    "basins": QT_TRANSLATE_NOOP("BusyBar", "Training copies with other batch orders to count the minima…"),
    "download": QT_TRANSLATE_NOOP("BusyBar", "Downloading the images…"),
    "sweep": QT_TRANSLATE_NOOP("BusyBar", "Batch-size sweep"),
}
ETA_AFTER_S = 3.0  # the time left is given once the work has gone on this long


class BusyBar(QFrame):
    """Hidden until `show_task`; R, Space, a lesson switch or an edit interrupt the work."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("busyBar")
        self.setStyleSheet(
            "#busyBar { background:#eef4fb; border:1px solid #9dbbe0; }"
            " QLabel { color:#10284a; font-weight:bold; }"
        )
        self.label = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, 1000)
        self.bar.setTextVisible(True)
        self.bar.setMaximumWidth(320)
        self.task = ""
        self.detail = ""  # where the work is, in words (the sweep: its size, seed and epoch)
        self._started: tuple[str, float] | None = None  # the task and when it began (monotonic)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.bar)
        self.hide()

    def show_task(self, task: str, done: float) -> None:
        if task != self.task or self._started is None or self._started[0] != task:
            self.detail = ""
            self._started = (task, time.monotonic())
        self.task = task
        text = TASK_TEXTS.get(task)
        label = QCoreApplication.translate("BusyBar", text) if text else task
        if self.detail:
            label += " · " + self.detail
        elapsed = time.monotonic() - self._started[1]
        if 0.01 < done < 1 and elapsed >= ETA_AFTER_S:
            left = elapsed * (1 - done) / done
            label += " · " + self.tr("about {time} left").format(time=_duration(left))
        self.label.setText(label)
        self.bar.setValue(round(1000 * done))
        self.bar.setFormat(f"{100 * done:.0f} %")
        self.show()

    def hide(self) -> None:
        super().hide()
        self._started = None

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""


def _duration(seconds: float) -> str:
    if seconds < 90:
        return tr("{n} s").format(n=max(round(seconds), 1))
    if seconds < 5400:
        return tr("{n} min").format(n=round(seconds / 60))
    return tr("{n:.1f} h").format(n=seconds / 3600)
