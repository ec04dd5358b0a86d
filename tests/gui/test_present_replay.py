"""Presenting and replaying: every shortcut, the timeline (scrub back, step, play forward),
presentation mode in and out, undo/redo of control changes, the cheat sheet, the About box,
remembered settings and the lesson-as-script menu item."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QColor, QKeySequence, QPalette
from PySide6.QtWidgets import QFileDialog, QLabel, QWidget

from engine import load_preset, preset_ids
from gui.files import scenario_files
from gui.logic.lessons import PresetLesson
from gui.widgets.help_dialogs import CheatSheet, about_text
from gui.window import settings
from tests.gui.helpers import run_to_end, wait_ready
from tests.helpers import digits_config


def labels(window) -> list[str]:
    return [r.label for r in window.session.config.runs]


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier) -> None:
    window.activateWindow()
    qtbot.keyClick(window, key, modifier)


def finished_full_speed(qtbot, window, preset: str) -> None:
    window.load_preset(preset)
    wait_ready(qtbot, window)
    window.speed.setCurrentIndex(0)  # full speed
    with qtbot.waitSignal(window.session_finished, timeout=120_000):
        press(qtbot, window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.session.last_progress.finished, timeout=10_000)


def test_keys_1_2_3_hide_and_show_runs_and_ctrl_z_ctrl_y_undo_and_redo(qtbot, window) -> None:
    wait_ready(qtbot, window)
    assert labels(window) == ["GD", "SGD", "Mini-batch"]
    press(qtbot, window, Qt.Key.Key_2)
    qtbot.waitUntil(lambda: labels(window) == ["GD", "Mini-batch"], timeout=5_000)
    press(qtbot, window, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: labels(window) == ["Mini-batch"], timeout=5_000)
    press(qtbot, window, Qt.Key.Key_2)
    qtbot.waitUntil(lambda: labels(window) == ["SGD", "Mini-batch"], timeout=5_000)
    # A control change: SGD's batch size.
    editor = window.controls.runs_editor
    editor.spins[1].setValue(4)
    qtbot.waitUntil(
        lambda: window.session.config.batch_size_of(window.session.config.runs[0]) == 4, timeout=5_000
    )

    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # the batch size
    assert window.session.config.batch_size_of(window.session.config.runs[0]) == 1
    assert editor.spins[1].value() == 1
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # SGD shown again
    assert labels(window) == ["Mini-batch"] and editor.hidden() == ["GD", "SGD"]
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert labels(window) == ["GD", "SGD", "Mini-batch"] and editor.hidden() == []
    assert not window.commands["undo"].isEnabled()  # back where the lesson started
    press(qtbot, window, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert labels(window) == ["GD", "Mini-batch"]
    press(
        qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ShiftModifier | Qt.KeyboardModifier.ControlModifier
    )
    assert labels(window) == ["Mini-batch"]
    wait_ready(qtbot, window)
    assert set(window.session.histories) == {"Mini-batch"}  # the views follow the restored controls


def test_ctrl_z_drops_a_refused_edit_without_restarting_the_runs(qtbot, window) -> None:
    wait_ready(qtbot, window)
    window.presentation.enter()  # the controls out of sight: the refusal shows above the plots
    press(qtbot, window, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: window.session.last_progress.runs[1].iteration == 1, timeout=10_000)
    press(qtbot, window, Qt.Key.Key_1)
    press(qtbot, window, Qt.Key.Key_2)
    qtbot.waitUntil(lambda: labels(window) == ["Mini-batch"], timeout=5_000)
    # The restarted session's setup first: it brings the histories the test holds on to (on a
    # loaded machine it came after, and replaced them, failing the identity check below).
    wait_ready(qtbot, window)
    window.lessons.undo_stack.clear()  # as on a freshly opened lesson: nothing applied to undo
    histories = window.session.histories
    press(qtbot, window, Qt.Key.Key_3)  # the last run hidden too: refused
    qtbot.waitUntil(lambda: window.plots.message.isVisible(), timeout=5_000)
    assert "at least one run" in window.plots.message.text() and not window.commands["run"].isEnabled()
    assert window.commands["undo"].isEnabled()
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    editor = window.controls.runs_editor
    assert editor.hidden() == ["GD", "SGD"] and not window.plots.message.isVisible()
    assert window.commands["run"].isEnabled() and not window.commands["undo"].isEnabled()
    assert window.session.histories is histories and labels(window) == ["Mini-batch"]  # not restarted
    window.presentation.leave()


def test_replay_back_to_the_head_leaves_a_paused_session_paused(qtbot, window) -> None:
    wait_ready(qtbot, window)
    for k in range(1, 4):
        press(qtbot, window, Qt.Key.Key_Right)
        qtbot.waitUntil(lambda k=k: window.session.last_progress.runs[1].iteration == k, timeout=10_000)
    press(qtbot, window, Qt.Key.Key_Left)
    press(qtbot, window, Qt.Key.Key_Left)
    assert window.session.playhead.tick == 1
    window.speed.set_pace(3000)
    press(qtbot, window, Qt.Key.Key_Space)  # play the two recorded iterations
    qtbot.waitUntil(lambda: window.session.playhead.live, timeout=5_000)
    # A negative check: no event marks "the session did not resume", so it gets a short while
    # in which a wrongly resumed session would compute past iteration 3.
    qtbot.wait(300)
    assert window.session.runner.is_paused() and window.session.last_progress.runs[1].iteration == 3
    assert window.commands["run"].text() == "Resume"


def test_page_keys_step_a_number_field_being_typed_in_not_the_lesson(qtbot, window) -> None:
    wait_ready(qtbot, window)
    window.dock.raise_()
    spin = window.controls.epochs_spin
    spin.setFocus()
    before = spin.value()
    qtbot.keyClick(spin, Qt.Key.Key_PageUp)
    assert window.preset.id == "gd-sgd-minibatch" and spin.value() > before


def test_page_keys_change_lessons_and_undo_brings_the_last_one_back(qtbot, window) -> None:
    wait_ready(qtbot, window)
    ids = preset_ids()
    start = ids.index("gd-sgd-minibatch")
    press(qtbot, window, Qt.Key.Key_PageDown)
    assert window.preset.id == ids[start + 1] and window.lessons.box.currentData() == ids[start + 1]
    press(qtbot, window, Qt.Key.Key_PageUp)
    press(qtbot, window, Qt.Key.Key_PageUp)
    assert window.preset.id == ids[start - 1]
    press(qtbot, window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.preset.id == "gd-sgd-minibatch"
    assert window.session.config == load_preset("gd-sgd-minibatch").config
    assert window.concept._preset is window.preset  # the lesson's text came back too
    window.load_preset(ids[0])
    press(qtbot, window, Qt.Key.Key_PageUp)  # the first lesson: nothing before it
    assert window.preset.id == ids[0]


def test_timeline_scrubs_back_without_recomputing_then_steps_and_plays_forward(qtbot, window) -> None:
    finished_full_speed(qtbot, window, "gd-sgd-minibatch")
    window.plots.loss.set_x_axis("iteration")
    histories = window.session.histories
    head = 20 * 1000  # 20 epochs of SGD's 1000 iterations: the clock's ticks
    assert (
        window.session.playhead.live
        and window.plots.timeline.slider.maximum() == head == window.plots.timeline.slider.value()
    )
    full = {label: len(window.plots.loss.curve_data(label)[0]) for label in labels(window)}
    assert full == {"GD": 21, "SGD": 20_001, "Mini-batch": 20 * 32 + 1}

    press(qtbot, window, Qt.Key.Key_Left)
    assert window.session.playhead.tick == head - 1 and len(window.plots.loss.curve_data("SGD")[0]) == 20_000
    window.plots.timeline.moved.emit(5_000)  # dragged back to epoch 5
    assert len(window.plots.loss.curve_data("SGD")[0]) == 5_001
    assert len(window.plots.loss.curve_data("GD")[0]) == 6  # GD's steps at epochs 1..5
    assert len(window.plots.loss.curve_data("Mini-batch")[0]) == 5 * 32 + 1
    sgd_rows = window.session.histories["SGD"].rows()
    assert window.plots.loss.curve_data("SGD")[1][-1] == max(sgd_rows.loss[5_000], 1e-12)
    path = window.plots.contour._paths["SGD"].getData()  # the contour's path ends where SGD was
    assert np.allclose([path[0][-1], path[1][-1]], sgd_rows.params[5_000])
    assert "5 000" in window.plots.counter.plain_text() or "5000" in window.plots.counter.plain_text()
    assert (
        "REPLAY" in window.plots.timeline.label.text() and window.status.state_label.text() == "replay paused"
    )

    press(qtbot, window, Qt.Key.Key_Right)
    assert window.session.playhead.tick == 5_001 and len(window.plots.loss.curve_data("SGD")[0]) == 5_002
    assert window.session.histories is histories  # nothing was recomputed
    # Space plays the recording forward; at full speed it is at the head at once, live again.
    press(qtbot, window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.session.playhead.live, timeout=5_000)
    assert {label: len(window.plots.loss.curve_data(label)[0]) for label in labels(window)} == full
    assert window.session.histories is histories and window.session.finished


def test_replay_at_the_chosen_speed_then_computing_resumes(qtbot, window) -> None:
    window.load_preset("gd-sgd-minibatch")
    wait_ready(qtbot, window)
    window.speed.set_pace(3000)
    press(qtbot, window, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: window.session.last_progress.clock_epochs > 0.5, timeout=30_000)
    window.plots.timeline.moved.emit(100)
    assert window.session.runner.is_paused() and window.session.playhead.tick == 100
    head = window.session.playhead.head
    window.plots.timeline.moved.emit(19_000)  # beyond what is computed: back at the head, live
    assert window.session.playhead.live and not window.session.runner.is_paused()  # computing goes on
    window.plots.timeline.moved.emit(100)
    assert window.session.runner.is_paused() and window.session.playhead.tick == 100
    head = window.session.playhead.head
    press(qtbot, window, Qt.Key.Key_Space)  # play the replay at 3000 it/s
    assert window.session.playhead.playing and window.status.state_label.text() == "replaying"
    qtbot.waitUntil(
        lambda: window.session.playhead.tick is not None and window.session.playhead.tick > 200, timeout=5_000
    )
    qtbot.waitUntil(lambda: window.session.playhead.live, timeout=head / 3000 * 1000 + 10_000)
    qtbot.waitUntil(lambda: not window.session.runner.is_paused(), timeout=5_000)  # computing again
    qtbot.waitUntil(lambda: window.session.last_progress.clock_epochs * 1000 > head + 100, timeout=30_000)
    window.speed.setCurrentIndex(0)
    qtbot.waitUntil(lambda: window.session.finished, timeout=60_000)


def test_presentation_mode_in_with_f11_out_with_esc(qtbot, window, monkeypatch) -> None:
    wait_ready(qtbot, window)
    scale, size = window.scale.value, window.size()
    press(qtbot, window, Qt.Key.Key_F11)
    assert window.presentation.active and window.windowState() & Qt.WindowState.WindowFullScreen
    assert not window.dock.isVisible() and not window.menuBar().isVisible()
    assert window.lesson_dock.isVisible() and window.plots.timeline.isVisible()
    assert (
        window.scale.value > scale and window.toolbar.styleSheet()
    )  # one step above the screen height's size
    assert window.palette().color(QPalette.ColorRole.Window) == QColor("#ffffff")
    assert window.commands["present"].isChecked()
    assert window.commands["save"] not in window.toolbar.actions()  # the slim strip
    press(qtbot, window, Qt.Key.Key_Space)  # the keys still work in presentation mode
    qtbot.waitUntil(lambda: window.commands["run"].text() == "Pause", timeout=5_000)
    opened = []
    monkeypatch.setattr(scenario_files, "choose_save", lambda parent, name: opened.append(parent))
    press(qtbot, window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert opened == [window]
    press(qtbot, window, Qt.Key.Key_Escape)
    assert not window.presentation.active
    assert not window.windowState() & Qt.WindowState.WindowFullScreen
    qtbot.waitUntil(lambda: window.dock.isVisible() and window.menuBar().isVisible(), timeout=5_000)
    assert window.scale.value == scale and not window.toolbar.styleSheet()
    qtbot.waitUntil(lambda: window.size() == size, timeout=5_000)
    assert window.toolbar.actions().index(window.commands["save"]) < window.toolbar.actions().index(
        window.commands["present"]
    )
    # The toolbar button does the same as F11.
    window.commands["present"].trigger()
    assert window.presentation.active
    window.commands["present"].trigger()
    assert not window.presentation.active


def fonts_and_strip(window) -> tuple[dict, list[str], QSize]:
    """Every widget's font size and visibility, the toolbar's shown items, the window's size."""
    bar = window.toolbar
    shown = [
        a.text() or type(bar.widgetForAction(a)).__name__
        for a in bar.actions()
        if bar.widgetForAction(a).isVisible()
    ]
    fonts = {w: (w.font().pointSizeF(), w.isVisible()) for w in window.findChildren(QWidget)}
    return fonts, shown, window.size()


