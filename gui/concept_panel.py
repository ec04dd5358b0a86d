"""Live arithmetic in words ("N = 1000, B = 10 → 100 iterations per epoch; …") and the lesson."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QWidget

from engine import OPTIMIZERS, BasinCount, ExperimentConfig, Preset, RunProgress


def group_digits(n: int) -> str:
    """12 345 with a narrow no-break space, readable from the back of a lecture hall."""
    return f"{n:,}".replace(",", "\u202f")


class ConceptPanel(QWidget):
    """The preset's title and explanation, with one live line of arithmetic per run."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.arithmetic = QLabel()
        self.arithmetic.setObjectName("conceptArithmetic")
        self.arithmetic.setTextFormat(Qt.TextFormat.RichText)
        self.arithmetic.setWordWrap(True)
        self.lesson = QLabel()
        self.lesson.setObjectName("conceptLesson")
        self.lesson.setTextFormat(Qt.TextFormat.RichText)
        self.lesson.setWordWrap(True)
        self.lesson.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.arithmetic.setAlignment(Qt.AlignmentFlag.AlignTop)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for label, stretch in ((self.arithmetic, 1), (self.lesson, 1)):
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(label)
            scroll.setFrameShape(QScrollArea.Shape.StyledPanel)
            label.setContentsMargins(8, 6, 8, 6)
            layout.addWidget(scroll, stretch)
        self._config: ExperimentConfig | None = None
        self._colors: dict[str, str] = {}
        self._lines: dict[str, str] = {}
        self._runs: tuple[RunProgress, ...] = ()
        self._lrs: dict[str, float] = {}  # each run's current learning rate, from the engine
        self._basins: dict[str, BasinCount] = {}  # where seeded copies of each run ended
        self._mixed = False

    def set_lesson(self, preset: Preset | None, language: str) -> None:
        if preset is None:
            self.lesson.setText("")
            return
        title = html.escape(preset.text("title", language))
        body = html.escape(preset.text("explanation", language))
        self.lesson.setText(f"<b style='font-size:large'>{title}</b><p>{body}</p>")

    def set_config(self, config: ExperimentConfig) -> None:
        """Show each run's arithmetic at iteration 0 for `config`."""
        self._config = config
        self._mixed = self._mixed_training(config)  # once per config, not per line and frame
        self._runs = ()
        self._lrs = {}
        self._basins = {}
        self._colors = {r.label: config.color_of(r) for r in config.runs}
        self._lines = {r.label: self._line(r.label, 0, 1, 0, False, False) for r in config.runs}
        self._render()

    def refresh(self) -> None:
        """Re-render in the current language (after a language switch)."""
        if self._config is not None:
            runs, basins = self._runs, self._basins
            self.set_config(self._config)
            self.update_progress(runs)
            self.set_basins(basins)

    def update_progress(self, runs: tuple[RunProgress, ...]) -> None:
        self._runs = runs
        for rp in runs:
            self._lrs[rp.label] = rp.lr
            self._lines[rp.label] = self._line(
                rp.label,
                rp.iteration,
                rp.epoch,
                rp.iteration_in_epoch,
                rp.done,
                rp.diverged,
                rp.samples_seen,
            )
        self._render()

    def line_for(self, label: str) -> str:
        """The plain text of a run's line (for tests)."""
        doc = QTextDocument()
        doc.setHtml(self._lines.get(label, ""))
        return doc.toPlainText()

    def _line(
        self,
        label: str,
        iteration: int,
        epoch: int,
        within: int,
        done: bool,
        diverged: bool,
        samples: int = 0,
    ) -> str:
        c = self._config
        if c is None:
            return ""
        run = c.run_by_label(label)
        n, b, ipe = c.n_samples, c.batch_size_of(run), c.iterations_per_epoch(run)
        one = ipe == 1
        if c.sampling_of(run) == "replacement":
            rule = (
                self.tr("1 batch drawn with replacement per epoch")
                if one
                else self.tr("{ipe} batches drawn with replacement per epoch")
            )
        elif c.drop_last:
            rule = (
                self.tr("⌊N/B⌋ = 1 iteration per epoch")
                if one
                else self.tr("⌊N/B⌋ = {ipe} iterations per epoch")
            )
        else:
            rule = (
                self.tr("⌈N/B⌉ = 1 iteration per epoch")
                if one
                else self.tr("⌈N/B⌉ = {ipe} iterations per epoch")
            )
        rule = rule.format(ipe=group_digits(ipe))
        head = self.tr("N = {n}, B = {b} → {rule}").format(n=group_digits(n), b=group_digits(b), rule=rule)
        if self._mixed:  # runs that differ in optimizer or rate say which they use
            name, _ = c.optimizer_of(run)
            lr = self._lrs.get(label, c.scaled_lr_of(run))
            head += " · " + self.tr("{optimizer}, lr {lr}").format(
                optimizer=OPTIMIZERS[name][0], lr=f"{lr:.3g}"
            )
        where = self.tr("epoch {e} of {total}, iteration {i} of {ipe}; {s} samples seen").format(
            e=epoch,
            total=c.epochs,
            i=group_digits(within),
            ipe=group_digits(ipe),
            s=group_digits(samples),
        )
        state = ""
        if diverged:
            state = " — " + self.tr("diverged at iteration {i}").format(i=group_digits(iteration))
        elif done:
            state = " — " + self.tr("done")
        color = self._colors.get(label, "#000")
        return (
            f"<span style='color:{color}; font-weight:bold'>■ {html.escape(label)}</span>: "
            f"{html.escape(head)}<br/>&nbsp;&nbsp;&nbsp;{html.escape(where)}{html.escape(state)}"
        )

    @staticmethod
    def _mixed_training(c: ExperimentConfig) -> bool:
        settings = {(repr(c.optimizer_of(r)), c.scaled_lr_of(r)) for r in c.runs}
        return len(settings) > 1 or c.warmup_epochs > 0

    def set_basins(self, counts: dict[str, BasinCount]) -> None:
        """Show how many seeded copies of each run reached the better minimum."""
        self._basins = dict(counts)
        self._render()

    def _basin_lines(self) -> list[str]:
        if not self._basins:
            return []
        lines = ["<b>" + html.escape(self.tr("Copies with other batch orders (seeds):")) + "</b>"]
        for label, count in self._basins.items():
            text = self.tr("{better} of {seeds} reached the better minimum, {worse} the worse one").format(
                better=count.better, seeds=count.seeds, worse=count.worse
            )
            if count.diverged:
                text += self.tr(", {n} diverged").format(n=count.diverged)
            color = self._colors.get(label, "#000")
            name = f"<span style='color:{color}; font-weight:bold'>■ {html.escape(label)}</span>"
            lines.append(f"{name}: {html.escape(text)}")
        return lines

    def _render(self) -> None:
        self.arithmetic.setText("<br/>".join([*self._lines.values(), *self._basin_lines()]))
