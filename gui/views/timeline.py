"""The timeline under the plots: a playhead over what the session has computed.

The playhead is measured in ticks of the session's clock (iterations of the run with the most
iterations per epoch). Live, it sits at the computed head and follows it. Dragging it back (or
← ) pauses the computation and shows every view as it was at that tick, from the recorded
histories, without recomputing; → steps it forward a tick; Space plays the recording forward at
the chosen speed and, once it reaches the head, computation resumes where it paused.
"""

from __future__ import annotations

import dataclasses
import time

import numpy as np
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QWidget

from engine import HistoryRows, RunProgress, epoch_position
from gui.i18n import tr
from gui.logic.numbers import group_digits

PLAY_FRAME_MS = 33


def rows_until(rows: HistoryRows, epoch: float) -> HistoryRows:
    """The rows recorded at or before `epoch` of the shared clock (at least the start)."""
    cut = max(int(np.searchsorted(rows.epoch, epoch + 1e-12, side="right")), min(len(rows), 1))
    if cut == len(rows):
        return rows
    return HistoryRows(*(getattr(rows, f.name)[:cut] for f in dataclasses.fields(HistoryRows)))


def progress_at(run: RunProgress, rows: HistoryRows) -> RunProgress:
    """Where `run` stood at the last of `rows` (its recorded rows up to the playhead)."""
    if not len(rows) or rows.iteration[-1] == run.iteration:
        return run
    iteration = int(rows.iteration[-1])
    epoch, within = epoch_position(iteration, run.iterations_per_epoch)
    return dataclasses.replace(
        run,
        iteration=iteration,
        epoch=epoch,
        iteration_in_epoch=within,
        samples_seen=int(rows.samples_seen[-1]),
        loss=float(rows.loss[-1]),
        done=False,
        diverged=False,
    )


class Timeline(QWidget):
    """A slider over the whole run (tick 0 to the last) and a label saying where the playhead
    is; it can be dragged back over what has been computed, not beyond it.

    `moved(tick)` fires when the user drags the slider; the window decides what follows.
    """

    moved = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("timeline")
        self.label = QLabel()
        self.label.setObjectName("timelineLabel")
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("timelineSlider")
        self.slider.setRange(0, 0)
        self.slider.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # ← and → belong to the window's keys
        self.slider.sliderMoved.connect(self.moved)
        self.slider.actionTriggered.connect(self._on_click)  # a click on the groove jumps too
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 0, 4, 0)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.label)
        self.ticks_per_epoch = 1
        self.total = 0

    def _on_click(self, action: int) -> None:
        # actionTriggered delivers a plain int: compared with the enum members it never matched.
        pages = (QSlider.SliderAction.SliderPageStepAdd.value, QSlider.SliderAction.SliderPageStepSub.value)
        if action in pages:
            QTimer.singleShot(0, lambda: self.moved.emit(self.slider.value()))

    def set_span(self, ticks_per_epoch: int, total: int) -> None:
        self.ticks_per_epoch, self.total = max(ticks_per_epoch, 1), total
        self.slider.setRange(0, 0)
        self.slider.setPageStep(max(total // 20, 1))

    def show_position(self, tick: int, head: int, live: bool) -> None:
        self.slider.blockSignals(True)
        self.slider.setMaximum(max(self.total, head))
        self.slider.setValue(tick)
        self.slider.blockSignals(False)
        # In the counter's terms: iterations of the run with the most of them per epoch.
        where = tr("iteration {i} of {n}").format(i=group_digits(tick), n=group_digits(self.total))
        if live:
            self.label.setText(tr("Live: {where}").format(where=where))
            self.label.setStyleSheet("")
        else:
            self.label.setText(tr("REPLAY: {where}").format(where=where))
            self.label.setStyleSheet("QLabel { color: #8a1020; font-weight: bold; }")


class Playhead:
    """The playhead's state and its playback clock; the window draws what it says."""

    def __init__(self, on_frame: object) -> None:
        self.tick: float | None = None  # None: live, at the head
        self.pace = 0.0  # ticks per second of playback; 0: straight to the head
        self._timer = QTimer(interval=PLAY_FRAME_MS)
        self._timer.timeout.connect(self._advance)
        self._last = 0.0
        self._on_frame = on_frame  # called after each playback step: on_frame(reached_head)
        self.head = 0

    @property
    def live(self) -> bool:
        return self.tick is None

    @property
    def playing(self) -> bool:
        return self._timer.isActive()

    def go_live(self) -> None:
        self.stop()
        self.tick = None

    def seek(self, tick: float) -> None:
        """Put the playhead at `tick`, clamped to the computed part (the window decides whether
        a playhead at the head goes live: `MainWindow.seek`)."""
        self.tick = min(max(float(tick), 0.0), float(self.head))

    def play(self) -> None:
        self._last = time.perf_counter()
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def _advance(self) -> None:
        now = time.perf_counter()
        elapsed, self._last = now - self._last, now
        tick = self.head if self.pace <= 0 or self.tick is None else self.tick + self.pace * elapsed
        self.tick = min(tick, float(self.head))
        reached = self.tick >= self.head
        if reached:
            self.go_live()
        self._on_frame(reached)  # type: ignore[operator]
