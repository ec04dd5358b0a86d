"""Live arithmetic in words ("N = 1000, B = 10 → 100 iterations per epoch; …") and the lesson."""

from __future__ import annotations

import html
import math

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QResizeEvent, QTextDocument
from PySide6.QtWidgets import QLabel, QScrollArea, QSplitter, QVBoxLayout, QWidget

from engine import (
    DATASETS,
    OPTIMIZERS,
    BasinCount,
    ExperimentConfig,
    Preset,
    RunProgress,
    RunSpec,
    SessionSetup,
    usable_cpus,
)
from gui.logic.numbers import group_digits, keep_digits_together, typeset
from gui.views.plot_style import run_glyph
from gui.widgets.run_names import shown_label

COMPACT_FROM = 3  # more runs than this: one short line per run
MAX_LINES_SHARE = 0.45  # of the column's height, at most, for the live lines
BULLET_INDENT = 14  # px: a key point's lines start under its first word, not under the bullet


class ConceptPanel(QWidget):
    """The preset's title and key points (or its whole explanation), with live lines per run."""

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
        # The key points come first, read without scrolling; the whole text is one click away.
        self.lesson.linkActivated.connect(self._on_link)
        self._preset: Preset | None = None
        self._language = "en"
        self._full_text = False
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
        self._shape: tuple[int, int] = (-1, -1)  # runs and basin counts when the form was chosen
        split.splitterMoved.connect(self._on_dragged)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(split)
        self._config: ExperimentConfig | None = None
        self._colors: dict[str, str] = {}
        self._markers: dict[str, int] = {}
        self._given_markers: dict[str, int] = {}
        self._lines: dict[str, tuple[str, str]] = {}  # each run's line: full, short
        self.compact = False  # the short lines are shown (many runs, or the full ones do not fit)
        self._probe = QLabel()  # measures a text's height without showing it
        # After a font change, once laid out: one fit however many changes came at once.
        self._refit = QTimer(self, singleShot=True, interval=0)
        self._refit.timeout.connect(self._fit_split)
        self._probe.setTextFormat(Qt.TextFormat.RichText)
        self._probe.setWordWrap(True)
        self._runs: tuple[RunProgress, ...] = ()
        self._lrs: dict[str, float] = {}  # each run's current learning rate, from the engine
        self._basins: dict[str, BasinCount] = {}  # where seeded copies of each run ended
        self._mixed = False
        self._lr_limit: float | None = None  # 2/λ_max of a quadratic surface (from the setup)
        self._network = ""  # networks: a line on the network and its images
        self._network_setup: SessionSetup | None = None  # what that line was made from
        self._accuracy: dict[str, float] = {}  # networks: each run's last validation accuracy
        self._throughput: dict[str, float] = {}  # networks: each run's samples per second
        self._epoch_time: dict[str, float] = {}  # data-parallel lessons: each run's s per epoch

    def set_lesson(self, preset: Preset | None, language: str) -> None:
        self._preset, self._language = preset, language
        self._render_lesson()

    def show_full_text(self, full: bool) -> None:
        """The lesson's whole explanation (True) or its key points (False); kept across lessons."""
        self._full_text = full
        self._render_lesson()
        text_area = self.split.widget(1)
        assert isinstance(text_area, QScrollArea)
        text_area.verticalScrollBar().setValue(0)  # from its first line

    def _on_link(self, target: str) -> None:
        self.show_full_text(target == "full")

    def _render_lesson(self) -> None:
        preset, language = self._preset, self._language
        if preset is None:
            self.lesson.setText("")
            return
        title = f"<b style='font-size:large'>{html.escape(preset.text('title', language))}</b>"
        body = html.escape(preset.text("explanation", language))
        points = preset.points(language)
        if not points:  # a bare config file: its text, if any, is all there is
            content = f"<p>{body}</p>"
        elif self._full_text:
            back = html.escape(self.tr("◂ Key points"))
            content = f"<p><a href='points'>{back}</a></p><p>{body}</p>"
        else:
            hang = f"margin-left:{BULLET_INDENT}px; text-indent:-{BULLET_INDENT}px"
            items = "".join(f"<p style='{hang}'>•&nbsp;{html.escape(p)}</p>" for p in points)
            more = html.escape(self.tr("Read the full explanation ▸"))
            content = f"{items}<p><a href='full'>{more}</a></p>"
        self.lesson.setText(keep_digits_together(typeset(title + content)))  # never "1" / "438"

    def set_config(self, config: ExperimentConfig) -> None:
        """Show each run's arithmetic at iteration 0 for `config`."""
        self._config = config
        self._shape = (-1, -1)  # choose the lines' form afresh
        self._mixed = self._mixed_training(config)  # once per config, not per line and frame
        self._runs = ()
        self._lrs = {}
        self._basins = {}
        self._accuracy, self._throughput, self._epoch_time = {}, {}, {}
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
            measured = (self._accuracy, self._throughput, self._epoch_time)
            self.set_config(self._config)
            self._accuracy, self._throughput, self._epoch_time = measured  # the latest, kept
            if self._network_setup is not None:  # its line, in the new language
                self.set_network(self._network_setup)
            self.update_progress(runs)
            self.set_basins(basins)

    def set_network(self, setup: SessionSetup) -> None:
        """A network's parameters and images, on a line above the runs' (empty for 2-D problems)."""
        c = self._config
        self._network = ""
        self._network_setup = setup
        if setup.classes and c is not None:
            model = self.tr("MLP") if c.model == "mlp" else self.tr("LeNet-5")
            self._network = self.tr(
                "{model}: {p} parameters; N = {n} training images, {v} for validation"
            ).format(
                model=model,
                p=group_digits(setup.n_params),
                n=group_digits(c.n_samples),
                v=group_digits(DATASETS[c.dataset].val_size),
            )
        self._shape = (-1, -1)
        self._render()

    def note(self, runs: tuple[RunProgress, ...]) -> None:
        """Take each run's newest validation accuracy and samples/s from a snapshot. Called for
        every snapshot: the lines are drawn from the latest one only, which may carry no epoch."""
        for rp in runs:
            if rp.new_epochs:
                self._accuracy[rp.label] = rp.new_epochs[-1]["val_accuracy"]
            rows = rp.new_rows
            if self._network and len(rows.wall_time_s) and rows.wall_time_s[-1] > 0:
                self._throughput[rp.label] = rows.samples_seen[-1] / rows.wall_time_s[-1]
            if self._parallel() and len(rows.epoch) and rows.epoch[-1] > 0:
                # The run's compute time so far per epoch: on this machine, for its K workers.
                self._epoch_time[rp.label] = float(rows.wall_time_s[-1] / rows.epoch[-1])

    def _parallel(self) -> bool:
        """Whether a run of the config has data-parallel workers."""
        return self._config is not None and any(r.workers > 1 for r in self._config.runs)

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
                unstarted=rp.diverged and not math.isfinite(rp.loss),
            )
        self._render()

    def line_for(self, label: str) -> str:
        """The plain text of a run's line (for tests)."""
        doc = QTextDocument()
        doc.setHtml(self._lines.get(label, ("", ""))[self.compact])
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
        unstarted: bool = False,  # diverged before its first step: the start's loss is not finite
    ) -> tuple[str, str]:
        """The run's line in full (the arithmetic spelled out) and short (one line a run)."""
        c = self._config
        if c is None:
            return "", ""
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
        batch = group_digits(b)
        if run.workers > 1:  # the global batch: K workers, each with its own B
            batch = self.tr("{k} workers × {b} = {g}").format(
                k=run.workers, b=group_digits(c.worker_batch_of(run)), g=group_digits(b)
            )
        head = self.tr("N = {n}, B = {b} → {rule}").format(n=group_digits(n), b=batch, rule=rule)
        optimizer = self._optimizer_named(label)
        if self._mixed:  # runs that differ in optimizer or rate say which they use
            lr = self._lrs.get(label, c.scaled_lr_of(run))
            said = self.tr("{optimizer}, lr {lr}").format(optimizer=optimizer, lr=f"{lr:.3g}")
            head += " · " + (said if optimizer else self.tr("lr {lr}").format(lr=f"{lr:.3g}"))
        where = self.tr("epoch {e} of {total}, iteration {i} of {ipe}; {s} samples seen").format(
            e=epoch,
            total=c.epochs,
            i=group_digits(within),
            ipe=group_digits(ipe),
            s=group_digits(samples),
        )
        if label in self._accuracy:
            where += "; " + self.tr("validation accuracy {a} %").format(
                a=f"{100 * self._accuracy[label]:.1f}"
            )
        if label in self._throughput:
            where += "; " + self.tr("{r} samples/s").format(r=group_digits(round(self._throughput[label])))
        if label in self._epoch_time:
            where += "; " + self.tr("{t} s per epoch here").format(t=f"{self._epoch_time[label]:.2g}")
        state = ""
        if diverged:  # where it stopped is where it diverged: said once, in the run's state
            state = self.tr("✕ diverged at iteration {i} (epoch {e} of {total}): the loss grew without bound")
            state = state.format(i=group_digits(iteration), e=epoch, total=c.epochs)
            if unstarted:
                state = self.tr("✕ diverged before its first step: the loss at the start is not finite")
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
        terse = group_digits(b)  # "4 × 8 = 32" for K workers: the arithmetic, no words
        if run.workers > 1:
            terse = f"{run.workers} × {group_digits(c.worker_batch_of(run))} = {terse}"
        short = self.tr("B = {b}, {ipe} it/epoch, lr {lr}").format(
            b=terse, ipe=group_digits(ipe), lr=f"{lr:.3g}"
        )
        if not diverged:
            short += "; " + self.tr("epoch {e} of {total}, iteration {i}").format(
                e=epoch, total=c.epochs, i=group_digits(within)
            )
        if label in self._epoch_time:
            short += "; " + self.tr("{t} s/epoch").format(t=f"{self._epoch_time[label]:.2g}")
        if self._mixed and optimizer:  # runs that differ in optimizer say which they use
            short = optimizer + ", " + short
        short = short.replace("/", "/\u2060")  # a word joiner: "it/epoch" stays on one line
        name = self._name(label)
        second = f"{html.escape(where)}{tail}" if not diverged else tail.removeprefix(" — ")
        if run.workers > 1:  # the rate each rule gives its global batch, and the one it uses
            second += "<br/>&nbsp;&nbsp;&nbsp;" + html.escape(self._rules_line(run))
        head = head.replace("/", "/\u2060")  # a word joiner: "⌈N/B⌉" stays on one line
        full = f"{name}: {html.escape(head)}<br/>&nbsp;&nbsp;&nbsp;{second}"
        return full, f"{name}: {html.escape(short)}{tail}"

    def _rules_line(self, run: RunSpec) -> str:
        """ "lr for K·B = 32 (B_ref 8): none 0.01 · linear 0.04 · square root 0.02; this run:
        linear, 1 epoch of warm-up"."""
        c = self._config
        assert c is not None
        ratio = c.batch_size_of(run) / c.lr_reference_batch
        base = c.lr_of(run)
        rules = {
            "none": (self.tr("none"), base),
            "linear": (self.tr("linear"), base * ratio),
            "sqrt": (self.tr("square root"), base * math.sqrt(ratio)),
        }
        listed = " · ".join(f"{name} {lr:.3g}" for name, lr in rules.values())
        warmup = c.warmup_epochs if run.warmup_epochs is None else run.warmup_epochs
        used = rules[c.lr_scaling_of(run)][0]
        if warmup == 1:
            used = self.tr("{rule}, 1 epoch of warm-up").format(rule=used)
        elif warmup > 0:
            used = self.tr("{rule}, {e} epochs of warm-up").format(rule=used, e=f"{warmup:g}")
        return self.tr("lr for K·B = {g} (B_ref {ref}): {rules}; this run: {used}").format(
            g=group_digits(c.batch_size_of(run)),
            ref=group_digits(c.lr_reference_batch),
            rules=listed,
            used=used,
        )

    def _machine_line(self) -> str:
        """How many cores the workers share: the honest context of their time per epoch."""
        assert self._config is not None
        most = max(r.workers for r in self._config.runs)
        cores = usable_cpus()
        if cores < most:
            return self.tr(
                "This machine: {c} cores for {k} worker processes. They take turns and wait for "
                "each other at every all-reduce: expect an epoch to take longer, not less."
            ).format(c=cores, k=most)
        return self.tr("This machine: {c} cores for {k} worker processes.").format(c=cores, k=most)

    def _optimizer_named(self, label: str) -> str:
        """The run's optimizer, or "" where its label already names it ("Rprop GD")."""
        assert self._config is not None
        name = OPTIMIZERS[self._config.optimizer_of(self._config.run_by_label(label))[0]][0]
        return "" if name.lower() in shown_label(label).lower() else name

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

    def _text(self, compact: bool) -> str:
        # The basin counts are what their lesson is about: on top, never below a fold.
        lines = self._basin_lines()
        if self._network:
            lines.insert(0, html.escape(self._network))
        if self._parallel():
            lines.insert(0, html.escape(self._machine_line()))
        c = self._config
        if c is not None and compact:  # the short lines leave N and the epochs to one header
            header = self.tr("N = {n} samples, {e} epochs").format(n=group_digits(c.n_samples), e=c.epochs)
            lines.append(html.escape(header))
        lines += [line[compact] for line in self._lines.values()]
        return typeset(keep_digits_together("<br/>".join(lines)))

    def _render(self) -> None:
        text = self._text(self.compact)
        if text != self.arithmetic.text():
            self.arithmetic.setText(text)
            shape = (len(self._lines), len(self._basins))
            if shape != self._shape:  # other runs or counts: choose the lines' form again
                self._shape = shape
                self._fit_split()
            else:  # the counts grew (about 1 ms to measure, 12 times a second while running)
                self._fit_height()

    def _on_dragged(self) -> None:
        self._split_dragged = True

    def _height_of(self, text: str) -> int:
        """The height the live lines' frame needs to show `text` whole at its current width."""
        label = self.arithmetic
        if text != label.text():  # measure another text without showing it
            self._probe.setFont(label.font())
            self._probe.setContentsMargins(label.contentsMargins())
            self._probe.setText(text)
            label = self._probe
        width = max(self.arithmetic.width(), 100)
        frame = self.split.widget(0)
        assert isinstance(frame, QScrollArea)
        return label.heightForWidth(width) + 2 * frame.frameWidth() + 2  # (its margins included)

    def _lines_room(self) -> int:
        """The most the live lines may take: their share of the column, or more where the
        lesson's text needs less than the rest (a few pixels decide, at 1280×720, whether the
        lines scroll)."""
        total = self.split.height()
        frame = self.split.widget(1)
        assert isinstance(frame, QScrollArea)
        text = self.lesson.heightForWidth(max(self.lesson.width(), 100)) + 2 * frame.frameWidth() + 2
        return max(int(MAX_LINES_SHARE * total), total - self.split.handleWidth() - text)

    def _fit_split(self) -> None:
        """Choose full or short lines for the room there is, then give them their height."""
        c = self._config
        if self.split.height() < 100 or c is None:
            return
        room = self._lines_room()
        # One short line per run when there are many runs or the full lines would not fit.
        compact = len(c.runs) > COMPACT_FROM or self._height_of(self._text(False)) > room
        if compact != self.compact:
            self.compact = compact
            self.arithmetic.setText(self._text(compact))
        self._fit_height()

    def _fit_height(self) -> None:
        """The live lines get the height they need (at most their share), the lesson the rest."""
        total = self.split.height()
        if total < 100 or self._config is None:
            return
        room = self._lines_room()
        needed = self._height_of(self.arithmetic.text())
        if needed > room and not self.compact:  # grown past the room ("done", "diverged")
            self._fit_split()
            return
        if self._split_dragged:
            return
        want = min(needed, room)
        now = self.split.sizes()[0]
        if now < want or now > want + 6:  # never a pixel short: that shows a scroll bar
            self.split.blockSignals(True)
            self.split.setSizes([want, total - want - self.split.handleWidth()])
            self.split.blockSignals(False)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt override
        super().resizeEvent(event)
        self._fit_split()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt override
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # a new display scale: new heights, once laid out
            self._refit.start()
