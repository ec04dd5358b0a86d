"""The batch-size sweep (engine/instruments/sweep.py), checked against references of its own:
each figure against a session of that run alone, the memory against its line, the timing
never inside a stack, the refusals without a step, the noise scale against a plain loop."""

from __future__ import annotations

import dataclasses
import math
import threading
import time

import numpy as np
import pytest
import torch

import engine.instruments.batch_cost as batch_cost
from engine import ConfigError, ExperimentConfig, RunSpec, SessionControl, SweepResult, run_session
from engine.instruments.noise_scale import noise_scale
from engine.instruments.sweep import lr_for, target_crossing
from engine.instruments.sweep_result import SWEEP_COLUMNS
from engine.problems import make_problem
from engine.seeds import derive_seed
from engine.training.stack import RunStack


def sweep_config(**sweep: object) -> ExperimentConfig:
    settings = {"batch_sizes": [16, 64, 256], "seeds": 2, "target_accuracy": 0.6} | sweep
    return ExperimentConfig(
        problem="network",
        dataset="digits",
        n_samples=400,
        epochs=3,
        lr=0.1,
        device="cpu",
        runs=(RunSpec("B32", 32),),
        measure=("sweep",),
        sweep=settings,
    )


def sweep_of(
    config: ExperimentConfig, control: SessionControl | None = None
) -> tuple[list[SweepResult], bool]:
    partials: list[SweepResult] = []
    stopped = False
    for p in run_session(config, control):
        found = p.measurements.get("sweep")
        if found is not None and (not partials or found is not partials[-1]):
            partials.append(found)
        stopped = p.stopped
    return partials, stopped


@pytest.fixture(scope="module")
def swept() -> tuple[ExperimentConfig, SweepResult, list[SweepResult]]:
    config = sweep_config()
    partials, stopped = sweep_of(config)
    assert not stopped
    return config, partials[-1], partials


def test_every_size_and_seed_has_a_row_with_every_column(swept):
    config, sweep, _ = swept
    assert sweep.finished
    assert {(r.batch_size, r.seed) for r in sweep.rows} == {(b, s) for b in (16, 64, 256) for s in (0, 1)}
    for row in sweep.rows:
        assert set(row.to_dict()) == set(SWEEP_COLUMNS)
        assert row.status in ("ok", "target_not_reached", "diverged")
        assert row.seconds_per_epoch > 0 and row.samples_per_s > 0
        assert row.lr == pytest.approx(config.lr)  # lr_rule "fixed"


def test_each_row_equals_that_run_trained_alone(swept):
    """The statistical figures do not depend on the stacking: a session of the one run, with
    the seed the row names, gives the same final loss and accuracy and the same crossing."""
    config, sweep, _ = swept
    for row in (r for r in sweep.rows if r.batch_size in (16, 256)):
        alone = dataclasses.replace(
            config,
            seed=row.seed,
            runs=(RunSpec(f"B{row.batch_size}", row.batch_size, lr=row.lr),),
            measure=(),
        )
        *_, last = run_session(alone)
        result = last.results[0]
        assert row.final_train_loss == pytest.approx(result.final_loss, rel=1e-5)
        assert row.val_accuracy == pytest.approx(result.per_epoch[-1]["val_accuracy"])
        crossing = target_crossing(result.per_epoch, ("val_accuracy", 0.6))
        if crossing is None:
            assert row.status == "target_not_reached" and row.steps_to_target is None
        else:
            assert row.steps_to_target == pytest.approx(crossing[0], rel=1e-6)
            assert row.epochs_to_target == pytest.approx(
                crossing[0] / config.iterations_per_epoch(alone.runs[0])
            )
            assert row.seconds_to_target == pytest.approx(row.epochs_to_target * row.seconds_per_epoch)


