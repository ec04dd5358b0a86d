"""The plots' paint hold (gui/window/paint_hold.py): changes that lay the plots out in several
passes paint them once, and a hold always ends, whatever happens meanwhile."""

from __future__ import annotations

import time

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QWidget

from gui.window.paint_hold import LONGEST_MS, PaintHold
from tests.gui.helpers import HANG_MS, wait_ready


def test_a_hold_ends_by_itself_and_release_ends_it_at_once(qtbot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    hold = PaintHold(widget)
    started = time.perf_counter()
    hold.hold(50)
    assert hold.holding and not widget.updatesEnabled()
    hold.hold(10)  # a shorter hold never cuts one under way short
    qtbot.waitUntil(lambda: widget.updatesEnabled(), timeout=HANG_MS)
    assert time.perf_counter() - started >= 0.045 and not hold.holding
    hold.hold(LONGEST_MS * 10)
    hold.release()
    assert widget.updatesEnabled() and not hold.holding
    hold.release()  # nothing held: nothing to do
    assert widget.updatesEnabled()


def test_settle_shortens_a_hold(qtbot) -> None:
    widget = QWidget()
    qtbot.addWidget(widget)
    hold = PaintHold(widget)
    hold.settle()  # nothing held: holds nothing
    assert widget.updatesEnabled()
    hold.hold(LONGEST_MS)
    started = time.perf_counter()
    hold.settle(20)
    qtbot.waitUntil(lambda: widget.updatesEnabled(), timeout=HANG_MS)
    assert time.perf_counter() - started < LONGEST_MS / 1000


def test_text_size_presentation_and_a_new_lesson_leave_the_plots_painting(qtbot, window) -> None:
    wait_ready(qtbot, window)
    plots, c = window.plots, window.commands
    for action in ("larger", "smaller", "present", "leave_present", "next", "previous"):
        c[action].trigger()
        assert window.paint_hold.holding and not plots.updatesEnabled(), action  # held, once
        qtbot.waitUntil(lambda: plots.updatesEnabled() and not window.paint_hold.holding, timeout=HANG_MS)
    wait_ready(qtbot, window)
    image = plots.grab().toImage()  # painted: the surface's blues, not one flat colour
    colours = {
        image.pixelColor(x, y).name()
        for x in range(0, image.width(), 25)
        for y in range(0, image.height(), 25)
    }
    assert len(colours) > 20


def test_an_export_during_a_hold_shows_the_plots_as_drawn_after_it(qtbot, window, tmp_path) -> None:
    window.commands["next"].trigger()
    wait_ready(qtbot, window)
    pictures = []
    # The first export of a view may differ from later ones in a few pixels (whatever its first
    # rendering caches); the held one is compared with the one after it.
    for folder in ("first", "held", "after"):
        if folder == "held":  # larger text: the plots are laid out anew, and held meanwhile
            window.commands["larger"].trigger()
            assert window.paint_hold.holding
        with qtbot.waitSignal(window.files.exports.finished, timeout=HANG_MS) as done:
            assert window.files.export_to(tmp_path / folder)
        assert done.args == [True] and not window.paint_hold.holding
        pictures.append([QImage(str(tmp_path / folder / f"{v}-slide.png")) for v in ("loss", "paths")])
    assert pictures[1] == pictures[2]
