"""The window's arithmetic and typesetting without widgets: pure Python and numpy.

Nothing here imports Qt, pyqtgraph or shiboken6 (an import-linter contract in pyproject.toml
keeps it so), so every helper can be tested, and reused, with no QApplication at all.
"""

from gui.logic.numbers import digits_of, group_digits, keep_digits_together, number_text, tick_text, typeset
from gui.logic.smoothing import auto_smoothing, debiased_ema, ema_from

__all__ = [
    "auto_smoothing",
    "debiased_ema",
    "digits_of",
    "ema_from",
    "group_digits",
    "keep_digits_together",
    "number_text",
    "tick_text",
    "typeset",
]