def test_memory_rises_with_the_batch_and_lies_on_its_line(swept):
    _, sweep, _ = swept
    costs = {c.batch_size: c for c in sweep.costs}
    assert costs[16].memory_bytes < costs[64].memory_bytes < costs[256].memory_bytes
    line = sweep.memory_line
    assert line is not None and line.per_sample > 0
    # The line comes from B = 16 and 64; B = 256 is measured on its own and lies on it exactly
    # (every part but the fixed ones grows in proportion to B).
    assert costs[256].memory_bytes == pytest.approx(line.predict(256), rel=1e-9)


def test_the_fit_and_the_noise_scale_are_reported(swept):
    _, sweep, partials = swept
    data = sweep.to_dict()
    assert data["b_simple"]["start"] is not None and data["b_simple"]["start"] > 0
    assert data["b_simple"]["midway"] is not None
    assert partials[0].phase == "memory" and partials[-1].phase == "done"
    phases = [p.phase for p in partials]
    assert phases.index("timing") < phases.index("training") < phases.index("done")
    reached = {r.batch_size for r in sweep.rows if r.status == "ok"}
    if len(reached) >= 2:
        assert sweep.steps_fit is not None and data["fit"]["points"] == sum(
            r.status == "ok" for r in sweep.rows
        )


def test_target_crossing_interpolates_between_the_bracketing_epochs():
    per_epoch = [
        {"iteration": 0, "samples_seen": 0, "val_accuracy": 0.1, "train_loss": 2.0},
        {"iteration": 10, "samples_seen": 100, "val_accuracy": 0.5, "train_loss": 1.0},
        {"iteration": 20, "samples_seen": 200, "val_accuracy": 0.9, "train_loss": 0.5},
    ]
    assert target_crossing(per_epoch, ("val_accuracy", 0.7)) == pytest.approx((15.0, 150.0))
    assert target_crossing(per_epoch, ("train_loss", 0.75)) == pytest.approx((15.0, 150.0))
    assert target_crossing(per_epoch, ("val_accuracy", 0.05)) == (0.0, 0.0)
    assert target_crossing(per_epoch, ("val_accuracy", 0.95)) is None


