"""Switching the user-interface language with Qt Linguist translations (.qm files)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

from engine.resources import RESOURCES

TRANSLATIONS = RESOURCES / "translations"
# language code -> (name shown in the language menu, .qm file or None for the source language)
LANGUAGES = {"en": ("English", None), "zh": ("中文", "batchsizelab_zh_CN.qm")}

_installed: QTranslator | None = None


def set_language(language: str) -> bool:
    """Install the translation for `language` (replacing any other); False if it is missing."""
    global _installed
    app = QCoreApplication.instance()
    if app is None or language not in LANGUAGES:
        return False
    if _installed is not None:
        app.removeTranslator(_installed)
        _installed = None
    qm = LANGUAGES[language][1]
    if qm is None:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return True
    translator = QTranslator(app)
    if not translator.load(str(TRANSLATIONS / qm)):
        return False
    app.installTranslator(translator)
    _installed = translator
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    return True


def tr(text: str) -> str:
    """Translate `text` outside a class: pyside6-lupdate files a bare tr("…") under the empty
    context, so it is looked up there."""
    return QCoreApplication.translate("", text)
