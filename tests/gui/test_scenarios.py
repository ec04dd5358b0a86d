"""Scenarios in the window: Ctrl+S saves the experiment as it stands, Ctrl+O opens it again
(runs, hidden runs, lesson text, view settings); a bad file is refused in a sentence and
changes nothing."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from engine import load_preset
from gui.files import scenario_files
from tests.gui.conftest import wait_ready


def edited(qtbot, window) -> None:
    """Change the default lesson the way a user would: SGD's batch 4, GD unticked, the loss
    plot against samples seen with a log x-axis and smoothing 0.5."""
    wait_ready(qtbot, window)
    editor = window.controls.runs_editor
    labels = [s.label for s in editor.listed_runs()]
    editor.spins[labels.index("SGD")].setValue(4)
    editor.boxes[labels.index("GD")].setChecked(False)
    qtbot.waitUntil(
        lambda: [r.label for r in window.current_config.runs] == ["SGD", "Mini-batch"], timeout=5_000
    )
    qtbot.waitUntil(
        lambda: window.current_config.batch_size_of(window.current_config.runs[0]) == 4, timeout=5_000
    )
    window.loss.set_x_axis("samples_seen")
    window.loss.log_x_box.setChecked(True)
    window.loss.smooth_slider.setValue(500)
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
    window.loss.set_x_axis("iteration")
    window.loss.log_x_box.setChecked(False)
    qtbot.keyClick(window, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier)
    wait_ready(qtbot, window)
    config = window.current_config
    assert [r.label for r in config.runs] == ["SGD", "Mini-batch"] and config.batch_size_of(
        config.runs[0]
    ) == 4
    editor = window.controls.runs_editor
    assert [s.label for s in editor.listed_runs()] == ["GD", "SGD", "Mini-batch"] and editor.hidden() == [
        "GD"
    ]
    assert (window.loss.x_axis, window.loss.log_x, window.loss.smoothing) == ("samples_seen", True, 0.5)
    assert window.preset.title == load_preset("gd-sgd-minibatch").title
    assert window.preset_box.currentText() == "File: my lesson.json"
    assert not window.message.isVisible()
    # Ticking GD again brings it back beside the others, from the same config.
    editor.boxes[0].setChecked(True)
    qtbot.waitUntil(lambda: len(window.current_config.runs) == 3, timeout=5_000)


def test_bad_files_are_refused_in_a_sentence_and_change_nothing(qtbot, window, tmp_path) -> None:
    wait_ready(qtbot, window)
    before, preset = window.current_config, window.preset
    cases = {
        "empty.json": ("", "the file is empty"),
        "cut.json": ('{"format_version": 1, "config": {"epo', "not a usable scenario file"),
        "newer.json": (json.dumps({"format_version": 99, "config": {}}), "newer version of Batch Size Lab"),
    }
    for name, (text, says) in cases.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        assert not scenario_files.open_from(window, path)
        assert window.message.isVisible() and says in window.message.text() and name in window.message.text()
        assert window.current_config is before and window.preset is preset
    window.set_language("zh")
    try:
        assert not scenario_files.open_from(window, tmp_path / "newer.json")
        assert "更新版本" in window.message.text() and "newer.json" in window.message.text()
    finally:
        window.set_language("en")  # the translator is the application's: the next test's too


def test_a_failed_save_says_so_and_keeps_the_old_file(qtbot, window, tmp_path) -> None:
    wait_ready(qtbot, window)
    assert scenario_files.save_to(window, tmp_path / "s.json")
    assert not scenario_files.save_to(window, tmp_path)  # a folder
    assert "is a folder" in window.message.text()
    assert not scenario_files.save_to(window, tmp_path / "missing" / "s.json")
    assert "nothing was changed" in window.message.text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.json"]
