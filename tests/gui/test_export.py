"""Export from the window (Ctrl+E): the histories exactly as `main.py run --out` writes them for
the same config, and each view in use as PNG and SVG; written as a set, refused when the folder
holds other files."""

from __future__ import annotations

import json
import subprocess
import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QFileDialog

from tests.gui.helpers import run_to_end, wait_ready
from tests.helpers import ROOT


def test_ctrl_e_writes_the_cli_files_and_every_view(qtbot, window, tmp_path, monkeypatch) -> None:
    config = window.session.config.with_overrides(["epochs=2"])
    window.set_config(config)
    wait_ready(qtbot, window)
    run_to_end(qtbot, window)
    target = tmp_path / "export"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), ""))
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    names = sorted(p.name for p in target.iterdir())
    assert names == sorted(
        ["summary.json", "history.csv", "data.csv", "loss.png", "loss.svg", "paths.png", "paths.svg"]
    )
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
    image = QImage(str(target / "loss.png"))
    assert image.width() >= 1600 and image.height() > 300
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
