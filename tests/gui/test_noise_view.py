"""The gradient-noise lesson in the window: the plot, the arrow cloud, measuring elsewhere."""

from __future__ import annotations

import numpy as np

from engine import gradient_noise_at, load_preset
from tests.gui.helpers import wait_ready
from tests.helpers import small_config


def test_noise_lesson_shows_measurement_and_cloud(qtbot, window) -> None:
    window.load_preset("gradient-noise")
    wait_ready(qtbot, window)
    # Measured after the surface is shown, with a progress strip meanwhile.
    qtbot.waitUntil(lambda: window.plots.noise.noise is not None, timeout=30_000)
    assert not window.plots.busy.isVisible()
    noise = window.plots.noise.noise
    assert noise is not None
    assert window.plots.right_tabs.isTabVisible(1) and window.plots.right_tabs.currentIndex() == 1
    config = load_preset("gradient-noise").config
    reference = gradient_noise_at(config, np.array(config.start))  # the same seeded measurement
    np.testing.assert_array_equal(noise.without_replacement, reference.without_replacement)
    # The cloud follows the chosen batch size: B = 1 spreads far wider than the largest B.
    window.plots.noise.slider.setValue(0)
    x1, y1 = window.plots.contour.cloud_data()
    window.plots.noise.slider.setValue(window.plots.noise.slider.maximum() - 1)
    xb, yb = window.plots.contour.cloud_data()
    assert len(x1) == len(xb) == 40
    assert np.std(x1) + np.std(y1) > 5 * (np.std(xb) + np.std(yb))
    assert "B<sub>simple</sub>" in window.plots.noise.readout.text()  # typeset, as in the texts


def test_measure_at_current_point_after_training(qtbot, window) -> None:
    window.load_preset("gradient-noise")
    wait_ready(qtbot, window)
    qtbot.waitUntil(lambda: window.plots.noise.noise is not None, timeout=30_000)
    start_noise = window.plots.noise.noise
    with qtbot.waitSignal(window.session_finished, timeout=60_000):
        window.session.toggle_run()
    with qtbot.waitSignal(window.session.noise_measured, timeout=30_000):
        window.plots.noise.measure_button.click()
    qtbot.waitUntil(lambda: window.plots.noise.noise is not start_noise, timeout=5_000)
    rows = window.session.histories["GD"].rows()
    np.testing.assert_array_equal(window.plots.noise.noise.point, rows.params[-1])
    assert "GD" in window.plots.noise.where


def test_lessons_without_measurement_hide_the_noise_tab(qtbot, window) -> None:
    window.set_config(small_config(n_samples=100, epochs=2))
    wait_ready(qtbot, window)
    assert not window.plots.right_tabs.isTabVisible(1)
    assert window.plots.noise.noise is None and len(window.plots.contour.cloud_data()[0]) == 0
