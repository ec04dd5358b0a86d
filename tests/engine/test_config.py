"""Invalid values are refused with a sentence naming the field; overrides and arithmetic."""

from __future__ import annotations

import dataclasses
import math

import pytest

from engine import ExperimentConfig, RunSpec, epoch_position, iterations_per_epoch

BAD_FIELDS = [
    ({"n_samples": 1}, "n_samples"),
    ({"n_samples": 2.5}, "n_samples"),
    ({"epochs": 0}, "epochs"),
    ({"lr": 0.0}, "lr"),
    ({"lr": -0.1}, "lr"),
    ({"lr": math.nan}, "lr"),
    ({"lr": math.inf}, "lr"),
    ({"noise": -1.0}, "noise"),
    ({"feature_scale": 0.0}, "feature_scale"),
    ({"seed": -1}, "seed"),
    ({"optimizer": "lbfgs"}, "optimizer"),
    ({"optimizer_params": {"momentum": 1.5}}, "momentum"),
    ({"optimizer_params": {"betas": 0.9}}, "betas"),
    ({"optimizer": "sgd", "optimizer_params": {"nesterov": True}}, "nesterov"),
    ({"sampling": "random"}, "sampling"),
    ({"drop_last": "yes"}, "drop_last"),
    ({"batches_per_epoch": 0}, "batches_per_epoch"),
    ({"device": "tpu"}, "device"),
    ({"problem": "xor"}, "problem"),
    ({"start": (1.0,)}, "start"),
    ({"runs": ()}, "runs"),
    ({"runs": (RunSpec("A", 1), RunSpec("A", 2))}, "used twice"),
    ({"n_samples": 10, "runs": (RunSpec("A", 11),)}, "batch_size"),
]


@pytest.mark.parametrize(("changes", "named"), BAD_FIELDS)
def test_invalid_field_is_refused_by_name(changes: dict, named: str) -> None:
    with pytest.raises(ValueError, match=named):
        dataclasses.replace(ExperimentConfig(), **changes)


@pytest.mark.parametrize("batch", [0, -3, 2.0, "half", True])
def test_invalid_batch_size_is_refused(batch: object) -> None:
    with pytest.raises(ValueError, match="batch_size of run 'X'"):
        RunSpec("X", batch)  # type: ignore[arg-type]


def test_messages_state_the_allowed_range() -> None:
    with pytest.raises(ValueError, match=r"epochs must be a whole number from 1 to 100,000 \(got 0\)"):
        ExperimentConfig(epochs=0)
    with pytest.raises(ValueError, match=r"from 1 to N = 10"):
        ExperimentConfig(n_samples=10, runs=(RunSpec("A", 11),))


def test_overrides_by_name_and_by_run_label() -> None:
    c = ExperimentConfig().with_overrides(
        ["epochs=5", "seed=3", "lr=0.05", "runs.SGD.batch_size=2", "optimizer_params.momentum=0.9"]
    )
    assert (c.epochs, c.seed, c.lr) == (5, 3, 0.05)
    assert c.run_by_label("SGD").batch_size == 2
    assert c.optimizer_params == {"momentum": 0.9}


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("foo=1", "unknown config field 'foo'"),
        ("runs.Nope.batch_size=2", "no run labelled 'Nope'"),
        ("epochs", "key=value"),
        ("epochs=zero", "epochs"),
    ],
)
def test_bad_overrides_are_refused(assignment: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ExperimentConfig().with_overrides([assignment])


def test_dict_round_trip() -> None:
    c = ExperimentConfig(start=(1.0, -2.0), optimizer="adam", optimizer_params={"beta1": 0.8})
    assert ExperimentConfig.from_dict(c.to_dict()) == c


@pytest.mark.parametrize("n", [1, 2, 7, 10, 1000, 1001])
@pytest.mark.parametrize("b", [1, 3, 10, 32, 1000])
def test_iterations_per_epoch(n: int, b: int) -> None:
    if b > n:
        return
    assert iterations_per_epoch(n, b) == math.ceil(n / b)
    assert iterations_per_epoch(n, b, drop_last=True) == math.floor(n / b)
    assert iterations_per_epoch(n, b, "replacement") == math.ceil(n / b)
    assert iterations_per_epoch(n, b, "replacement", batches_per_epoch=7) == 7
    if n < 2:
        return
    run = RunSpec("R", b)
    c = ExperimentConfig(n_samples=n, runs=(run,), drop_last=True)
    assert c.iterations_per_epoch(run) == n // b


def test_epoch_position_reads_like_the_concept_panel() -> None:
    assert epoch_position(0, 100) == (1, 0)
    assert epoch_position(241, 100) == (3, 41)
    assert epoch_position(300, 100) == (3, 100)
    assert epoch_position(301, 100) == (4, 1)
    assert epoch_position(5, 1) == (5, 1)


@pytest.mark.parametrize(
    ("changes", "field", "rule", "limits"),
    [
        ({"n_samples": 1}, "n_samples", "whole_number", {"low": 2, "high": 1_000_000, "got": 1}),
        ({"lr": 0.0}, "lr", "number", {"low": 0.0, "low_open": True, "high": 1e6, "got": 0.0}),
        (
            {"sampling": "random"},
            "sampling",
            "choice",
            {"allowed": ("shuffle", "replacement"), "got": "random"},
        ),
        ({"problem": "hinton", "n_samples": 5}, "n_samples", "hinton_samples", {"got": 5}),
        ({"problem": "logistic", "noise": 0.0}, "noise", "logistic_noise", {}),
        ({"runs": ()}, "runs", "no_runs", {}),
        (
            {"n_samples": 10, "runs": (RunSpec("A", 11),)},
            "runs.A.batch_size",
            "batch_size",
            {"label": "A", "high": 10, "got": 11},
        ),
    ],
)
def test_refusals_carry_field_rule_and_limits(changes: dict, field: str, rule: str, limits: dict) -> None:
    """A window rewords the refusal from these (its language, its control's label)."""
    from engine import ConfigError

    with pytest.raises(ConfigError) as caught:
        dataclasses.replace(ExperimentConfig(), **changes)
    assert (caught.value.field, caught.value.rule, caught.value.limits) == (field, rule, limits)