def test_leaving_presentation_mode_gives_back_every_font_and_the_whole_toolbar(qtbot, window) -> None:
    wait_ready(qtbot, window)
    window.resize(1280, 720)
    press(qtbot, window, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)  # a chosen scale
    qtbot.wait(200)
    fonts, shown, size = fonts_and_strip(window)
    status = window.statusBar().findChildren(QLabel)[0]
    assert status.font().pointSizeF() == window.font().pointSizeF()  # the scale reaches it
    for _ in range(2):
        press(qtbot, window, Qt.Key.Key_F11)
        qtbot.wait(300)
        assert window.lesson_dock.font().pointSizeF() > fonts[window.lesson_dock][0]
        press(qtbot, window, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: window.size() == size, timeout=5_000)
        qtbot.wait(300)
        after, shown_after, _ = fonts_and_strip(window)
        changed = {
            (type(w).__name__, w.objectName()): (fonts[w], v)
            for w, v in after.items()
            if w in fonts and fonts[w] != v
        }
        assert not changed
        assert shown_after == shown and "QToolButton" not in shown  # nothing behind "»"


def test_f1_cheat_sheet_lists_every_shortcut_of_the_window(qtbot, window) -> None:
    wait_ready(qtbot, window)
    press(qtbot, window, Qt.Key.Key_F1)
    sheets = [s for s in window.findChildren(CheatSheet) if s.isVisible()]
    assert len(sheets) == 1
    listed = " ".join(keys for keys, _ in sheets[0].rows)
    for action in window.findChildren(QAction):
        for key in action.shortcuts():
            assert key.toString(QKeySequence.SequenceFormat.NativeText) in listed, action.text()
    for key in (
        "Space",
        "Left",
        "Right",
        "F11",
        "Esc",
        "Ctrl+Z",
        "Ctrl+Y",
        "Ctrl+Q",
        "PgUp",
        "PgDown",
        "1",
        "2",
        "3",
    ):
        assert key in listed, key
    assert all(what for _, what in sheets[0].rows)
    sheets[0].close()
    assert len(window.show_cheat_sheet().rows) == len(sheets[0].rows)


