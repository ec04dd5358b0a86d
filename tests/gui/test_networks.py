"""Networks in the window: accuracy curves, the predictions grid, the arithmetic, the controls."""

from __future__ import annotations

import re

import pytest

from tests.gui.helpers import line, run_to_end, wait_ready
from tests.helpers import collect, digits_config


def test_a_network_shows_accuracy_predictions_and_its_arithmetic(qtbot, window) -> None:
    config = digits_config()
    window.set_config(config)
    wait_ready(qtbot, window)
    assert window.plots.accuracy.isVisibleTo(window) and not window.plots.contour.isVisibleTo(window)
    assert window.plots.right_tabs.isTabVisible(2)  # Predictions
    run_to_end(qtbot, window)
    reference = {r.label: r for r in collect(config).last.results}
    for label, result in reference.items():
        # 3 epochs (a short run): measured every quarter epoch, 13 points; the epochs' ends
        # are the result's per_epoch.
        x, y = window.plots.accuracy.curve_data(label, "val")
        ends = [i for i, v in enumerate(x) if v == round(v)]
        assert len(x) == 13 and [x[i] for i in ends] == [0, 1, 2, 3] and list(x) == sorted(x)
        assert [y[i] for i in ends] == pytest.approx([100 * e["val_accuracy"] for e in result.per_epoch])
        _, train = window.plots.accuracy.curve_data(label, "train")
        want = [100 * e["train_accuracy"] for e in result.per_epoch]
        assert [train[i] for i in ends] == pytest.approx(want)
    window.plots.loss.set_x_axis("samples_seen")  # the accuracy view follows the loss view's axis
    x, _ = window.plots.accuracy.curve_data("B16", "val")
    assert [v for v in x if v % 200 == 0] == [0, 200, 400, 600] and len(x) == 13
    # 64 → 128 → 10: 9 610 parameters; N = 200 training images, 359 for validation.
    arithmetic = " ".join(window.concept.arithmetic.text().replace("&nbsp;", " ").split())
    assert "MLP: 9 610 parameters; N = 200 training images, 359 for validation" in arithmetic
    final = 100 * reference["B16"].per_epoch[-1]["val_accuracy"]
    assert f"validation accuracy {final:.1f} %" in line(window, "B16")
    assert "samples/s" in line(window, "B16") and "⌈N/B⌉ = 13 iterations per epoch" in line(window, "B16")
    # Ten images, one of each digit, each with one answer per run, marked right or wrong.
    for k in range(10):
        answers = window.plots.predictions.answer_text(k)
        assert answers.count("✓") + answers.count("✗") == 2, answers
        # Right: the mark alone (the digit is written above); wrong: the digit it named.
        assert answers.count("✓</big></span>") == answers.count("✓")
        assert len(re.findall(r"✗</big> \d</span>", answers)) == answers.count("✗")
    assert "samples/s" in window.status.rate_label.text()


def test_the_controls_choose_images_network_and_initialisation(qtbot, window) -> None:
    wait_ready(qtbot, window)
    panel = window.controls
    form = panel._forms[0]
    assert not form.isRowVisible(panel.dataset_box)  # a 2-D lesson: no network rows
    panel.problem_box.setCurrentIndex(panel.problem_box.findData("network"))
    qtbot.waitUntil(lambda: window.session.config.problem == "network", timeout=5_000)
    assert form.isRowVisible(panel.dataset_box) and form.isRowVisible(panel.init_box)
    wait_ready(qtbot, window)
    assert window.plots.accuracy.isVisibleTo(window)
    panel.init_box.setCurrentIndex(panel.init_box.findData("xavier_normal"))
    qtbot.waitUntil(lambda: window.session.config.init == "xavier_normal", timeout=5_000)
    # LeNet on the 8×8 digits is refused, naming what to choose instead; nothing changes.
    before = window.session.config
    panel.model_box.setCurrentIndex(panel.model_box.findData("lenet"))
    qtbot.waitUntil(lambda: panel.error_label.isVisible(), timeout=5_000)
    assert "LeNet-5 takes 28×28 images" in panel.error_label.text()
    assert window.session.config == before
    # Back to a 2-D problem: the network's fields return to their defaults.
    panel.model_box.setCurrentIndex(panel.model_box.findData("mlp"))
    panel.problem_box.setCurrentIndex(panel.problem_box.findData("linear"))
    qtbot.waitUntil(lambda: window.session.config.problem == "linear", timeout=5_000)
    assert (window.session.config.dataset, window.session.config.init) == ("digits", "default")
    wait_ready(qtbot, window)
    assert window.plots.contour.isVisibleTo(window) and not window.plots.accuracy.isVisibleTo(window)
    assert not window.plots.right_tabs.isTabVisible(2)


def test_each_run_row_tells_its_own_initialisation(qtbot) -> None:
    from engine import load_preset
    from gui.panels.runs_editor import RunsEditor

    editor = RunsEditor()
    qtbot.addWidget(editor)
    editor.set_config(load_preset("init-schemes").config)
    tips = [label.toolTip() for label in editor._details]
    assert tips[0] == "PyTorch default init"
    assert tips[2] == "Kaiming normal init" and tips[4] == "Xavier normal init"
    assert [box.toolTip() for box in editor.boxes] == tips


def test_the_initialisation_box_steps_aside_when_every_run_has_its_own(qtbot, window) -> None:
    window.load_preset("init-schemes")
    qtbot.waitUntil(lambda: window.session.last_progress is not None, timeout=60_000)
    assert not window.controls.init_box.isEnabled()
    assert "own initialisation" in window.controls.init_box.toolTip()
    window.load_preset("mlp-digits")
    qtbot.waitUntil(lambda: window.session.config.runs[0].label == "B32", timeout=10_000)
    assert window.controls.init_box.isEnabled()


def test_while_a_network_prepares_its_plot_and_timeline_already_know_the_run(qtbot, window) -> None:
    wait_ready(qtbot, window)
    config = digits_config()
    window.set_config(config)  # the session's setup has not arrived yet (it is queued)
    assert window.session.setup is None or window.session.setup.loss_name == "batch_cross_entropy"
    title = window.plots.loss.plot.getPlotItem().titleLabel.text
    assert "mini-batch" in title and "all N" not in title
    finest = max(config.iterations_per_epoch(r) for r in config.runs)
    assert window.plots.timeline.total == finest * config.epochs > 0
    assert f"of {finest * config.epochs}" in window.plots.timeline.label.text()
    wait_ready(qtbot, window)


def test_a_language_switch_reaches_the_network_line_run_names_and_speed(qtbot, window) -> None:
    from PySide6.QtWidgets import QStyle, QStyleOptionComboBox

    from gui.widgets.run_names import shown_label

    window.load_preset("init-schemes")
    wait_ready(qtbot, window)
    window.set_language("zh")
    try:
        lines = window.concept.arithmetic.text()
        assert "个参数" in lines and "parameters" not in lines
        assert shown_label("kaiming-uniform") != "kaiming-uniform" and shown_label("B32") == "B32"
        speed = window.speed

        def speed_shown_whole() -> bool:
            option = QStyleOptionComboBox()
            speed.initStyleOption(option)
            field = speed.style().subControlRect(
                QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, speed
            )
            return speed.fontMetrics().horizontalAdvance(speed.currentText()) <= field.width()

        qtbot.waitUntil(speed_shown_whole, timeout=5_000)  # once the toolbar is laid out again
    finally:
        window.set_language("en")
