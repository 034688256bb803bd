"""Values as the report shows them: numbers with thousands separators, dates in the edition's
language, and an event's dates as precisely as they are known."""

from __future__ import annotations

from datetime import date

import mn_dates
from babel.dates import format_date, format_skeleton
from babel.numbers import format_decimal

from civic_space import i18n, lexical
from civic_space.i18n import _
from civic_space.meanings import EVENT_DATES


def formatted(value: str, field: dict) -> str:
    if value == "":
        return "—"
    if field.get("type") == "integer":
        return number(lexical.parse("integer", value))
    if field.get("type") == "date":
        return human_date(day(value))
    return value


def day(text: str) -> date:
    """A date cell's value, read in its canonical form (YYYY-MM-DD) as validation reads it."""
    return lexical.parse("date", text)


def number(n: int) -> str:
    """A count or figure as the edition writes numbers (Babel's rules for its language)."""
    return format_decimal(n, locale=i18n.language())


def human_date(d: date) -> str:
    if i18n.language() == "en":
        return f"{d.day} {d:%B %Y}"
    if i18n.language() == mn_dates.LOCALE:
        return mn_dates.day(d)
    return format_date(d, "long", locale=i18n.language())


def month(d: date) -> str:
    if i18n.language() == "en":
        return f"{d:%B %Y}"
    if i18n.language() == mn_dates.LOCALE:
        return mn_dates.month(d)
    return format_skeleton("yMMMM", d, locale=i18n.language())


def in_svg(row: dict) -> str:
    """An event's dates for a chart's tooltips and description, which cannot mark a stretch
    as English: in another edition, without the report's English words for them."""
    if i18n.language() == "en" or not row.get("date_as_given"):
        return when(row)
    return when({**row, "date_as_given": ""})


def when(row: dict, case: str = "") -> str:
    """An event's dates as a phrase that claims no more precision than the data has; in
    Mongolian, with the case ending `case` (mn_dates.CASES) where the sentence needs one
    (English says it with a preposition in the sentence itself)."""
    d = EVENT_DATES
    precision, start, end = row[d.precision], row[d.start], row[d.end]
    if precision == "unknown" or not start:
        return _("date not given")
    a, b = day(start), day(end)
    note = ""
    if precision == "season" and row["date_as_given"]:  # else a reading of ours: no words
        note = " " + _("(given as “{as_given}”)").format(as_given=row["date_as_given"])
    phrase = dates(precision, a, b)
    if i18n.language() == mn_dates.LOCALE:
        phrase = mn_dates.inflected(phrase, case)
    return phrase + note


def dates(precision: str, a: date, b: date) -> str:
    """Dates from `a` to `b` at a precision, what both ends share written once."""
    mongolian = i18n.language() == mn_dates.LOCALE
    if precision == "year":
        return mn_dates.year(a.year) if mongolian else str(a.year)
    if precision in ("month", "season"):
        if mongolian:
            return mn_dates.month_range(a, b)
        if precision == "month" or (a.year, a.month) == (b.year, b.month):
            return month(a)
        return f"{a:%B}–{month(b)}" if a.year == b.year else f"{month(a)} – {month(b)}"
    if mongolian:
        return mn_dates.day_range(a, b)
    if a == b:
        return human_date(a)
    if (a.year, a.month) == (b.year, b.month) and i18n.language() == "en":
        return f"{a.day}–{b.day} {b:%B %Y}"
    return f"{human_date(a)} – {human_date(b)}"


def qualified(value: str, qualifier: str) -> str:
    """A figure as its qualifier means it: "at least 104" for at-least."""
    words = {
        "approximate": _("about {value}"),
        "at-least": _("at least {value}"),
        "at-most": _("at most {value}"),
    }
    return words[qualifier].format(value=value) if qualifier in words else value
