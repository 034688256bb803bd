"""Dates as a Mongolian reader writes them: one style, ranges shortened, case endings attached.

The style is CLDR's long date for Mongolian, as Babel gives it (`y 'оны' MMMM'ын' d`:
"2022 оны наймдугаар сарын 2"), and "2022 оны наймдугаар сар" for a month. Babel's own
interval formats for mn use Roman month numbers ("2022 оны VIII/02 – 03"), a numeric style
this site does not otherwise use; the ranges follow CLDR's interval rule instead (what the
two ends share is written once, at the front): "2022 оны наймдугаар сарын 2–3", "2022 оны
наймдугаар сарын 30 – есдүгээр сарын 2", "2022 оны есдүгээр–арван хоёрдугаар сар".

A case ending is attached to the last word of the phrase as Mongolian writes it: to a word
directly ("сард", "сараас", "онд"), to a day written in digits after a hyphen, through the
n-stem of the numeral ("15-нд", "2-ноос", "9-ний"), its vowel in harmony with the numeral's
last word as read aloud (нэг, хоёр, гурав …: "1-нээс", "2-ноос", "3-наас", "4-нөөс").
Forms after the case tables of Janhunen, Mongolian (2012), and the dates of official
Mongolian documents ("2023 оны 5 дугаар сарын 31-нд"); not yet checked by a Mongolian
speaker."""

from __future__ import annotations

import re
from datetime import date

from babel.dates import format_date, format_skeleton, get_month_names

LOCALE = "mn"
CASES = ("in", "from", "of")  # dative-locative, ablative, genitive: what the pages need

# A day's number read aloud ends in one of these words; its vowel class picks the ending.
# Tens: 10 арав, 20 хорь, 30 гуч; units: 1 нэг … 9 ес.
_UNITS = {1: "e", 2: "o", 3: "a", 4: "ö", 5: "a", 6: "a", 7: "o", 8: "a", 9: "ö"}
_TENS = {1: "a", 2: "o", 3: "a"}
# The n-stem endings by vowel class (e: нэг; ö: дөрөв, ес; o: хоёр, долоо; a: гурав …).
_NUMERAL = {
    "in": dict.fromkeys("eöoa", "нд"),
    "from": {"e": "нээс", "ö": "нөөс", "o": "ноос", "a": "наас"},
    "of": {"e": "ний", "ö": "ний", "o": "ны", "a": "ны"},
}
# The words a date phrase ends in, with their cases.
_WORDS = {
    "сар": {"in": "сард", "from": "сараас", "of": "сарын"},
    "он": {"in": "онд", "from": "оноос", "of": "оны"},
}


def vowel_class(n: int) -> str:
    if n % 10:
        return _UNITS[n % 10]
    return _TENS.get(n // 10 % 10, "a")


def day(d: date) -> str:
    return format_date(d, "long", locale=LOCALE)


def month(d: date) -> str:
    return format_skeleton("yMMMM", d, locale=LOCALE)


_SPACE = "\u202f"  # as CLDR joins the year to "оны"


def year(y: int) -> str:
    return f"{y}{_SPACE}он"


def month_word(d: date) -> str:
    """'наймдугаар' for August: the month's name without 'сар'."""
    return get_month_names("wide", locale=LOCALE)[d.month].removesuffix(" сар")


def day_range(a: date, b: date) -> str:
    if a == b:
        return day(a)
    if (a.year, a.month) == (b.year, b.month):
        return f"{day(a)}–{b.day}"
    if a.year == b.year:
        return f"{day(a)} – {format_skeleton('MMMMd', b, locale=LOCALE)}"
    return f"{day(a)} – {day(b)}"


def month_range(a: date, b: date) -> str:
    if (a.year, a.month) == (b.year, b.month):
        return month(a)
    if a.year == b.year:
        return f"{a.year}{_SPACE}оны {month_word(a)}–{month_word(b)} сар"
    return f"{month(a)} – {month(b)}"


def inflected(phrase: str, case: str) -> str:
    """`phrase` (a date as above) with a case ending on its last word."""
    if not case:
        return phrase
    if case not in CASES:
        raise ValueError(f"no case {case!r}: write one of {', '.join(CASES)}")
    head, last = re.fullmatch(r"(.*?[ \u202f\u00a0]?)([^ \u202f\u00a0]+)", phrase).groups()
    if last in _WORDS:
        return head + _WORDS[last][case]
    digits = last.rpartition("–")[2]
    if digits.isdigit():
        return f"{head}{last}-{_NUMERAL[case][vowel_class(int(digits))]}"
    raise ValueError(f"cannot put a case ending on {phrase!r}")
