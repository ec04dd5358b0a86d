"""A guard against the Qt binding's reference leak that made PySide6 6.12.0 abort.

PySide6 6.12.0 on Python 3.11 dropped one reference to None on every call of a void Qt method:
after minutes of plotting None's count reached zero and the interpreter aborted. The pin to
6.11.3 avoids it; this test fails if an upgrade brings it back. On Python 3.12 and 3.13 None is
immortal (PEP 683): sys.getrefcount(None) reads a fixed 4294967295 there, so this test passes
without seeing such a leak; it guards on Python 3.11, the version CI runs.
"""

from __future__ import annotations

import sys

import PySide6
from PySide6.QtWidgets import QLabel

CALLS = 100_000


def test_void_qt_calls_keep_the_reference_count_of_none(qtbot) -> None:
    label = QLabel()
    qtbot.addWidget(label)
    before = sys.getrefcount(None)
    for i in range(CALLS):
        label.setText("x" if i % 2 else "y")  # void C++ methods, as pyqtgraph calls them
        label.update()
    lost = before - sys.getrefcount(None)
    # A leak loses one reference a call (2 × CALLS); normal churn is a few hundred at most.
    assert lost < CALLS // 10, (
        f"None lost {lost} references in {2 * CALLS} void calls ({PySide6.__version__})"
    )


def test_the_pinned_binding_is_the_one_installed() -> None:
    assert PySide6.__version__ == "6.11.3"
