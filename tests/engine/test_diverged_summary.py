"""A run that diverges reports, in summary.json, exactly where its history ends.

`main.py run --out` writes summary.json from `results_summary` and history.csv from the rows
the session yielded; the two must agree for every run, diverged or not: `iterations` and
`samples_seen` are those of the history's last row, `epochs` is iterations / iterations per
epoch, and a diverged run's history holds no non-finite loss (its bad rows are cut). A network
run that diverged on its last step used to report one iteration fewer than its history's last
row (fixed in c5ca0a3, RunStack.final()).

The configs are drawn to diverge: networks on the bundled digits with lr 10 to 10 000, and the
2-D problems with lr 1 000 to 1 000 000, each with a few tiny runs (B = 1, small, "full").
"""

from __future__ import annotations

import json
import math
from typing import Any

import numpy as np
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from engine import ConfigError, ExperimentConfig, Recorder, RunHistory, results_summary, run_session

MINIMAL = {
    "problem": "network",
    "dataset": "digits",
    "n_samples": 10,
    "epochs": 1,
    "lr": 1000,
    "optimizer": "adam",
    "runs": [{"label": "F", "batch_size": "full"}],
}


def run_like_the_cli(config: ExperimentConfig) -> tuple[dict[str, Any], dict[str, RunHistory]]:
    """summary.json's content and every run's history, gathered as cli._train_and_report does."""
    recorder = Recorder()
    for progress in run_session(config):
        recorder.add(progress)
    final = recorder.last
    assert final is not None and final.finished and not final.stopped
    return results_summary(config, "cpu", final), recorder.histories


def assert_summary_matches_history(summary: dict[str, Any], histories: dict[str, RunHistory]) -> None:
    json.dumps(summary, allow_nan=False)  # what `run --out` writes is valid JSON
    assert [r["label"] for r in summary["runs"]] == list(histories)
    for run in summary["runs"]:
        label = run["label"]
        rows = histories[label].rows()
        if len(rows):
            last = (int(rows.iteration[-1]), int(rows.samples_seen[-1]))
        else:  # diverged before its first row: not a step taken, not a sample seen
            last = (0, 0)
        assert (run["iterations"], run["samples_seen"]) == last, (label, run, rows.iteration[-3:])
        assert run["epochs"] == run["iterations"] / run["iterations_per_epoch"], (label, run)
        if run["diverged"]:
            assert run["final_loss"] is None, (label, run)
            assert np.isfinite(rows.loss).all(), (label, rows.loss)
            assert np.isfinite(rows.params).all(), (label, rows.params)
        else:
            assert run["final_loss"] is not None and math.isfinite(run["final_loss"]), (label, run)


def check(data: dict[str, Any]) -> dict[str, Any] | None:
    """Run `data` as the CLI would and check its summary; None when refused for its data."""
    config = ExperimentConfig.from_dict({"device": "cpu", **data})
    try:
        summary, histories = run_like_the_cli(config)
    except ConfigError as error:  # two_lines with no minimum in view, say: refused by name
        assert error.field, str(error)
        return None
    assert_summary_matches_history(summary, histories)
    return summary


@st.composite
def diverging_configs(draw: st.DrawFn) -> dict[str, Any]:
    network = draw(st.booleans())
    n = draw(st.integers(min_value=8, max_value=64))
    batch = st.one_of(st.just(1), st.just("full"), st.integers(min_value=2, max_value=min(n, 12)))
    labels = draw(st.lists(st.sampled_from(["A", "B", "C"]), min_size=1, max_size=3, unique=True))
    data: dict[str, Any] = {
        "n_samples": n,
        "epochs": draw(st.integers(min_value=1, max_value=2)),
        "optimizer": draw(st.sampled_from(["sgd", "adam", "rmsprop"])),
        "runs": [{"label": label, "batch_size": draw(batch)} for label in labels],
    }
    if network:
        data.update(problem="network", dataset="digits", lr=draw(st.floats(min_value=10, max_value=1e4)))
    else:
        data["problem"] = draw(st.sampled_from(["linear", "logistic", "two_lines"]))
        data["lr"] = draw(st.floats(min_value=1e3, max_value=1e6))
        data["seed"] = draw(st.integers(min_value=0, max_value=50))
    return data


@settings(
    max_examples=60,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(diverging_configs())
def test_a_diverging_run_reports_where_its_history_ends(data: dict[str, Any]) -> None:
    summary = check(data)
    if summary is not None:  # --hypothesis-show-statistics: how many drawn configs diverge
        event(
            f"{'network' if data['problem'] == 'network' else '2-D'}: "
            f"{sum(r['diverged'] for r in summary['runs'])} of {len(summary['runs'])} runs diverged"
        )


def test_a_network_diverging_on_its_last_step_reports_that_step() -> None:
    # Full batch on 10 digits: one step, after which the full-data loss is no longer finite.
    # Before c5ca0a3 summary.json said 0 iterations (and 10 samples); its history ends at 1.
    summary = check(MINIMAL)
    assert summary is not None
    (run,) = summary["runs"]
    assert run["diverged"] and (run["iterations"], run["samples_seen"]) == (1, 10), run


def test_a_two_parameter_run_diverging_reports_where_its_history_ends() -> None:
    data = {
        "problem": "linear",
        "n_samples": 16,
        "epochs": 2,
        "lr": 1e6,
        "runs": [{"label": "GD", "batch_size": "full"}, {"label": "SGD", "batch_size": 1}],
    }
    summary = check(data)
    assert summary is not None
    assert all(run["diverged"] for run in summary["runs"]), summary["runs"]
