"""Values as the report shows them: numbers with thousands separators, dates in the edition's
language, and an event's dates as precisely as they are known."""

from __future__ import annotations

from datetime import date

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
    return format_date(d, "long", locale=i18n.language())


def month(d: date) -> str:
    if i18n.language() == "en":
        return f"{d:%B %Y}"
    return format_skeleton("yMMMM", d, locale=i18n.language())


def when(row: dict) -> str:
    """An event's dates as a phrase that claims no more precision than the data has."""
    d = EVENT_DATES
    precision, start, end = row[d.precision], row[d.start], row[d.end]
    if precision == "unknown" or not start:
        return _("date not given")
    a, b = day(start), day(end)
    if precision == "year":
        return str(a.year)
    if precision == "month":
        return month(a)
    if precision == "season":
        if not row["date_as_given"]:  # the report gives no words to quote (a reading of ours)
            return f"{month(a)}–{month(b)}"
        return _("{start}–{end} (given as “{as_given}”)").format(
            start=month(a), end=month(b), as_given=row["date_as_given"]
        )
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
