"""Spreadsheet cells and CSV text, both ways: a column's letters, the cell a CSV value is
written as in the template, and the CSV text a cell of a filled workbook reads as (or why it
cannot be read exactly)."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

from . import lexical
from .i18n import _

TYPED = lexical.TYPES
EXACT = 2**53  # beyond it, a spreadsheet's number (a double) is not the whole number typed


def column(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def number_text(value: float) -> str:
    """A number as the shortest text that reads back as the same number (5.0 → "5")."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def written(value: str, fdef: dict):
    """A CSV value as the spreadsheet cell that reads back as exactly the same text."""
    kind = fdef.get("type", "string")
    typed = lexical.form(kind).parse(value) if value and kind in TYPED else None
    if kind == "date" and typed is not None:
        return typed
    if kind in ("integer", "year") and typed is not None and abs(typed) < 10**15:
        return typed  # a whole number a spreadsheet's double holds exactly, shown in full
    if kind == "number" and typed is not None and number_text(float(typed)) == value:
        return float(typed)
    return value


def decimal_text(value: int | float) -> str:
    """A number as plain decimal digits, the canonical form (1e-07 → 0.0000001)."""
    text = format(Decimal(repr(value)), "f") if isinstance(value, float) else str(value)
    return text[:-2] if text.endswith(".0") else text


def cell_text(value, fdef: dict) -> tuple[str, str | None]:
    """A spreadsheet value as CSV text, and None, or the raw text and a code saying why it
    cannot be read (see `unreadable`)."""
    kind = fdef.get("type", "string")
    if value is None or value == "":
        return "", None
    if isinstance(value, bool):
        if kind != "boolean":
            return str(value), "boolean"
        return ("true" if value else "false"), None
    if isinstance(value, dt.datetime):
        if kind == "date" and value.time() == dt.time(0):
            return value.date().isoformat(), None
        return value.isoformat(), "datetime"
    if isinstance(value, dt.date):
        if kind == "date":
            return value.isoformat(), None
        return value.isoformat(), "date"
    if isinstance(value, dt.time | dt.timedelta):
        return str(value), "time"
    if isinstance(value, int | float):
        if isinstance(value, float) and not math.isfinite(value):
            return str(value), "form"
        if kind in ("integer", "year"):
            if not float(value).is_integer():
                return number_text(float(value)), "not-whole"
            if isinstance(value, float) and abs(value) > EXACT:
                return number_text(value), "inexact"  # 1E+300 is no count anyone typed
            text = str(int(value))
            return text, None if lexical.FORMS[kind].parse(text) is not None else "form"
        if kind == "number":  # more digits than the canonical form holds (0.1 + 0.2): refused
            text = decimal_text(value)
            return text, None if lexical.FORMS[kind].parse(text) is not None else "form"
        if kind == "string":
            # A whole number typed for text is its digits (a key such as 3); any other number
            # may have lost what the text held (16.10 is stored as 16.1), so it is refused.
            text = number_text(float(value))
            exact = float(value).is_integer() and abs(value) < 1e15
            return text, None if exact else "text-number"
        return number_text(float(value)), "number"
    text = str(value)
    if kind == "date" and text.strip() and lexical.FORMS[kind].parse(text.strip()) is None:
        return text, "not-a-date"
    return text, None


def unreadable(code: str, value: str, kind: str) -> tuple[str, str]:
    """What is wrong with a cell `cell_text` could not read, and how to fix it."""
    retype = _("format the column as Text, retype the value, and import again")
    if code == "form":
        return lexical.refusal(kind, value)
    if code == "inexact":
        message = _("{value} is too large to be read exactly from a spreadsheet")
        return message.format(value=lexical.quoted(value)), retype
    if code == "not-a-date":
        return (
            _("“{value}” is not a date").format(value=value),
            _("type the date as a spreadsheet date, or as text YYYY-MM-DD"),
        )
    if code == "not-whole":
        return _("“{value}” is not a whole number").format(value=value), _("type a whole number")
    if code == "text-number":
        message = _(
            "“{value}” is a number where text is expected; the spreadsheet may have dropped a "
            "trailing zero (16.10 becomes 16.1)"
        )
        fix = _(
            "type the value as text: start it with an apostrophe ('16.10), or format the "
            "column as Text and retype it; then import again"
        )
        return message.format(value=value), fix
    if code == "number":
        message = _("“{value}” is a number where a {type} is expected")
        return message.format(value=value, type=kind), retype
    if code == "boolean":
        return _("“{value}” is a true/false value where text is expected").format(
            value=value
        ), retype
    if code == "datetime":
        message = _("“{value}” is a date and time; the spreadsheet turned the text into one")
        return message.format(value=value), retype
    if code == "time":
        message = _("“{value}” is a time; the spreadsheet turned the text into one")
        return message.format(value=value), retype
    message = _("“{value}” is a date; the spreadsheet turned the text into one")
    return message.format(value=value), retype
