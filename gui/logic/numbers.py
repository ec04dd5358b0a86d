"""Numbers as the window writes them: grouped digits, real subscripts, powers of ten.

Everything returns plain text or Qt rich-text markup (a string); nothing here draws.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal

import numpy as np

NARROW_NBSP = "\u202f"  # between digit groups: 12 345


def group_digits(n: int) -> str:
    """12 345 with a narrow no-break space, readable from the back of a lecture hall."""
    return f"{n:,}".replace(",", NARROW_NBSP)


def digits_of(text: str) -> str | None:
    """The digits of "1 024", "1,024" or "1024" ("" if none); None if anything else is typed."""
    kept = "".join(c for c in text.strip() if c not in " ,\u202f\u00a0")
    return kept if kept.isdigit() or not kept else None


def number_text(value: object) -> str:
    """A limit or a typed value in a sentence: whole numbers grouped (1 000 000), others as %g.

    Anything that is not a number (a bool included) is written as `str` writes it.
    """
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, int) or (math.isfinite(value) and value == int(value) and abs(value) < 1e15):
        return group_digits(int(value))
    return f"{value:g}"


# Symbols the texts write as g_B, B_simple, λ_max: shown with a real subscript.
SUBSCRIPT = re.compile(r"(?<![\w])([gBλSE])_(B|simple|max|min|ref|crit)\b")


def typeset(markup: str) -> str:
    """g_B → g<sub>B</sub> (and B_simple, λ_max, S_min, E_min, B_ref, B_crit); field names stay as typed."""
    return SUBSCRIPT.sub(r"\1<sub>\2</sub>", markup)


DIGIT_GROUP_GAP = re.compile(r"(?<=\d)[ \u202f](?=\d{3}(?!\d))")  # the gap in "1 438", "10 000"


def keep_digits_together(markup: str) -> str:
    """Qt's HTML reader turns the narrow no-break space into a plain, breakable one ("1" at a
    line's end, "000" on the next); a no-break space survives it. The lessons' own text groups
    its digits with plain spaces ("N = 1 438"): those are kept together too."""
    return DIGIT_GROUP_GAP.sub("&nbsp;", markup)


SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def tick_text(value: float) -> str:
    """A tick label read aloud in a lecture: 0.05, 2000, 10⁵, 2·10⁻⁵, −10⁴ (a real minus sign).

    Plain digits from 0.001 to under 10 000; a power of ten (with a mantissa if not 1) beyond,
    never computer notation such as 1e-05.
    """
    if value == 0 or not np.isfinite(value):
        return "0" if value == 0 else str(value)
    sign = "−" if value < 0 else ""
    size = abs(value)
    plain = f"{size:.4g}"
    if 1e-3 <= size < 1e4 and "e" not in plain:  # 9999.9999 rounds to "1e+04": a power, below
        return sign + plain
    k = int(np.floor(np.log10(size) + 1e-9))
    # 10.0**k is 0 below 1e-323 (subnormal sizes): scale those exactly instead of dividing by 0
    mantissa = f"{size / 10.0**k if k > -300 else float(Decimal(size).scaleb(-k)):.2g}"
    if mantissa == "10":  # 9.99…·10ᵏ rounds up to the next power
        k, mantissa = k + 1, "1"
    power = "10" + str(k).translate(SUPERSCRIPT)
    return sign + (power if mantissa == "1" else f"{mantissa}·{power}")


def decade_text(value: float) -> str:
    """A tick at ±10ᵏ, written as a power from 100 up and down from 0.1 (0.01, 1, 10, 10², 10³,
    10⁴): one form along a symmetric-log axis, where tick_text would mix −1000 with −10⁴."""
    if value == 0 or not np.isfinite(value):
        return tick_text(value)
    k = round(float(np.log10(abs(value))))
    if k in (0, 1):
        return tick_text(value)
    return ("−" if value < 0 else "") + "10" + str(k).translate(SUPERSCRIPT)
