"""Dates agree with their stated precision: a month runs from its first to its last day, etc."""

from __future__ import annotations

import calendar

import attrs
from frictionless import Check, errors

from ..i18n import _
from ..sql import lit, q
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
        # Each distinct (precision, start, end) is judged once by note_for: a million events
        # share a few thousand. Rows of a day precision with both dates need no judging.
        s, e = db.typed(self.start_field_name), db.typed(self.end_field_name)
        p, t = q(self.precision_field_name), q(self.resource_name)
        unparsed = db.unparsed(self.start_field_name, self.end_field_name)
        candidates = (
            f"{p} IS NOT NULL AND NOT ({unparsed})"
            f" AND NOT ({p} = 'day' AND {s} IS NOT NULL AND {e} IS NOT NULL)"
        )
        distinct = f"SELECT DISTINCT {p}, {s}, {e} FROM {t} WHERE {candidates}"
        for precision, start, end in db.rows(distinct):
            note = note_for(precision, start, end, self.precision_field_name)
            if not note:
                continue
            same = " AND ".join(
                f"{col} IS NOT DISTINCT FROM {lit(value) if value is not None else 'NULL'}"
                for col, value in ((p, precision), (s, start), (e, end))
            )
            for (row,) in db.rows(f"SELECT __row FROM {t} WHERE {candidates} AND {same}"):
                db.note(self.resource_name, row, self.precision_field_name, self.type, note)