def test_a_timed_size_is_never_inside_a_stack(monkeypatch):
    stepped: list[tuple[str, int]] = []
    timing = threading.local()
    original_step = RunStack.step
    original_time = batch_cost.time_alone

    def step(self: RunStack) -> None:
        if getattr(timing, "on", False):
            stepped.append(("timed", self.runs))
        original_step(self)

    def time_alone(*args: object, **kwargs: object) -> tuple[float, int]:
        timing.on = True
        try:
            return original_time(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            timing.on = False

    monkeypatch.setattr(RunStack, "step", step)
    monkeypatch.setattr(batch_cost, "time_alone", time_alone)
    sweep_of(sweep_config(seeds=1))
    assert stepped, "no size was timed"
    assert {runs for _, runs in stepped} == {1}


def test_a_size_over_the_budget_is_refused_with_its_prediction_and_never_stepped(monkeypatch):
    sizes_stepped: set[int] = set()
    original = RunStack.step

    def step(self: RunStack) -> None:
        sizes_stepped.update(int(b) for b in self.batches)
        original(self)

    monkeypatch.setattr(RunStack, "step", step)
    probe, _ = sweep_of(sweep_config(seeds=0))
    line = probe[-1].memory_line
    assert line is not None
    budget = (line.predict(64) + line.predict(256)) / 2  # 256 is over it, 64 within
    sizes_stepped.clear()
    partials, _ = sweep_of(sweep_config(seeds=1, memory_budget_mb=budget / 1e6))
    sweep = partials[-1]
    refused = [r for r in sweep.rows if r.status == "out_of_memory"]
    assert [r.batch_size for r in refused] == [256]
    assert refused[0].peak_memory_mb == pytest.approx(line.predict(256) / 1e6)
    assert refused[0].seconds_per_epoch is None and refused[0].final_train_loss is None
    assert {r.batch_size for r in sweep.rows if r.status != "out_of_memory"} == {16, 64}
    assert 256 not in sizes_stepped - {32}  # the session's own run is B = 32


def test_rates_follow_the_rule():
    config = sweep_config(lr_rule="linear")
    assert lr_for(config, 64, "linear") == pytest.approx(config.lr * 64 / config.lr_reference_batch)
    assert lr_for(config, 128, "sqrt") == pytest.approx(config.lr * 2)
    assert lr_for(config, 128, "fixed") == config.lr
    partials, _ = sweep_of(sweep_config(lr_rule="tuned", seeds=1, batch_sizes=[16, 128]))
    sweep = partials[-1]
    for b in (16, 128):
        tried = sweep.tuning[b]
        assert len(tried) == 5
        row = next(r for r in sweep.rows if r.batch_size == b)
        assert row.lr in tried and row.lr == sweep.lrs[b]


def test_a_stop_ends_the_sweep_soon(swept):
    control = SessionControl()
    config = sweep_config(seeds=3, batch_sizes=[8, 16, 32, 64])
    config = dataclasses.replace(config, epochs=40)
    ended = {}

    def watch() -> None:
        for p in run_session(config, control):
            found = p.measurements.get("sweep")
            if found is not None and found.phase == "training" and "t" not in ended:
                ended["t"] = time.monotonic()
                control.stop.set()
            ended["stopped"] = p.stopped
        ended["end"] = time.monotonic()

    worker = threading.Thread(target=watch)
    worker.start()
    worker.join(60)
    assert not worker.is_alive()
    assert ended.get("stopped") is True
    assert ended["end"] - ended["t"] < 2.0


def test_the_noise_scale_matches_a_plain_loop_in_float64():
    config = sweep_config()
    problem = make_problem(config, torch.device("cpu"), derive_seed(config.seed, "data"))
    weights = [torch.tensor(w, dtype=torch.float32) for w in problem.initial_blocks(None)]
    idx = torch.arange(0, 64)
    found = noise_scale(problem, weights, idx)
    model = problem.model
    grads = []
    for i in idx.tolist():
        params = {n: w.double().clone().requires_grad_() for n, w in zip(problem.names, weights, strict=True)}
        logits = torch.func.functional_call(model.double(), params, (problem.x[i : i + 1].double(),))
        loss = torch.nn.functional.cross_entropy(logits, problem.y[i : i + 1])
        grads.append(torch.cat([g.reshape(-1) for g in torch.autograd.grad(loss, list(params.values()))]))
    model.float()
    g = torch.stack(grads).numpy()
    mean = g.mean(0)
    trace = float(((g - mean) ** 2).sum() / (len(g) - 1))
    norm2 = float(mean @ mean) - trace / len(g)
    assert found.trace_covariance == pytest.approx(trace, rel=1e-4)
    assert found.gradient_norm2 == pytest.approx(norm2, rel=1e-3)
    assert found.b_simple == pytest.approx(trace / norm2, rel=1e-3)
    assert found.samples == 64


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"seeds": 21}, "sweep.seeds"),
        ({"batch_sizes": [8]}, "sweep.batch_sizes"),
        ({"batch_sizes": [8, 8]}, "sweep.batch_sizes"),
        ({"batch_sizes": [8, 100000]}, "sweep.batch_sizes"),
        ({"lr_rule": "cubic"}, "sweep.lr_rule"),
        ({"target_accuracy": 1.5}, "sweep.target_accuracy"),
        ({"target_loss": -1}, "sweep.target_loss"),
        ({"target_loss": 0.1, "target_accuracy": 0.9}, "sweep.target_loss"),
        ({"memory_budget_mb": 0}, "sweep.memory_budget_mb"),
        ({"colour": 1}, "sweep"),
    ],
)
def test_bad_sweep_settings_are_refused_by_name(change, field):
    with pytest.raises(ConfigError) as caught:
        sweep_config(**change)
    assert caught.value.field == field
    assert field.split(".")[-1] in str(caught.value) or "sweep" in str(caught.value)


