"""What the window says about the session: the Run button's text, and the status bar's three
fields (the state, the rate with the time left, the device), all looked up from the session's
two states (gui/logic/run_state.py)."""

from __future__ import annotations

import re

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QStatusBar

from engine import Progress
from gui.i18n import QT_TRANSLATE_NOOP, tr
from gui.logic.numbers import group_digits
from gui.logic.run_state import Replay, RunState

# (the Run button's text, the state field's) while the playhead is live, by run state...
LIVE_TEXTS = {
    RunState.IDLE: (QT_TRANSLATE_NOOP("Status", "Run"), QT_TRANSLATE_NOOP("Status", "ready")),
    RunState.PREPARING: (QT_TRANSLATE_NOOP("Status", "Run"), QT_TRANSLATE_NOOP("Status", "ready")),
    RunState.READY: (QT_TRANSLATE_NOOP("Status", "Run"), QT_TRANSLATE_NOOP("Status", "ready")),
    RunState.RUNNING: (QT_TRANSLATE_NOOP("Status", "Pause"), QT_TRANSLATE_NOOP("Status", "running")),
    RunState.PAUSED: (QT_TRANSLATE_NOOP("Status", "Resume"), QT_TRANSLATE_NOOP("Status", "paused")),
    RunState.FINISHED: (QT_TRANSLATE_NOOP("Status", "Run again"), QT_TRANSLATE_NOOP("Status", "finished")),
    RunState.FAILED: (QT_TRANSLATE_NOOP("Status", "Run again"), QT_TRANSLATE_NOOP("Status", "failed")),
}
# ...and behind the head, by replay state.
REPLAY_TEXTS = {
    Replay.HELD: (QT_TRANSLATE_NOOP("Status", "Play"), QT_TRANSLATE_NOOP("Status", "replay paused")),
    Replay.PLAYING: (QT_TRANSLATE_NOOP("Status", "Pause"), QT_TRANSLATE_NOOP("Status", "replaying")),
}


def run_texts(state: RunState, replay: Replay) -> tuple[str, str]:
    """(the Run button's text, the state field's), translated."""
    texts = LIVE_TEXTS[state] if replay == Replay.LIVE else REPLAY_TEXTS[replay]
    return tr_status(texts[0]), tr_status(texts[1])


def tr_status(text: str) -> str:
    return QCoreApplication.translate("Status", text)


def time_left_text(seconds: float | None) -> str:
    """'about 12 min left' when the session at this speed needs over a minute more (a config
    that takes hours must not look like a hang); "" otherwise."""
    if seconds is None or seconds < 60:
        return ""
    if seconds < 5400:
        return tr("about {n} min left").format(n=round(seconds / 60))
    hours = seconds / 3600
    return tr("about {n} h left").format(n=f"{hours:.1f}" if hours < 10 else group_digits(round(hours)))


def device_text(device: str) -> str:
    """The engine's "CPU, 2 threads" or "CUDA: NVIDIA H100", in the user's language."""
    cpu = re.fullmatch(r"CPU, (\d+) threads?", device)
    if cpu:
        n = int(cpu.group(1))
        return tr("CPU, 1 thread") if n == 1 else tr("CPU, {n} threads").format(n=n)
    if device.startswith("CUDA: "):
        return tr("GPU (CUDA): {name}").format(name=device[len("CUDA: ") :])
    return device


class StatusFields:
    """The status bar's permanent fields: the state, the rate and time left, the device."""

    def __init__(self, bar: QStatusBar) -> None:
        self.state_label = QLabel()
        self.rate_label = QLabel()
        self.device_label = QLabel()
        self.device = ""  # the engine's words for where the session computes
        for label in (self.state_label, self.rate_label, self.device_label):
            label.setStyleSheet("QLabel { border-left: 1px solid #9a9a9a; padding: 0 6px; }")
            bar.addPermanentWidget(label)

    def set_device(self, device: str) -> None:
        self.device = device
        self.device_label.setText(device_text(device))

    def show_state(self, text: str) -> None:
        self.state_label.setText(text)

    def show_rate(self, progress: Progress, network: bool, seconds_left: float | None) -> None:
        if progress.steps_per_second <= 0:
            return
        text = tr("{rate} steps/s").format(rate=group_digits(round(progress.steps_per_second)))
        if network and progress.samples_per_second > 0:
            samples = group_digits(round(progress.samples_per_second))
            text = tr("{rate} samples/s").format(rate=samples) + " · " + text
        left = time_left_text(seconds_left)
        self.rate_label.setText(text + (" · " + left if left else ""))
