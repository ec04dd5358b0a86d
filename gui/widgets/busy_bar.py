"""A strip above the views that says what long work is going on and how far it is."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QProgressBar, QWidget

from gui.i18n import QT_TRANSLATE_NOOP

# engine task (engine.TASKS) -> what the strip says while it runs
TASK_TEXTS = {
    "startup": QT_TRANSLATE_NOOP("BusyBar", "Starting PyTorch (once, when the app starts)…"),
    "data": QT_TRANSLATE_NOOP("BusyBar", "Preparing the data…"),
    "surface": QT_TRANSLATE_NOOP("BusyBar", "Computing the loss surface…"),
    "gradient_noise": QT_TRANSLATE_NOOP("BusyBar", "Measuring the gradient noise (thousands of batches)…"),
    "basins": QT_TRANSLATE_NOOP("BusyBar", "Training copies with other batch orders to count the minima…"),
    "download": QT_TRANSLATE_NOOP("BusyBar", "Downloading the images…"),
}


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
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.bar)
        self.hide()

    def show_task(self, task: str, done: float) -> None:
        self.task = task
        text = TASK_TEXTS.get(task)
        self.label.setText(QCoreApplication.translate("BusyBar", text) if text else task)
        self.bar.setValue(round(1000 * done))
        self.bar.setFormat(f"{100 * done:.0f} %")
        self.show()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""
