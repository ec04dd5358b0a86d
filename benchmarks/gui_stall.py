"""GUI stall probe: the longest gap of a 10 ms timer on the GUI thread during a full-speed run.

Run by benchmarks/run.py in its own process (Qt offscreen). Prints one JSON line.
Three runs of `--iterations` steps each (drawing with replacement, B = 1, 8 and 64) are
trained at full speed while the window draws their paths and loss curves.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--iterations", type=int, default=100_000)
    args = parser.parse_args()

    import pyqtgraph as pg
    from gap_probe import GapProbe
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from engine import ExperimentConfig, RunSpec
    from gui.window.main_window import MainWindow

    pg.setConfigOptions(antialias=True, imageAxisOrder="row-major")
    app = QApplication([sys.argv[0]])
    window = MainWindow()
    window.resize(1600, 900)
    window.show()
    per_epoch = 1000
    config = ExperimentConfig(
        n_samples=1000,
        noise=0.3,
        feature_shift=0.5,
        start=(-1.0, 2.5),
        lr=0.02,
        epochs=max(args.iterations // per_epoch, 1),
        sampling="replacement",
        batches_per_epoch=per_epoch,
        device="cpu",
        runs=(RunSpec("SGD", 1), RunSpec("B8", 8), RunSpec("B64", 64)),
    )
    probe = GapProbe()
    t0 = [0.0]

    def start() -> None:
        window.set_config(config)
        window.speed.setCurrentIndex(0)  # full speed
        window.session.toggle_run()
        t0[0] = time.perf_counter()
        probe.start()

    def done() -> None:
        if not t0[0] or window.session.config is not config or not window.session.finished:
            return  # the preset's session, replaced by ours
        elapsed = time.perf_counter() - t0[0]
        probe.stop()
        gaps = probe.gaps
        labels = ("SGD", "B8", "B64")
        recorded = {label: len(window.session.histories[label]) for label in labels}
        points = {label: len(window.plots.contour.path_data(label)[0]) for label in labels}
        print(
            json.dumps(
                {
                    "gui_stall_s": max(gaps) if gaps else None,
                    "gap_p99_s": sorted(gaps)[int(0.99 * (len(gaps) - 1))] if gaps else None,
                    "probes": len(gaps),
                    "run_s": elapsed,
                    "path_points": recorded,  # rows of each path
                    "points_drawn": points,  # after dropping points that stay in one pixel
                }
            ),
            flush=True,
        )
        window.close()
        app.quit()

    window.session_finished.connect(done)
    # Start once the preset's first session is ready: its start-up (importing torch and
    # torch._dynamo, several seconds once per process) is not part of a run.
    ready = QTimer(interval=50)

    def start_when_ready() -> None:
        if window.session.last_progress is not None:
            ready.stop()
            start()

    ready.timeout.connect(start_when_ready)
    ready.start()
    app.exec()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