def test_about_names_the_versions_the_device_and_the_data(qtbot, window) -> None:
    import platform

    import torch
    from PySide6.QtCore import qVersion

    wait_ready(qtbot, window)
    text = about_text(window.status.device_label.text())
    assert torch.__version__.split("+")[0] in text and qVersion() in text
    assert platform.python_version() in text and window.status.device_label.text() in text
    assert "Fashion-MNIST" in text and "Zalando" in text and "MIT" in text and "WenQuanYi" in text


def test_ctrl_q_closes_the_window(qtbot, window) -> None:
    wait_ready(qtbot, window)
    with qtbot.waitSignal(window.closed, timeout=10_000):
        press(qtbot, window, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)


def test_settings_are_remembered_and_lesson_defaults_restored(qtbot, window) -> None:
    window.load_preset("lr-scaling")
    wait_ready(qtbot, window)
    window.speed.set_pace(10)
    window.plots.loss.smooth_slider.setValue(300)
    window.remember_settings()
    assert (
        settings.saved_lesson() == PresetLesson("lr-scaling")
        and settings.saved_language(("en", "zh")) == "en"
    )

    window.load_preset("gd-sgd-minibatch")
    window.lessons.apply_saved_settings()  # another lesson shown: its own speed stays
    assert window.session.runner.pace == load_preset("gd-sgd-minibatch").speed
    window.load_preset("lr-scaling")
    window.lessons.apply_saved_settings()
    assert window.session.runner.pace == 10 and window.plots.loss.smoothing == 0.3

    window.controls.runs_editor.spins[0].setValue(8)
    qtbot.waitUntil(
        lambda: window.session.config.batch_size_of(window.session.config.runs[0]) == 8, timeout=5_000
    )
    window.commands["defaults"].trigger()
    assert window.session.config == load_preset("lr-scaling").config
    assert window.session.runner.pace == load_preset("lr-scaling").speed
    assert not window.plots.loss.smoothing_chosen
    window.remember_settings()
    window.lessons.apply_saved_settings()
    assert window.session.runner.pace == load_preset("lr-scaling").speed


