"""The N samples as a strip of cells, one strip per run (up to three): what an epoch is.

Cells sit in data order (sample 0 top left). White: not seen yet this epoch; the run's colour,
pale: seen once this epoch; the run's colour, full: seen more than once (only when batches
are drawn with replacement); outlined in black: the batch of the last step (with B = N the
whole strip is framed: one batch, every sample once). Each epoch the order is reshuffled, so
the lit cells jump about; by the epoch's end every cell has been seen once (shuffle mode) or
some twice and some never (with replacement). The batches are the session's own, recomputed
from the run's seed (engine `batch_order`).
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QPainter, QPaintEvent, QPen, QResizeEvent
from PySide6.QtWidgets import QWidget

from engine import BatchOrder, ExperimentConfig, RunProgress, batch_order
from gui.i18n import tr
from gui.views.plot_style import run_glyph
from gui.widgets.run_names import shown_label

MAX_STRIPS = 3
MAX_SAMPLES = 5000  # above, a cell would be under a pixel: no strip
UNSEEN = QColor("#ffffff")  # white, in a grey frame: apart from the pale "seen once" in any colour vision
FRAME = QColor("#b0b0b0")
STRIP_PX = 40  # height of one run's strip at scale 1 (cells of 4-5 px for N = 1 000 at 1280 px)
LABEL_PX = 150  # room for the run's name at the left, at scale 1


def _tint(color: QColor, amount: float) -> QColor:
    """`color` mixed with white (amount 0: the colour, 1: white)."""
    r, g, b = (round(c + (255 - c) * amount) for c in (color.red(), color.green(), color.blue()))
    return QColor(r, g, b)


def sample_states(batches: list[np.ndarray], done: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    """(times each sample was drawn in the first `done` batches, whether it is in batch done − 1)."""
    seen = np.zeros(n, dtype=np.int64)
    if done > 0:  # (no batches asked for before the first step: nothing computed, no torch)
        seen = np.bincount(np.concatenate(batches[:done]), minlength=n)
    lit = np.zeros(n, dtype=bool)
    if done > 0:
        lit[batches[done - 1]] = True
    return seen, lit


class BatchStrip(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("batchStrip")
        self._runs: list[tuple[str, int, QColor, BatchOrder]] = []  # label, marker, colour, order
        self._where: dict[str, tuple[int, int]] = {}  # label -> (epoch index, batches done in it)
        self._n = 0
        self._scale = 1.0

    def set_scale(self, scale: float) -> None:
        self._scale = scale
        self._fit()

    def set_runs(
        self, config: ExperimentConfig | None, colors: dict[str, str], markers: dict[str, int]
    ) -> None:
        """The runs of `config` to draw (the first three); none for networks or N > MAX_SAMPLES."""
        self._runs, self._where = [], {}
        if (
            config is not None
            and config.problem not in ("network", "hinton")
            and config.n_samples <= MAX_SAMPLES
        ):
            self._n = config.n_samples
            for i, spec in enumerate(config.runs[:MAX_STRIPS]):
                color = QColor(colors.get(spec.label) or config.color_of(spec))
                self._runs.append((spec.label, markers.get(spec.label, i), color, batch_order(config, spec)))
        self._fit()
        self.update()

    @property
    def has_runs(self) -> bool:
        return bool(self._runs)

    def _caption_height(self) -> int:
        """The caption's height: wrapped at words into as many lines as the width needs."""
        width = max(round(self.width() - LABEL_PX * self._scale - 8), 10)
        flags = int(Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap)
        return self.fontMetrics().boundingRect(0, 0, width, 10_000, flags, self.describe()).height() + 4

    def _fit(self) -> None:
        strips = round(len(self._runs) * STRIP_PX * self._scale)
        self.setFixedHeight(strips + self._caption_height() + 4 if self._runs else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        if self._runs and event.size().width() != event.oldSize().width():
            self._fit()  # the caption may need another line

    def update_progress(self, runs: tuple[RunProgress, ...]) -> None:
        for rp in runs:
            # After `iteration_in_epoch` steps of epoch `epoch` (1-based; at an epoch's end,
            # all of its steps): those batches are done, the last of them lit.
            self._where[rp.label] = (max(rp.epoch - 1, 0), rp.iteration_in_epoch)
        self.update()

    def state_of(self, label: str) -> tuple[np.ndarray, np.ndarray] | None:
        """(times seen this epoch, lit) per sample of run `label` as drawn now (for tests)."""
        for name, _, _, order in self._runs:
            if name == label:
                epoch, done = self._where.get(label, (0, 0))
                return sample_states(order.epoch(epoch) if done else [], done, self._n)
        return None

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt override
        if not self._runs:
            return
        painter = QPainter(self)
        strip_h = STRIP_PX * self._scale
        label_w = LABEL_PX * self._scale
        width = max(self.width() - label_w - 8, 10.0)
        for row, (label, marker, color, order) in enumerate(self._runs):
            top = 2 + row * strip_h
            epoch, done = self._where.get(label, (0, 0))
            # Nothing to look up before a run's first step of an epoch (and so no torch on
            # this thread while the session is still importing it).
            seen, lit = sample_states(order.epoch(epoch) if done else [], done, self._n)
            painter.setPen(color.darker(130))  # the run's name in its colour, with its marker
            text = f"{run_glyph(marker)} {shown_label(label)}"
            painter.drawText(
                QRectF(4, top, label_w - 8, strip_h),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                painter.fontMetrics().elidedText(text, Qt.TextElideMode.ElideRight, round(label_w - 8)),
            )
            # Cells in `rows` lines, as square as the strip allows, on whole pixels (so that the
            # one-pixel frames between them survive rounding at any scale).
            rows = max(1, round(math.sqrt(self._n * (strip_h - 4) / width)))
            cols = math.ceil(self._n / rows)
            cw, ch = max(int(width // cols), 1), max(int((strip_h - 4) // rows), 1)
            gap = 1 if cw >= 3 else 0
            left, top = round(label_w), round(top)
            fills = [UNSEEN, _tint(color, 0.35), color.darker(150)]
            painter.fillRect(left, top, cols * cw, rows * ch, FRAME)  # the frames between cells
            for i in range(self._n):
                r, c = divmod(i, cols)
                painter.fillRect(left + c * cw, top + r * ch, cw - gap, ch - 1, fills[min(int(seen[i]), 2)])
            if lit.all():
                # The whole data set was the batch (B = N, full-batch GD): one frame around
                # it, not N outlined cells, which read as one black bar.
                painter.setPen(QPen(QColor("#000000"), max(1.5, 2 * self._scale)))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(QRectF(left - 1, top - 1, cols * cw + 1, rows * ch + 1))
            elif lit.any():
                # An outline no wider than a third of a cell: small cells keep their colour.
                pen_w = min(max(1.5, 2 * self._scale), max(1.0, min(cw, ch) / 3))
                painter.setPen(QPen(QColor("#000000"), pen_w))
                painter.setBrush(color)
                for k in np.flatnonzero(lit):
                    r, c = divmod(int(k), cols)
                    painter.drawRect(QRectF(left + c * cw, top + r * ch, max(cw - gap, 1), max(ch - 1, 1)))
        painter.setPen(QColor("#1a1a1a"))
        caption = QRectF(label_w, 2 + len(self._runs) * strip_h, width, self._caption_height())
        flags = Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft | Qt.TextFlag.TextWordWrap
        painter.drawText(caption, int(flags), self.describe())
        painter.end()

    def describe(self) -> str:
        """One line under the strips saying what the colours mean."""
        return tr(
            "Each cell is a sample: white not yet seen this epoch, pale seen once, dark seen again, "
            "outlined the last batch."
        )
