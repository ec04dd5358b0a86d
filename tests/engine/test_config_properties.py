"""The contract, over the whole config space: every config is refused by name or runs cleanly.

A config is either refused with a `ConfigError` (a ValueError) whose sentence names the field,
or it runs to completion, each run finishing or marked diverged: no other exception, no NaN or
inf in a plotted row, in a result that is not marked diverged, or in summary.json. Limits that
depend on the drawn data (logistic's classes must overlap; two_lines needs a minimum in view)
are refused the same way, before the session's first snapshot.

Profiles (tests/conftest.py): "ci" (the default) tries 1 000 configs per property; run
`pytest tests/engine/test_config_properties.py --hypothesis-profile=long` for 20 000.
"""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from engine import ConfigError, ExperimentConfig, Progress, run_session
from engine.errors import SHOWN_CHARS
from tests.strategies import JUNK, config_dicts

MAX_SENTENCE = 400 + 2 * SHOWN_CHARS  # a refusal is one readable sentence, never a dump


def assert_names_its_field(error: ConfigError) -> None:
    sentence = str(error)
    assert error.field, sentence
    named = error.field.rsplit(".", 1)[-1]
    assert named in sentence or error.field in ("config", "--set"), (error.field, sentence)
    assert len(sentence) <= MAX_SENTENCE and "\n" not in sentence, sentence


def run_to_the_end(config: ExperimentConfig) -> Progress | None:
    """Run `config`, checking every snapshot; None when its drawn data were refused."""
    last = None
    try:
        for progress in run_session(config):
            for rp in progress.runs:
                rows = rp.new_rows
                assert np.isfinite(rows.loss).all(), (rp.label, rows.loss)
                assert np.isfinite(rows.params).all(), (rp.label, rows.params)
                assert 0 <= rp.iteration and 1 <= rp.epoch <= config.epochs
            last = progress
    except ConfigError as error:
        assert last is None, "a config may be refused for its data only before its first snapshot"
        assert_names_its_field(error)
        return None
    assert last is not None and last.finished and not last.stopped
    return last


def assert_results_are_sane(config: ExperimentConfig, last: Progress) -> None:
    for spec, result in zip(config.runs, last.results, strict=True):
        assert result.label == spec.label
        total = config.iterations_per_epoch(spec) * config.epochs
        assert 0 <= result.iterations <= total, result
        if result.diverged:
            assert result.final_loss is None
        else:
            assert result.iterations == total, result
            assert result.final_loss is not None and math.isfinite(result.final_loss), result
            assert result.initial_loss is not None and math.isfinite(result.initial_loss), result
        assert all(math.isfinite(v) for v in result.final_params), result
    summary = {
        "results": [dataclasses.asdict(r) for r in last.results],
        "measurements": {k: _plain(v) for k, v in last.measurements.items()},
    }
    json.dumps(summary, allow_nan=False)  # what `run --out` writes must be valid JSON


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value.to_dict() if hasattr(value, "to_dict") else value


@given(config_dicts(junk=True))
def test_every_config_file_is_refused_by_name_or_runs_cleanly(data: dict[str, Any]) -> None:
    try:
        config = ExperimentConfig.from_dict(data)
    except ConfigError as error:
        assert_names_its_field(error)
        return
    last = run_to_the_end(config)
    if last is not None:
        assert_results_are_sane(config, last)


@given(config_dicts(junk=False))
def test_every_allowed_config_runs_to_the_end_or_diverges_cleanly(data: dict[str, Any]) -> None:
    try:
        config = ExperimentConfig.from_dict(data)
    except ConfigError as error:  # rules that tie fields together (basins only on two_lines …)
        assert_names_its_field(error)
        assert error.rule not in ("whole_number", "number", "choice", "type", "bool", "list"), str(error)
        return
    last = run_to_the_end(config)
    if last is not None:
        assert_results_are_sane(config, last)


FIELDS = [f.name for f in dataclasses.fields(ExperimentConfig)]


@given(st.sampled_from(FIELDS), JUNK)
def test_any_value_in_any_field_is_refused_by_name_or_accepted(field: str, value: Any) -> None:
    try:
        config = ExperimentConfig.from_dict({"device": "cpu", field: value})
    except ConfigError as error:
        assert_names_its_field(error)
        return
    assert ExperimentConfig.from_dict(json.loads(json.dumps(config.to_dict()))) == config
