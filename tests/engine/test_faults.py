"""Regression tests for configs that were accepted and then crashed, or reported NaN as a result.

Each case was found by feeding generated configs to the engine (issue 10); each is now either
refused with a ConfigError naming its field or runs to a clean end.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from engine import ConfigError, ExperimentConfig, RunSpec, run_session
from tests.helpers import collect, small_config

TWO = (RunSpec("GD", "full"), RunSpec("SGD", 1))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"optimizer": ["sgd"]}, "optimizer"),
        ({"optimizer": {}}, "optimizer"),
        ({"runs": None}, "runs"),
        ({"runs": 5}, "runs"),
        ({"runs": ("a",)}, "runs"),
        ({"measure": None}, "measure"),
        ({"optimizer_params": None}, "optimizer_params"),
        ({"drop_last": "yes"}, "drop_last"),
        ({"sampling": ["shuffle"]}, "sampling"),
        ({"lr": 10**400}, "lr"),
    ],
)
def test_wrong_types_are_refused_by_name(changes: dict, field: str) -> None:
    with pytest.raises(ConfigError) as caught:
        ExperimentConfig(**changes)
    assert caught.value.field == field
    assert field.rsplit(".", 1)[-1] in str(caught.value)


def test_a_runs_optimizer_of_the_wrong_type_is_refused_by_name() -> None:
    with pytest.raises(ConfigError, match="optimizer of run 'A' must be one of") as caught:
        RunSpec("A", 1, optimizer={})  # type: ignore[arg-type]
    assert caught.value.field == "runs.A.optimizer"


@pytest.mark.parametrize(
    ("optimizer", "params", "field"),
    [
        ("sgd", {"weight_decay": 3.5e38}, "weight_decay"),
        ("rprop", {"step_max": 1e300}, "step_max"),
        ("adagrad", {"initial_accumulator_value": 1e39}, "initial_accumulator_value"),
        ("adadelta", {"eps": 5e-324}, "eps"),
        ("sgd", {"weight_decay": 1e38}, "weight_decay"),
    ],
)
def test_optimizer_values_beyond_float32_are_refused_with_the_range(optimizer, params, field) -> None:
    with pytest.raises(ConfigError, match=rf"optimizer_params\.{field} must be a number in \[") as caught:
        ExperimentConfig(optimizer=optimizer, optimizer_params=params)
    assert caught.value.field == f"optimizer_params.{field}"


@pytest.mark.parametrize(("field", "value"), [("feature_scale", 1e-300), ("noise", 1e300), ("noise", 1e4)])
def test_data_that_float32_cannot_hold_is_refused(field: str, value: float) -> None:
    with pytest.raises(ConfigError, match=f"{field} must be a finite number"):
        ExperimentConfig(**{field: value})


def test_a_huge_bad_value_is_quoted_short() -> None:
    with pytest.raises(ConfigError) as caught:
        ExperimentConfig(problem="x" * 10_000_000)
    assert len(str(caught.value)) < 200 and "…" in str(caught.value)


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"problem": "logistic", "n_samples": 10}, "separable"),
        ({"problem": "logistic", "true_b": 10.0}, "separable"),
        ({"problem": "two_lines", "noise": 50.0}, "no_minimum"),
    ],
)
def test_data_without_a_minimum_is_refused_before_the_first_snapshot(changes: dict, rule: str) -> None:
    config = ExperimentConfig(device="cpu", epochs=1, runs=TWO, **changes)
    session = run_session(config)
    with pytest.raises(ConfigError) as caught:
        next(session)
    assert caught.value.rule == rule and caught.value.field == "noise"
    assert "noise" in str(caught.value)


def test_two_lines_with_two_samples_runs() -> None:
    last = collect(ExperimentConfig(problem="two_lines", n_samples=2, device="cpu", epochs=2, runs=TWO)).last
    assert all(math.isfinite(r.final_loss) for r in last.results)  # type: ignore[arg-type]


def test_basins_with_more_copies_than_one_session_holds() -> None:
    runs = tuple(RunSpec(f"R{i}" + "x" * 36, 2) for i in range(3))  # 40-character labels
    config = ExperimentConfig(
        problem="two_lines",
        n_samples=20,
        epochs=1,
        device="cpu",
        runs=runs,
        measure=("basins",),
        measure_seeds=30,
    )
    counts = collect(config).last.measurements["basins"]
    assert [c.seeds for c in counts.values()] == [30, 30, 30]  # 90 copies, in two sessions
    assert all(c.better + c.worse + c.diverged == 30 for c in counts.values())


def test_a_network_whose_last_step_overflows_is_marked_diverged() -> None:
    # The MLP records each batch's loss before its step: the last step's damage shows only
    # in the final evaluation, which must then mark the run diverged, not report NaN.
    config = ExperimentConfig(
        problem="network",
        n_samples=8,
        epochs=1,
        lr=1e6,
        optimizer="sgd",
        optimizer_params={"weight_decay": 1e6},
        device="cpu",
        runs=(RunSpec("GD", "full"),),
    )
    last = collect(config).last
    (result,) = last.results
    assert result.diverged and result.final_loss is None
    # It took its one step (its history ends at iteration 1, after N samples); that step broke it.
    assert result.iterations == 1 and result.initial_loss is not None and math.isfinite(result.initial_loss)
    (progress,) = last.runs  # what the window shows says so too
    assert progress.diverged and progress.done and progress.iteration == 1


def test_a_start_whose_loss_is_not_finite_is_diverged_at_iteration_0(monkeypatch) -> None:
    from engine.problems.linear import LinearRegression

    real = LinearRegression.evaluate
    calls = []

    def broken_at_first(self, blocks):  # the start's evaluation overflows (fault injected)
        calls.append(1)
        out = real(self, blocks)
        return np.full_like(out, np.inf) if len(calls) == 1 else out

    monkeypatch.setattr(LinearRegression, "evaluate", broken_at_first)
    got = collect(small_config(runs=(RunSpec("GD", "full"),)))
    (result,) = got.last.results
    assert result.diverged and result.iterations == 0 and result.initial_loss is None
    assert result.final_loss is None and len(got.histories["GD"].rows()) == 0
