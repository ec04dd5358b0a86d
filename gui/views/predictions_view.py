"""One validation image of each class, with every run's current answer under it.

Right answers are green with ✓, wrong ones red with ✗: the mark, not the colour alone, says
which (red and green look alike to many colour-blind viewers). Updated at each measured epoch.
"""

from __future__ import annotations

import html

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QImage, QPixmap
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from engine import SessionSetup
from gui.i18n import QT_TRANSLATE_NOOP
from gui.views.plot_style import run_glyph
from gui.widgets.run_names import shown_label

RIGHT, WRONG = "#1b7f3a", "#c0202e"
# Fashion-MNIST's classes, for translation (the digits' classes are their digits).
CLASS_NAMES = (
    QT_TRANSLATE_NOOP("PredictionsView", "T-shirt/top"),
    QT_TRANSLATE_NOOP("PredictionsView", "Trouser"),
    QT_TRANSLATE_NOOP("PredictionsView", "Pullover"),
    QT_TRANSLATE_NOOP("PredictionsView", "Dress"),
    QT_TRANSLATE_NOOP("PredictionsView", "Coat"),
    QT_TRANSLATE_NOOP("PredictionsView", "Sandal"),
    QT_TRANSLATE_NOOP("PredictionsView", "Shirt"),
    QT_TRANSLATE_NOOP("PredictionsView", "Sneaker"),
    QT_TRANSLATE_NOOP("PredictionsView", "Bag"),
    QT_TRANSLATE_NOOP("PredictionsView", "Ankle boot"),
)
COLUMNS = 5
IMAGE_PX = 64


class PredictionsView(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("predictionsView")
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(10)
        self.grid.setVerticalSpacing(2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(self.grid)
        layout.addStretch(1)
        self._cells: list[tuple[QLabel, QLabel, QLabel]] = []  # image, truth, answers
        self._classes: tuple[str, ...] = ()
        self._labels: np.ndarray = np.empty(0, dtype=np.int64)
        self._runs: list[str] = []
        self._colors: dict[str, str] = {}
        self._markers: dict[str, int] = {}
        self._answers: dict[str, np.ndarray] = {}
        self.retranslate()

    def retranslate(self) -> None:
        self._render()

    def set_setup(self, setup: SessionSetup, markers: dict[str, int] | None = None) -> None:
        self.clear()
        if setup.examples is None or setup.example_labels is None:
            return
        self._classes = setup.classes
        self._labels = setup.example_labels
        self._runs = [r.label for r in setup.runs]
        self._colors = {r.label: r.color for r in setup.runs}
        self._markers = {r.label: (markers or {}).get(r.label, i) for i, r in enumerate(setup.runs)}
        for k, image in enumerate(setup.examples):
            picture, truth, answers = QLabel(), QLabel(), QLabel()
            picture.setPixmap(_pixmap(image))
            picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
            for label in (truth, answers):
                label.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
                label.setTextFormat(Qt.TextFormat.RichText)
                label.setWordWrap(True)
            row, col = divmod(k, COLUMNS)
            self.grid.addWidget(picture, 3 * row, col)
            self.grid.addWidget(truth, 3 * row + 1, col)
            self.grid.addWidget(answers, 3 * row + 2, col)
            self._cells.append((picture, truth, answers))
        self._render()

    def clear(self) -> None:
        for cell in self._cells:
            for widget in cell:
                self.grid.removeWidget(widget)
                widget.deleteLater()
        self._cells = []
        self._answers = {}
        self._runs = []

    def set_answers(self, label: str, answers: np.ndarray | None) -> None:
        if answers is not None and label in self._colors:
            self._answers[label] = answers
            self._render()

    def answer_text(self, k: int) -> str:
        """The plain text under image `k` (for tests)."""
        return self._cells[k][2].text() if k < len(self._cells) else ""

    def _render(self) -> None:
        # Which marker is which run, then what the marks mean (not colour alone: ✓ and ✗).
        runs = "&nbsp;&nbsp; ".join(
            f"<span style='color:{self._colors[r]}; font-weight:bold'>{run_glyph(self._markers[r])} "
            f"{html.escape(shown_label(r))}</span>"
            for r in self._runs
        )
        intro = html.escape(
            self.tr(
                "One validation image of each class; under it, each run's answer now: "
                "✓ right, or ✗ and the class it named."
            )
        )
        self.heading.setText(f"{intro}<br/>{runs}" if runs else intro)
        for k, (_, truth, answers) in enumerate(self._cells):
            true = int(self._labels[k])
            truth.setText("<b>" + html.escape(self._class(true)) + "</b>")
            lines = []
            room = answers.width() - 4
            bold = QFont(answers.font())
            bold.setBold(True)
            bold.setPointSizeF(bold.pointSizeF() * 1.2)  # <big>, as the marks are drawn
            metrics = QFontMetrics(bold)
            for label in self._runs:
                got = self._answers.get(label)
                marker = run_glyph(self._markers[label])
                glyph = f"<span style='color:{self._colors[label]}'><big>{marker}</big></span>"
                if got is None:
                    lines.append(f"{glyph} …")
                    continue
                # Right: the mark alone (the class is written above); wrong: what it said, on
                # the mark's line if it fits whole, else on its own (never broken inside a
                # word: Chinese may break between any two characters, 连衣 | 裙).
                right = int(got[k]) == true
                name = "" if right else self._class(int(got[k]))
                mark, color = ("✓", RIGHT) if right else ("✗", WRONG)
                wide = metrics.horizontalAdvance(f"{marker} {mark} {name}") > room
                said = ("<br/>&nbsp;&nbsp;" if wide else " ") + html.escape(name) if name else ""
                lines.append(
                    f"{glyph} <span style='color:{color}; font-weight:bold'><big>{mark}</big>{said}</span>"
                )
            answers.setText("".join(f"<div style='white-space:pre'>{line}</div>" for line in lines))
            answers.setToolTip(", ".join(shown_label(r) for r in self._runs))

    def _class(self, k: int) -> str:
        return self.tr(self._classes[k]) if k < len(self._classes) else str(k)


def _pixmap(image: np.ndarray) -> QPixmap:
    """A grayscale image, dark ink on white as on paper, scaled up with square pixels."""
    lo, hi = float(image.min()), float(image.max())
    gray = (255 - (image - lo) / max(hi - lo, 1e-9) * 255).astype(np.uint8)
    gray = np.ascontiguousarray(gray)
    h, w = gray.shape
    qimage = QImage(gray.data, w, h, w, QImage.Format.Format_Grayscale8).copy()
    return QPixmap.fromImage(qimage).scaled(
        IMAGE_PX, IMAGE_PX, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation
    )
