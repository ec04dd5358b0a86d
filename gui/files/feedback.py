"""How the file commands speak to the user, without knowing the window."""

from __future__ import annotations

from typing import Protocol


class Feedback(Protocol):
    def show_message(self, text: str) -> None:
        """The message bar above the plots: why something failed, in a sentence ("" clears it)."""

    def note(self, text: str, ms: int) -> None:
        """The status bar: a passing note (saved, exported) for `ms` milliseconds."""
