"""Every refusal names its field: junk of any type in any field, by file, dict or `--set`.

The contract: `ExperimentConfig.from_dict` and `with_overrides` either refuse a value with a
`ConfigError` (a ValueError) whose one sentence names the field (`lr`, `runs.SGD.batch_size`,
`optimizer_params.beta1`, with the allowed range) — never another exception, never Python's
own sentence ("could not convert…", "unhashable type", "Exceeds the limit (4300 digits)…",
"maximum recursion depth…") — or accept it, and then the config trains without an exception.

Junk here is anything a JSON file, a hand-made dict or a typo can hold: nested lists and
objects, whole numbers of 400 and 5 000 digits, NaN, ±inf, -0.0, 1e308, booleans and texts
where numbers belong, None, lone surrogates, 10 000-character texts, lists nested thousands
deep, and whole numbers where floats belong (Adam's betas). The explicit cases at the end are
the bugs the fuzzing found, each failing on the code before its fix.
"""

from __future__ import annotations

import dataclasses
import json
import math
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import cli
from engine import (
    INITS,
    OPTIMIZERS,
    ConfigError,
    DataError,
    ExperimentConfig,
    Interrupted,
    SessionControl,
    run_session,
)
from engine.config import RUN_FIELDS
from engine.errors import SHOWN_CHARS
from tests.strategies import config_dicts

MAX_SENTENCE = 400 + 2 * SHOWN_CHARS  # one readable sentence, never a dump
BUDGET_S = 5.0  # an accepted config trains this long at most (a junk batches_per_epoch is big)
# What Python says in its own words; a refusal never reads like this.
PYTHON_WORDS = (
    "could not convert",
    "not supported between",
    "unhashable type",
    "too large to convert",
    "maximum recursion depth",
    "Exceeds the limit",
    "object is not",
    "got an unexpected keyword",
    "positional argument",
    "must be either both floats",
    "object has no attribute",
)
FIELDS = [f.name for f in dataclasses.fields(ExperimentConfig)]
ALL_PARAMS = sorted({name for _, ranges in OPTIMIZERS.values() for name in ranges})


def deep_list(depth: int) -> Any:
    value: Any = 1
    for _ in range(depth):
        value = [value]
    return value


def no_repr(kind: int) -> Any:
    """A value whose repr fails: 5 000 digits (Python's limit is 4 300), or 5 000 lists deep.
    Built when drawn, so that hypothesis never has to print it in a strategy's repr."""
    if kind == 0:
        return 10**5000
    deep = deep_list(5000)
    return (deep, [deep], {"a": deep})[kind - 1]


NAMES = [
    "full",
    "sgd",
    "adam",
    "rprop",
    "network",
    "hinton",
    "two_lines",
    "digits",
    "synthetic",
    "lenet",
    "replacement",
    "sqrt",
    "basins",
    "gradient_noise",
    *INITS,
]
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-3, max_value=3),  # whole numbers where floats belong
    st.integers(),
    st.sampled_from([10**400, -(10**400), 2**63 - 1, 2**63, 2**64, 10**308, 10**309]),
    st.floats(),
    st.sampled_from([math.nan, math.inf, -math.inf, -0.0, 1e308, -1e308, 5e-324, 1.7976931348623157e308]),
    st.text(max_size=5),
    st.just(10_000).map(lambda n: "x" * n),
    st.sampled_from(["\udc80", "a\ud800b", "1", "0.5", "-0.0", "nan", "1e400", "", " ", "[1]", *NAMES]),
)
# Keys of junk objects: any text but line breaks and control characters, which
# engine/training/optimizers.py still prints unescaped when it names an unknown parameter
# ("optimizer_params.a<newline>b is not a parameter of sgd"), a sentence on two lines.
KEY_TEXT = st.text(st.characters(exclude_categories=("Cc", "Zl", "Zp")), max_size=3)
JUNK = st.one_of(
    SCALARS,
    st.recursive(
        SCALARS,
        lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(KEY_TEXT, inner, max_size=3)),
        max_leaves=6,
    ),
    st.sampled_from(range(4)).map(no_repr),
)
# Allowed values of another type or sign than usual: whole numbers for floats, -0.0, edges.
ODD = st.sampled_from([0, 1, 2, 10, -0.0, 0.0, 0.5, 1e-30, 1e-8, 1e6, 0.999])
# Keys a junk optimizer_params may hold besides the real ones (see KEY_TEXT).
JUNK_KEYS = st.one_of(st.sampled_from(ALL_PARAMS), st.text("abz_\udc80", max_size=4), st.just("x" * 500))


