"""Links to an experiment: every lesson goes to one line and back unchanged, pasting's
whitespace and a missing prefix are forgiven, and junk, damage, zip bombs and configs a
scenario file could not hold are refused with one sentence saying which."""

from __future__ import annotations

import base64
import json
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from engine import (
    ExperimentConfig,
    Preset,
    Scenario,
    ScenarioError,
    load_preset,
    load_scenario,
    preset_ids,
    scenario_from_link,
    scenario_of,
    scenario_to_link,
)
from engine.scenario_link import MAX_LINK_CHARS, MAX_UNPACKED_BYTES, PREFIX
from tests.strategies import config_dicts

REASONS = {"not_link", "damaged", "too_large", "newer", "unusable", "view"}


def pack(content: Any) -> str:
    """A link holding `content` (a JSON object, or raw bytes) as the app would write it."""
    raw = content if isinstance(content, bytes) else json.dumps(content).encode("utf-8")
    return PREFIX + base64.urlsafe_b64encode(zlib.compress(raw)).decode("ascii").rstrip("=")


def edited() -> Scenario:
    preset = load_preset("gd-sgd-minibatch")
    config = preset.config.with_overrides(["epochs=7", "runs.Mini-batch.batch_size=64"])
    return scenario_of(preset, config, {"x_axis": "epoch", "log_y": True, "hidden_runs": ["SGD"]})


def refusal(text: str) -> ScenarioError:
    with pytest.raises(ScenarioError) as info:
        scenario_from_link(text)
    assert info.value.reason in REASONS and "\n" not in str(info.value)
    return info.value


@pytest.mark.parametrize("ident", preset_ids())
def test_every_lesson_goes_to_one_short_line_and_back_unchanged(ident: str) -> None:
    scenario = Scenario(load_preset(ident))
    link = scenario_to_link(scenario)
    assert link.startswith(PREFIX) and link.isascii() and link.isprintable()
    assert "=" not in link and not any(c.isspace() for c in link)
    assert len(link) < 500  # a lesson's link carries its settings, not its texts
    assert scenario_from_link(link) == scenario


def test_edits_view_and_own_texts_come_back() -> None:
    scenario = edited()
    back = scenario_from_link(scenario_to_link(scenario))
    assert back == scenario and back.preset.config.batch_size_of(back.preset.config.runs[2]) == 64
    own = Preset(
        "my lesson",
        {"en": "Mine", "zh": "我的实验"},
        {"en": "Why.", "zh": "为什么。"},
        scenario.preset.config,
        speed=12.5,
        key_points={"zh": ("批大小",)},
    )
    mine = Scenario(own, {"smoothing": 0.25})
    assert scenario_from_link(scenario_to_link(mine)) == mine


def test_a_config_that_differs_from_the_defaults_only_where_it_must_is_kept_whole() -> None:
    config = ExperimentConfig.from_dict({"problem": "logistic", "noise": 0.5})
    scenario = Scenario(Preset("x", {"en": "x"}, {}, config))
    assert scenario_from_link(scenario_to_link(scenario)) == scenario


def test_pasting_whitespace_case_and_a_missing_prefix_are_forgiven() -> None:
    scenario = edited()
    link = scenario_to_link(scenario)
    body = link[len(PREFIX) :]
    for pasted in (
        f"  \n{link}\r\n",
        f"{link[:30]}\n   {link[30:70]}\t{link[70:]}",  # wrapped on a slide
        body,
        "BatchSizeLab:" + body,
        "batchsizelab://" + body,
        link + "==",
    ):
        assert scenario_from_link(pasted) == scenario


@pytest.mark.parametrize(
    ("text", "reason", "says"),
    [
        ("", "not_link", "not a Batch Size Lab link"),
        ("hello world", "not_link", "not a Batch Size Lab link"),
        ("https://example.org/lesson", "not_link", "not a Batch Size Lab link"),
        ("batchsizelab:", "damaged", "nothing follows"),
        ("batchsizelab:abc!def", "damaged", "'!'"),
        ("batchsizelab:AAAAA", "damaged", "cut short"),
        ("batchsizelab:AAAA", "damaged", "do not unpack"),
    ],
)
def test_junk_is_refused_saying_what_it_is(text: str, reason: str, says: str) -> None:
    error = refusal(text)
    assert error.reason == reason and says in str(error)


