"""The engine's rooms: every module imports on its own (no import circle), and the session
runs the instruments the registry names, each at the time it says."""

import subprocess
import sys
from pathlib import Path

import pytest

from engine import ExperimentConfig, RunSpec, run_session
from engine.config import MEASUREMENTS
from engine.control import SessionControl
from engine.instruments import INSTRUMENTS

ROOT = Path(__file__).resolve().parents[2]
MODULES = sorted(
    ".".join(p.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
    for p in (ROOT / "engine").rglob("*.py")
)


def test_every_engine_module_imports_first_in_a_fresh_interpreter():
    # A circle shows up as an ImportError ("partially initialized module") when the module
    # on the circle is the first one imported; so import each one first, in its own process.
    script = (
        "import importlib, sys\n"
        "for name in sys.argv[1:]:\n"
        "    for loaded in [m for m in sys.modules if m == 'engine' or m.startswith('engine.')]:\n"
        "        del sys.modules[loaded]\n"
        "    importlib.import_module(name)\n"
        "assert not any(m.startswith(('PySide6', 'pyqtgraph')) for m in sys.modules)\n"
    )
    assert len(MODULES) > 20
    done = subprocess.run([sys.executable, "-c", script, *MODULES], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-2000:]


def test_the_registry_knows_every_instrument_a_config_may_ask_for():
    assert set(INSTRUMENTS) == set(MEASUREMENTS)
    assert {INSTRUMENTS["gradient_noise"].when, INSTRUMENTS["basins"].when} == {"before", "after"}


@pytest.mark.parametrize("name", MEASUREMENTS)
def test_an_instrument_reports_as_its_own_task_before_or_after_training(name):
    network = name in ("sweep", "landscape")  # networks; the others the two-line problem
    config = ExperimentConfig(
        problem="network" if network else "two_lines",
        dataset="digits",
        n_samples=200 if network else 40,
        epochs=2,
        lr=0.05,
        measure=(name,),
        measure_seeds=2,
        runs=(RunSpec("GD", batch_size="full"), RunSpec("SGD", batch_size=4)),
        sweep={"batch_sizes": [16, 64], "seeds": 1},
    )
    order: list[str] = []
    control = SessionControl(report=lambda task, done: order.append(task) if done == 0.0 else None)
    trained_before: list[int] = []
    for progress in run_session(config, control):
        if progress.measurements and not trained_before:
            trained_before.append(max(r.iteration for r in progress.runs))
    assert name in progress.measurements
    assert name in order
    # "before": measured while every run is still at iteration 0; "after": once all are done.
    expected = 0 if INSTRUMENTS[name].when == "before" else max(r.iterations for r in progress.results)
    assert trained_before == [expected]


def test_each_problem_records_the_loss_the_registry_names_before_it_is_built():
    import importlib

    from engine.problems import LOSS_NAMES, REGISTRY

    assert set(LOSS_NAMES) == set(REGISTRY)
    for name, (module, cls) in REGISTRY.items():
        assert getattr(importlib.import_module(module), cls).loss_name == LOSS_NAMES[name], name
