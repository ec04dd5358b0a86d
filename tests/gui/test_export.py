"""Export from the window (Ctrl+E): the histories exactly as `main.py run --out` writes them for
the same config, and each view in use as a column figure, a slide (PNG) and SVG; written as a
set, by a background job, refused when the folder holds other files; the slide's legend is
readable at half size."""

from __future__ import annotations

import json
import subprocess
import sys
import threading

import numpy as np
import pyqtgraph.exporters as exporters
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog

from gui.files import export, pictures, svg_picture
from tests.gui.helpers import HANG_MS, run_to_end, wait_ready
from tests.helpers import ROOT

VIEW_FILES = ("{}.png", "{}-slide.png", "{}.svg")


def _pixels(image: QImage) -> np.ndarray:
    """An image's pixels as an (height, width, 3) array of 0..255."""
    image = image.convertToFormat(QImage.Format.Format_RGB32)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine() // 4, 4)
    return rows[:, : image.width(), :3].astype(int)


def _runs(rows: np.ndarray) -> list[tuple[int, int]]:
    """The runs of True in `rows`, as (first row, height)."""
    runs, start = [], None
    for i, on in enumerate([*rows, False]):
        if on and start is None:
            start = i
        elif not on and start is not None:
            runs.append((start, i - start))
            start = None
    return runs


def test_ctrl_e_writes_the_cli_files_and_every_view(qtbot, window, tmp_path, monkeypatch) -> None:
    config = window.session.config.with_overrides(["epochs=2"])
    window.set_config(config)
    wait_ready(qtbot, window)
    run_to_end(qtbot, window)
    target = tmp_path / "export"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.activateWindow()
    with qtbot.waitSignal(window.files.exports.finished, timeout=HANG_MS) as done:
        qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert done.args == [True]
    names = sorted(p.name for p in target.iterdir())
    pictures_ = [f.format(view) for view in ("loss", "paths") for f in VIEW_FILES]
    assert names == sorted(["summary.json", "history.csv", "data.csv", *pictures_])
    assert "Exported summary.json" in window.statusBar().currentMessage()
    # The same config headless: the same history and data, row for row; the same results.
    scenario = tmp_path / "config.json"
    scenario.write_text(json.dumps(config.to_dict()))
    cli = tmp_path / "cli"
    out = subprocess.run(
        [sys.executable, "main.py", "run", str(scenario), "--out", str(cli)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert (target / "data.csv").read_text() == (cli / "data.csv").read_text()
    ours, theirs = (f.read_text().splitlines() for f in (target / "history.csv", cli / "history.csv"))
    assert ours[0] == theirs[0] and len(ours) == len(theirs)
    # Every column but the compute time (wall_time_s), which differs from run to run.
    time_col = ours[0].split(",").index("wall_time_s")

    def strip(rows: list[str]) -> list[list[str]]:
        return [r.split(",")[:time_col] + r.split(",")[time_col + 1 :] for r in rows]

    assert strip(ours) == strip(theirs)
    mine, cli_summary = (json.loads((d / "summary.json").read_text()) for d in (target, cli))
    assert mine["config"] == cli_summary["config"]
    for a, b in zip(mine["runs"], cli_summary["runs"], strict=True):
        assert (a["label"], a["iterations"], a["final_loss"], a["final_params"]) == (
            b["label"], b["iterations"], b["final_loss"], b["final_params"],
        )  # fmt: skip
    for name in ("loss", "paths"):  # a column-wide figure and a 16:9 slide, to the pixel
        assert QImage(str(target / f"{name}.png")).size().toTuple() == (1000, 750)
        assert QImage(str(target / f"{name}-slide.png")).size().toTuple() == (1920, 1080)
        # Placed in a document: 8.5 cm (a column) wide, and a 13.33 in (16:9) slide wide.
        assert round(QImage(str(target / f"{name}.png")).dotsPerMeterX() * 0.0254) == 300
        assert round(QImage(str(target / f"{name}-slide.png")).dotsPerMeterX() * 0.0254) == 144
    assert (target / "paths.svg").read_text().lstrip().startswith("<?xml") and "<svg" in (
        target / "paths.svg"
    ).read_text()


def test_a_folder_with_other_files_is_refused_and_kept(qtbot, window, tmp_path) -> None:
    wait_ready(qtbot, window)
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("mine")
    assert not window.files.export_to(target)
    assert "holds other files" in window.plots.message.text()
    assert [p.name for p in target.iterdir()] == ["notes.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine"]  # no staging folder left


def test_ctrl_e_before_anything_is_drawn_says_so_and_asks_nothing(qtbot, window, monkeypatch) -> None:
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: asked.append(a) or ("", ""))
    window.session.last_progress = None  # as while the data and the surface are being prepared
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert asked == [] and "Nothing to export yet" in window.statusBar().currentMessage()


def test_the_slide_has_a_legend_readable_at_half_size_and_no_empty_band(qtbot, window, tmp_path) -> None:
    wait_ready(qtbot, window)
    target = tmp_path / "slides"
    with qtbot.waitSignal(window.files.exports.finished, timeout=HANG_MS) as done:
        assert window.files.export_to(target)
    assert done.args == [True]
    item = window.plots.exported_plots()["loss"]
    before = window.plots.grab().toImage()
    ranges = item.getViewBox().viewRange()
    # The legend's text is what differs from the same picture with its labels made invisible.
    labels = [label for _, label in item.legend.items]
    assert labels
    for label in labels:
        label.setOpacity(0.0)
    try:
        unlabelled = _pixels(pictures.render_png(item, pictures.SLIDE))
    finally:
        for label in labels:
            label.setOpacity(1.0)
    slide = _pixels(QImage(str(target / "loss-slide.png")))
    assert slide.shape == (1080, 1920, 3)
    text_rows = _runs((slide != unlabelled).any(axis=(1, 2)))
    assert text_rows, "no legend text in the slide"
    first_row, height = text_rows[0]
    # The first row of labels ("GD", "SGD", "Mini-batch"): capitals and ascenders at least
    # 2.5 % of the slide's height (27 px; 13.5 px at half size). Before: 14 px in a taller
    # 1 600 px picture.
    assert height >= 0.025 * 1080, text_rows
    # The legend ends the picture: no empty band below it (it was 15 % of the height).
    drawn = _runs((slide < 250).any(axis=(1, 2)))
    assert drawn[-1][0] + drawn[-1][1] >= 0.93 * 1080, drawn[-3:]
    assert first_row > 0.75 * 1080  # the legend is below the plot, as in the window
    # Drawing the pictures left the window as it was: same view, same pixels.
    assert item.getViewBox().viewRange() == ranges
    assert window.plots.grab().toImage() == before


def test_svg_is_what_pyqtgraphs_exporter_writes(qtbot, window) -> None:
    """The SVG is painted on the GUI thread and finished in the worker: byte for byte the same."""
    wait_ready(qtbot, window)
    for item in window.plots.exported_plots().values():
        exporter = exporters.SVGExporter(item)
        options = {child.name(): child.value() for child in exporter.parameters().children()}
        theirs = exporter.export(toBytes=True)
        parts = svg_picture.paint_svg(item, options)
        mine = threading_result(lambda parts=parts: svg_picture.finish_svg(parts))
        assert mine == theirs


def threading_result(work):  # type: ignore[no-untyped-def]
    """`work()` run in another thread, as the export's job runs it."""
    result = []
    thread = threading.Thread(target=lambda: result.append(work()))
    thread.start()
    thread.join()
    return result[0]


def test_the_files_are_written_off_the_gui_thread_after_export_returns(
    qtbot, window, tmp_path, monkeypatch
) -> None:
    wait_ready(qtbot, window)
    threads = []
    real = export.write_results

    def write_results(*args):  # type: ignore[no-untyped-def]
        threads.append(threading.current_thread())
        return real(*args)

    monkeypatch.setattr(export, "write_results", write_results)
    target = tmp_path / "later"
    with qtbot.waitSignal(window.files.exports.finished, timeout=HANG_MS) as done:
        assert window.files.export_to(target)
        # Returned at once: the pictures are drawn on later passes of the event loop.
        assert not target.exists() and "Exporting to" in window.statusBar().currentMessage()
    assert done.args == [True]
    assert threads and threads[0] is not threading.main_thread()
    assert (target / "summary.json").is_file() and (target / "loss-slide.png").is_file()
    # One export at a time: a second while one is under way is declined in a note.
    with qtbot.waitSignal(window.files.exports.finished, timeout=HANG_MS):
        assert window.files.export_to(tmp_path / "one")
        assert not window.files.export_to(tmp_path / "two")
        assert "Still exporting to one" in window.statusBar().currentMessage()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["later", "one"]


def test_a_failure_while_writing_says_so_and_leaves_nothing(qtbot, window, tmp_path, monkeypatch) -> None:
    wait_ready(qtbot, window)

    def full_disk(*args):  # type: ignore[no-untyped-def]
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export, "write_results", full_disk)
    target = tmp_path / "full"
    with qtbot.waitSignal(window.files.exports.finished, timeout=HANG_MS) as done:
        assert window.files.export_to(target)
    assert done.args == [False]
    message = window.plots.message.text()
    assert "Could not export to full; nothing was changed" in message and "No space left" in message
    assert list(tmp_path.iterdir()) == []  # no folder, no staging folder