def test_the_menu_writes_the_lesson_as_a_script(qtbot, window, tmp_path, monkeypatch) -> None:
    wait_ready(qtbot, window)
    target = tmp_path / "lesson.py"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.controls.runs_editor.spins[2].setValue(16)
    qtbot.waitUntil(
        lambda: window.session.config.batch_size_of(window.session.config.runs[2]) == 16, timeout=5_000
    )
    window.commands["script"].trigger()
    text = target.read_text(encoding="utf-8")
    assert "torch.optim" in text and "'batch_size': 16" in text  # the experiment as it stands
    assert not window.plots.message.isVisible()
    window.load_preset("hinton-rprop-example")
    wait_ready(qtbot, window)
    target.unlink()
    window.commands["script"].trigger()
    assert (
        not target.exists() and window.plots.message.isVisible() and "script" in window.plots.message.text()
    )


def test_the_batch_strip_lights_the_sessions_batches_and_follows_the_playhead(qtbot, window) -> None:
    from engine import batch_order

    window.load_preset("epoch-iteration")  # N = 1000, B = 10: 100 batches an epoch
    wait_ready(qtbot, window)
    assert window.plots.strip.isVisible() and window.commands["strip"].isChecked()
    order = batch_order(window.session.config, window.session.config.runs[0])
    for k in range(1, 4):  # → three times: three steps
        press(qtbot, window, Qt.Key.Key_Right)
        qtbot.waitUntil(lambda k=k: window.session.last_progress.runs[0].iteration == k, timeout=10_000)
    window.views.draw(True)
    seen, lit = window.plots.strip.state_of("Mini-batch")
    assert seen.sum() == 30 and set(np.flatnonzero(seen)) == set(np.concatenate(order.epoch(0)[:3]).tolist())
    assert set(np.flatnonzero(lit)) == set(order.epoch(0)[2].tolist())
    window.speed.setCurrentIndex(0)
    with qtbot.waitSignal(window.session_finished, timeout=60_000):
        press(qtbot, window, Qt.Key.Key_Space)
    window.plots.timeline.moved.emit(150)  # epoch 2, half way: the second epoch's own shuffle
    seen, lit = window.plots.strip.state_of("Mini-batch")
    assert seen.sum() == 500 and set(np.flatnonzero(lit)) == set(order.epoch(1)[49].tolist())
    window.plots.timeline.moved.emit(100)  # the end of epoch 1: every sample seen exactly once
    seen, _ = window.plots.strip.state_of("Mini-batch")
    assert (seen == 1).all()
    press(qtbot, window, Qt.Key.Key_B)
    assert not window.plots.strip.isVisible()
    press(qtbot, window, Qt.Key.Key_B)
    assert window.plots.strip.isVisible()


