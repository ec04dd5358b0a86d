"""Whole-number spin boxes that group digits as everywhere else in the window ("1 438", a
narrow space, in every language) and accept typed digits with spaces, commas or nothing between
groups. BatchSpin adds the word "full" for the whole data set."""

from __future__ import annotations

from PySide6.QtGui import QValidator
from PySide6.QtWidgets import QSpinBox

from gui.logic.numbers import digits_of, group_digits


class GroupedSpin(QSpinBox):
    def textFromValue(self, value: int) -> str:  # noqa: N802 - Qt override
        return group_digits(value)

    def _number_part(self, text: str) -> str:
        """`text` without the box's prefix and suffix ("×4" with prefix "×": "4"), which Qt
        hands to `validate` and `valueFromText` with the number."""
        return text.removeprefix(self.prefix()).removesuffix(self.suffix())

    def valueFromText(self, text: str) -> int:  # noqa: N802 - Qt override
        digits = digits_of(self._number_part(text))
        return int(digits) if digits else self.minimum()

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        digits = digits_of(self._number_part(text))
        if digits is None:
            return (QValidator.State.Invalid, text, pos)
        if not digits:
            return (QValidator.State.Intermediate, text, pos)
        value = int(digits)
        if self.minimum() <= value <= self.maximum():
            return (QValidator.State.Acceptable, text, pos)
        return (
            QValidator.State.Intermediate if value < self.minimum() else QValidator.State.Invalid,
            text,
            pos,
        )


class BatchSpin(GroupedSpin):
    """A batch size 1..N, where N reads "full" (the whole data set: full-batch GD)."""

    def _full_words(self) -> tuple[str, ...]:
        return (self.tr("full"), "full")

    def textFromValue(self, value: int) -> str:  # noqa: N802 - Qt override
        if value == self.maximum():
            return self.tr("full")
        return super().textFromValue(value)

    def valueFromText(self, text: str) -> int:  # noqa: N802 - Qt override
        if text.strip().lower() in self._full_words():
            return self.maximum()
        return super().valueFromText(text)

    def validate(self, text: str, pos: int) -> tuple[QValidator.State, str, int]:
        typed = text.strip().lower()
        if typed and any(word.startswith(typed) for word in self._full_words()):
            full = typed in self._full_words()
            return (QValidator.State.Acceptable if full else QValidator.State.Intermediate, text, pos)
        return super().validate(text, pos)
