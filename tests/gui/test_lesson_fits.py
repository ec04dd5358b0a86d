"""Every lesson's live lines and key points are read without scrolling, at 1920×1080 and 1280×720,
in English and Chinese; the whole explanation is one click away."""

from __future__ import annotations

import html
import os
import warnings

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtGui import QFontDatabase, QTextDocument
from PySide6.QtWidgets import QScrollArea

from engine import BasinCount, HistoryRows, RunProgress, load_preset, preset_ids
from gui.logic.numbers import typeset
from tests.gui.helpers import skip_without_data, wait_ready

SIZES = ((1920, 1080), (1280, 720))
# How long a wait may take before the test calls it a hang. Each wait ends as soon as what it
# waits for has happened (a lesson's first snapshot: ~1-3 s for LeNet on Fashion-MNIST once its
# decoded copy is cached, longer on a loaded machine); the limits only bound a hang, never a
# speed, so they are minutes, not the seconds an idle machine needs.
READY_MS = 300_000  # the session's first snapshot (the network line needs its setup)
LAID_OUT_MS = 60_000  # a resize or a re-layout to be processed
# The lesson whose point is a diverging run: its line carries the long "diverged" state.
DIVERGES = {"lr-scaling": {"B512"}}


def has_chinese_font() -> bool:
    return bool(QFontDatabase.families(QFontDatabase.WritingSystem.SimplifiedChinese))


def finished(window, ident: str) -> tuple[RunProgress, ...]:
    """Every run at its last iteration, "done" (or "diverged" where the lesson's run does)."""
    c = window.session.config
    empty = HistoryRows(*(np.zeros(0) for _ in range(5)), params=np.zeros((0, 2)))
    # A network's lines also say its validation accuracy and samples/s: as long as they get.
    busy = HistoryRows(
        np.full(1, 10**6), np.ones(1), np.full(1, 10**7), np.ones(1), np.ones(1), np.zeros((1, 0))
    )
    epoch = ({"val_accuracy": 0.888},) if c.problem == "network" else ()
    runs = []
    for spec in c.runs:
        ipe = c.iterations_per_epoch(spec)
        diverged = spec.label in DIVERGES.get(ident, set())
        runs.append(
            RunProgress(
                spec.label,
                ipe * c.epochs,
                ipe,
                c.epochs,
                ipe,
                ipe * c.epochs * c.batch_size_of(spec),
                1.0,
                not diverged,
                diverged,
                busy if epoch else empty,
                c.scaled_lr_of(spec),
                new_epochs=epoch,  # type: ignore[arg-type]
            )
        )
    return tuple(runs)


def scrolls(area: QScrollArea) -> bool:
    return area.verticalScrollBar().maximum() > 0


def plain(markup: str) -> str:
    doc = QTextDocument()
    doc.setHtml(markup)
    return doc.toPlainText()


@pytest.mark.parametrize("ident", preset_ids())
def test_the_lesson_column_needs_no_scrolling(qtbot, window, ident: str) -> None:
    skip_without_data(ident)
    window.load_preset(ident)
    # Measured as shown once the session is ready (a network's lines include its parameter
    # count, from the setup); the session then waits, paused at iteration 0.
    wait_ready(qtbot, window, timeout=READY_MS)
    concept = window.concept
    lines_area, text_area = (concept.split.widget(i) for i in (0, 1))
    languages = ("en", "zh")
    if not has_chinese_font():  # .ci/run installs one (fonts-wqy-microhei)
        warnings.warn("no Chinese font installed: the Chinese texts' fit was not checked", stacklevel=1)
        languages = ("en",)
    for language in languages:
        window.set_language(language)
        for width, height in SIZES:
            window.resize(width, height)
            size = (width, height)
            qtbot.waitUntil(lambda s=size: (window.width(), window.height()) == s, timeout=LAID_OUT_MS)
            seeds = window.session.config.measure_seeds
            concept.note(finished(window, ident))
            concept.update_progress(finished(window, ident))
            if "basins" in window.session.config.measure:  # the counts it shows after training
                concept.set_basins(
                    {r.label: BasinCount(seeds, seeds, 0, 0) for r in window.session.config.runs}
                )
            where = (ident, language, width, height)
            # Once laid out (the scale follows the height, then the column is re-measured).
            qtbot.waitUntil(lambda: not scrolls(lines_area) and not scrolls(text_area), timeout=LAID_OUT_MS)
            points = [plain(typeset(html.escape(p))) for p in load_preset(ident).points(language)]
            shown = plain(concept.lesson.text())
            assert all(p in shown for p in points), where
    window.set_language("en")


