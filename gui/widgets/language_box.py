"""The toolbar's language box: every language with a translation, by its own name."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QWidget

from gui.i18n import LANGUAGES


class LanguageBox(QComboBox):
    """`chosen(code)` fires when the user picks a language."""

    chosen = Signal(str)

    def __init__(self, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("languageBox")
        for code, (name, _) in LANGUAGES.items():
            self.addItem(name, code)
        self.show_language(language)
        self.activated.connect(lambda i: self.chosen.emit(str(self.itemData(i))))

    def show_language(self, language: str) -> None:
        self.setCurrentIndex(self.findData(language))