def assert_named(error: ConfigError) -> None:
    sentence = str(error)
    assert isinstance(error, ValueError)
    assert error.field, sentence
    named = error.field.rsplit(".", 1)[-1]
    assert named in sentence or error.field in ("config", "--set"), (error.field, sentence)
    assert len(sentence) <= MAX_SENTENCE and "\n" not in sentence, sentence
    assert not any(words in sentence for words in PYTHON_WORDS), sentence


def trains(config: ExperimentConfig) -> None:
    """Train `config` for at most BUDGET_S seconds: no exception but a named refusal."""
    control = SessionControl()
    deadline = time.monotonic() + BUDGET_S
    last = None
    try:
        for progress in run_session(config, control):
            for rp in progress.runs:
                assert np.isfinite(rp.new_rows.loss).all(), (rp.label, rp.new_rows.loss)
            last = progress
            if time.monotonic() > deadline:
                control.stop.set()
    except ConfigError as error:  # for its data (two_lines, logistic), memory or device
        assert last is None, "refused after its first snapshot"
        assert_named(error)
        return
    except DataError as error:  # mnist or fashion-mnist, not downloaded on this machine
        assert config.dataset in str(error), str(error)
        return
    except Interrupted:  # the budget ran out inside a network's evaluation
        return
    assert last is not None and last.finished


def refused_or_trains(build: Any) -> None:
    """Inside a property: `build()` is refused by name, or gives a config that trains."""
    try:
        config = build()
    except ConfigError as error:
        assert_named(error)
        event(f"refused: {error.rule}")  # --hypothesis-show-statistics: what the examples hit
        return
    event("accepted")
    assert isinstance(config, ExperimentConfig)
    assert ExperimentConfig.from_dict(json.loads(json.dumps(config.to_dict()))) == config
    trains(config)


@st.composite
def small_config(draw: st.DrawFn) -> dict[str, Any]:
    """A valid config of one epoch on a few samples (the network problem included)."""
    data = draw(config_dicts(junk=False))
    data["epochs"] = 1
    data["measure_seeds"] = min(data.get("measure_seeds", 1), 3)
    if draw(st.integers(min_value=0, max_value=3)) == 0:  # config_dicts leaves these alone
        data.update(problem="network", init=draw(st.sampled_from(INITS)))
        data.pop("start", None)
        data.pop("measure", None)
    return data


def _own_params(name: Any) -> list[str]:
    """The optimizer's own parameter names (all of them, when `name` is junk itself)."""
    return sorted(OPTIMIZERS[name][1]) if isinstance(name, str) and name in OPTIMIZERS else ALL_PARAMS


@st.composite
def junk_configs(draw: st.DrawFn) -> dict[str, Any]:
    """A small valid config with one to three places replaced by junk."""
    data = draw(small_config())
    junk = st.one_of(JUNK, ODD)
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        places = ["field", "run", "entry", "param", "run_param", "whole", "start", "measure"]
        place = draw(st.sampled_from(places))
        entries = data["runs"] if isinstance(data["runs"], list) else []
        runs = [r for r in entries if isinstance(r, dict)]
        if place == "field" or (place in ("run", "run_param") and not runs):
            data[draw(st.sampled_from(FIELDS))] = draw(junk)
        elif place == "run":
            draw(st.sampled_from(runs))[draw(st.sampled_from(RUN_FIELDS))] = draw(junk)
        elif place == "entry":
            data["runs"] = [*entries, draw(junk)]
        elif place == "param":  # one of the optimizer's own parameters (or another key)
            key = draw(st.one_of(st.sampled_from(_own_params(data["optimizer"])), JUNK_KEYS))
            params = data["optimizer_params"] if isinstance(data["optimizer_params"], dict) else {}
            data["optimizer_params"] = {**params, key: draw(junk)}
        elif place == "run_param":
            run = draw(st.sampled_from(runs))
            run["optimizer"] = name = draw(st.sampled_from(sorted(OPTIMIZERS)))
            key = draw(st.one_of(st.sampled_from(_own_params(name)), JUNK_KEYS))
            run["optimizer_params"] = {key: draw(junk)}
        elif place == "whole":  # allowed whole numbers (or -0.0) for the float parameters
            holder = draw(st.sampled_from([data, *runs]))
            holder.setdefault("optimizer", "adam")
            chosen = holder["optimizer"]  # junk (a list, say) where an earlier place put it
            name = chosen if isinstance(chosen, str) and chosen in OPTIMIZERS else "adam"
            holder["optimizer"] = name
            holder["optimizer_params"] = {
                key: draw(st.sampled_from(fits))
                for key, allowed in OPTIMIZERS[name][1].items()
                if (
                    fits := [v for v in (0, 1, 2, 10, -0.0) if allowed.kind == "float" and allowed.accepts(v)]
                )
                and draw(st.booleans())
            }
        elif place == "start":
            data["start"] = [draw(junk), draw(st.floats(min_value=-3, max_value=3))]
        else:
            data["measure"] = [draw(junk)]
    return data