def test_closing_the_window_during_an_export_leaves_nothing(qtbot, window, tmp_path, monkeypatch) -> None:
    wait_ready(qtbot, window)
    writing, go_on = threading.Event(), threading.Event()
    real = export.write_results

    def write_results(*args):  # type: ignore[no-untyped-def]
        writing.set()
        go_on.wait(HANG_MS / 1000)
        return real(*args)

    monkeypatch.setattr(export, "write_results", write_results)
    assert window.files.export_to(tmp_path / "writing")
    qtbot.waitUntil(writing.is_set, timeout=HANG_MS)  # the job is writing the files
    with qtbot.waitSignal(window.closed, timeout=HANG_MS):
        window.close()  # the job is told to stop; the window waits for it, hidden
        go_on.set()
    assert list(tmp_path.iterdir()) == []


def test_closing_the_window_while_the_pictures_are_drawn_leaves_nothing(qtbot, window, tmp_path) -> None:
    wait_ready(qtbot, window)
    assert window.files.export_to(tmp_path / "drawing")
    (staged,) = tmp_path.iterdir()
    assert staged.name.endswith(".partial")  # staged; the pictures come on later passes
    with qtbot.waitSignal(window.closed, timeout=HANG_MS):
        window.close()
    assert list(tmp_path.iterdir()) == []  # and a drawing step still queued does nothing
