"""A period ends on or after it starts, and has both ends or neither."""

from __future__ import annotations

import attrs
from frictionless import Check, errors

from ..i18n import _
from ..sql import q
from ._shared import unparsed


class DateRangeError(errors.CellError):
    type = "date-range"
    title = "Date Range"
    description = "The end date is before the start date, or only one of them is given."
    template = 'The cell "{cell}" in row "{rowNumber}" and field "{fieldName}" has an error: {note}'


def note_for(start, end) -> str | None:
    """Why two parsed dates (or None) do not form a period, or None if they do."""
    if (start is None) != (end is None):
        return _(
            "only one of the start and end dates is given"
            " — give both (the same day for a one-day event) or neither"
        )
    if start is not None and end < start:
        return _(
            "the end date {end} is before the start date {start} — swap or correct them"
        ).format(end=end, start=start)
    return None


@attrs.define(kw_only=True, repr=False)
class date_range(Check):
    """Check that start and end dates form a period."""

    Errors = [DateRangeError]  # noqa: RUF012 (frictionless's interface)
    type = DateRangeError.type

    resource_name: str
    start_field_name: str
    end_field_name: str

    def validate_row(self, row):
        if self.resource.name != self.resource_name:
            return
        start, end = row[self.start_field_name], row[self.end_field_name]
        if unparsed(row, self.start_field_name, self.end_field_name):
            return  # a date that is not a date is reported as a type error already
        note = note_for(start, end)
        if note:
            yield DateRangeError.from_row(row, note=note, field_name=self.end_field_name)

    def fast(self, db) -> None:
        s, e = db.typed(self.start_field_name), db.typed(self.end_field_name)
        unparsed = db.unparsed(self.start_field_name, self.end_field_name)
        sql = (
            f"SELECT __row, {s}, {e} FROM {q(self.resource_name)} WHERE NOT ({unparsed})"
            f" AND ((({s} IS NULL) <> ({e} IS NULL)) OR {e} < {s})"
        )
        for row, start, end in db.rows(sql):
            db.note(self.resource_name, row, self.end_field_name, self.type, note_for(start, end))