def test_sweep_sizes_above_n_are_checked_only_when_a_sweep_is_measured():
    assert ExperimentConfig(n_samples=100).sweep.batch_sizes[-1] == 1024  # no sweep: no check
    with pytest.raises(ConfigError, match=r"sweep\.batch_sizes"):
        dataclasses.replace(
            sweep_config(), n_samples=200, sweep=sweep_config().sweep.__class__(batch_sizes=(8, 300))
        )
    assert math.isfinite(sweep_config().sweep.batch_sizes[0])
    assert np.all(np.diff(sweep_config(batch_sizes=[256, 16, 64]).sweep.batch_sizes) > 0)  # kept sorted


def test_run_out_writes_sweep_csv_and_the_fit_in_summary(tmp_path):
    import csv
    import json

    from tests.helpers import run_main

    out = tmp_path / "results"
    done = run_main(
        "run",
        "choose-batch-size",
        "--out",
        str(out),
        "--device",
        "cpu",
        "--set",
        "epochs=4",
        "--set",
        "sweep.seeds=1",
        "--set",
        "sweep.batch_sizes=[16,64,256]",
        "--set",
        "sweep.lr_rule=sqrt",
    )
    assert done.returncode == 0, done.stderr
    with open(out / "sweep.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert rows and list(rows[0]) == list(SWEEP_COLUMNS)
    assert [int(r["batch_size"]) for r in rows] == [16, 64, 256]
    memory = [float(r["peak_memory_mb"]) for r in rows]
    assert memory == sorted(memory) and memory[0] < memory[-1]
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    sweep = summary["measurements"]["sweep"]
    assert sweep["lr_rule"] == "sqrt" and sweep["b_simple"]["start"] > 0
    assert set(sweep["fit"] or {}) <= {
        "s_min",
        "s_min_se",
        "b_crit",
        "b_crit_se",
        "e_min",
        "e_min_se",
        "b_crit_from_samples",
        "b_crit_from_samples_se",
        "points",
    }
    assert "sweep B =" in done.stdout


def test_an_allocation_that_fails_marks_its_size_and_the_sweep_goes_on(monkeypatch):
    """CUDA's OutOfMemoryError (simulated here: this machine may have no GPU) at one size."""
    original = batch_cost.time_alone

    def time_alone(config, problem, spec, device, control):
        if spec.batch_size == 64:
            raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
        return original(config, problem, spec, device, control)

    monkeypatch.setattr(batch_cost, "time_alone", time_alone)
    partials, stopped = sweep_of(sweep_config(seeds=1))
    sweep = partials[-1]
    assert not stopped and sweep.finished
    status = {r.batch_size: r.status for r in sweep.rows}
    assert status[64] == "out_of_memory" and status[16] != "out_of_memory" and status[256] != "out_of_memory"
    row = next(r for r in sweep.rows if r.batch_size == 64)
    assert row.peak_memory_mb is None and row.final_train_loss is None


def test_a_diverging_size_is_marked_and_no_nan_reaches_the_figures():
    config = dataclasses.replace(sweep_config(seeds=1), lr=1e4)
    partials, _ = sweep_of(config)
    sweep = partials[-1]
    assert {r.status for r in sweep.rows} == {"diverged"}
    for row in sweep.rows:
        assert row.final_train_loss is None and row.steps_to_target is None and row.val_accuracy is None
    assert sweep.steps_fit is None
    import json

    json.dumps(sweep.to_dict(), allow_nan=False)  # summary.json takes it as it is


def test_sizes_all_over_the_budget_are_never_stepped_and_predicted_from_a_probe(monkeypatch):
    measured: list[int] = []
    original = batch_cost.step_memory

    def step_memory(config, problem, spec, device):
        measured.append(config.batch_size_of(spec))
        return original(config, problem, spec, device)

    import engine.instruments.sweep as sweep_module

    monkeypatch.setattr(sweep_module, "step_memory", step_memory)
    partials, _ = sweep_of(sweep_config(seeds=0, memory_budget_mb=0.01))  # 10 kB: nothing fits
    sweep = partials[-1]
    assert measured == [1, 2] and sweep.line_sizes == (1, 2)
    assert {r.status for r in sweep.rows} == {"out_of_memory"}
    assert all(r.peak_memory_mb > 0.01 for r in sweep.rows)
