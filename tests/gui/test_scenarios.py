"""Scenarios in the window: Ctrl+S saves the experiment as it stands, Ctrl+O opens it again
(runs, hidden runs, lesson text, view settings); a bad file is refused in a sentence and
changes nothing."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from engine import load_preset
from tests.gui.helpers import wait_ready


def edited(qtbot, window) -> None:
    """Change the default lesson the way a user would: SGD's batch 4, GD unticked, the loss
    plot against samples seen with a log x-axis and smoothing 0.5."""
    wait_ready(qtbot, window)
    editor = window.controls.runs_editor
    labels = [s.label for s in editor.listed_runs()]
    editor.spins[labels.index("SGD")].setValue(4)
    editor.boxes[labels.index("GD")].setChecked(False)
    qtbot.waitUntil(
        lambda: [r.label for r in window.session.config.runs] == ["SGD", "Mini-batch"], timeout=5_000
    )
    qtbot.waitUntil(
        lambda: window.session.config.batch_size_of(window.session.config.runs[0]) == 4, timeout=5_000
    )
    window.plots.loss.set_x_axis("samples_seen")
    window.plots.loss.log_x_box.setChecked(True)
    window.plots.loss.smooth_slider.setValue(500)
    wait_ready(qtbot, window)


def test_ctrl_s_then_ctrl_o_brings_the_experiment_back(qtbot, window, tmp_path, monkeypatch) -> None:
    edited(qtbot, window)
    path = tmp_path / "my lesson.json"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(path), ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert path.is_file()
    saved = json.loads(path.read_text(encoding="utf-8"))
    assert saved["view"] == {
        "x_axis": "samples_seen",
        "log_x": True,
        "log_y": True,
        "smoothing": 0.5,
        "hidden_runs": ["GD"],
    }
    assert [r["label"] for r in saved["config"]["runs"]] == ["GD", "SGD", "Mini-batch"]  # GD kept, hidden

    window.load_preset("lr-scaling")  # somewhere else entirely
    wait_ready(qtbot, window)
    window.plots.loss.set_x_axis("iteration")
    window.plots.loss.log_x_box.setChecked(False)
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    wait_ready(qtbot, window)
    config = window.session.config
    assert [r.label for r in config.runs] == ["SGD", "Mini-batch"] and config.batch_size_of(
        config.runs[0]
    ) == 4
    editor = window.controls.runs_editor
    assert [s.label for s in editor.listed_runs()] == ["GD", "SGD", "Mini-batch"] and editor.hidden() == [
        "GD"
    ]
    assert (window.plots.loss.x_axis, window.plots.loss.log_x, window.plots.loss.smoothing) == (
        "samples_seen",
        True,
        0.5,
    )
    assert window.preset.title == load_preset("gd-sgd-minibatch").title
    assert window.lessons.box.currentText() == "File: my lesson.json"
    assert not window.plots.message.isVisible()
    # Ticking GD again brings it back beside the others, from the same config.
    editor.boxes[0].setChecked(True)
    qtbot.waitUntil(lambda: len(window.session.config.runs) == 3, timeout=5_000)


def test_bad_files_are_refused_in_a_sentence_and_change_nothing(qtbot, window, tmp_path) -> None:
    wait_ready(qtbot, window)
    before, preset = window.session.config, window.preset
    cases = {
        "empty.json": ("", "the file is empty"),
        "cut.json": ('{"format_version": 1, "config": {"epo', "not a usable scenario file"),
        "newer.json": (json.dumps({"format_version": 99, "config": {}}), "newer version of Batch Size Lab"),
    }
    for name, (text, says) in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        assert not window.files.open_from(path)
        assert (
            window.plots.message.isVisible()
            and says in window.plots.message.text()
            and name in window.plots.message.text()
        )
        assert window.session.config is before and window.preset is preset
    window.set_language("zh")
    try:
        assert not window.files.open_from(tmp_path / "newer.json")
        assert "更新版本" in window.plots.message.text() and "newer.json" in window.plots.message.text()
    finally:
        window.set_language("en")  # the translator is the application's: the next test's too


def test_a_failed_save_says_so_and_keeps_the_old_file(qtbot, window, tmp_path) -> None:
    wait_ready(qtbot, window)
    assert window.files.save_to(tmp_path / "s.json")
    assert not window.files.save_to(tmp_path)  # a folder
    assert "is a folder" in window.plots.message.text()
    assert not window.files.save_to(tmp_path / "missing" / "s.json")
    assert "nothing was changed" in window.plots.message.text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.json"]
