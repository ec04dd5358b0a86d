"""The lesson room (gui/window/lessons.py) as a user drives it: lessons, undo across lessons."""

from __future__ import annotations

from gui.logic.lessons import PresetLesson
from tests.gui.helpers import wait_ready


def test_undo_back_to_a_lesson_shows_it_as_it_opens(qtbot, window) -> None:
    window.load_preset("epoch-iteration")  # a counting lesson: its batch strip is shown
    wait_ready(qtbot, window)
    assert window.commands["strip"].isChecked()
    window.commands["next"].trigger()
    wait_ready(qtbot, window)
    assert window.lessons.current() != PresetLesson("epoch-iteration")
    assert not window.commands["strip"].isChecked()
    window.commands["undo"].trigger()
    wait_ready(qtbot, window)
    assert window.lessons.current() == PresetLesson("epoch-iteration")
    assert window.commands["strip"].isChecked() and window.plots.strip.isVisible()


def test_undo_inside_a_lesson_leaves_the_strip_as_the_user_set_it(qtbot, window) -> None:
    window.load_preset("epoch-iteration")
    wait_ready(qtbot, window)
    window.commands["strip"].trigger()  # B: hidden by the user
    assert not window.commands["strip"].isChecked()
    window.controls.seed_spin.setValue(window.controls.seed_spin.value() + 1)
    qtbot.waitUntil(lambda: window.commands["undo"].isEnabled(), timeout=10_000)
    window.commands["undo"].trigger()
    wait_ready(qtbot, window)
    assert not window.commands["strip"].isChecked()


def test_another_lesson_after_a_refused_edit_can_be_run(qtbot, window) -> None:
    wait_ready(qtbot, window)
    for box in window.controls.runs_editor.boxes:
        box.setChecked(False)  # no run left: refused
    qtbot.waitUntil(lambda: not window.commands["run"].isEnabled(), timeout=10_000)
    assert window.lessons.refused and window.controls.error_label.isVisible()
    window.commands["next"].trigger()
    wait_ready(qtbot, window)
    assert window.commands["run"].isEnabled() and window.commands["step"].isEnabled()
    assert not window.lessons.refused and not window.controls.error_label.isVisible()
