"""Switching the user-interface language with Qt Linguist translations (.qm files)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from engine.resources import RESOURCES

TRANSLATIONS = RESOURCES / "translations"
# language code -> (name shown in the language menu, .qm file or None for the source language)
LANGUAGES = {"en": ("English", None), "zh": ("中文", "batchsizelab_zh_CN.qm")}
# Qt's own texts (standard buttons such as Close, file dialogs), shipped with PySide6.
QT_TRANSLATIONS = {"zh": "qtbase_zh_CN.qm"}

_installed: QTranslator | None = None
_installed_qt: QTranslator | None = None


def set_language(language: str) -> bool:
    """Install the translation for `language` (replacing any other); False if it is missing."""
    global _installed, _installed_qt
    app = QCoreApplication.instance()
    if app is None or language not in LANGUAGES:
        return False
    for old in (_installed, _installed_qt):
        if old is not None:
            app.removeTranslator(old)
    _installed = _installed_qt = None
    qm = LANGUAGES[language][1]
    if qm is None:
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return True
    translator = QTranslator(app)
    if not translator.load(str(TRANSLATIONS / qm)):
        return False
    app.installTranslator(translator)
    _installed = translator
    qt_file = QT_TRANSLATIONS.get(language)
    qt_translator = QTranslator(app)
    if qt_file and qt_translator.load(qt_file, QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_translator)  # a missing one leaves Qt's buttons in English, no more
        _installed_qt = qt_translator
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    return True


def tr(text: str) -> str:
    """Translate `text` outside a class: pyside6-lupdate files a bare tr("…") under the empty
    context, so it is looked up there."""
    return QCoreApplication.translate("", text)


def QT_TRANSLATE_NOOP(context: str, text: str) -> str:  # noqa: N802 - the name lupdate looks for
    """Mark `text` for translation in `context` (pyside6-lupdate finds it by this name) and
    return it as it is; it is translated where it is shown, with QCoreApplication.translate."""
    return text
