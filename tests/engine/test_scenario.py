"""Scenario files: a save/open round trip keeps everything; bad files are refused with one
sentence and change nothing; writes are atomic; the CLI runs a scenario like a preset."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from engine import FORMAT_VERSION, Scenario, load_preset, load_scenario, save_scenario, scenario_of

ROOT = Path(__file__).resolve().parents[2]


def lesson(**view: object) -> Scenario:
    preset = load_preset("gd-sgd-minibatch")
    config = preset.config.with_overrides(["epochs=2", "runs.SGD.batch_size=4"])
    return scenario_of(preset, config, dict(view))


def test_a_round_trip_keeps_config_texts_and_view(tmp_path: Path) -> None:
    scenario = lesson(x_axis="samples_seen", log_x=True, log_y=False, smoothing=0.5, hidden_runs=["GD"])
    path = tmp_path / "my lesson.json"
    save_scenario(path, scenario)
    back = load_scenario(path)
    assert back.preset.config == scenario.preset.config
    assert back.preset.config.batch_size_of(back.preset.config.runs[1]) == 4
    assert (back.preset.title, back.preset.explanation) == (
        scenario.preset.title,
        scenario.preset.explanation,
    )
    assert back.preset.key_points == scenario.preset.key_points and back.preset.speed == scenario.preset.speed
    assert back.view == scenario.view
    data = json.loads(path.read_text(encoding="utf-8"))
    assert (
        data["format_version"] == FORMAT_VERSION and "同一" in data["title"]["zh"]
    )  # UTF-8, not \\u escapes
    assert os.listdir(tmp_path) == ["my lesson.json"]  # no temporary left behind


def test_presets_and_bare_configs_open_as_format_zero(tmp_path: Path) -> None:
    preset = load_scenario(ROOT / "resources" / "presets" / "lr-scaling.json")
    assert preset.preset.config == load_preset("lr-scaling").config and preset.view == {}
    bare = tmp_path / "bare.json"
    bare.write_text(json.dumps({"epochs": 3, "runs": [{"label": "A", "batch_size": 8}]}))
    assert load_scenario(bare).preset.config.epochs == 3


def write(tmp_path: Path, text: str | bytes, name: str = "s.json") -> Path:
    path = tmp_path / name
    path.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return path


def good_text() -> str:
    from engine.scenario import scenario_dict

    return json.dumps(scenario_dict(lesson(x_axis="epoch")), ensure_ascii=False, indent=2)


@pytest.mark.parametrize(
    ("make", "says"),
    [
        (lambda: "", "is empty"),
        (lambda: good_text()[: len(good_text()) // 2], "is not valid JSON"),  # cut short
        (lambda: b"\xff\xfe{}", "is not UTF-8 text"),
        (lambda: "[1, 2]", "must hold a JSON object"),
        (lambda: good_text().replace('"format_version": 1', '"format_version": 2'), "newer Batch Size Lab"),
        (lambda: good_text().replace('"format_version": 1', '"format_version": "1"'), "format_version"),
        (lambda: good_text().replace('"x_axis": "epoch"', '"x_axis": "loss"'), "view.x_axis must be one of"),
        (lambda: good_text().replace('"x_axis": "epoch"', '"zoom": 2'), "no setting called 'zoom'"),
        (lambda: good_text().replace('"x_axis": "epoch"', '"smoothing": 1'), "view.smoothing"),
        (lambda: good_text().replace('"x_axis": "epoch"', '"hidden_runs": ["B7"]'), "labels of the scenario"),
        (lambda: good_text().replace('"epochs": 2', '"epochs": 0'), "epochs must be a whole number"),
    ],
)
def test_bad_files_are_refused_with_one_sentence(tmp_path: Path, make, says: str) -> None:
    path = write(tmp_path, make())
    with pytest.raises(ValueError) as caught:
        load_scenario(path)
    message = str(caught.value)
    assert says in message and "s.json" in message and "\n" not in message, message


def test_a_failed_write_leaves_the_previous_file(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "kept.json"
    save_scenario(path, lesson(x_axis="epoch"))
    before = path.read_bytes()

    def full_disk(*_args, **_kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(ValueError, match="No space left on device; nothing was changed"):
        save_scenario(path, lesson(x_axis="iteration"))
    assert path.read_bytes() == before and os.listdir(tmp_path) == ["kept.json"]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_save_never_replaces_a_device_or_a_pipe_and_keeps_a_link(tmp_path: Path) -> None:
    # A rename over them would put a regular file in their place (as root: /dev/null).
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    with pytest.raises(ValueError, match="not a regular file"):
        save_scenario(fifo, lesson())
    assert fifo.is_fifo()
    if Path("/dev/null").exists() and os.access("/dev/null", os.W_OK):
        with pytest.raises(ValueError, match="not a regular file"):
            save_scenario(Path("/dev/null"), lesson())
        assert Path("/dev/null").is_char_device()
    target = tmp_path / "real.json"
    target.write_text("{}")
    link = tmp_path / "link.json"
    link.symlink_to(target)
    save_scenario(link, lesson(x_axis="epoch"))
    assert link.is_symlink() and load_scenario(target).view["x_axis"] == "epoch"
    assert sorted(os.listdir(tmp_path)) == ["link.json", "pipe.json", "real.json"]


def test_unwritable_places_and_bad_views_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="it is a folder"):
        save_scenario(tmp_path, lesson())
    with pytest.raises(ValueError, match="cannot save"):
        save_scenario(tmp_path / "no such folder" / "s.json", lesson())
    with pytest.raises(ValueError, match=r"view\.log_y must be true or false"):
        save_scenario(tmp_path / "s.json", lesson(log_y="yes"))
    assert os.listdir(tmp_path) == []


def test_the_cli_runs_a_scenario_and_refuses_a_newer_one(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    save_scenario(path, lesson())
    out = subprocess.run(
        [sys.executable, "main.py", "run", str(path), "--out", str(tmp_path / "out")],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert {r["label"]: r["iterations"] for r in summary["runs"]}["SGD"] == 2 * 250  # N = 1000, B = 4
    newer = write(
        tmp_path, path.read_text().replace('"format_version": 1', '"format_version": 9'), "new.json"
    )
    out = subprocess.run(
        [sys.executable, "main.py", "run", str(newer)], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert out.returncode == 2 and "newer Batch Size Lab" in out.stderr
    assert len(out.stderr.strip().splitlines()) == 1
