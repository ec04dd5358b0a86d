"""Number typesetting against Python's own formatting and hand-written cases (no Qt)."""

from __future__ import annotations

import math
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from gui.logic.numbers import (
    NARROW_NBSP,
    digits_of,
    group_digits,
    keep_digits_together,
    number_text,
    tick_text,
    typeset,
)

ROOT = Path(__file__).resolve().parents[2]


@given(st.integers(-(10**30), 10**30))
def test_group_digits_is_pythons_grouping_with_a_narrow_no_break_space(n: int) -> None:
    assert group_digits(n) == f"{n:,}".replace(",", "\u202f")
    assert int(group_digits(n).replace(NARROW_NBSP, "")) == n


@pytest.mark.parametrize(("n", "text"), [(0, "0"), (999, "999"), (1000, "1 000"), (1234567, "1 234 567")])
def test_group_digits_examples(n: int, text: str) -> None:
    assert group_digits(n) == text.replace(" ", NARROW_NBSP)


@given(st.integers(0, 10**18), st.sampled_from([" ", ",", "\u202f", "\u00a0", ""]))
def test_digits_of_reads_back_any_grouping(n: int, separator: str) -> None:
    typed = f"{n:,}".replace(",", separator)
    assert digits_of(typed) == str(n)
    assert digits_of(f"  {typed} ") == str(n)


@pytest.mark.parametrize("typed", ["12a", "-5", "1.5", "1_000", "full"])
def test_digits_of_refuses_anything_but_digits_and_separators(typed: str) -> None:
    assert digits_of(typed) is None


def test_digits_of_an_empty_field_is_empty() -> None:
    assert digits_of("") == "" and digits_of(" , ") == ""


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (2, "2"),
        (1_000_000, "1 000 000"),
        (1e6, "1 000 000"),  # a whole float reads as a whole number
        (0.5, "0.5"),
        (1e-4, "0.0001"),
        (1e20, "1e+20"),  # past 1e15: %g, not 21 digits
        (math.inf, "inf"),
        (math.nan, "nan"),
        (True, "True"),  # a bool is not a number here
        (None, "None"),
        ("abc", "abc"),
    ],
)
def test_number_text(value: object, text: str) -> None:
    assert number_text(value) == text.replace(" ", NARROW_NBSP)


@pytest.mark.parametrize(
    ("markup", "shown"),
    [
        ("E|g_B − G|²", "E|g<sub>B</sub> − G|²"),
        ("B_simple = tr Σ / |G|²", "B<sub>simple</sub> = tr Σ / |G|²"),
        ("2/λ_max", "2/λ<sub>max</sub>"),
        ("S_min and E_min, B_ref", "S<sub>min</sub> and E<sub>min</sub>, B<sub>ref</sub>"),
        ("lr_scaling, n_samples, big_B", "lr_scaling, n_samples, big_B"),  # field names stay
        ("g_Bx", "g_Bx"),  # not a whole subscript
    ],
)
def test_typeset_writes_real_subscripts(markup: str, shown: str) -> None:
    assert typeset(markup) == shown


@given(st.text() | st.from_regex(r"[a-zλ ]{0,3}(g_B|B_simple|λ_max|S_min|E_min|B_ref)[a-z ]{0,3}"))
def test_typeset_only_turns_underscores_into_sub_tags(markup: str) -> None:
    """g_B becomes g<sub>B</sub> and nothing else changes: writing each <sub>X</sub> back as _X
    gives the text that went in (found by hypothesis: the underscore is consumed, not kept)."""
    assume("<sub>" not in markup and "</sub>" not in markup)
    assert re.sub(r"<sub>(.*?)</sub>", r"_\1", typeset(markup)) == markup


def test_keep_digits_together() -> None:
    assert keep_digits_together(f"N = 1{NARROW_NBSP}000, B = 10") == "N = 1&nbsp;000, B = 10"
    # A lesson's own text groups with plain spaces; numbers side by side stay apart.
    assert keep_digits_together("on N = 1 438 digits, 61 706 weights") == (
        "on N = 1&nbsp;438 digits, 61&nbsp;706 weights"
    )
    assert keep_digits_together("B = 4, 16, 64 and 128; 8 → 128; 2 1024 10 00") == (
        "B = 4, 16, 64 and 128; 8 → 128; 2 1024 10 00"
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.0, "0"),
        (0.05, "0.05"),
        (2000.0, "2000"),
        (1e5, "10⁵"),
        (2e-5, "2·10⁻⁵"),
        (-1e4, "−10⁴"),
        (9999.9999, "10⁴"),
        (9.96e6, "10⁷"),  # the mantissa rounds up to the next power
        (5e-324, "4.9·10⁻³²⁴"),  # subnormal: 10.0**-324 is 0, no division by it
        (math.inf, "inf"),
    ],
)
def test_tick_text_examples(value: float, text: str) -> None:
    assert tick_text(value) == text


SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
POWER = re.compile(r"(?:(?P<mantissa>[\d.]+)·)?10(?P<exponent>[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+)")


def read_tick(text: str) -> tuple[float, bool]:
    """The number a tick label names, and whether it was written as a power of ten."""
    sign = -1.0 if text.startswith("−") else 1.0
    body = text.removeprefix("−")
    power = POWER.fullmatch(body)
    if power is None:
        return sign * float(body), False
    mantissa = float(power["mantissa"] or 1)
    return sign * mantissa * 10.0 ** int(power["exponent"].translate(SUPERSCRIPTS)), True


@given(st.floats(min_value=1e-300, max_value=1e300), st.booleans())
def test_tick_text_names_the_value_to_two_or_four_digits(size: float, negative: bool) -> None:
    value = -size if negative else size
    text = tick_text(value)
    assert "e" not in text and "-" not in text  # never 1e-05, always a real minus sign
    named, is_power = read_tick(text)
    # Plain digits between 0.001 and 10 000, powers of ten beyond.
    assert is_power == (not 1e-3 <= size < 1e4) or math.isclose(size, 1e4, rel_tol=5e-5)
    # Plain text keeps 4 significant digits (error ≤ 5e-4 relative), a power 2 (≤ 5e-2).
    assert math.isclose(named, value, rel_tol=5e-2 if is_power else 5e-4)


def test_the_room_never_imports_qt() -> None:
    code = (
        "import sys, gui.logic, gui.logic.numbers, gui.logic.smoothing;"
        "bad = [m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph', 'shiboken'))];"
        "assert not bad, bad"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr


def test_decades_along_a_symmetric_log_axis_share_one_form() -> None:
    from gui.logic.numbers import decade_text

    assert [decade_text(v) for v in (-1e4, -1e3, -100.0, -10.0, -1.0, 0.0, 0.1, 0.01)] == [
        "−10⁴",
        "−10³",
        "−10²",
        "−10",
        "−1",
        "0",
        "10⁻¹",
        "10⁻²",
    ]