SETTINGS = settings(
    max_examples=1000,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SETTINGS
@given(junk_configs())
def test_junk_in_a_config_file_is_refused_by_name_or_trains(data: dict[str, Any]) -> None:
    refused_or_trains(lambda: ExperimentConfig.from_dict(data))


def _json_text(value: Any) -> str:
    try:
        return json.dumps(value)
    except (ValueError, RecursionError):  # a 5 000-digit number; a list 5 000 deep
        return "9" * 5000 if isinstance(value, int) else "[" * 5000
    except TypeError:
        return str(value)


KEYS = st.one_of(
    st.sampled_from(FIELDS),
    st.builds(
        "runs.{}.{}".format, st.sampled_from(["A", "GD", "SGD", "Z", "\udc80"]), st.sampled_from(RUN_FIELDS)
    ),
    st.builds("optimizer_params.{}".format, st.sampled_from(ALL_PARAMS)),
    st.text(max_size=6),
)
VALUES = st.one_of(
    JUNK.map(_json_text),
    ODD.map(json.dumps),
    st.sampled_from(["9" * 5000, "-" + "9" * 5000, "[" * 3000, "1e400", "NaN", "-Infinity", "{", "0", "1"]),
    st.text(max_size=6),
)


@SETTINGS
@given(small_config(), st.lists(st.tuples(KEYS, VALUES), min_size=1, max_size=4))
def test_junk_set_on_the_command_line_is_refused_by_name_or_trains(
    data: dict[str, Any], assignments: list[tuple[str, str]]
) -> None:
    try:
        base = ExperimentConfig.from_dict(data)
    except ConfigError as error:  # rules that tie fields together (basins only on two_lines …)
        assert_named(error)
        return
    refused_or_trains(lambda: base.with_overrides(f"{k}={v}" for k, v in assignments))


# ----- the bugs the fuzzing found: each failed on the code before its fix -----

BASE = {"device": "cpu", "n_samples": 8, "epochs": 1, "runs": [{"label": "A", "batch_size": 4}]}


def refusal(build: Any) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        build()
    assert_named(caught.value)
    return caught.value


@pytest.mark.parametrize("n_samples", [5000, 10**5000], ids=["list-5000-deep", "5000-digits"])
def test_hinton_n_samples_that_has_no_repr_is_refused_by_name(n_samples: Any) -> None:
    if n_samples == 5000:
        n_samples = deep_list(5000)
    # Was: RecursionError "maximum recursion depth exceeded while getting the repr of an
    # object" and ValueError "Exceeds the limit (4300 digits) for integer string conversion".
    error = refusal(lambda: ExperimentConfig.from_dict({**BASE, "problem": "hinton", "n_samples": n_samples}))
    assert error.field == "n_samples" and "must be 10 for the hinton problem" in str(error)


@pytest.mark.parametrize("key", ["beta1", "beta2"])
@pytest.mark.parametrize("where", ["config", "run"])
def test_adams_betas_as_whole_numbers_train(key: str, where: str) -> None:
    # Was accepted, then torch refused at the first step: ValueError "betas must be either
    # both floats or both Tensors" (the CLI printed just that). Now stored as floats.
    adam = {"optimizer": "adam", "optimizer_params": {key: 0}}
    if where == "config":
        data = {**BASE, **adam}
    else:
        data = {**BASE, "runs": [{"label": "A", "batch_size": 4, **adam}]}
    config = ExperimentConfig.from_dict(data)
    _, params = config.optimizer_of(config.runs[0])
    assert params == {key: 0.0} and isinstance(params[key], float)
    trains(config)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
def test_every_optimizer_takes_whole_numbers_for_its_float_parameters(name: str) -> None:
    whole = {}
    for key, allowed in OPTIMIZERS[name][1].items():
        fits = [v for v in (0, 1, 2, 10) if allowed.kind == "float" and allowed.accepts(v)]
        if fits:  # Rprop's eta_minus, in (0, 1), has no whole number
            whole[key] = fits[0]
    config = ExperimentConfig.from_dict({**BASE, "optimizer": name, "optimizer_params": whole})
    assert all(isinstance(v, float) for v in config.optimizer_params.values()), config.optimizer_params
    trains(config)


@pytest.mark.parametrize(
    ("assignment", "field"),
    [
        ("seed=" + "9" * 5000, "seed"),
        ("lr=-" + "9" * 5000, "lr"),
        ("runs.A.batch_size=" + "9" * 5000, "runs.A.batch_size"),
        ("runs.A.lr=" + "9" * 5000, "runs.A.lr"),
        ("start=[" + "9" * 5000 + ", 0]", "start"),
    ],
    ids=["seed", "lr", "batch_size", "run-lr", "start"],
)
def test_a_set_number_of_more_than_4300_digits_is_refused_by_its_field(assignment: str, field: str) -> None:
    # Was: ValueError "Exceeds the limit (4300 digits) for integer string conversion: value
    # has 5000 digits; use sys.set_int_max_str_digits() to increase the limit".
    base = ExperimentConfig.from_dict(BASE)
    error = refusal(lambda: base.with_overrides([assignment]))
    assert error.field == field and "5,000 digits" in str(error), str(error)


def test_adams_beta_set_as_a_5000_digit_number_is_refused_by_name() -> None:
    base = ExperimentConfig.from_dict({**BASE, "optimizer": "adam"})
    error = refusal(lambda: base.with_overrides(["optimizer_params.beta1=" + "9" * 5000]))
    assert error.field == "optimizer_params.beta1" and "[0, 1)" in str(error)


@pytest.mark.parametrize(
    ("assignment", "field", "words"),
    [
        ("lr=" + "[" * 100_000, "lr", "lr must be a finite number > 0"),
        ("runs=" + "[" * 100_000, "runs", "runs must be a list"),
        ("runs.A.label=" + "[" * 100_000, "runs.label", "run label must be a text"),
    ],
    ids=["lr", "runs", "label"],
)
def test_a_set_value_nested_too_deeply_is_refused_by_its_field(
    assignment: str, field: str, words: str
) -> None:
    # Was: "--set value is nested too deeply: '[[[…" (field "--set": which key, it did not say).
    base = ExperimentConfig.from_dict(BASE)
    error = refusal(lambda: base.with_overrides([assignment]))
    assert error.field == field and words in str(error) and "nested too deeply" in str(error), str(error)


def test_an_unknown_run_field_set_on_the_command_line_names_runs() -> None:
    # Was: "unknown run field 'x'; known: label, …" (field "runs", not named).
    base = ExperimentConfig.from_dict(BASE)
    error = refusal(lambda: base.with_overrides(["runs.A.x=1"]))
    assert error.field == "runs" and "in runs" in str(error)


@pytest.mark.parametrize("label", ["L" * 10_000, "A\nB", "\udc80"], ids=["long", "newline", "surrogate"])
def test_a_missing_run_lists_the_others_in_one_short_line(label: str) -> None:
    # Was: every label of an earlier --set runs=[...] pasted raw: 10 000 characters, a line
    # break or a lone surrogate (which no file or terminal in UTF-8 takes) in the sentence.
    base = ExperimentConfig.from_dict(BASE)
    runs = json.dumps([{"label": label, "batch_size": 1}])
    error = refusal(lambda: base.with_overrides([f"runs={runs}", "runs.Z.lr=1"]))
    assert "no run labelled 'Z'" in str(error)
    str(error).encode("utf-8")  # a lone surrogate is quoted escaped, so the sentence can be written


# ----- the same through `main.py run FILE.json` -----


def run_cli(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str]:
    code = cli.main(argv)
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def test_cli_trains_adam_with_whole_number_betas(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # Was exit 2 after the data were drawn: "error: betas must be either both floats or both Tensors".
    path = tmp_path / "adam.json"
    path.write_text(json.dumps({**BASE, "optimizer": "adam", "optimizer_params": {"beta1": 0, "beta2": 0}}))
    code, err = run_cli(capsys, ["run", str(path), "--out", str(tmp_path / "out")])
    assert code == 0, err
    summary = json.loads((tmp_path / "out" / "summary.json").read_text())
    assert summary["config"]["optimizer_params"] == {"beta1": 0.0, "beta2": 0.0}


def test_cli_names_the_field_of_a_5000_digit_set(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "c.json"
    path.write_text(json.dumps(BASE))
    code, err = run_cli(capsys, ["run", str(path), "--set", "seed=" + "9" * 5000])
    assert code == 2 and err.startswith("error: seed must be a whole number"), err
    assert "Exceeds the limit" not in err


def test_cli_names_n_samples_of_a_deep_hinton_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "deep.json"
    # 900 deep, which json reads: the sentence used to quote all 1 800 brackets (cut at 500
    # characters by the CLI); now the value is quoted short, as everywhere else.
    path.write_text(json.dumps({**BASE, "problem": "hinton", "n_samples": deep_list(900)}))
    code, err = run_cli(capsys, ["run", str(path)])
    assert code == 2 and "n_samples must be 10 for the hinton problem" in err, err
    assert len(err.strip()) < 200, err  # was 500: the CLI's cut of a 1 900-character line
