"""Undo and redo of what the controls hold (Ctrl+Z, Ctrl+Y): one QUndoStack of whole states.

A state is the lesson, the config with every listed run and the runs hidden from view. Each
applied edit (a control settled, a run shown or hidden, another lesson, an opened scenario,
"restore lesson defaults") pushes the states before and after it; undoing shows the earlier
state again, paused at iteration 0, as any edit does.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QUndoCommand

from engine import ExperimentConfig, Preset
from gui.logic.lessons import LessonRef


@dataclass(frozen=True)
class ControlState:
    lesson: LessonRef  # the lesson box's item
    preset: Preset
    config: ExperimentConfig  # every listed run, hidden ones too
    hidden: tuple[str, ...]

    def same_as(self, other: ControlState | None) -> bool:
        return other is not None and (self.lesson, self.config, self.hidden) == (
            other.lesson,
            other.config,
            other.hidden,
        )


class StateChange(QUndoCommand):
    """From `before` to `after`; pushed once `after` is already on screen."""

    def __init__(
        self, show: Callable[[ControlState], None], before: ControlState, after: ControlState
    ) -> None:
        super().__init__()
        self.show, self.before, self.after = show, before, after
        self._pushed = False

    def redo(self) -> None:
        if self._pushed:
            self.show(self.after)
        self._pushed = True  # QUndoStack.push calls redo once: the state is already shown

    def undo(self) -> None:
        self.show(self.before)
