"""Log-axis ticks: readable values at the right places, never crowded."""

import math

from gui.logic.log_ticks import MAX_TICKS, batch_ticks, value_ticks


def test_ticks_step_1_2_5_and_sit_at_their_logarithm():
    ticks = value_ticks(15, 600)
    assert [t[1] for t in ticks] == ["20", "50", "100", "200", "500"]
    assert all(math.isclose(pos, math.log10(float(text))) for pos, text in ticks)


def test_a_wide_span_is_thinned_to_a_few_ticks():
    ticks = value_ticks(1e-3, 1e9)
    assert 2 <= len(ticks) <= MAX_TICKS
    positions = [t[0] for t in ticks]
    assert positions == sorted(positions)


def test_a_narrow_span_still_gets_two_ticks_and_bad_spans_none():
    assert len(value_ticks(96.5, 98.5)) == 2
    assert value_ticks(0, 10) == [] and value_ticks(-1, 10) == [] and value_ticks(1, math.inf) == []


def test_batch_sizes_are_labelled_as_themselves():
    ticks = batch_ticks([8, 16, 32, 1024, 60000])
    assert [t[1] for t in ticks][:3] == ["8", "16", "32"]
    assert math.isclose(ticks[-1][0], math.log10(60000))
    assert len(batch_ticks(range(1, 40))) <= 10
