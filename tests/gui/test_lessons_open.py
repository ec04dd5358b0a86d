"""Every lesson opens in the window; the problem chooser switches surfaces."""

from __future__ import annotations

import numpy as np
import pytest

from engine import load_preset, preset_ids
from tests.gui.helpers import skip_without_data, wait_ready


@pytest.mark.parametrize("ident", preset_ids())
def test_every_lesson_opens(qtbot, window, ident: str) -> None:
    skip_without_data(ident)
    window.load_preset(ident)
    wait_ready(qtbot, window)
    assert window.session.config == load_preset(ident).config
    assert not window.plots.message.isVisible()  # no error on opening
    assert set(window.session.histories) == {r.label for r in window.session.config.runs}
    flat = window.session.config.problem in ("network", "hinton")
    assert window.plots.contour.isVisibleTo(window) == (not flat)
    assert (window.plots.loss.weight_name == "w") == (ident == "hinton-rprop-example")
    # The dock shows the lesson's own settings, and reading them back changes nothing.
    assert window.controls.config() == window.session.config


def test_problem_chooser_switches_to_logistic(qtbot, window) -> None:
    wait_ready(qtbot, window)
    box = window.controls.problem_box
    box.setCurrentIndex(box.findData("logistic"))
    qtbot.waitUntil(lambda: window.session.config.problem == "logistic", timeout=5_000)
    wait_ready(qtbot, window)
    setup = window.session.last_progress.setup
    assert setup is not None and setup.grid_loss is not None and np.isfinite(setup.grid_loss).all()
    assert window.session.config.start is None  # a start drawn for the new surface
    assert window.plots.contour.isVisibleTo(window)
