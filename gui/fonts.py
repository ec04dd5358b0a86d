"""The bundled CJK font (WenQuanYi Micro Hei, Apache-2.0; resources/fonts/README.md) and the
app's icon: Chinese renders on computers with no CJK font installed, frozen or not."""

from __future__ import annotations

from PySide6.QtGui import QFontDatabase, QGuiApplication, QIcon

from engine.resources import RESOURCES

CJK_FONT = RESOURCES / "fonts" / "wqy-microhei.ttc"
ICON = RESOURCES / "icons" / "batch-size-lab.png"
BASE_PT = 11.0  # the application font at display scale 1 (gui/window/scale.py)


def install_fonts_and_icon(app: QGuiApplication) -> list[str]:
    """Add the bundled font as the fallback for glyphs the system's font lacks; set the icon.
    Returns the font's families (empty if its file is missing or unreadable: then the
    system's own fallback, if any, draws Chinese)."""
    app.setWindowIcon(QIcon(str(ICON)))
    font_id = QFontDatabase.addApplicationFont(str(CJK_FONT))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if families:
        font = app.font()
        font.setFamilies([font.family(), families[0]])
        app.setFont(font)
    return list(families)
