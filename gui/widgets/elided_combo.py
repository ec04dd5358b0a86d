"""A combo box that ends a choice too long for it with "…" (and shows it whole in a tooltip)
instead of cutting it off mid-letter, as narrow docks at 1280×720 would."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QHelpEvent, QPaintEvent
from PySide6.QtWidgets import QComboBox, QStyle, QStyleOptionComboBox, QStylePainter, QToolTip, QWidget


class ElidedComboBox(QComboBox):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(8)

    def _text_rect_width(self, option: QStyleOptionComboBox) -> int:
        rect = self.style().subControlRect(
            QStyle.ComplexControl.CC_ComboBox, option, QStyle.SubControl.SC_ComboBoxEditField, self
        )
        return rect.width()

    def shown_text(self) -> str:
        """The current choice as painted: whole, or shortened with "…"."""
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        return self.fontMetrics().elidedText(
            self.currentText(), Qt.TextElideMode.ElideRight, self._text_rect_width(option)
        )

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 (Qt's name)
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        option.currentText = self.fontMetrics().elidedText(
            option.currentText, Qt.TextElideMode.ElideRight, self._text_rect_width(option)
        )
        painter.drawComplexControl(QStyle.ComplexControl.CC_ComboBox, option)
        painter.drawControl(QStyle.ControlElement.CE_ComboBoxLabel, option)

    def event(self, event: QEvent) -> bool:
        # The whole choice as a tooltip when it is cut short (the box's own tooltip otherwise).
        if event.type() == QEvent.Type.ToolTip and self.shown_text() != self.currentText():
            assert isinstance(event, QHelpEvent)
            own = self.toolTip()
            QToolTip.showText(event.globalPos(), self.currentText() + (f"\n\n{own}" if own else ""), self)
            return True
        return super().event(event)
