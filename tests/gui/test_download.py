"""A network's missing images fetched from the window: a button, progress, then the run."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from engine import DATASETS, ExperimentConfig, RunSpec
from tests.helpers import serving, small_idx_set


@pytest.fixture
def small_mnist(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """An empty cache and a local server holding a small MNIST-shaped set (600 + 100 images)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    sums = small_idx_set(tmp_path / "srv", train=600, val=100)
    info = DATASETS["mnist"]
    files = {role: (name, sums[name]) for role, (name, _) in info.files.items()}
    with serving(tmp_path / "srv") as url:
        small = dataclasses.replace(info, train_size=600, val_size=100, files=files, mirror=url)
        monkeypatch.setitem(DATASETS, "mnist", small)
        yield tmp_path / "srv"


def mnist_config() -> ExperimentConfig:
    return ExperimentConfig(
        problem="network",
        dataset="mnist",
        n_samples=200,
        epochs=1,
        lr=0.1,
        device="cpu",
        runs=(RunSpec("B50", 50),),
    )


def test_missing_images_are_downloaded_from_the_window_and_the_run_starts(qtbot, window, small_mnist) -> None:
    window.set_config(mnist_config())
    qtbot.waitUntil(lambda: window.plots.download_button.isVisible(), timeout=30_000)
    assert "not on this computer" in window.plots.message.text()
    assert window.plots.download_button.text() == "Download mnist now"
    window.plots.download_button.click()
    qtbot.waitUntil(lambda: window.session.last_progress is not None, timeout=60_000)
    assert not window.plots.message.isVisible() and not window.plots.download_button.isVisible()
    assert window.plots.accuracy.isVisibleTo(window)


def test_a_failed_download_says_why_and_can_be_tried_again(qtbot, window, small_mnist) -> None:
    (small_mnist / DATASETS["mnist"].files["val_images"][0]).unlink()  # the server answers 404
    window.set_config(mnist_config())
    qtbot.waitUntil(lambda: window.plots.download_button.isVisible(), timeout=30_000)
    window.plots.download_button.click()
    qtbot.waitUntil(lambda: "refused a file" in window.plots.message.text(), timeout=30_000)
    assert window.plots.download_button.isVisible() and window.plots.download_button.isEnabled()
    assert window.session.last_progress is None


def test_a_download_that_fails_after_the_lesson_changed_can_still_be_tried_again(
    qtbot, window, small_mnist, monkeypatch
) -> None:
    import threading

    import gui.session.downloader as downloader
    from engine import DataError

    release = threading.Event()

    def held_then_offline(name: str) -> None:
        release.wait(30)  # held until a new session has started under the download
        raise DataError("mnist could not be fetched: the computer is offline", "mnist", "offline")

    monkeypatch.setattr(downloader, "download", held_then_offline)
    window.set_config(mnist_config())
    qtbot.waitUntil(lambda: window.plots.download_button.isVisible(), timeout=30_000)
    window.plots.download_button.click()
    window.set_config(mnist_config())  # a new session (it fails too: still no images)
    qtbot.waitUntil(lambda: window.session.finished, timeout=30_000)
    release.set()
    qtbot.waitUntil(lambda: not window.views.downloading(), timeout=30_000)
    assert window.plots.message.isVisible()
    assert window.plots.download_button.isVisible() and window.plots.download_button.isEnabled()
