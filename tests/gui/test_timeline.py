"""The timeline's slider: a click on its groove (a page step) moves the playhead like a drag."""

from __future__ import annotations

from PySide6.QtWidgets import QSlider

from gui.views.timeline import Timeline


def test_a_click_on_the_groove_jumps(qtbot) -> None:
    timeline = Timeline()
    qtbot.addWidget(timeline)
    timeline.set_span(ticks_per_epoch=100, total=2_000)  # a page is 100 ticks
    timeline.show_position(tick=500, head=2_000, live=False)
    with qtbot.waitSignal(timeline.moved, timeout=10_000) as moved:
        timeline.slider.triggerAction(QSlider.SliderAction.SliderPageStepAdd)
    assert moved.args == [600]
    with qtbot.waitSignal(timeline.moved, timeout=10_000) as moved:
        timeline.slider.triggerAction(QSlider.SliderAction.SliderPageStepSub)
    assert moved.args == [500]


def test_a_single_step_is_not_a_jump(qtbot) -> None:
    # Arrow-like single steps come from the window's own keys, not from the slider.
    timeline = Timeline()
    qtbot.addWidget(timeline)
    timeline.set_span(ticks_per_epoch=100, total=2_000)
    timeline.show_position(tick=500, head=2_000, live=False)
    with qtbot.assertNotEmitted(timeline.moved, wait=200):
        timeline.slider.triggerAction(QSlider.SliderAction.SliderSingleStepAdd)
