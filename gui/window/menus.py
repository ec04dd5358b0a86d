"""The menu bar and the window-wide keys that are not on the toolbar.

Every action with a shortcut lives in a menu (so it can be found with the mouse) and in F1's
cheat sheet (read from the menus, so a new key cannot be left out of it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu

from gui.files import lesson_code
from gui.i18n import tr
from gui.widgets.help_dialogs import CheatSheet, show_about
from gui.widgets.run_names import shown_label

if TYPE_CHECKING:
    from gui.window.main_window import MainWindow

RUN_KEYS = 3  # keys 1, 2, 3 show or hide the first three runs (GD, SGD, mini-batch)


def _action(
    window: MainWindow, keys: tuple[QKeySequence | QKeySequence.StandardKey | str, ...] = ()
) -> QAction:
    action = QAction(window)
    # Each key once: a standard key may equal the one named beside it (F1, Ctrl+Q on Linux), and
    # an action holding a key twice makes it ambiguous, so it never fires.
    unique = {QKeySequence(k).toString(): QKeySequence(k) for k in keys}
    action.setShortcuts([k for k in unique.values() if not k.isEmpty()])
    window.addAction(action)  # the key works while the menu bar is hidden (presentation mode)
    return action


def build_menus(window: MainWindow) -> None:
    """Create the menus and the actions they hold; texts come from `retranslate_menus`."""
    w = window
    w.script_action = _action(w)
    w.script_action.triggered.connect(lambda: lesson_code.script_dialog(w))
    w.quit_action = _action(w, (QKeySequence.StandardKey.Quit, "Ctrl+Q"))
    w.quit_action.triggered.connect(w.close)
    # Undo / redo of control changes (gui/undo.py); enabled while there is something to undo.
    w.undo_action = _action(w, (QKeySequence.StandardKey.Undo,))
    w.undo_action.triggered.connect(w.undo)
    w.undo_stack.canUndoChanged.connect(w.undo_action.setEnabled)
    w.redo_action = _action(w, ("Ctrl+Y", "Ctrl+Shift+Z"))
    w.redo_action.triggered.connect(w.undo_stack.redo)
    w.undo_stack.canRedoChanged.connect(w.redo_action.setEnabled)
    w.undo_action.setEnabled(False)
    w.redo_action.setEnabled(False)
    w.defaults_action = _action(w)
    w.defaults_action.triggered.connect(w.restore_lesson_defaults)
    w.presentation_action = _action(w, ("F11",))
    w.presentation_action.setCheckable(True)
    w.presentation_action.triggered.connect(w.presentation.toggle)
    w.strip_action = _action(w, ("B",))
    w.strip_action.setCheckable(True)
    w.strip_action.triggered.connect(w.show_strip)
    w.run_toggle_actions = []
    for i in range(RUN_KEYS):
        action = _action(w, (str(i + 1),))
        action.triggered.connect(lambda _=False, row=i: w.toggle_run_shown(row))
        w.run_toggle_actions.append(action)
    w.previous_action = _action(w, ("PgUp",))
    w.previous_action.triggered.connect(lambda: w.step_lesson(-1))
    w.next_action = _action(w, ("PgDown",))
    w.next_action.triggered.connect(lambda: w.step_lesson(+1))
    w.help_action = _action(w, (QKeySequence.StandardKey.HelpContents, "F1"))
    w.help_action.triggered.connect(lambda: show_cheat_sheet(w))
    w.about_action = _action(w)
    w.about_action.triggered.connect(lambda: show_about(w, w.device_label.text()))

    # The toolbar's and menus' actions also belong to the window itself, so their keys work
    # while the menu bar is hidden or an action is off the toolbar (presentation mode).
    w.addActions([w.run_action, w.back_action, w.step_action, w.reset_action, *w.file_actions()])

    bar = w.menuBar()
    w.file_menu = bar.addMenu("")
    w.file_menu.addActions([w.open_action, w.save_action, w.export_action, w.script_action])
    w.file_menu.addSeparator()
    w.file_menu.addAction(w.quit_action)
    w.edit_menu = bar.addMenu("")
    w.edit_menu.addActions([w.undo_action, w.redo_action])
    w.edit_menu.addSeparator()
    w.edit_menu.addAction(w.defaults_action)
    w.run_menu = bar.addMenu("")
    w.run_menu.addActions(
        [w.run_action, w.back_action, w.step_action, w.reset_action, w.slower_action, w.faster_action]
    )
    w.view_menu = bar.addMenu("")
    w.view_menu.addActions([w.presentation_action, w.presentation.leave_action, w.strip_action])
    w.view_menu.addSeparator()
    w.view_menu.addActions(w.run_toggle_actions)
    w.view_menu.addSeparator()
    w.view_menu.addActions(w.scale_actions)
    w.lesson_menu = bar.addMenu("")
    w.lesson_menu.addActions([w.previous_action, w.next_action])
    w.help_menu = bar.addMenu("")
    w.help_menu.addActions([w.help_action, w.about_action])


def menus(window: MainWindow) -> list[QMenu]:
    w = window
    return [w.file_menu, w.edit_menu, w.run_menu, w.view_menu, w.lesson_menu, w.help_menu]


def retranslate_menus(window: MainWindow) -> None:
    w = window
    for menu, text in zip(
        menus(w), (tr("&File"), tr("&Edit"), tr("&Run"), tr("&View"), tr("&Lesson"), tr("&Help")), strict=True
    ):
        menu.setTitle(text)
    w.script_action.setText(tr("Lesson as PyTorch script…"))
    w.script_action.setToolTip(
        tr("Write a standalone PyTorch script that reproduces this experiment's numbers")
    )
    w.quit_action.setText(tr("Quit"))
    w.undo_action.setText(tr("Undo"))
    w.redo_action.setText(tr("Redo"))
    w.defaults_action.setText(tr("Restore lesson defaults"))
    w.presentation_action.setText(tr("Presentation mode"))
    w.presentation_action.setIconText(tr("Present"))  # on the toolbar
    w.presentation.leave_action.setText(tr("Leave presentation mode"))
    w.strip_action.setText(tr("Batch strip: the samples of this epoch, batch by batch"))
    for action, text in (
        (w.run_action, tr("Run, pause or resume; behind the head: play or pause the replay")),
        (w.back_action, tr("Timeline: one iteration back, without recomputing")),
        (w.step_action, tr("One iteration forward (replayed, or computed at the head)")),
        (w.reset_action, tr("Back to iteration 0")),
    ):
        action.setProperty("help_text", text)
    labels = [r.label for r in w.controls.runs_editor.listed_runs()]
    for i, action in enumerate(w.run_toggle_actions):
        name = shown_label(labels[i]) if i < len(labels) else "—"
        action.setText(tr("Show or hide run {n} ({name})").format(n=i + 1, name=name))
        action.setEnabled(i < len(labels))
    w.previous_action.setText(tr("Previous lesson"))
    w.next_action.setText(tr("Next lesson"))
    w.help_action.setText(tr("Keyboard shortcuts"))
    w.about_action.setText(tr("About Batch Size Lab"))
    w.slower_action.setText(tr("Slower"))
    w.faster_action.setText(tr("Faster"))
    for action, text in zip(
        w.scale_actions,
        (tr("Larger text"), tr("Smaller text"), tr("Text size follows the window")),
        strict=True,
    ):
        action.setText(text)


def shortcut_actions(window: MainWindow) -> list[QAction]:
    """Every action of the menus, in menu order (the cheat sheet's rows)."""
    return [a for menu in menus(window) for a in menu.actions() if not a.isSeparator()]


def show_cheat_sheet(window: MainWindow) -> CheatSheet:
    sheet = CheatSheet(window, shortcut_actions(window))
    sheet.open()
    return sheet