def test_with_replacement_the_strip_shows_repeats_and_gaps(qtbot, window) -> None:
    window.load_preset("sampling-modes")
    wait_ready(qtbot, window)
    window.speed.setCurrentIndex(0)
    with qtbot.waitSignal(window.session_finished, timeout=60_000):
        press(qtbot, window, Qt.Key.Key_Space)
    window.plots.timeline.moved.emit(100)  # one epoch of 100 batches of 10
    shuffled, _ = window.plots.strip.state_of("Shuffle")
    drawn, _ = window.plots.strip.state_of("Replacement")
    assert (shuffled == 1).all()
    assert drawn.sum() == 1000 and (drawn == 0).sum() > 300 and (drawn >= 2).sum() > 200  # ≈ 368 and 264


def test_a_networks_accuracy_follows_the_playhead(qtbot, window) -> None:
    window.set_config(digits_config())  # B16: 13 iterations an epoch, B50: 4; 3 epochs
    wait_ready(qtbot, window)
    run_to_end(qtbot, window)
    assert len(window.plots.accuracy.curve_data("B16")[0]) == 13
    window.plots.timeline.moved.emit(13)  # the end of epoch 1: the start and four quarter-epoch checks
    for label in ("B16", "B50"):
        x, _ = window.plots.accuracy.curve_data(label)
        assert len(x) == 5 and x[-1] == 1.0, (label, x)
    window.speed.setCurrentIndex(0)
    press(qtbot, window, Qt.Key.Key_Space)  # at full speed the replay reaches the head at once
    qtbot.waitUntil(lambda: window.session.playhead.live, timeout=10_000)
    assert len(window.plots.accuracy.curve_data("B16")[0]) == 13


