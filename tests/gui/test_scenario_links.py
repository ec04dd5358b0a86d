"""A link to the experiment in the window: Ctrl+Shift+C copies the experiment as it stands as one
line, Ctrl+Shift+V opens a pasted one as File ▸ Open opens a file (undoable, listed in the
lesson box); a clipboard holding anything else is refused in a sentence and changes nothing."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence

from engine import load_preset, scenario_from_link
from gui.logic.lessons import OpenedLink, lesson_key, parse_lesson_key
from gui.widgets.help_dialogs import shortcut_rows
from tests.gui.helpers import wait_ready

COPY = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier


def test_copy_then_paste_brings_the_experiment_back(qtbot, window) -> None:
    wait_ready(qtbot, window)
    editor = window.controls.runs_editor
    labels = [s.label for s in editor.listed_runs()]
    editor.spins[labels.index("SGD")].setValue(4)
    editor.boxes[labels.index("GD")].setChecked(False)
    qtbot.waitUntil(lambda: [r.label for r in window.session.config.runs] == ["SGD", "Mini-batch"])
    window.plots.loss.set_x_axis("epoch")
    wait_ready(qtbot, window)
    copied = window.lessons.scenario()
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_C, COPY)
    link = QGuiApplication.clipboard().text()
    assert link.startswith("batchsizelab:") and scenario_from_link(link) == copied
    assert f"({len(link)} characters)" in window.statusBar().currentMessage()

    window.load_preset("lr-scaling")  # somewhere else entirely
    wait_ready(qtbot, window)
    window.plots.loss.set_x_axis("iteration")
    QGuiApplication.clipboard().setText(f"\n  {link[:60]}\n{link[60:]}  \n")  # as a slide wraps it
    qtbot.keyClick(window, Qt.Key.Key_V, COPY)
    wait_ready(qtbot, window)
    back = window.lessons.scenario()
    assert back.preset.config == copied.preset.config and back.view == copied.view
    assert [r.label for r in window.session.config.runs] == ["SGD", "Mini-batch"]
    assert editor.hidden() == ["GD"] and window.plots.loss.x_axis == "epoch"
    assert window.preset.title == load_preset("gd-sgd-minibatch").title
    assert window.lessons.box.currentText().startswith("Link: ")
    assert window.lessons.current() == OpenedLink(link)
    assert parse_lesson_key(lesson_key(OpenedLink(link))) == OpenedLink(link)  # as settings keep it
    assert not window.plots.message.isVisible()
    items = window.lessons.box.count()
    window.files.open_link(link)  # the same link again: the same item
    assert window.lessons.box.count() == items

    window.lessons.undo()  # as after File ▸ Open, Ctrl+Z goes back to what was shown before
    wait_ready(qtbot, window)
    assert window.session.config.runs == load_preset("lr-scaling").config.runs


def test_junk_on_the_clipboard_is_refused_and_changes_nothing(qtbot, window) -> None:
    wait_ready(qtbot, window)
    before, preset, items = window.session.config, window.preset, window.lessons.box.count()
    window.activateWindow()
    link = window.files.copy_link()
    assert link is not None
    cases = {
        "hello, students": "holds no link",
        "": "holds no link",
        link[:-8]: "damaged",
        "batchsizelab:abc!": "damaged",
    }
    for text, says in cases.items():
        QGuiApplication.clipboard().setText(text)
        qtbot.keyClick(window, Qt.Key.Key_V, COPY)
        assert window.plots.message.isVisible() and says in window.plots.message.text(), text
        assert window.session.config is before and window.preset is preset
        assert window.lessons.box.count() == items and not window.lessons.undo_stack.canUndo()
    window.set_language("zh")
    try:
        assert not window.files.open_link("hello")
        assert "剪贴板" in window.plots.message.text()
    finally:
        window.set_language("en")  # the translator is the application's: the next test's too


def test_the_keys_are_the_links_alone_and_in_the_cheat_sheet(window) -> None:
    assert window.commands["copy_link"].shortcuts() == [QKeySequence("Ctrl+Shift+C")]
    assert window.commands["paste_link"].shortcuts() == [QKeySequence("Ctrl+Shift+V")]
    keys = [k.toString() for a in window.actions() for k in a.shortcuts()]
    assert keys.count("Ctrl+Shift+C") == 1 and keys.count("Ctrl+Shift+V") == 1
    rows = dict(shortcut_rows(window.commands.in_menus()))  # F1's cheat sheet: keys -> what
    assert rows["Ctrl+Shift+C"] == "Copy link to experiment"
    assert rows["Ctrl+Shift+V"] == "Open link from clipboard"
    file_menu = [a.text() for a in window.commands.menus["file"].actions()]
    assert file_menu.index("Copy link to experiment") == file_menu.index("Save…") + 2  # a separator between
