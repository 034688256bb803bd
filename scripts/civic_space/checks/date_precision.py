"""Dates agree with their stated precision: a month runs from its first to its last day, etc."""

from __future__ import annotations

import calendar

import attrs
from frictionless import Check, errors

from ..i18n import _
from ..sql import q
from ._shared import unparsed


class DatePrecisionError(errors.CellError):
    type = "date-precision"
    title = "Date Precision"
    description = "The start and end dates do not fit the date precision given."
    template = 'The cell "{cell}" in row "{rowNumber}" and field "{fieldName}" has an error: {note}'


def mismatch(precision: str, start, end) -> str | None:
    """Why the dates do not fit the precision, or None if they do."""
    if precision == "unknown":
        given = start is not None or end is not None
        return _("a date is given but the precision is unknown") if given else None
    if start is None or end is None:
        return _("precision {precision} needs both dates").format(precision=precision)
    span = (start.month, start.day, end.month, end.day)
    if precision == "month":
        last = calendar.monthrange(start.year, start.month)[1]
        whole_month = span == (start.month, 1, start.month, last) and start.year == end.year
        month = f"{start:%Y-%m}"
        note = _("a month runs from {month}-01 to {month}-{last}")
        return None if whole_month else note.format(month=month, last=last)
    if precision == "year":
        whole_year = span == (1, 1, 12, 31) and start.year == end.year
        note = _("a year runs from {year}-01-01 to {year}-12-31").format(year=start.year)
        return None if whole_year else note
    if precision == "season" and start.year != end.year:
        return _("a part of a year must start and end in the same year")
    return None


def note_for(precision, start, end, precision_field: str) -> str | None:
    problem = precision and mismatch(precision, start, end)
    if not problem:
        return None
    return _("{problem} — correct the dates or the {field}").format(
        problem=problem, field=precision_field
    )


@attrs.define(kw_only=True, repr=False)
class date_precision(Check):
    """Check dates against their precision (day, month, season, year, unknown)."""

    Errors = [DatePrecisionError]  # noqa: RUF012 (frictionless's interface)
    type = DatePrecisionError.type

    resource_name: str
    start_field_name: str
    end_field_name: str
    precision_field_name: str

    def validate_row(self, row):
        if self.resource.name != self.resource_name:
            return
        precision = row[self.precision_field_name]
        start, end = row[self.start_field_name], row[self.end_field_name]
        if unparsed(row, self.start_field_name, self.end_field_name):
            return  # a date that is not a date is reported as a type error already
        note = note_for(precision, start, end, self.precision_field_name)
        if note:
            yield DatePrecisionError.from_row(row, note=note, field_name=self.precision_field_name)

    def fast(self, db) -> None:
        # Candidates: every row with a precision and parsed dates; mismatch() judges them.
        # Rows that are plainly whole days need no judging (a superset, proven by a test).
        s, e = db.typed(self.start_field_name), db.typed(self.end_field_name)
        p = q(self.precision_field_name)
        unparsed = db.unparsed(self.start_field_name, self.end_field_name)
        sql = (
            f"SELECT __row, {p}, {s}, {e} FROM {q(self.resource_name)} WHERE {p} IS NOT NULL"
            f" AND NOT ({unparsed}) AND NOT ({p} = 'day' AND {s} IS NOT NULL AND {e} IS NOT NULL)"
        )
        for row, precision, start, end in db.rows(sql):
            note = note_for(precision, start, end, self.precision_field_name)
            if note:
                db.note(self.resource_name, row, self.precision_field_name, self.type, note)