def test_a_cut_or_lengthened_link_is_damaged() -> None:
    link = scenario_to_link(edited())
    for damaged in (link[:-6], link[:40], link + "AAAA", link[:50] + "x" + link[51:]):
        assert refusal(damaged).reason == "damaged"


def test_a_zip_bomb_stops_at_the_cap_unread() -> None:
    bomb = pack(b'{"config": {"title": "' + b" " * (50 * MAX_UNPACKED_BYTES) + b'"}}')
    assert len(bomb) < MAX_LINK_CHARS  # small to paste, 50 MB unpacked
    error = refusal(bomb)
    assert error.reason == "too_large" and f"{MAX_UNPACKED_BYTES:,}" in str(error)
    assert refusal("A" * (MAX_LINK_CHARS + 1)).reason == "too_large"


def test_contents_that_are_not_an_experiment_are_refused() -> None:
    assert refusal(pack(b"\xff\xfe not utf-8")).reason == "damaged"
    assert refusal(pack(b"[" * 100_000 + b"]" * 100_000)).reason == "damaged"  # nested too deep
    assert refusal(pack(b"[1, 2]")).reason == "damaged"
    assert "newer" in str(refusal(pack({"format_version": 99, "id": "x", "config": {}})))
    assert refusal(pack({"format_version": 99, "id": "x", "config": {}})).reason == "newer"
    assert "'extra'" in str(refusal(pack({"id": "x", "config": {}, "extra": 1})))
    assert "config is missing" in str(refusal(pack({"id": "x"})))
    for ident in ("../../etc/passwd", "", "a\nb", 7, None):
        assert "lesson id" in str(refusal(pack({"id": ident, "config": {}})))


@pytest.mark.parametrize(
    ("content", "reason", "names"),
    [
        ({"id": "x", "config": {"epochs": 0}}, "unusable", "epochs"),
        ({"id": "x", "config": {"runs": [{"label": "A", "batch_size": 0}]}}, "unusable", "batch_size"),
        ({"id": "x", "config": {"no_such_field": 1}}, "unusable", "no_such_field"),
        ({"id": "x", "config": {}, "speed": -1}, "unusable", "speed"),
        ({"id": "x", "config": {}, "title": "not an object"}, "unusable", "title"),
        ({"id": "x", "config": {}, "view": {"x_axis": "pixels"}}, "view", "x_axis"),
        ({"id": "x", "config": {}, "view": {"hidden_runs": ["nobody"]}}, "view", "hidden_runs"),
    ],
)
def test_a_link_carries_no_experiment_a_file_could_not(
    tmp_path: Path, content: dict[str, Any], reason: str, names: str
) -> None:
    error = refusal(pack(content))
    assert error.reason == reason and names in str(error) and "the link" in str(error)
    as_file = tmp_path / "x.json"  # the same experiment as a scenario file: refused the same way
    as_file.write_text(json.dumps({k: v for k, v in content.items() if k != "id"}), encoding="utf-8")
    with pytest.raises(ScenarioError) as info:
        load_scenario(as_file)
    assert info.value.reason == reason


@given(config_dicts(junk=False))
def test_every_allowed_config_goes_to_a_link_and_back(data: dict[str, Any]) -> None:
    try:
        config = ExperimentConfig.from_dict(data)
    except ValueError:  # rules that tie fields together refuse some draws
        return
    scenario = Scenario(Preset("drawn", {"en": "drawn"}, {}, config))
    assert scenario_from_link(scenario_to_link(scenario)) == scenario


@given(st.text(max_size=200))
def test_any_text_is_refused_with_one_sentence_or_read(text: str) -> None:
    try:
        scenario_from_link(text)
    except ScenarioError as error:
        assert error.reason in REASONS and str(error)


LINK = scenario_to_link(edited())


@given(st.integers(min_value=0, max_value=len(LINK) - 1), st.characters(), st.booleans())
def test_a_link_with_one_character_changed_is_refused_or_unchanged(at: int, char: str, insert: bool) -> None:
    changed = LINK[:at] + char + LINK[at + (0 if insert else 1) :]
    try:
        back = scenario_from_link(changed)
    except ScenarioError as error:
        assert error.reason in REASONS
        return
    # Whitespace is ignored, and base64's last character carries bits that are dropped.
    assert back == edited()
