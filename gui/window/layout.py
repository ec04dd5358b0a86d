"""The window's frame: the two docked columns (controls, lesson) and the toolbar."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QLabel, QMainWindow, QScrollArea, QToolBar, QWidget

from gui.window.actions import Actions

CONTROLS_MIN_WIDTH = 300


def title_bar(dock: QDockWidget) -> QLabel:
    """The column's title in the window's font, bold (the style's own title bar draws it in
    the platform's small dock-title font, 9 px, which the display scale never reached)."""
    label = QLabel()
    label.setContentsMargins(6, 2, 6, 2)
    label.setTextFormat(Qt.TextFormat.RichText)
    dock.windowTitleChanged.connect(lambda title: label.setText(f"<b>{html.escape(title)}</b>"))
    return label


def add_dock(window: QMainWindow, name: str, widget: QWidget, scroll: bool) -> QDockWidget:
    """A movable column on the left holding `widget` (in a scroll area that fits its width)."""
    dock = QDockWidget()
    dock.setObjectName(name)
    if scroll:
        area = QScrollArea()
        area.setWidgetResizable(True)
        area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        area.setWidget(widget)
        dock.setWidget(area)
        dock.setMinimumWidth(CONTROLS_MIN_WIDTH)
    else:
        dock.setWidget(widget)
    dock.setFeatures(QDockWidget.DockWidgetFeature.DockWidgetMovable)
    dock.setTitleBarWidget(title_bar(dock))
    window.addDockWidget(Qt.DockWidgetArea.LeftDockWidgetArea, dock)
    return dock


def add_toolbar(window: QMainWindow, actions: Actions, groups: tuple[tuple[QWidget, ...], ...]) -> QToolBar:
    """The toolbar: the declared toolbar actions in their places, then each group of widgets
    (the lesson box, the speed, the language), separated."""
    bar = QToolBar()
    bar.setObjectName("mainToolbar")
    bar.setMovable(False)
    bar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    actions.add_to_toolbar(bar, actions.toolbar_ids())
    for group in groups:
        bar.addSeparator()
        for widget in group:
            bar.addWidget(widget)
    window.addToolBar(bar)
    return bar
