"""The controls list the lesson's own runs, and each run's batch size is edited in the window."""

from __future__ import annotations

import pytest

from engine import FULL, OPTIMIZERS, load_preset, preset_ids, run_colors
from tests.gui.helpers import wait_ready


def plain(text: str) -> str:
    return " ".join(text.replace("\u202f", " ").replace("\xa0", " ").split())


@pytest.mark.parametrize("ident", preset_ids())
def test_every_lesson_lists_its_own_runs(qtbot, ident) -> None:
    from gui.panels.runs_editor import RunsEditor

    config = load_preset(ident).config
    editor = RunsEditor()
    qtbot.addWidget(editor)
    editor.set_config(config)
    assert [box.text() for box in editor.boxes] == [r.label for r in config.runs]
    assert all(box.isChecked() for box in editor.boxes)
    for run, spin, detail in zip(config.runs, editor.spins, editor._details, strict=True):
        assert spin.maximum() == config.n_samples
        if run.batch_size == FULL:
            assert spin.text() == "full"
        else:
            assert spin.value() == run.batch_size and plain(spin.text()) == f"{run.batch_size:,}".replace(
                ",", " "
            )
        name, _ = config.optimizer_of(run)
        assert detail.text().startswith(OPTIMIZERS[name][0])
        if run.lr is not None:
            assert f"lr {run.lr:g}" in detail.text()
        if run.sampling == "replacement":
            assert "with replacement" in detail.text()
    assert editor.runs() == config.runs  # unedited: the very runs of the lesson


def test_each_runs_batch_size_is_edited_and_the_session_follows(qtbot, window) -> None:
    window.load_preset("lr-scaling")
    wait_ready(qtbot, window)
    editor = window.controls.runs_editor
    row = editor.row_of("B128")
    editor.spins[row].setFocus()
    editor.set_batch(row, 100)
    qtbot.waitUntil(lambda: window.session.config.run_by_label("B128").batch_size == 100, timeout=5_000)
    qtbot.waitUntil(lambda: window.session.last_progress is not None, timeout=30_000)
    assert window.session.config.iterations_per_epoch(window.session.config.run_by_label("B128")) == 10
    assert "B = 100" in plain(window.concept.line_for("B128"))
    # The slider follows the row last chosen, and moves that row's batch size.
    assert "B128" in editor.slider_label.text()
    editor.slider.slider.setValue(0)  # log scale: the far left is B = 1
    assert editor.spins[row].value() == 1
    qtbot.waitUntil(lambda: window.session.config.run_by_label("B128").batch_size == 1, timeout=5_000)


def test_full_reads_as_a_word_follows_n_and_can_be_typed(qtbot) -> None:
    from gui.panels.control_panel import ControlPanel

    panel = ControlPanel()
    qtbot.addWidget(panel)
    config = load_preset("gd-sgd-minibatch").config
    panel.set_config(config)
    editor = panel.runs_editor
    gd = editor.row_of("GD")
    assert editor.spins[gd].text() == "full"
    panel.n_spin.setValue(500)  # N falls: GD stays full, the others keep their sizes
    assert editor.spins[gd].value() == 500 and editor.spins[gd].text() == "full"
    built = panel.config()
    assert built.n_samples == 500 and built.run_by_label("GD").batch_size == FULL
    assert built.run_by_label("Mini-batch").batch_size == 32
    mini = editor.spins[editor.row_of("Mini-batch")]
    mini.lineEdit().selectAll()
    qtbot.keyClicks(mini.lineEdit(), "full")
    mini.interpretText()
    assert panel.config().run_by_label("Mini-batch").batch_size == FULL
    sgd = editor.spins[editor.row_of("SGD")]
    sgd.lineEdit().selectAll()
    qtbot.keyClicks(sgd.lineEdit(), "x")  # refused by the validator: nothing changes
    sgd.interpretText()
    assert panel.config().run_by_label("SGD").batch_size == 1


def test_hiding_a_run_keeps_the_others_colours_and_a_run_can_be_added(qtbot) -> None:
    from gui.panels.control_panel import ControlPanel

    panel = ControlPanel()
    qtbot.addWidget(panel)
    config = load_preset("lr-scaling").config
    panel.set_config(config)
    before = run_colors(config.runs)
    editor = panel.runs_editor
    editor.boxes[0].setChecked(False)  # B4 hidden
    built = panel.config()
    assert [r.label for r in built.runs] == ["B16", "B64", "B128", "B512"]
    assert {r.label: built.color_of(r) for r in built.runs} == {k: v for k, v in before.items() if k != "B4"}
    with qtbot.waitSignal(panel.changed, timeout=1_000):
        editor.add_run()
    built = panel.config()
    added = built.runs[-1]
    assert added.batch_size == 32 and added.label == "B32" and added.optimizer is None
    assert built.color_of(added) not in before.values() or len(before) >= 7
    assert len(editor.boxes) == len(config.runs) + 1


def test_refusing_every_run_names_the_problem(qtbot) -> None:
    from gui.panels.control_panel import ControlPanel

    panel = ControlPanel()
    qtbot.addWidget(panel)
    panel.set_config(load_preset("gd-sgd-minibatch").config)
    for box in panel.runs_editor.boxes:
        box.setChecked(False)
    with pytest.raises(ValueError, match="at least one run"):
        panel.config()
