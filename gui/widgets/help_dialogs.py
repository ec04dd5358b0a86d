"""F1's cheat sheet of every shortcut, and the About box (versions and attributions)."""

from __future__ import annotations

import html
import platform
import sys
from importlib import metadata

from PySide6.QtCore import Qt, qVersion
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMessageBox, QVBoxLayout, QWidget

from engine import DATASETS
from engine.resources import APP_NAME, __version__
from gui.i18n import tr


def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str]]:
    """(keys, what they do) of every action with a shortcut, in the given order, each once."""
    rows: list[tuple[str, str]] = []
    for action in actions:
        keys = [
            k.toString(QKeySequence.SequenceFormat.NativeText) for k in action.shortcuts() if not k.isEmpty()
        ]
        if not keys:
            continue
        what = action.property("help_text") or action.text().replace("&", "").rstrip("…")
        rows.append((" / ".join(dict.fromkeys(keys)), what))
    return rows


class CheatSheet(QDialog):
    """Every shortcut of the window, read from its actions (so none can be missing)."""

    def __init__(self, parent: QWidget, actions: list[QAction]) -> None:
        super().__init__(parent)
        self.setObjectName("cheatSheet")
        self.setWindowTitle(tr("Keyboard shortcuts"))
        self.rows = shortcut_rows(actions)
        # Two columns of keys side by side, so the sheet fits a 720-px screen.
        half = (len(self.rows) + 1) // 2
        pairs = [self.rows[:half], self.rows[half:]]

        def cell(row: tuple[str, str] | None) -> str:
            if row is None:
                return "<td></td><td></td>"
            return (
                f"<td style='padding:2px 14px 2px 0'><b>{html.escape(row[0])}</b></td>"
                f"<td style='padding:2px 28px 2px 0'>{html.escape(row[1])}</td>"
            )

        cells = "".join(
            "<tr>" + cell(pairs[0][i]) + cell(pairs[1][i] if i < len(pairs[1]) else None) + "</tr>"
            for i in range(half)
        )
        note = tr("Keys act anywhere in the window except while you type in a field (Enter or Esc ends it).")
        label = QLabel(f"<table>{cells}</table>")  # unwrapped: its size hint is its whole height
        label.setObjectName("cheatSheetTable")
        label.setTextFormat(Qt.TextFormat.RichText)
        remark = QLabel(note)
        remark.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(remark)
        layout.addWidget(buttons)


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:  # a frozen bundle may carry no metadata
        module = sys.modules.get(package)
        return str(getattr(module, "__version__", "?"))


def about_text(device: str) -> str:
    """The About box's rich text: versions, device, data and font attributions."""
    versions = [
        f"{APP_NAME} {__version__}",
        f"PyTorch {_version('torch')}",
        f"Qt {qVersion()} (PySide6 {_version('PySide6-Essentials')})",
        f"pyqtgraph {_version('pyqtgraph')}",
        f"Python {platform.python_version()}",
        tr("Device: {device}").format(device=device or tr("not chosen yet")),
    ]
    data = [
        f"{html.escape(info.title)}: {html.escape(info.source)} ({info.licence})"
        for info in DATASETS.values()
        if info.licence
    ]
    data.append(
        html.escape(tr("Chinese font: WenQuanYi Micro Hei (the WenQuanYi Project), Apache License 2.0"))
    )
    what = tr("What the batch size does to training, seen as it happens.")
    heading = tr("Data and fonts")  # (not inside the f-string: lupdate would not find it)
    return (
        f"<h3>{APP_NAME}</h3><p>{html.escape(what)}</p>"
        f"<p>{'<br>'.join(html.escape(v) for v in versions)}</p>"
        f"<p><b>{html.escape(heading)}</b><br>{'<br>'.join(data)}</p>"
    )


def show_about(parent: QWidget, device: str) -> None:
    box = QMessageBox(parent)
    box.setObjectName("aboutBox")
    box.setWindowTitle(tr("About Batch Size Lab"))
    box.setTextFormat(Qt.TextFormat.RichText)
    box.setText(about_text(device))
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.open()
