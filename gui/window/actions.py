"""The window's commands, declared once: from this list come the menus, the toolbar's buttons,
the window-wide shortcuts and F1's cheat sheet, and retranslation walks the same list.

Every action belongs to the window itself as well, so its keys work while the menu bar is
hidden or the action is off the toolbar (presentation mode).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar

from gui.i18n import QT_TRANSLATE_NOOP

CONTEXT = "Actions"  # the translations' context of every text below
Key = QKeySequence | QKeySequence.StandardKey | Qt.Key | str
RUN_KEYS = 3  # keys 1, 2, 3 show or hide the first three runs (GD, SGD, mini-batch)
MENUS = (
    ("file", QT_TRANSLATE_NOOP("Actions", "&File")),
    ("edit", QT_TRANSLATE_NOOP("Actions", "&Edit")),
    ("run", QT_TRANSLATE_NOOP("Actions", "&Run")),
    ("view", QT_TRANSLATE_NOOP("Actions", "&View")),
    ("lesson", QT_TRANSLATE_NOOP("Actions", "&Lesson")),
    ("help", QT_TRANSLATE_NOOP("Actions", "&Help")),
)


@dataclass(frozen=True)
class Commands:
    """What the actions call (the window hands in its own and its rooms' methods)."""

    toggle_run: Callable[[], object]
    back: Callable[[], object]
    step: Callable[[], object]
    reset: Callable[[], object]
    change_speed: Callable[[int], object]
    scale_key: Callable[[int], object]
    open_scenario: Callable[[], object]
    save_scenario: Callable[[], object]
    copy_link: Callable[[], object]
    paste_link: Callable[[], object]
    export: Callable[[], object]
    write_script: Callable[[], object]
    close: Callable[[], object]
    undo: Callable[[], object]
    redo: Callable[[], object]
    restore_lesson_defaults: Callable[[], object]
    toggle_presentation: Callable[[], object]
    leave_presentation: Callable[[], object]
    show_strip: Callable[[bool], object]
    show_column: Callable[[bool], object]
    show_readout: Callable[[bool], object]
    next_language: Callable[[], object]
    toggle_run_shown: Callable[[int], object]
    step_lesson: Callable[[int], object]
    show_shortcuts: Callable[[], object]
    show_about: Callable[[], object]


@dataclass(frozen=True)
class ActionSpec:
    id: str
    text: str  # marked for translation in the "Actions" context
    slot: Callable[[bool], object]  # called with `checked` (False unless checkable)
    keys: tuple[Key, ...] = ()
    menu: str = ""  # one of MENUS, or "" for none
    toolbar: int = 0  # its place on the toolbar, from 1; 0: not there
    tip: str = ""  # the tooltip, naming the keys
    help: str = ""  # F1's description, if not the text
    checkable: bool = False
    button: str = ""  # a shorter text on the toolbar, if any
    separator_before: bool = False  # in its menu


def declare(c: Commands) -> tuple[ActionSpec, ...]:
    """Every action of the window, in menu order."""

    def toggle(row: int) -> Callable[[bool], object]:
        return lambda _: c.toggle_run_shown(row)

    run_keys = tuple(
        ActionSpec(
            f"show_run_{i + 1}",
            QT_TRANSLATE_NOOP("Actions", "Show or hide run {n} ({name})"),
            toggle(i),
            (str(i + 1),),
            "view",
            separator_before=i == 0,
        )
        for i in range(RUN_KEYS)
    )
    return (
        ActionSpec(
            "open",
            QT_TRANSLATE_NOOP("Actions", "Open…"),
            lambda _: c.open_scenario(),
            (QKeySequence.StandardKey.Open,),
            "file",
            5,
            QT_TRANSLATE_NOOP("Actions", "Open a saved scenario (Ctrl+O)"),
        ),
        ActionSpec(
            "save",
            QT_TRANSLATE_NOOP("Actions", "Save…"),
            lambda _: c.save_scenario(),
            (QKeySequence.StandardKey.Save,),
            "file",
            6,
            QT_TRANSLATE_NOOP(
                "Actions", "Save the experiment as it stands (settings, runs, lesson text, view) (Ctrl+S)"
            ),
        ),
        ActionSpec(
            "copy_link",
            QT_TRANSLATE_NOOP("Actions", "Copy link to experiment"),
            lambda _: c.copy_link(),
            ("Ctrl+Shift+C",),
            "file",
            tip=QT_TRANSLATE_NOOP(
                "Actions",
                "Copy the experiment as it stands as one line of text, for a slide or a message "
                "(Ctrl+Shift+C)",
            ),
            separator_before=True,
        ),
        ActionSpec(
            "paste_link",
            QT_TRANSLATE_NOOP("Actions", "Open link from clipboard"),
            lambda _: c.paste_link(),
            ("Ctrl+Shift+V",),
            "file",
            tip=QT_TRANSLATE_NOOP(
                "Actions", "Open the experiment whose link is on the clipboard, as Open does (Ctrl+Shift+V)"
            ),
        ),
        ActionSpec(
            "export",
            QT_TRANSLATE_NOOP("Actions", "Export…"),
            lambda _: c.export(),
            ("Ctrl+E",),
            "file",
            7,
            QT_TRANSLATE_NOOP(
                "Actions",
                "Write the histories (CSV, JSON) and every plot (PNG, SVG) to a new folder (Ctrl+E)",
            ),
            separator_before=True,
        ),
        ActionSpec(
            "script",
            QT_TRANSLATE_NOOP("Actions", "Lesson as PyTorch script…"),
            lambda _: c.write_script(),
            (),
            "file",
            tip=QT_TRANSLATE_NOOP(
                "Actions", "Write a standalone PyTorch script that reproduces this experiment's numbers"
            ),
        ),
        ActionSpec(
            "quit",
            QT_TRANSLATE_NOOP("Actions", "Quit"),
            lambda _: c.close(),
            (QKeySequence.StandardKey.Quit, "Ctrl+Q"),
            "file",
            separator_before=True,
        ),
        ActionSpec(
            "undo",
            QT_TRANSLATE_NOOP("Actions", "Undo"),
            lambda _: c.undo(),
            (QKeySequence.StandardKey.Undo,),
            "edit",
        ),
        ActionSpec(
            "redo",
            QT_TRANSLATE_NOOP("Actions", "Redo"),
            lambda _: c.redo(),
            ("Ctrl+Y", "Ctrl+Shift+Z"),
            "edit",
        ),
        ActionSpec(
            "defaults",
            QT_TRANSLATE_NOOP("Actions", "Restore lesson defaults"),
            lambda _: c.restore_lesson_defaults(),
            (),
            "edit",
            separator_before=True,
        ),
        ActionSpec(
            "run",
            QT_TRANSLATE_NOOP("Actions", "Run"),
            lambda _: c.toggle_run(),
            (Qt.Key.Key_Space,),
            "run",
            1,
            QT_TRANSLATE_NOOP("Actions", "Run or pause (Space)"),
            QT_TRANSLATE_NOOP("Actions", "Run, pause or resume; behind the head: play or pause the replay"),
        ),
        ActionSpec(
            "back",
            QT_TRANSLATE_NOOP("Actions", "Back"),
            lambda _: c.back(),
            (Qt.Key.Key_Left,),
            "run",
            2,
            QT_TRANSLATE_NOOP("Actions", "The playhead one iteration back, without recomputing (←)"),
            QT_TRANSLATE_NOOP("Actions", "Timeline: one iteration back, without recomputing"),
        ),
        ActionSpec(
            "step",
            QT_TRANSLATE_NOOP("Actions", "Step"),
            lambda _: c.step(),
            (Qt.Key.Key_Right,),
            "run",
            3,
            QT_TRANSLATE_NOOP("Actions", "One iteration of the finest run (→)"),
            QT_TRANSLATE_NOOP("Actions", "One iteration forward (replayed, or computed at the head)"),
        ),
        ActionSpec(
            "reset",
            QT_TRANSLATE_NOOP("Actions", "Reset"),
            lambda _: c.reset(),
            (Qt.Key.Key_R,),
            "run",
            4,
            QT_TRANSLATE_NOOP("Actions", "Back to iteration 0 (R)"),
            QT_TRANSLATE_NOOP("Actions", "Back to iteration 0"),
        ),
        ActionSpec(
            "slower",
            QT_TRANSLATE_NOOP("Actions", "Slower"),
            lambda _: c.change_speed(+1),
            (Qt.Key.Key_BracketLeft,),
            "run",
        ),
        ActionSpec(
            "faster",
            QT_TRANSLATE_NOOP("Actions", "Faster"),
            lambda _: c.change_speed(-1),
            (Qt.Key.Key_BracketRight,),
            "run",
        ),
        ActionSpec(
            "present",
            QT_TRANSLATE_NOOP("Actions", "Presentation mode"),
            lambda _: c.toggle_presentation(),
            ("F11",),
            "view",
            8,
            QT_TRANSLATE_NOOP("Actions", "Full screen, large plots, high contrast (F11; Esc leaves)"),
            checkable=True,
            button=QT_TRANSLATE_NOOP("Actions", "Present"),
        ),
        ActionSpec(
            "leave_present",
            QT_TRANSLATE_NOOP("Actions", "Leave presentation mode"),
            lambda _: c.leave_presentation(),
            (Qt.Key.Key_Escape,),
            "view",
        ),
        ActionSpec(
            "strip",
            QT_TRANSLATE_NOOP("Actions", "Batch strip: the samples of this epoch, batch by batch"),
            c.show_strip,
            ("B",),
            "view",
            checkable=True,
        ),
        ActionSpec(
            "column",
            QT_TRANSLATE_NOOP("Actions", "Side column (lesson and controls)"),
            c.show_column,
            ("L",),
            "view",
            checkable=True,
        ),
        ActionSpec(
            "readout",
            QT_TRANSLATE_NOOP("Actions", "Readout under the cursor"),
            c.show_readout,
            ("H",),
            "view",
            tip=QT_TRANSLATE_NOOP(
                "Actions",
                "Hover a plot to read each run's value there (H; off in presentation mode until pressed)",
            ),
            help=QT_TRANSLATE_NOOP(
                "Actions", "Readout under the cursor: each run's value or the loss at (w, b) by the mouse"
            ),
            checkable=True,
        ),
        ActionSpec(
            "language",
            QT_TRANSLATE_NOOP("Actions", "Next language (English, 中文)"),
            lambda _: c.next_language(),
            ("Ctrl+L",),
            "view",
        ),
        *run_keys,
        ActionSpec(
            "larger",
            QT_TRANSLATE_NOOP("Actions", "Larger text"),
            lambda _: c.scale_key(+1),
            (QKeySequence.StandardKey.ZoomIn, "Ctrl+="),
            "view",
            separator_before=True,
        ),
        ActionSpec(
            "smaller",
            QT_TRANSLATE_NOOP("Actions", "Smaller text"),
            lambda _: c.scale_key(-1),
            (QKeySequence.StandardKey.ZoomOut,),
            "view",
        ),
        ActionSpec(
            "auto_size",
            QT_TRANSLATE_NOOP("Actions", "Text size follows the window"),
            lambda _: c.scale_key(0),
            ("Ctrl+0",),
            "view",
        ),
        ActionSpec(
            "previous",
            QT_TRANSLATE_NOOP("Actions", "Previous lesson"),
            lambda _: c.step_lesson(-1),
            ("PgUp",),
            "lesson",
        ),
        ActionSpec(
            "next",
            QT_TRANSLATE_NOOP("Actions", "Next lesson"),
            lambda _: c.step_lesson(+1),
            ("PgDown",),
            "lesson",
        ),
        ActionSpec(
            "help",
            QT_TRANSLATE_NOOP("Actions", "Keyboard shortcuts"),
            lambda _: c.show_shortcuts(),
            (QKeySequence.StandardKey.HelpContents, "F1"),
            "help",
        ),
        ActionSpec(
            "about",
            QT_TRANSLATE_NOOP("Actions", "About Batch Size Lab"),
            lambda _: c.show_about(),
            (),
            "help",
        ),
    )


def translate(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


class Actions:
    """The window's QActions by id, its menus, and the toolbar's buttons, built from `declare`."""

    def __init__(self, window: QMainWindow, commands: Commands) -> None:
        self.specs = declare(commands)
        self.by_id: dict[str, QAction] = {}
        self.menus: dict[str, QMenu] = {}
        for spec in self.specs:
            action = QAction(window)
            # Each key once: a standard key may equal the one named beside it (F1, Ctrl+Q on
            # Linux), and an action holding a key twice is ambiguous, so it never fires.
            unique = {QKeySequence(k).toString(): QKeySequence(k) for k in spec.keys}
            action.setShortcuts([k for k in unique.values() if not k.isEmpty()])
            action.setCheckable(spec.checkable)
            action.triggered.connect(spec.slot)
            window.addAction(action)
            self.by_id[spec.id] = action
        for ident, _ in MENUS:
            self.menus[ident] = window.menuBar().addMenu("")
        for spec in self.specs:
            if spec.menu:
                if spec.separator_before:
                    self.menus[spec.menu].addSeparator()
                self.menus[spec.menu].addAction(self.by_id[spec.id])

    def __getitem__(self, ident: str) -> QAction:
        return self.by_id[ident]

    def add_to_toolbar(self, bar: QToolBar, ids: tuple[str, ...]) -> None:
        for ident in ids:
            bar.addAction(self.by_id[ident])

    def toolbar_ids(self) -> tuple[str, ...]:
        return tuple(spec.id for spec in sorted(self.specs, key=lambda s: s.toolbar) if spec.toolbar)

    def retranslate(self) -> None:
        for ident, title in MENUS:
            self.menus[ident].setTitle(translate(title))
        for spec in self.specs:
            action = self.by_id[spec.id]
            action.setText(translate(spec.text))
            if spec.help:
                action.setProperty("help_text", translate(spec.help))
            if spec.tip:
                action.setToolTip(translate(spec.tip))
            if spec.button:
                action.setIconText(translate(spec.button))

    def text_of(self, ident: str) -> str:
        """The translated text the action `ident` was declared with."""
        return translate(next(spec.text for spec in self.specs if spec.id == ident))

    def in_menus(self) -> list[QAction]:
        """Every action of the menus, in menu order (the cheat sheet's rows)."""
        return [a for menu in self.menus.values() for a in menu.actions() if not a.isSeparator()]