def test_every_shortcut_of_the_window_fires_its_action(qtbot, window, monkeypatch) -> None:
    """Each key of every action, pressed as a user would; file dialogs answer "cancel"."""
    from PySide6.QtWidgets import QApplication

    wait_ready(qtbot, window)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: ("", ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: ("", ""))
    fired: list[QAction] = []
    actions = [a for a in window.findChildren(QAction) if a.shortcuts() and a is not window.commands["quit"]]
    for action in actions:
        action.triggered.connect(lambda _=False, a=action: fired.append(a))
    # Esc is live only in presentation mode, Ctrl+Z after a change, Ctrl+Y after an undo.
    ordered = sorted(actions, key=lambda a: a is window.commands["leave_present"])
    pressed = 0
    for action in ordered:
        if action is window.commands["leave_present"]:
            window.presentation.enter()
        for key in action.shortcuts():
            if action in (window.commands["undo"], window.commands["redo"]):  # something to undo (and redo)
                window.commands["show_run_2"].trigger()
                qtbot.waitUntil(lambda: window.commands["undo"].isEnabled(), timeout=5_000)
                if action is window.commands["redo"]:
                    window.commands["undo"].trigger()
            wait_ready(qtbot, window)  # a key that restarted the session (R, Ctrl+Z…): ready again
            fired.clear()
            combo = key[0]
            press(qtbot, window, combo.key(), combo.keyboardModifiers())
            pressed += 1
            assert fired and fired[-1] is action, (action.text(), key.toString())
            for dialog in QApplication.topLevelWidgets():  # the cheat sheet: closed again
                if isinstance(dialog, CheatSheet) and dialog.isVisible():
                    dialog.close()
            if window.presentation.active and action is not window.commands["leave_present"]:
                window.presentation.leave()
    assert pressed == sum(len(a.shortcuts()) for a in actions) >= 25  # and Ctrl+Q: its own test


def test_menus_cheat_sheet_about_and_timeline_speak_chinese(qtbot, window) -> None:
    import re

    cjk = re.compile(r"[\u4e00-\u9fff]")
    wait_ready(qtbot, window)
    window.set_language("zh")
    try:
        sheet = window.show_cheat_sheet()
        untranslated = [what for _, what in sheet.rows if not cjk.search(what)]
        assert untranslated == []
        sheet.close()
        assert all(cjk.search(m.title()) for m in window.commands.menus.values())
        text = about_text(window.status.device_label.text())
        assert "数据与字体" in text and "设备" in text and "文泉驿" in text
        assert (
            cjk.search(window.plots.timeline.label.text()) and window.commands["present"].iconText() == "演示"
        )
    finally:
        window.set_language("en")


def test_the_tests_keep_their_settings_out_of_the_users_home() -> None:
    from gui.window.scale import settings as app_settings

    assert not app_settings().fileName().startswith(str(Path.home()))


def test_full_batch_reads_as_one_framed_pass_not_a_black_bar(qtbot, window) -> None:
    window.load_preset("gd-sgd-minibatch")  # GD: B = N
    wait_ready(qtbot, window)
    press(qtbot, window, Qt.Key.Key_B)
    window.speed.setCurrentIndex(0)
    run_to_end(qtbot, window)
    config = window.session.config
    finest = max(config.iterations_per_epoch(spec) for spec in config.runs)
    window.plots.timeline.moved.emit(finest)  # the end of epoch 1: GD's one step
    strip = window.plots.strip
    seen, lit = strip.state_of("GD")
    assert lit.all() and (seen == 1).all()
    image = strip.grab().toImage()
    one_strip = round(40 * window.scale.value)  # GD's row, below the 2-px top margin
    dark = sum(
        1
        for y in range(4, one_strip - 2, 2)
        for x in range(image.width() // 2, image.width() - 10, 3)
        if QColor(image.pixel(x, y)).lightness() < 60
    )
    total = len(range(4, one_strip - 2, 2)) * len(range(image.width() // 2, image.width() - 10, 3))
    assert dark / total < 0.1  # the cells keep their colour (each outlined: over 60 % black)
