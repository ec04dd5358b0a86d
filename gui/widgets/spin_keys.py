"""Number fields and the window's keys: Enter or Esc ends an edit in a number field (so Space,
→, R, [ and ] work again), and PageUp/PageDown step the field, not the lesson."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QAbstractSpinBox, QWidget


class SpinKeys(QObject):
    """An event filter for the number fields under a widget; focus goes to `rest` after an edit."""

    def __init__(self, rest: QWidget, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rest = rest

    def watch(self, under: QWidget) -> None:
        for spin in under.findChildren(QAbstractSpinBox):
            spin.installEventFilter(self)  # once per object: Qt moves a repeated filter, not adds it

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt override
        if not isinstance(watched, QAbstractSpinBox) or not isinstance(event, QKeyEvent):
            return False
        if event.type() == QEvent.Type.ShortcutOverride and event.key() in (
            Qt.Key.Key_PageUp,
            Qt.Key.Key_PageDown,
        ):
            event.accept()  # typing in a number field: PageUp/Down step it, not the lesson
            return True
        if event.type() == QEvent.Type.KeyPress and event.key() in (
            Qt.Key.Key_Return,
            Qt.Key.Key_Enter,
            Qt.Key.Key_Escape,
        ):
            if event.key() == Qt.Key.Key_Escape:
                watched.lineEdit().undo()  # Esc: back to the value before the edit
            else:
                watched.interpretText()  # Enter: take the typed value
            self._rest.setFocus()
            return event.key() == Qt.Key.Key_Escape
        return False
