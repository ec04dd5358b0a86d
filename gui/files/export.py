"""Export from the window (Ctrl+E): into one folder, as a set (engine's ResultsFolder: all files
or, after a failure, the folder as it was), the histories as `run --out` writes them
(summary.json, history.csv, data.csv) and a picture of each view in use, as PNG and SVG, made
by pyqtgraph's exporters."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pyqtgraph as pg
import pyqtgraph.exporters as exporters
from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

from engine import ResultsFolder, results_summary, write_results
from gui.files.feedback import Feedback
from gui.i18n import tr

if TYPE_CHECKING:
    from gui.session.controller import SessionController


# pyqtgraph 0.14.0's SVG exporter reads path data as "x,y" pairs and fails on the "Z" that
# Qt 6.11's QSvgGenerator ends a closed path with (pyqtgraph issue #3495, fixed after 0.14.0,
# the newest release here). Until the pin moves: drop those close commands before it reads the
# paths (the paths Qt writes end at their start point anyway, so nothing visible changes).
_svg_module = sys.modules["pyqtgraph.exporters.SVGExporter"]
_correct_coordinates = getattr(_svg_module, "correctCoordinates")  # noqa: B009 - no stubs


def _drop_close_commands(node) -> None:  # type: ignore[no-untyped-def]
    for child in node.childNodes:
        if getattr(child, "tagName", None) == "path":
            tokens = child.getAttribute("d").split()
            child.setAttribute("d", " ".join(t for t in tokens if t not in ("Z", "z")))
        _drop_close_commands(child)


def _tolerant_correct_coordinates(node, defs, item, options):  # type: ignore[no-untyped-def]
    _drop_close_commands(node)
    return _correct_coordinates(node, defs, item, options)


if pg.__version__ == "0.14.0":
    setattr(_svg_module, "correctCoordinates", _tolerant_correct_coordinates)  # noqa: B010 - a patch


def _picture(item: pg.PlotItem, svg: bool):  # type: ignore[no-untyped-def]
    def write(path: Path) -> None:
        exporter = exporters.SVGExporter(item) if svg else exporters.ImageExporter(item)
        if not svg:
            # At least 1 600 px wide: sharp on a projector and in a paper.
            width = max(1600, int(item.sceneBoundingRect().width()))
            exporter.parameters()["width"] = width
        exporter.export(str(path))

    return write


def export_to(
    target: Path, session: SessionController, plots: dict[str, pg.PlotItem], feedback: Feedback
) -> bool:
    """Write the session's results and a picture of each of `plots` (by the name its files
    take: engine's VIEW_NAMES) into `target`; a sentence in the message bar when it cannot."""
    progress = session.last_progress
    if session.config is None or progress is None:
        return False
    try:
        folder = ResultsFolder(target)
    except ValueError as exc:
        feedback.show_message(
            tr("Could not export to {folder}: {reason}.").format(folder=target.name, reason=exc)
        )
        return False
    try:
        setup = session.setup
        summary = results_summary(session.config, setup.device if setup else "", progress)
        names = setup.param_names if setup is not None else ()
        data = setup.data if setup is not None else {}
        sweep = progress.measurements.get("sweep")  # a sweep still running: its rows so far
        write_results(folder, summary, dict(session.histories), names, data, sweep)
        for name, item in plots.items():
            folder.write_file(f"{name}.png", _picture(item, svg=False))
            folder.write_file(f"{name}.svg", _picture(item, svg=True))
        folder.commit()
    except (OSError, ValueError) as exc:
        feedback.show_message(
            tr("Could not export to {folder}; nothing was changed ({reason}).").format(
                folder=target.name, reason=exc
            )
        )
        return False
    finally:
        folder.discard()
    feedback.show_message("")
    feedback.note(
        tr("Exported {files} to {folder}.").format(files=", ".join(folder.written), folder=target), 8000
    )
    return True


def choose_folder(parent: QWidget, name: str) -> Path | None:
    """Ask where to export (a new folder named after `name`, in Documents, suggested)."""
    start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    path, _ = QFileDialog.getSaveFileName(
        parent, tr("Export to a new folder"), str(Path(start) / f"{name}-export")
    )
    return Path(path) if path else None