def test_the_whole_explanation_is_one_click_away_and_stays_chosen(qtbot, window) -> None:
    window.load_preset("sgd-escapes-local-minimum")
    wait_ready(qtbot, window, timeout=READY_MS)
    concept = window.concept
    preset = load_preset("sgd-escapes-local-minimum")
    assert preset.explanation["en"] not in plain(concept.lesson.text())
    concept.lesson.linkActivated.emit("full")  # the link under the key points
    assert preset.explanation["en"] in plain(concept.lesson.text())
    window.load_preset("epoch-iteration")  # the reader's choice holds in the next lesson
    assert load_preset("epoch-iteration").explanation["en"] in plain(concept.lesson.text())
    concept.lesson.linkActivated.emit("points")  # the link above the text: back to the points
    assert load_preset("epoch-iteration").points("en")[0] in plain(concept.lesson.text())


# Lessons whose full-speed run takes minutes (LeNet, the sweeps): checked by make test-all.
SLOW_TO_FINISH = {"lenet-fashion", "choose-batch-size", "memory-vs-batch", "lenet-time-to-accuracy"}


def legend_fits(plot) -> bool:
    """Whether `plot`'s legend lies inside the widget (an entry past its edge is cut short)."""
    legend = plot.getPlotItem().legend
    if legend is None or not legend.isVisible() or not legend.items:
        return True
    rect = plot.mapFromScene(legend.mapRectToScene(legend.boundingRect())).boundingRect()
    return rect.right() <= plot.viewport().width() + 1 and rect.bottom() <= plot.viewport().height() + 1


@pytest.mark.parametrize("ident", preset_ids())
def test_a_finished_run_of_every_lesson_fits_the_column_and_the_legends(qtbot, window, ident: str) -> None:
    """The synthetic states above, checked on a real run's end: its lines and legends as drawn."""
    if ident in SLOW_TO_FINISH and os.environ.get("BSL_SLOW") != "1":
        pytest.skip("minutes at full speed: make test-all (BSL_SLOW=1)")
    skip_without_data(ident)
    window.load_preset(ident)
    wait_ready(qtbot, window, timeout=READY_MS)
    window.speed.setCurrentIndex(0)  # full speed
    with qtbot.waitSignal(window.session_finished, timeout=READY_MS):
        window.session.toggle_run()
    concept = window.concept
    lines_area, text_area = (concept.split.widget(i) for i in (0, 1))
    plots = window.plots.findChildren(pg.PlotWidget)  # those of the tab in sight are checked
    languages = ("en", "zh") if has_chinese_font() else ("en",)
    for language in languages:
        window.set_language(language)
        for width, height in SIZES:
            window.resize(width, height)
            qtbot.waitUntil(
                lambda s=(width, height): (window.width(), window.height()) == s, timeout=LAID_OUT_MS
            )
            where = (ident, language, width, height)
            qtbot.waitUntil(lambda: not scrolls(lines_area) and not scrolls(text_area), timeout=LAID_OUT_MS)
            shown = [p for p in plots if p.isVisible()]
            assert shown, where
            try:
                qtbot.waitUntil(lambda shown=shown: all(legend_fits(p) for p in shown), timeout=LAID_OUT_MS)
            except qtbot.TimeoutError:
                raise AssertionError((where, [p.objectName() for p in shown if not legend_fits(p)])) from None
    window.set_language("en")
