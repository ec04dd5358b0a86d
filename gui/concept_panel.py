"""Live arithmetic in words ("N = 1000, B = 10 → 100 iterations per epoch; …") and the lesson."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtGui import QResizeEvent, QTextDocument
from PySide6.QtWidgets import QLabel, QScrollArea, QSplitter, QVBoxLayout, QWidget

from engine import OPTIMIZERS, BasinCount, ExperimentConfig, Preset, RunProgress
from gui.plot_style import run_glyph
from gui.run_names import shown_label


def group_digits(n: int) -> str:
    """12 345 with a narrow no-break space, readable from the back of a lecture hall."""
    return f"{n:,}".replace(",", "\u202f")


COMPACT_FROM = 3  # more runs than this: one short line per run
MAX_LINES_SHARE = 0.45  # of the column's height, at most, for the live lines


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
        # One column: the live lines (what the lesson is about: counts, divergence) on top, the
        # lesson's text below; each scrolls only if the window is too small for it.
        split = QSplitter(Qt.Orientation.Vertical)
        for label in (self.arithmetic, self.lesson):
            scroll = QScrollArea()
            scroll.setWidgetResizable(True)
            scroll.setWidget(label)
            scroll.setFrameShape(QScrollArea.Shape.StyledPanel)
            label.setContentsMargins(8, 6, 8, 6)
            split.addWidget(scroll)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        self.split = split
        # The live lines get the height they need (at most MAX_LINES_SHARE of the column), the
        # lesson text the rest; once the user drags the divider, it stays where they put it.
        self._split_dragged = False
        self._shape: tuple[int, int] = (0, 0)  # lines and length of the text last fitted
        split.splitterMoved.connect(self._on_dragged)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self._config: ExperimentConfig | None = None
        self._colors: dict[str, str] = {}
        self._markers: dict[str, int] = {}
        self._given_markers: dict[str, int] = {}
        self._lines: dict[str, str] = {}
        self._runs: tuple[RunProgress, ...] = ()
        self._lrs: dict[str, float] = {}  # each run's current learning rate, from the engine
        self._basins: dict[str, BasinCount] = {}  # where seeded copies of each run ended
        self._mixed = False
        self._lr_limit: float | None = None  # 2/λ_max of a quadratic surface (from the setup)

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
        self._markers = {r.label: self._given_markers.get(r.label, i) for i, r in enumerate(config.runs)}
        self._lines = {r.label: self._line(r.label, 0, 1, 0, False, False) for r in config.runs}
        self._render()

    def set_lr_limit(self, limit: float | None) -> None:
        """Flag runs whose learning rate exceeds 2/λ_max (full-batch GD diverges there)."""
        self._lr_limit = limit
        if self._config is not None:
            runs = self._runs
            self.set_config(self._config)  # lines at iteration 0, flagged where needed
            if runs:
                self.update_progress(runs)

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
            state = self.tr("✕ diverged at iteration {i}: the loss grew without bound").format(
                i=group_digits(iteration)
            )
        elif done:
            state = self.tr("done")
        lr = self._lrs.get(label, c.scaled_lr_of(run))
        if self._lr_limit is not None and lr > self._lr_limit and not diverged:
            state = (state + "; " if state else "") + self.tr(
                "⚠ lr {lr} > 2/λ_max = {limit}: unstable, the loss will grow"
            ).format(lr=f"{lr:.3g}", limit=f"{self._lr_limit:.3g}")
        tail = f" — <b style='color:#8a1020'>{html.escape(state)}</b>" if diverged or "⚠" in state else ""
        if state and not tail:
            tail = f" — {html.escape(state)}"
        if len(c.runs) > COMPACT_FROM:  # many runs: one short line each, so all fit the panel
            short = self.tr("B = {b}, {ipe} it/epoch, lr {lr}; epoch {e} of {total}, iteration {i}").format(
                b=group_digits(b),
                ipe=group_digits(ipe),
                lr=f"{lr:.3g}",
                e=epoch,
                total=c.epochs,
                i=group_digits(within),
            )
            if self._mixed:  # runs that differ in optimizer say which they use
                short = OPTIMIZERS[c.optimizer_of(run)[0]][0] + ", " + short
            return f"{self._name(label)}: {html.escape(short)}{tail}"
        return f"{self._name(label)}: {html.escape(head)}<br/>&nbsp;&nbsp;&nbsp;{html.escape(where)}{tail}"

    def _name(self, label: str) -> str:
        """The run's marker and label in its colour (the marker as on the plots)."""
        color = self._colors.get(label, "#000")
        glyph = run_glyph(self._markers.get(label, 0))
        return (
            f"<span style='color:{color}; font-weight:bold'>{glyph} {html.escape(shown_label(label))}</span>"
        )

    def set_markers(self, markers: dict[str, int]) -> None:
        """Each run's marker index (as on the plots); applies from the next `set_config`."""
        self._given_markers = dict(markers)

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
            name = self._name(label)
            lines.append(f"{name}: {html.escape(text)}")
        return lines

    def _render(self) -> None:
        # The basin counts are what their lesson is about: on top, never below a fold.
        lines = [*self._basin_lines(), *self._lines.values()]
        c = self._config
        if c is not None and len(c.runs) > COMPACT_FROM:
            lines.insert(
                0,
                html.escape(
                    self.tr("N = {n} samples, {e} epochs").format(n=group_digits(c.n_samples), e=c.epochs)
                ),
            )
        text = "<br/>".join(lines)
        if text != self.arithmetic.text():
            self.arithmetic.setText(text)
            # Re-measure only when the lines could need another height (not every frame: the
            # counts in them change 12 times a second while running).
            shape = (len(lines), len(text) // 40)
            if shape != self._shape:
                self._shape = shape
                self._fit_split()

    def _on_dragged(self) -> None:
        self._split_dragged = True

    def _fit_split(self) -> None:
        total = self.split.height()
        if self._split_dragged or total < 100:
            return
        frame = self.split.widget(0)
        label = self.arithmetic
        margins = label.contentsMargins().top() + label.contentsMargins().bottom()
        needed = label.heightForWidth(max(label.width(), 100)) + margins + 2 * frame.frameWidth() + 4
        want = min(needed, int(MAX_LINES_SHARE * total))
        if abs(self.split.sizes()[0] - want) > 6:
            self.split.blockSignals(True)
            self.split.setSizes([want, total - want - self.split.handleWidth()])
            self.split.blockSignals(False)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit_split()
