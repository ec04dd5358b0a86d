"""A large epoch and iteration counter above the plots, readable from the back of a hall."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QWidget

from engine import ExperimentConfig, RunProgress
from gui.fonts import BASE_PT
from gui.logic.numbers import group_digits, keep_digits_together
from gui.widgets.run_names import shown_label

SIZE = 1.6  # the counter's numbers, relative to the window's font
WORDS = 1.15  # its words: a little above the window's font, read from the back of a hall


class CounterBar(QLabel):
    """Epoch e of E and iteration i of I of the finest run (the most iterations per epoch).

    That run sets the pace (the speed box counts its iterations), so its count is the one
    that moves at the chosen speed; the other runs' counts are in the lesson column.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("counterBar")
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # Wraps between its parts rather than widen the window's minimum (which squeezed the
        # lesson column at 1280 px when a run's label was long).
        self.setWordWrap(True)
        self.setStyleSheet("#counterBar { color:#1a1a1a; padding:2px 6px; }")
        self._config: ExperimentConfig | None = None
        self._run: RunProgress | None = None
        self._scale = 1.0

    def set_config(self, config: ExperimentConfig) -> None:
        self._config = config
        self._run = None
        self._render()

    def update_progress(self, runs: tuple[RunProgress, ...]) -> None:
        if runs:
            self._run = max(runs, key=lambda r: r.iterations_per_epoch)
            self._render()

    def set_scale(self, scale: float) -> None:
        self._scale = scale
        self._render()

    def plain_text(self) -> str:
        """What the counter says, without markup (for tests)."""
        from PySide6.QtGui import QTextDocument

        doc = QTextDocument()
        doc.setHtml(self.text())
        return " ".join(doc.toPlainText().replace("\u202f", " ").split())

    def _render(self) -> None:
        c = self._config
        if c is None:
            self.setText("")
            return
        finest = max(c.runs, key=c.iterations_per_epoch)
        run = self._run
        ipe = c.iterations_per_epoch(finest) if run is None else run.iterations_per_epoch
        label = finest.label if run is None else run.label
        epoch, within, done = (1, 0, 0) if run is None else (run.epoch, run.iteration_in_epoch, run.iteration)
        b = c.batch_size_of(c.run_by_label(label))

        def big(text: str) -> str:
            return f"<b style='font-size:{SIZE * BASE_PT * self._scale:.0f}pt'>{html.escape(text)}</b>"

        parts = [
            self.tr("Epoch {e} of {total}").format(e=big(str(epoch)), total=big(group_digits(c.epochs))),
            self.tr("iteration {i} of {ipe} in this epoch").format(
                i=big(group_digits(within)), ipe=big(group_digits(ipe))
            ),
            self.tr("{i} of {total} in all").format(
                i=big(group_digits(done)), total=big(group_digits(ipe * c.epochs))
            ),
        ]
        who = self.tr("{run}: B = {b}").format(run=html.escape(shown_label(label)), b=group_digits(b))
        who = who.replace(" ", "&nbsp;")  # wraps as a whole, if at all
        markup = "&nbsp;&nbsp;·&nbsp; ".join(parts) + f"&nbsp;&nbsp; <span style='color:#444'>({who})</span>"
        words = f"font-size:{WORDS * BASE_PT * self._scale:.1f}pt"
        self.setText(keep_digits_together(f"<span style='{words}'>{markup}</span>"))
